// render_to_file_fast: the same WAV file, byte for byte, as render_to_file (rounding, clipping, NaN, lengths).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/host/render_to_wav.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::host {
namespace {

// Values that test every quantisation rule: a ramp across and past full scale (clipping), exact
// half steps of 16 and 24 bits (ties round to even), NaN, infinities and a denormal. The length
// is known or not (like a MIDI render's silence tail), and the source may stop before it.
class EdgeSource final : public Source {
 public:
  EdgeSource(std::size_t channels, std::int64_t length, bool length_known)
      : channels_(channels), length_(length), known_(length_known) {}
  void prepare(double, std::size_t) override {}
  std::size_t process(AudioView output) noexcept override {
    const auto remaining = static_cast<std::size_t>(std::max<std::int64_t>(0, length_ - position_));
    const std::size_t produced = std::min(remaining, output.frame_count());
    for (std::size_t i = 0; i < output.frame_count(); ++i)
      for (std::size_t c = 0; c < output.channel_count(); ++c)
        output.channel(c)[i] = i < produced ? value(position_ + static_cast<std::int64_t>(i), c) : 0.0f;
    position_ += static_cast<std::int64_t>(produced);
    return produced;
  }
  void seek(std::int64_t frame) noexcept override { position_ = frame; }
  std::int64_t position_frames() const noexcept override { return position_; }
  std::int64_t length_frames() const noexcept override { return known_ ? length_ : kUnknownLength; }
  std::size_t channel_count() const noexcept override { return channels_; }

  static float value(std::int64_t frame, std::size_t channel) noexcept {
    switch ((frame + static_cast<std::int64_t>(channel) * 7) % 11) {
      case 0: return std::numeric_limits<float>::quiet_NaN();
      case 1: return (frame % 2 ? 1.0f : -1.0f) * std::numeric_limits<float>::infinity();
      case 2: return static_cast<float>(frame % 64 - 32) * 0.5f / 32768.0f + 0.25f;  // 16-bit half steps
      case 3: return static_cast<float>(frame % 64 - 32) * 0.5f / 8388608.0f - 0.125f;  // 24-bit half steps
      case 4: return 1e-40f;
      default: return -1.5f + 3.0f * static_cast<float>(frame % 997) / 996.0f;
    }
  }

 private:
  std::size_t channels_;
  std::int64_t length_;
  bool known_;
  std::int64_t position_ = 0;
};

std::vector<char> bytes_of(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(RenderToFileFast, WritesTheFoundationWritersBytes) {
  test::TempDirectory folder;
  for (const auto encoding : {formats::SampleEncoding::kPcm16, formats::SampleEncoding::kPcm24}) {
    for (const std::size_t channels : {1u, 2u, 3u}) {
      for (const bool known : {true, false}) {
        const RenderToFileOptions options{.sample_rate_hz = 44100.0,
                                          .format = {formats::AudioContainer::kWav, encoding},
                                          .block_frames = 1000};
        EdgeSource reference_source(channels, 10007, known), fast_source(channels, 10007, known);
        const auto reference = folder / "reference.wav", fast = folder / "fast.wav";
        ASSERT_TRUE(render_to_file(reference_source, reference, options));
        auto result = render_to_file_fast(fast_source, fast, options);
        ASSERT_TRUE(result) << result.error().describe();
        EXPECT_EQ(result->frames_written, 10007);
        const auto expected = bytes_of(reference), actual = bytes_of(fast);
        ASSERT_EQ(actual.size(), expected.size()) << channels << " channels";
        EXPECT_TRUE(actual == expected) << channels << " channels, " << (known ? "known" : "unknown") << " length";
      }
    }
  }
}

TEST(RenderToFileFast, QuantisesToTheNearestStepAndClips) {
  test::TempDirectory folder;
  EdgeSource source(2, 4096, true);
  const auto path = folder / "out.wav";
  ASSERT_TRUE(render_to_file_fast(source, path, {.block_frames = 512}));
  auto clip = formats::read_audio_file(path);
  ASSERT_TRUE(clip);
  ASSERT_EQ(clip->audio.frame_count(), 4096u);
  for (std::size_t frame = 0; frame < 4096; ++frame) {
    const float input = EdgeSource::value(static_cast<std::int64_t>(frame), 0);
    const double expected = std::isnan(input) ? 0.0 : std::clamp(std::nearbyint(double{input} * 32768.0), -32768.0, 32767.0);
    ASSERT_EQ(std::lround(clip->audio.channel(0)[frame] * 32768.0), std::lround(expected)) << "frame " << frame;
  }
}

TEST(RenderToFileFast, OtherFormatsTakeTheGeneralPath) {
  test::TempDirectory folder;
  EdgeSource source(2, 3000, true);
  const auto path = folder / "out.flac";
  auto result = render_to_file_fast(source, path, {.format = {formats::AudioContainer::kFlac, formats::SampleEncoding::kPcm16}});
  ASSERT_TRUE(result) << result.error().describe();
  auto clip = formats::read_audio_file(path);
  ASSERT_TRUE(clip);
  EXPECT_EQ(clip->audio.frame_count(), 3000u);
  EXPECT_FLOAT_EQ(clip->audio.channel(1)[2999], std::round(EdgeSource::value(2999, 1) * 32768.0f) / 32768.0f);
}

}  // namespace
}  // namespace resound::host
