// Loudness: EBU Tech 3341 cases 1–5, true peak of the fs/4 tone, agreement with libebur128 on the shared clips.
#include <ebur128.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "analysis_test_support.hpp"
#include "resound/analysis/loudness.hpp"
#include "resound/analysis/true_peak.hpp"
#include "resound/core/audio_buffer.hpp"

namespace resound::analysis {
namespace {

constexpr double kRate = 48000.0;

// Stereo 1 kHz sine in segments of (peak dBFS, seconds), as EBU Tech 3341 specifies its cases.
AudioBuffer sine_sequence(const std::vector<std::pair<double, double>>& segments) {
  std::size_t total = 0;
  for (const auto& [level, seconds] : segments) total += static_cast<std::size_t>(std::lround(seconds * kRate));
  AudioBuffer buffer(2, total);
  std::size_t position = 0;
  for (const auto& [level_db, seconds] : segments) {
    const double amplitude = std::pow(10.0, level_db / 20.0);
    const auto frames = static_cast<std::size_t>(std::lround(seconds * kRate));
    for (std::size_t i = 0; i < frames; ++i, ++position) {
      const auto value = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(position) / kRate));
      buffer.channel(0)[position] = value;
      buffer.channel(1)[position] = value;
    }
  }
  return buffer;
}

double integrated(const AudioBuffer& buffer, double rate = kRate) {
  auto result = measure_loudness(buffer.view(), rate);
  EXPECT_TRUE(result.has_value());
  return result ? result->integrated_lufs : 0.0;
}

TEST(Loudness, EbuTech3341Cases1To5) {
  EXPECT_NEAR(integrated(sine_sequence({{-23.0, 20.0}})), -23.0, 0.05);
  EXPECT_NEAR(integrated(sine_sequence({{-33.0, 20.0}})), -33.0, 0.05);
  EXPECT_NEAR(integrated(sine_sequence({{-36.0, 10.0}, {-23.0, 60.0}, {-36.0, 10.0}})), -23.0, 0.05);
  EXPECT_NEAR(integrated(sine_sequence({{-72.0, 10.0}, {-36.0, 10.0}, {-23.0, 60.0}, {-36.0, 10.0}, {-72.0, 10.0}})), -23.0, 0.05);
  EXPECT_NEAR(integrated(sine_sequence({{-26.0, 20.0}, {-20.0, 20.1}, {-26.0, 20.0}})), -23.0, 0.05);
}

TEST(Loudness, MomentaryAndShortTermOfSteadyToneEqualIntegrated) {
  const AudioBuffer tone = sine_sequence({{-23.0, 5.0}});
  LoudnessMeter meter;
  ASSERT_TRUE(meter.prepare(kRate, 2));
  meter.process(tone.view());
  EXPECT_NEAR(meter.momentary_lufs(), -23.0, 0.05);
  EXPECT_NEAR(meter.short_term_lufs(), -23.0, 0.05);
  EXPECT_NEAR(meter.loudness_range_lu(), 0.0, 0.1);
}

TEST(Loudness, RangeOfTwoLevelsIsTheirDifference) {
  // Tech 3342-style: -20 and -30 LUFS halves give an LRA close to 10 LU.
  const AudioBuffer steps = sine_sequence({{-20.0, 20.0}, {-30.0, 20.0}});
  auto result = measure_loudness(steps.view(), kRate);
  ASSERT_TRUE(result);
  EXPECT_NEAR(result->loudness_range_lu, 10.0, 0.2);
}

double libebur128_true_peak_dbtp(const AudioBuffer& mono, double rate) {
  ebur128_state* state = ebur128_init(1, static_cast<unsigned long>(rate), EBUR128_MODE_TRUE_PEAK);
  ebur128_add_frames_float(state, mono.channel(0).data(), mono.frame_count());
  double peak = 0.0;
  ebur128_true_peak(state, 0, &peak);
  ebur128_destroy(&state);
  return 20.0 * std::log10(peak);
}

TEST(TruePeak, QuarterRateToneAt45DegreesReadsMinus6dBTP) {
  // fs/4 sine at 45°: every sample is ±0.354 (−9.03 dBFS) while the waveform peaks at 0.5 (−6.02 dBTP).
  // A 10 ms raised-cosine fade-in keeps the switch-on transient (whose overshoot is a true peak of
  // its own) out of the measurement of the steady tone.
  AudioBuffer tone(1, 48000);
  for (std::size_t i = 0; i < tone.frame_count(); ++i) {
    const double fade = i < 480 ? 0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(i) / 480.0) : 1.0;
    tone.channel(0)[i] =
        static_cast<float>(fade * 0.5 * std::sin(std::numbers::pi / 2.0 * static_cast<double>(i) + std::numbers::pi / 4.0));
  }
  auto result = measure_loudness(tone.view(), kRate);
  ASSERT_TRUE(result);
  EXPECT_NEAR(result->sample_peak_dbfs, -9.03, 0.05);
  EXPECT_NEAR(result->true_peak_dbtp, -6.02, 0.1);
}

TEST(TruePeak, AgreesWithLibebur128OnAnAbruptStart) {
  AudioBuffer tone(1, 48000);
  for (std::size_t i = 0; i < tone.frame_count(); ++i)
    tone.channel(0)[i] = static_cast<float>(0.5 * std::sin(std::numbers::pi / 2.0 * static_cast<double>(i) + std::numbers::pi / 4.0));
  EXPECT_NEAR(true_peak_dbtp(tone.view()), libebur128_true_peak_dbtp(tone, kRate), 0.2);
}

double libebur128_integrated(const AudioClip& clip) {
  const std::size_t channels = clip.audio.channel_count();
  ebur128_state* state = ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(clip.sample_rate_hz), EBUR128_MODE_I);
  std::vector<float> interleaved(channels * clip.audio.frame_count());
  for (std::size_t i = 0; i < clip.audio.frame_count(); ++i)
    for (std::size_t c = 0; c < channels; ++c) interleaved[i * channels + c] = clip.audio.channel(c)[i];
  ebur128_add_frames_float(state, interleaved.data(), clip.audio.frame_count());
  double loudness = 0.0;
  ebur128_loudness_global(state, &loudness);
  ebur128_destroy(&state);
  return loudness;
}

TEST(Loudness, IntegratedMatchesLibebur128OnSharedClips) {
  std::size_t compared = 0;
  for (const char* name : {"mono_fife_march", "piano_prokofiev_etude", "band_drums_full", "syn_noise_bursts"}) {
    auto clip = test::load_clip(name);
    if (!clip) continue;
    const double ours = integrated(clip->audio, clip->sample_rate_hz);
    EXPECT_NEAR(ours, libebur128_integrated(*clip), 0.05) << name;
    ++compared;
  }
  if (compared == 0) GTEST_SKIP() << "shared analysis clips not present";
}

TEST(Loudness, RejectsBadRatesAndChannelCounts) {
  LoudnessMeter meter;
  EXPECT_FALSE(meter.prepare(0.0, 2));
  EXPECT_FALSE(meter.prepare(48000.0, 0));
  EXPECT_FALSE(meter.prepare(48000.0, 9));
}

}  // namespace
}  // namespace resound::analysis
