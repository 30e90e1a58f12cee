// AudioView: a non-owning window onto planar float audio (channel pointers + frame range).
#pragma once

#include <cassert>
#include <cstddef>
#include <span>
#include <type_traits>

namespace resound {

/// A non-owning view of planar audio: `channel_count()` channels of `frame_count()` samples each.
/// Cheap to copy. Sample `i` of channel `c` is `view.channel(c)[i]`.
/// `BasicAudioView<float>` (AudioView) is writable; `BasicAudioView<const float>` (ConstAudioView)
/// is read-only, and every AudioView converts to it implicitly.
/// Thread contract: a view has no state of its own; any thread (RT included) may use it while the
/// memory it points at is alive.
template <typename Sample>
class BasicAudioView {
 public:
  using sample_type = Sample;
  using channel_pointer = Sample*;

  constexpr BasicAudioView() noexcept = default;

  /// @param channels array of `channel_count` pointers, each to at least `start_frame + frame_count` samples.
  constexpr BasicAudioView(Sample* const* channels, std::size_t channel_count, std::size_t frame_count,
                           std::size_t start_frame = 0) noexcept
      : channels_(channels), channel_count_(channel_count), frame_count_(frame_count), start_frame_(start_frame) {}

  /// Writable views convert to read-only ones.
  template <typename Other>
    requires(std::is_same_v<Sample, const Other>)
  constexpr BasicAudioView(const BasicAudioView<Other>& other) noexcept  // NOLINT(google-explicit-constructor)
      : channels_(other.channel_pointers()),
        channel_count_(other.channel_count()),
        frame_count_(other.frame_count()),
        start_frame_(other.start_frame()) {}

  [[nodiscard]] constexpr std::size_t channel_count() const noexcept { return channel_count_; }
  [[nodiscard]] constexpr std::size_t frame_count() const noexcept { return frame_count_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return channel_count_ == 0 || frame_count_ == 0; }

  /// The samples of one channel inside this view's frame range.
  [[nodiscard]] constexpr std::span<Sample> channel(std::size_t index) const noexcept {
    assert(index < channel_count_);
    return {channels_[index] + start_frame_, frame_count_};
  }

  /// A view of `count` frames starting `offset` frames into this one (clamped to this view).
  [[nodiscard]] constexpr BasicAudioView subview(std::size_t offset, std::size_t count) const noexcept {
    if (offset > frame_count_) offset = frame_count_;
    if (count > frame_count_ - offset) count = frame_count_ - offset;
    return BasicAudioView(channels_, channel_count_, count, start_frame_ + offset);
  }

  /// A view of the first `count` channels (clamped).
  [[nodiscard]] constexpr BasicAudioView first_channels(std::size_t count) const noexcept {
    return BasicAudioView(channels_, count < channel_count_ ? count : channel_count_, frame_count_, start_frame_);
  }

  /// Sets every sample to zero. RT-safe.
  void clear() const noexcept
    requires(!std::is_const_v<Sample>)
  {
    for (std::size_t c = 0; c < channel_count_; ++c)
      for (auto& sample : channel(c)) sample = 0.0f;
  }

  // Raw access for conversions between view types.
  [[nodiscard]] constexpr Sample* const* channel_pointers() const noexcept { return channels_; }
  [[nodiscard]] constexpr std::size_t start_frame() const noexcept { return start_frame_; }

 private:
  Sample* const* channels_ = nullptr;
  std::size_t channel_count_ = 0;
  std::size_t frame_count_ = 0;
  std::size_t start_frame_ = 0;
};

using AudioView = BasicAudioView<float>;
using ConstAudioView = BasicAudioView<const float>;

/// Copies min(frames, channels) of `source` into `destination`. RT-safe.
void copy_audio(ConstAudioView source, AudioView destination) noexcept;

/// Adds `gain * source` into `destination` over their common frames and channels. RT-safe.
void mix_audio(ConstAudioView source, AudioView destination, float gain = 1.0f) noexcept;

/// Writes planar `source` as interleaved frames into `interleaved` (size >= frames * channels). RT-safe.
void interleave(ConstAudioView source, std::span<float> interleaved) noexcept;

/// Reads interleaved frames into planar `destination` (interleaved.size() >= frames * channels). RT-safe.
void deinterleave(std::span<const float> interleaved, AudioView destination) noexcept;

}  // namespace resound
