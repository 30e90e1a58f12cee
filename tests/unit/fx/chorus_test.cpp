// Chorus: level kept, measured pitch modulation, block-size independence, denormals with feedback.
#include "resound/fx/chorus.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "fx_test_support.hpp"
#include "resound/core/units.hpp"
#include "resound_test/signals.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

TEST(Chorus, KeepsTheLevelOfNoiseAtAnyMix) {
  const std::size_t frames = 96000;
  for (const double mix : {1.0, 0.5}) {
    for (const int voices : {1, 3, 8}) {
      test::PlanarAudio audio(2, frames);
      audio.channels[0] = test::white_noise(frames, 0.5f, 4);
      audio.channels[1] = test::white_noise(frames, 0.5f, 5);
      const double input_rms = resound::test::rms(audio.channels[0]);
      Chorus chorus({.voices = voices, .mix = mix});
      chorus.prepare(kRate, 1024, 2);
      const std::array<std::size_t, 1> blocks = {1024};
      test::process_in_blocks(chorus, audio, blocks);
      const double change_db = gain_to_db(resound::test::rms(audio.channels[0]) / input_rms);
      std::printf("chorus mix %.1f voices %d: level change %.2f dB\n", mix, voices, change_db);
      EXPECT_NEAR(change_db, 0.0, 1.0);
    }
  }
}

TEST(Chorus, ModulatesPitchByTheDelaySweep) {
  // A delay d(t) = D + A sin(2 pi r t) shifts a tone f by -f d'(t): peak deviation f * A * 2 pi r.
  const double tone_hz = 1000.0;
  const ChorusParameters parameters{.rate_hz = 2.0, .depth_ms = 3.0, .delay_ms = 12.0, .voices = 1, .mix = 1.0};
  const double expected_deviation_hz = tone_hz * 0.003 * 2.0 * 3.14159265 * 2.0;
  const std::size_t frames = 96000;
  test::PlanarAudio audio(1, frames);
  audio.channels[0] = resound::test::sine(tone_hz, kRate, frames);
  Chorus chorus(parameters);
  chorus.prepare(kRate, 512, 1);
  const std::array<std::size_t, 1> blocks = {512};
  test::process_in_blocks(chorus, audio, blocks);
  double lowest_hz = 1e9;
  double highest_hz = 0.0;
  const std::size_t window = 1200;  // 25 ms: 1/20 of the LFO period
  for (std::size_t start = 4800; start + window < frames; start += window / 2) {
    const double frequency_hz =
        resound::test::measure_frequency_hz(std::span<const float>(audio.channels[0]).subspan(start, window), kRate);
    lowest_hz = std::min(lowest_hz, frequency_hz);
    highest_hz = std::max(highest_hz, frequency_hz);
  }
  std::printf("chorus pitch sweep %.1f … %.1f Hz (expected ±%.1f Hz)\n", lowest_hz, highest_hz, expected_deviation_hz);
  EXPECT_NEAR(highest_hz - tone_hz, expected_deviation_hz, 0.15 * expected_deviation_hz);
  EXPECT_NEAR(tone_hz - lowest_hz, expected_deviation_hz, 0.15 * expected_deviation_hz);
}

TEST(Chorus, StereoChannelsAreModulatedDifferently) {
  const std::size_t frames = 48000;
  test::PlanarAudio audio(2, frames);
  audio.channels[0] = resound::test::sine(500.0, kRate, frames);
  audio.channels[1] = audio.channels[0];
  Chorus chorus({.rate_hz = 1.0, .voices = 1, .mix = 1.0});
  chorus.prepare(kRate, 480, 2);
  const std::array<std::size_t, 1> blocks = {480};
  test::process_in_blocks(chorus, audio, blocks);
  EXPECT_LT(test::correlation(audio.channels[0], audio.channels[1]), 0.9);
}

TEST(Chorus, OutputDoesNotDependOnBlockSizes) {
  const std::size_t frames = 48000;
  test::PlanarAudio input(2, frames);
  input.channels[0] = test::white_noise(frames, 0.5f, 6);
  input.channels[1] = test::white_noise(frames, 0.5f, 7);
  std::vector<std::vector<float>> reference;
  const std::vector<std::vector<std::size_t>> patterns = {{4096}, {1}, {64}, {37, 1000, 3, 511}};
  for (const auto& pattern : patterns) {
    test::PlanarAudio audio = input;
    Chorus chorus({.feedback = 0.3});
    chorus.prepare(kRate, 4096, 2);
    test::process_in_blocks(chorus, audio, pattern);
    if (reference.empty()) reference = audio.channels;
    EXPECT_EQ(audio.channels, reference) << "pattern starting " << pattern[0];
  }
}

TEST(Chorus, FeedbackTailDecaysWithoutSubnormals) {
  const std::size_t frames = static_cast<std::size_t>(20.0 * kRate);
  test::PlanarAudio audio(2, frames);
  const std::vector<float> burst = test::white_noise(4800, 0.5f, 8);
  std::copy(burst.begin(), burst.end(), audio.channels[0].begin());
  Chorus chorus({.feedback = 0.9, .mix = 1.0});
  chorus.prepare(kRate, 256, 2);
  const std::array<std::size_t, 1> blocks = {256};
  test::process_in_blocks(chorus, audio, blocks);
  EXPECT_FALSE(test::contains_subnormal(audio.channels[0]));
  EXPECT_EQ(audio.channels[0].back(), 0.0f);
}

}  // namespace
}  // namespace resound::fx
