// Compressor and Limiter: static curve, attack/release time constants, true-peak ceiling on
// loud music and on synthetic inter-sample overs, latency.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "fx_test_support.hpp"
#include "resound/core/units.hpp"
#include "resound/dsp/resampler.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "resound/fx/compressor.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/fx/parametric_eq.hpp"
#include "resound_test/signals.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

// The soft-knee curve written out independently of the implementation.
double expected_output_db(double input_db, double threshold_db, double ratio, double knee_db) {
  if (input_db < threshold_db - knee_db / 2.0) return input_db;
  if (input_db > threshold_db + knee_db / 2.0) return threshold_db + (input_db - threshold_db) / ratio;
  const double x = input_db - threshold_db + knee_db / 2.0;
  return input_db + (1.0 / ratio - 1.0) * x * x / (2.0 * knee_db);
}

// Runs a constant (DC) level through the compressor and returns the settled output level.
double settled_output_db(Compressor& compressor, double input_db) {
  compressor.reset();
  test::PlanarAudio audio(1, 24000);
  std::fill(audio.channels[0].begin(), audio.channels[0].end(), static_cast<float>(db_to_gain(input_db)));
  compressor.process(audio.view());
  return gain_to_db(audio.channels[0].back());
}

TEST(Compressor, StaticCurveMatchesTheSoftKneeFormula) {
  Compressor compressor({.threshold_db = -20.0, .ratio = 4.0, .knee_db = 6.0, .attack_s = 0.001, .release_s = 0.01, .makeup_db = 2.0});
  compressor.prepare(kRate, 24000, 1);
  for (double input_db = -40.0; input_db <= 0.0; input_db += 1.0) {
    const double expected_db = expected_output_db(input_db, -20.0, 4.0, 6.0) + 2.0;
    EXPECT_NEAR(settled_output_db(compressor, input_db), expected_db, 0.01) << input_db;
    EXPECT_NEAR(compressor.static_output_db(input_db), expected_db, 1e-9);
  }
}

// Time for the gain reduction to cover 63.2 % of a step, in seconds.
double time_to_63_percent(const std::vector<float>& output, double start_db, double end_db, double input_db) {
  for (std::size_t i = 0; i < output.size(); ++i) {
    const double reduction_db = gain_to_db(output[i]) - input_db;
    if (std::abs(reduction_db - start_db) >= 0.632 * std::abs(end_db - start_db)) return static_cast<double>(i) / kRate;
  }
  return -1.0;
}

TEST(Compressor, AttackAndReleaseTimeConstantsAreAsSet) {
  const CompressorParameters parameters{.threshold_db = -30.0, .ratio = 10.0, .knee_db = 0.0, .attack_s = 0.02, .release_s = 0.2};
  Compressor compressor(parameters);
  compressor.prepare(kRate, 48000, 1);
  const double loud_db = -6.0;
  const double final_reduction_db = (-30.0 + (loud_db + 30.0) / 10.0) - loud_db;  // -21.6 dB
  test::PlanarAudio loud(1, 48000);
  std::fill(loud.channels[0].begin(), loud.channels[0].end(), static_cast<float>(db_to_gain(loud_db)));
  compressor.process(loud.view());
  const double attack_s = time_to_63_percent(loud.channels[0], 0.0, final_reduction_db, loud_db);
  // Release: drop to a level below threshold; the reduction relaxes from -21.6 dB to 0.
  const double quiet_db = -50.0;
  test::PlanarAudio quiet(1, 96000);
  std::fill(quiet.channels[0].begin(), quiet.channels[0].end(), static_cast<float>(db_to_gain(quiet_db)));
  compressor.process(quiet.view());
  const double release_s = time_to_63_percent(quiet.channels[0], final_reduction_db, 0.0, quiet_db);
  std::printf("compressor: attack %.4f s (set 0.02), release %.4f s (set 0.2)\n", attack_s, release_s);
  EXPECT_NEAR(attack_s, 0.02, 0.001);
  EXPECT_NEAR(release_s, 0.2, 0.01);
}

TEST(Compressor, RmsDetectorCompressesASineByItsRmsLevel) {
  Compressor compressor({.threshold_db = -20.0, .ratio = 3.0, .knee_db = 0.0, .attack_s = 0.005, .release_s = 0.05,
                         .detector = LevelDetector::kRms, .rms_window_s = 0.05});
  compressor.prepare(kRate, 96000, 1);
  test::PlanarAudio audio(1, 96000);
  audio.channels[0] = resound::test::sine(1000.0, kRate, 96000, 0.5);  // RMS -9.03 dBFS
  compressor.process(audio.view());
  const double input_rms_db = gain_to_db(0.5 / std::sqrt(2.0));
  const double output_rms_db = gain_to_db(resound::test::rms(std::span<const float>(audio.channels[0]).subspan(48000)));
  EXPECT_NEAR(output_rms_db, expected_output_db(input_rms_db, -20.0, 3.0, 0.0), 0.2);
}

// True peak measured independently: 4× oversampling by soxr (high quality, linear phase).
double true_peak_db(const test::PlanarAudio& audio) {
  AudioBuffer buffer(audio.channels.size(), audio.frames());
  for (std::size_t c = 0; c < audio.channels.size(); ++c) std::copy(audio.channels[c].begin(), audio.channels[c].end(), buffer.channel(c).begin());
  Expected<AudioBuffer> oversampled = dsp::resample(buffer.view(), kRate, 4.0 * kRate);
  EXPECT_TRUE(oversampled.has_value());
  float peak = 0.0f;
  for (std::size_t c = 0; c < oversampled->channel_count(); ++c)
    for (const float sample : oversampled->channel(c)) peak = std::max(peak, std::abs(sample));
  return gain_to_db(peak);
}

// Limits `audio` (flushing the look-ahead with silence, so the output ends where the input did
// rather than being cut mid-waveform) and returns the output's true peak.
double limit_and_measure(test::PlanarAudio& audio, double ceiling_db) {
  Limiter limiter({.ceiling_db = ceiling_db});
  limiter.prepare(kRate, 512, audio.channels.size());
  for (auto& channel : audio.channels) channel.resize(channel.size() + limiter.latency_frames() + 1000, 0.0f);
  test::process_in_blocks(limiter, audio, std::vector<std::size_t>{512});
  return true_peak_db(audio);
}

TEST(Limiter, NeverExceedsTheTruePeakCeilingOnSyntheticOvers) {
  // A full-scale sine at fs/4 sampled at ±45°: samples read 0.707, the waveform peaks at 1.0.
  test::PlanarAudio quarter(2, 48000);
  for (std::size_t i = 0; i < 48000; ++i)
    quarter.channels[0][i] = quarter.channels[1][i] = static_cast<float>(2.0 * std::sin(std::numbers::pi / 2.0 * i + std::numbers::pi / 4.0));
  EXPECT_LE(limit_and_measure(quarter, -1.0), -1.0);

  // Noise as recordings hold it: anti-aliased below 20 kHz (a 4th-order low-pass), at +12 dB.
  // (Full-band noise reaching 24 kHz can exceed the ceiling by ~0.4 dB: no finite interpolator
  // reconstructs content at Nyquist; see docs/fx.md.)
  test::PlanarAudio noise(2, 96000);
  noise.channels[0] = test::white_noise(96000, 4.0f, 31);
  noise.channels[1] = test::white_noise(96000, 4.0f, 32);
  const std::vector<EqBand> anti_alias = {{FilterType::kLowPass, 19000.0, 0.0, 0.54}, {FilterType::kLowPass, 19000.0, 0.0, 1.31}};
  ParametricEq low_pass(anti_alias);
  low_pass.prepare(kRate, 96000, 2);
  low_pass.process(noise.view());
  const double noise_peak_db = limit_and_measure(noise, -1.0);
  std::printf("limiter: band-limited noise true peak %.3f dBTP (ceiling -1)\n", noise_peak_db);
  EXPECT_LE(noise_peak_db, -1.0);

  test::PlanarAudio square(1, 48000);
  for (std::size_t i = 0; i < 48000; ++i) square.channels[0][i] = (i / 37) % 2 == 0 ? 3.0f : -3.0f;
  const double square_peak_db = limit_and_measure(square, -2.0);
  std::printf("limiter: square wave true peak %.3f dBTP (ceiling -2)\n", square_peak_db);
  EXPECT_LE(square_peak_db, -2.0);
}

TEST(Limiter, NeverExceedsTheCeilingOnLoudMusic) {
  const std::filesystem::path directory = std::filesystem::path(RESOUND_SHARED_DIR) / "data" / "analysis" / "audio";
  if (!std::filesystem::exists(directory)) GTEST_SKIP() << "shared data not present";
  for (const char* name : {"band_bohemian.wav", "drums_only.wav", "piano_prokofiev_etude.wav"}) {
    Expected<AudioClip> clip = formats::read_audio_file(directory / name);
    if (!clip) continue;
    const std::size_t frames = std::min<std::size_t>(clip->audio.frame_count(), static_cast<std::size_t>(20.0 * clip->sample_rate_hz));
    test::PlanarAudio audio(clip->audio.channel_count(), frames);
    for (std::size_t c = 0; c < audio.channels.size(); ++c)
      for (std::size_t i = 0; i < frames; ++i) audio.channels[c][i] = 4.0f * clip->audio.channel(c)[i];  // +12 dB: constant overs
    const double before_db = true_peak_db(audio);
    const double after_db = limit_and_measure(audio, -1.0);
    std::printf("limiter on %s +12 dB: true peak %.2f -> %.3f dBTP\n", name, before_db, after_db);
    EXPECT_LE(after_db, -1.0) << name;
  }
}

TEST(Limiter, QuietSignalPassesUnchangedAfterTheReportedLatency) {
  Limiter limiter({.ceiling_db = -1.0, .lookahead_s = 0.002});
  limiter.prepare(kRate, 256, 1);
  test::PlanarAudio audio(1, 4096);
  audio.channels[0] = test::white_noise(4096, 0.3f, 33);
  const std::vector<float> input = audio.channels[0];
  test::process_in_blocks(limiter, audio, std::vector<std::size_t>{256});
  const std::size_t latency = limiter.latency_frames();
  EXPECT_EQ(latency, 96u + Limiter::kTapsPerPhase / 2 - 1);
  for (std::size_t i = latency; i < 4096; ++i) ASSERT_EQ(audio.channels[0][i], input[i - latency]) << i;
}

}  // namespace
}  // namespace resound::fx
