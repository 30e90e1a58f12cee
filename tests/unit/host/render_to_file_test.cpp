// render_to_file: exact lengths, block-size independence, max_frames, cancellation.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/host/render_to_file.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::host {
namespace {

// A finite test source: a 440 Hz sine of fixed length whose phase derives from the frame index.
class SineSource final : public Source {
 public:
  explicit SineSource(std::int64_t length) : length_(length) {}
  void prepare(double sample_rate_hz, std::size_t) override { rate_ = sample_rate_hz; }
  std::size_t process(AudioView output) noexcept override {
    const auto remaining = static_cast<std::size_t>(std::max<std::int64_t>(0, length_ - position_));
    const std::size_t produced = std::min(remaining, output.frame_count());
    for (std::size_t i = 0; i < output.frame_count(); ++i) {
      const float value = i < produced ? static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 440.0 *
                                                                           static_cast<double>(position_ + static_cast<std::int64_t>(i)) / rate_))
                                       : 0.0f;
      for (std::size_t c = 0; c < output.channel_count(); ++c) output.channel(c)[i] = value;
    }
    position_ += static_cast<std::int64_t>(produced);
    return produced;
  }
  void seek(std::int64_t frame) noexcept override { position_ = std::clamp<std::int64_t>(frame, 0, length_); }
  std::int64_t position_frames() const noexcept override { return position_; }
  std::int64_t length_frames() const noexcept override { return length_; }
  std::size_t channel_count() const noexcept override { return 2; }

 private:
  std::int64_t length_;
  std::int64_t position_ = 0;
  double rate_ = 44100.0;
};

TEST(RenderToFile, WritesTheWholeSourceWhateverTheBlockSize) {
  test::TempDirectory folder;
  for (std::size_t block : {1u, 64u, 1000u, 4096u}) {
    SineSource source(10007);
    const auto path = folder / ("out" + std::to_string(block) + ".wav");
    auto result = render_to_file(source, path, {.sample_rate_hz = 48000.0, .format = {formats::AudioContainer::kWav, formats::SampleEncoding::kFloat32}, .block_frames = block});
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->frames_written, 10007);
    auto clip = formats::read_audio_file(path);
    ASSERT_TRUE(clip);
    ASSERT_EQ(clip->audio.frame_count(), 10007u);
    EXPECT_NEAR(clip->audio.channel(1)[5000], 0.5 * std::sin(2.0 * std::numbers::pi * 440.0 * 5000.0 / 48000.0), 1e-6);
  }
}

TEST(RenderToFile, StopsAtMaxFramesAndStartsAtTheSeekPosition) {
  test::TempDirectory folder;
  SineSource source(100000);
  source.seek(1000);
  auto result = render_to_file(source, folder / "part.wav", {.max_frames = 3000});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->frames_written, 3000);
  EXPECT_EQ(source.position_frames(), 4000);
}

TEST(RenderToFile, CancelLeavesNothing) {
  test::TempDirectory folder;
  SineSource source(1000000);
  auto result = render_to_file(source, folder / "x.wav", {}, [](double fraction) { return fraction < 0.1; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kCancelled);
  EXPECT_TRUE(folder.entries().empty());
}

}  // namespace
}  // namespace resound::host
