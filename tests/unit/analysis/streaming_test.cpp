// Streaming analyzers agree with the offline ones: decimation exactly, pitch and onsets within one frame.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis_test_support.hpp"
#include "resound/analysis/loudness.hpp"
#include "resound/analysis/onsets.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/streaming.hpp"

namespace resound::analysis {
namespace {

std::vector<float> first_seconds(const AudioClip& clip, double seconds) {
  const auto channel = clip.audio.channel(0);
  const auto frames = std::min(channel.size(), static_cast<std::size_t>(seconds * clip.sample_rate_hz));
  return {channel.begin(), channel.begin() + static_cast<std::ptrdiff_t>(frames)};
}

TEST(Streaming, DecimationMatchesOfflineSignalExactly) {
  std::vector<float> input(44100 + 123);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<float>(std::sin(0.01 * static_cast<double>(i * i % 9973)));
  auto offline = make_analysis_signal(input, 96000.0);  // two ÷2 stages
  ASSERT_TRUE(offline);
  StreamingDecimation streaming(96000.0);
  std::vector<float> pushed;
  for (std::size_t offset = 0; offset < input.size(); offset += 1000) {
    const auto out = streaming.push(std::span<const float>(input).subspan(offset, std::min<std::size_t>(1000, input.size() - offset)));
    pushed.insert(pushed.end(), out.begin(), out.end());
  }
  const auto tail = streaming.flush();
  pushed.insert(pushed.end(), tail.begin(), tail.end());
  ASSERT_EQ(pushed.size(), offline->samples.size());
  for (std::size_t i = 0; i < pushed.size(); ++i) ASSERT_EQ(pushed[i], offline->samples[i]) << i;
}

TEST(Streaming, FixedLagPyinAgreesWithOfflineWithinOneFrame) {
  auto clip = test::load_clip("mono_fife_march");
  if (!clip) GTEST_SKIP() << "shared analysis clips not present";
  const std::vector<float> samples = first_seconds(*clip, 10.0);
  auto offline = pyin(samples, clip->sample_rate_hz);
  ASSERT_TRUE(offline);
  auto tracker = StreamingPitchTracker::create(clip->sample_rate_hz);
  ASSERT_TRUE(tracker);
  std::vector<PitchFrame> frames;
  for (std::size_t offset = 0; offset < samples.size(); offset += 4096) {
    auto decided = (*tracker)->push(std::span<const float>(samples).subspan(offset, std::min<std::size_t>(4096, samples.size() - offset)));
    frames.insert(frames.end(), decided.begin(), decided.end());
  }
  auto rest = (*tracker)->flush();
  frames.insert(frames.end(), rest.begin(), rest.end());
  ASSERT_EQ(frames.size(), offline->size());
  std::size_t agree = 0;
  const auto same = [](float a, float b) {
    if (a <= 0.0f || b <= 0.0f) return a <= 0.0f && b <= 0.0f;
    return std::abs(1200.0 * std::log2(a / b)) < 50.0;
  };
  for (std::size_t i = 0; i < frames.size(); ++i) {
    ASSERT_EQ(frames[i].index, i);
    bool found = false;
    for (std::size_t j = i > 0 ? i - 1 : 0; j <= std::min(i + 1, frames.size() - 1); ++j)
      found = found || same(frames[i].frequency_hz, offline->frequency_hz[j]);
    agree += found ? 1 : 0;
  }
  EXPECT_GE(static_cast<double>(agree) / static_cast<double>(frames.size()), 0.98);
  EXPECT_LT((*tracker)->latency_s(), 0.5);
}

TEST(Streaming, OnsetsAreTheOfflineOnsets) {
  auto clip = test::load_clip("piano_prokofiev_etude");
  if (!clip) GTEST_SKIP() << "shared analysis clips not present";
  const std::vector<float> samples = first_seconds(*clip, 10.0);
  auto offline = detect_onsets(samples, clip->sample_rate_hz);
  ASSERT_TRUE(offline);
  auto detector = StreamingOnsetDetector::create(clip->sample_rate_hz);
  ASSERT_TRUE(detector);
  std::vector<double> streamed;
  for (std::size_t offset = 0; offset < samples.size(); offset += 777) {
    auto found = (*detector)->push(std::span<const float>(samples).subspan(offset, std::min<std::size_t>(777, samples.size() - offset)));
    streamed.insert(streamed.end(), found.begin(), found.end());
  }
  auto rest = (*detector)->flush();
  streamed.insert(streamed.end(), rest.begin(), rest.end());
  ASSERT_EQ(streamed.size(), offline->onset_times_s.size());
  for (std::size_t i = 0; i < streamed.size(); ++i)
    EXPECT_NEAR(streamed[i], offline->onset_times_s[i], (*detector)->frame_period_s() + 1e-9);
}

TEST(Streaming, LoudnessMeterInBlocksEqualsOneShot) {
  auto clip = test::load_clip("band_drums_full");
  if (!clip) GTEST_SKIP() << "shared analysis clips not present";
  auto whole = measure_loudness(clip->audio.view(), clip->sample_rate_hz);
  ASSERT_TRUE(whole);
  LoudnessMeter meter;
  ASSERT_TRUE(meter.prepare(clip->sample_rate_hz, clip->audio.channel_count()));
  for (std::size_t offset = 0; offset < clip->audio.frame_count(); offset += 4096)
    meter.process(clip->audio.view().subview(offset, 4096));
  EXPECT_NEAR(meter.integrated_lufs(), whole->integrated_lufs, 1e-9);
  EXPECT_NEAR(meter.loudness_range_lu(), whole->loudness_range_lu, 1e-9);
}

}  // namespace
}  // namespace resound::analysis
