// Waveforms: pyramid min/max values, column merging, audiowaveform JSON layout, PNG size and colours.
#include <gtest/gtest.h>

#include <cmath>

#include "resound/analysis/waveform.hpp"
#include "resound/analysis/waveform_image.hpp"
#include "resound/core/audio_buffer.hpp"

namespace resound::analysis {
namespace {

AudioBuffer ramp_stereo(std::size_t frames) {
  AudioBuffer buffer(2, frames);
  for (std::size_t i = 0; i < frames; ++i) {
    buffer.channel(0)[i] = static_cast<float>(i) / static_cast<float>(frames);  // 0 … 1
    buffer.channel(1)[i] = -0.5f;
  }
  return buffer;
}

TEST(Waveform, PyramidLevelsHoldMinAndMax) {
  const AudioBuffer audio = ramp_stereo(4096);
  auto pyramid = WaveformPyramid::build(audio.view(), 48000.0, 256);
  ASSERT_TRUE(pyramid);
  EXPECT_EQ(pyramid->level(0).pixel_count, 16u);
  EXPECT_EQ(pyramid->level(1).samples_per_pixel, 512u);
  EXPECT_FLOAT_EQ(pyramid->level(0).minimum(0, 1), 256.0f / 4096.0f);
  EXPECT_FLOAT_EQ(pyramid->level(0).maximum(0, 1), 511.0f / 4096.0f);
  EXPECT_FLOAT_EQ(pyramid->level(2).maximum(0, 0), 1023.0f / 4096.0f);
  EXPECT_FLOAT_EQ(pyramid->level(2).minimum(1, 0), -0.5f);
  const WaveformLevel columns = pyramid->columns(4);
  EXPECT_FLOAT_EQ(columns.maximum(0, 3), 4095.0f / 4096.0f);
  EXPECT_FLOAT_EQ(columns.minimum(0, 2), 2048.0f / 4096.0f);
}

TEST(Waveform, JsonFollowsTheAudiowaveformLayout) {
  const AudioBuffer audio = ramp_stereo(1024);
  auto pyramid = WaveformPyramid::build(audio.view(), 44100.0, 512);
  ASSERT_TRUE(pyramid);
  auto json = waveform_json(pyramid->level(0), 44100.0, 8);
  ASSERT_TRUE(json);
  EXPECT_EQ(*json,
            "{\"version\":2,\"channels\":2,\"sample_rate\":44100,\"samples_per_pixel\":512,\"bits\":8,\"length\":2,"
            "\"data\":[0,63,-64,-64,64,127,-64,-64]}");
  EXPECT_FALSE(waveform_json(pyramid->level(0), 44100.0, 12));
}

TEST(Waveform, PngHasTheRequestedSizeAndColours) {
  const AudioBuffer audio = ramp_stereo(48000);
  auto pyramid = WaveformPyramid::build(audio.view(), 48000.0);
  ASSERT_TRUE(pyramid);
  WaveformImageOptions options;
  options.width = 321;
  options.height = 123;
  auto png = render_waveform_png(*pyramid, options);
  ASSERT_TRUE(png);
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ((*png)[1], 'P');
  EXPECT_EQ((*png)[2], 'N');
  const auto be32 = [&](std::size_t at) {
    return (std::uint32_t{(*png)[at]} << 24) | (std::uint32_t{(*png)[at + 1]} << 16) | (std::uint32_t{(*png)[at + 2]} << 8) | (*png)[at + 3];
  };
  EXPECT_EQ(be32(16), 321u);
  EXPECT_EQ(be32(20), 123u);
  EXPECT_FALSE(render_waveform_png(*pyramid, WaveformImageOptions{.width = 0}));
  auto colour = parse_colour("#1f5fa880");
  ASSERT_TRUE(colour);
  EXPECT_EQ(colour->green, 0x5f);
  EXPECT_EQ(colour->alpha, 0x80);
  EXPECT_FALSE(parse_colour("blue"));
}

}  // namespace
}  // namespace resound::analysis
