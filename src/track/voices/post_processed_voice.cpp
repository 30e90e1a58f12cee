// PostProcessedVoice: contiguous blocks carry the processor's state; jumps warm it up over the preceding audio.
#include "voices/post_processed_voice.hpp"

#include <algorithm>

#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

class PostProcessedVoice final : public Voice {
 public:
  PostProcessedVoice(std::unique_ptr<Voice> inner, std::unique_ptr<StreamProcessor> processor)
      : Voice(inner->length_frames()), inner_(std::move(inner)), processor_(std::move(processor)) {
    processor_->restart(0);
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    if (first != next_frame_) warm_up_to(first);
    inner_->render(first, left, right);
    processor_->process(first, left, right);
    next_frame_ = first + static_cast<std::int64_t>(left.size());
  }

 private:
  void warm_up_to(std::int64_t target) noexcept {
    const std::int64_t from = std::max<std::int64_t>(0, target - processor_->warmup_frames());
    processor_->restart(from);
    std::array<float, kChunkFrames> left{};
    std::array<float, kChunkFrames> right{};
    for (std::int64_t at = from; at < target;) {
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kChunkFrames, target - at));
      const std::span<float> l(left.data(), count);
      const std::span<float> r(right.data(), count);
      inner_->render(at, l, r);
      processor_->process(at, l, r);
      at += static_cast<std::int64_t>(count);
    }
  }

  std::unique_ptr<Voice> inner_;
  std::unique_ptr<StreamProcessor> processor_;
  std::int64_t next_frame_ = 0;
};

}  // namespace

std::unique_ptr<Voice> make_post_processed_voice(std::unique_ptr<Voice> inner, std::unique_ptr<StreamProcessor> processor) {
  if (!inner || !processor) return inner;
  return std::make_unique<PostProcessedVoice>(std::move(inner), std::move(processor));
}

}  // namespace resound::track::voices
