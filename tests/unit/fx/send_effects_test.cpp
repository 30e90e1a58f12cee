// SendReverb / SendChorus (the synthesizer's send buses): decay time, predelay, stereo, delay sweep, blocks.
#include "resound/fx/send_effects.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "fx_test_support.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 44100.0;

test::PlanarAudio impulse_response_of(Processor& processor, std::size_t frames, std::span<const std::size_t> blocks) {
  test::PlanarAudio audio(2, frames);
  audio.channels[0][0] = 1.0f;
  audio.channels[1][0] = 1.0f;
  test::process_in_blocks(processor, audio, blocks);
  return audio;
}

TEST(SendReverb, DecaysLikeA2SecondHallAfterItsPredelayInDecorrelatedStereo) {
  SendReverb reverb;
  reverb.prepare(kRate, 512, 2);
  const std::array<std::size_t, 1> blocks = {512};
  const auto response = impulse_response_of(reverb, static_cast<std::size_t>(4.0 * kRate), blocks);
  // Nothing comes out before the 10 ms predelay plus the shortest line (1447 frames at 44.1 kHz).
  const std::size_t first_echo = static_cast<std::size_t>(0.010 * kRate) + 1447;
  for (std::size_t i = 0; i < first_echo; ++i) ASSERT_EQ(response.channels[0][i], 0.0f) << i;
  const double left_rt60_s = test::reverberation_time_s(response.channels[0], kRate, 20.0);
  const double right_rt60_s = test::reverberation_time_s(response.channels[1], kRate, 20.0);
  std::printf("send reverb RT60 (T20): left %.2f s, right %.2f s\n", left_rt60_s, right_rt60_s);
  // The loop gains give 60 dB in 2 s; the in-loop damping shortens the broadband decay somewhat.
  EXPECT_GT(left_rt60_s, 1.2);
  EXPECT_LT(left_rt60_s, 2.2);
  EXPECT_NEAR(right_rt60_s, left_rt60_s, 0.2 * left_rt60_s);
  const double side_correlation = test::correlation(response.channels[0], response.channels[1]);
  std::printf("send reverb left/right correlation %.3f\n", side_correlation);
  EXPECT_LT(std::abs(side_correlation), 0.5);
}

TEST(SendReverb, IsIdenticalForAnyBlockSlicingAndFallsToTrueSilence) {
  const std::array<std::size_t, 1> whole = {4096};
  const std::array<std::size_t, 4> ragged = {1, 7, 64, 1000};
  SendReverb first, second;
  first.prepare(kRate, 4096, 2);
  second.prepare(kRate, 4096, 2);
  const auto a = impulse_response_of(first, static_cast<std::size_t>(12.0 * kRate), whole);
  const auto b = impulse_response_of(second, static_cast<std::size_t>(12.0 * kRate), ragged);
  EXPECT_EQ(a.channels[0], b.channels[0]);
  EXPECT_EQ(a.channels[1], b.channels[1]);
  // 12 s after the impulse (six decay times) the tail is at least 100 dB down.
  const std::size_t tail = static_cast<std::size_t>(11.5 * kRate);
  for (std::size_t i = tail; i < a.frames(); ++i) ASSERT_LT(std::abs(a.channels[0][i]), 1e-5f) << i;
}

TEST(SendChorus, DelaysAroundTwelveMillisecondsAndSweepsTheDelay) {
  SendChorus chorus;
  chorus.prepare(kRate, 256, 2);
  const std::array<std::size_t, 1> blocks = {256};
  const auto response = impulse_response_of(chorus, 2048, blocks);
  // The impulse comes out at the taps' delays, 12 ms ± 3 ms, and nowhere else.
  for (int c = 0; c < 2; ++c) {
    double energy = 0.0, weighted_frames = 0.0;
    for (std::size_t i = 0; i < response.frames(); ++i) {
      const double e = static_cast<double>(response.channels[c][i]) * response.channels[c][i];
      energy += e;
      weighted_frames += e * static_cast<double>(i);
      if (e > 0.0) {
        EXPECT_GE(static_cast<double>(i), 0.009 * kRate - 1) << "channel " << c;
        EXPECT_LE(static_cast<double>(i), 0.015 * kRate + 1) << "channel " << c;
      }
    }
    ASSERT_GT(energy, 0.0);
    std::printf("send chorus channel %d: centre of the impulse %.2f ms\n", c, weighted_frames / energy / kRate * 1000.0);
  }
  // A steady tone comes out with a moving delay: the output is not a fixed-delay copy of the input.
  test::PlanarAudio tone(2, static_cast<std::size_t>(2.0 * kRate));
  for (std::size_t i = 0; i < tone.frames(); ++i)
    tone.channels[0][i] = tone.channels[1][i] = static_cast<float>(std::sin(2.0 * 3.141592653589793 * 1100.0 * i / kRate));
  SendChorus swept;
  swept.prepare(kRate, 256, 2);
  test::process_in_blocks(swept, tone, blocks);
  // The two taps of a side, swept in opposite directions, beat (1100 Hz: at 1000 Hz the ±3 ms sweep spans
  // whole periods and the two sides' envelopes coincide by symmetry): the 10 ms level swings widely, and the
  // sides' LFOs in quadrature make the two sides swing differently.
  const std::size_t window = static_cast<std::size_t>(0.010 * kRate);
  std::array<std::vector<float>, 2> envelopes;
  for (int c = 0; c < 2; ++c) {
    for (std::size_t start = window * 5; start + window <= tone.frames(); start += window) {
      double energy = 0.0;
      for (std::size_t i = start; i < start + window; ++i) energy += static_cast<double>(tone.channels[c][i]) * tone.channels[c][i];
      envelopes[c].push_back(static_cast<float>(std::sqrt(energy / static_cast<double>(window))));
    }
    const auto [low, high] = std::minmax_element(envelopes[c].begin(), envelopes[c].end());
    std::printf("send chorus channel %d: 10 ms level %.3f … %.3f\n", c, *low, *high);
    EXPECT_GT(*high, 2.0f * *low);
  }
  double mean[2] = {0.0, 0.0};
  for (int c = 0; c < 2; ++c) {
    for (const float value : envelopes[c]) mean[c] += value;
    mean[c] /= static_cast<double>(envelopes[c].size());
    for (float& value : envelopes[c]) value -= static_cast<float>(mean[c]);
  }
  EXPECT_LT(test::correlation(envelopes[0], envelopes[1]), 0.9);
}

}  // namespace
}  // namespace resound::fx
