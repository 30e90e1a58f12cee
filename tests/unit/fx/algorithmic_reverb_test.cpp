// AlgorithmicReverb: measured decay time, stereo decorrelation, pre-delay, block-size independence, denormals.
#include "resound/fx/algorithmic_reverb.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include "fx_test_support.hpp"
#include "resound_test/signals.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

test::PlanarAudio stereo_impulse_response(const ReverbParameters& parameters, double length_s) {
  AlgorithmicReverb reverb(parameters);
  reverb.prepare(kRate, 512, 2);
  test::PlanarAudio audio(2, static_cast<std::size_t>(length_s * kRate));
  audio.channels[0][0] = 1.0f;
  audio.channels[1][0] = 1.0f;
  const std::array<std::size_t, 1> blocks = {512};
  test::process_in_blocks(reverb, audio, blocks);
  return audio;
}

class ReverbDecayTest : public ::testing::TestWithParam<double> {};

TEST_P(ReverbDecayTest, MeasuredRt60MatchesDecayTime) {
  const double decay_s = GetParam();
  for (const double room_size : {0.2, 0.5, 0.9}) {
    ReverbParameters parameters{.room_size = room_size, .decay_s = decay_s, .damping = 0.0, .predelay_s = 0.0, .mix = 1.0};
    const test::PlanarAudio response = stereo_impulse_response(parameters, decay_s * 2.5 + 0.5);
    for (const auto& channel : response.channels) {
      const double measured_s = test::reverberation_time_s(channel, kRate, 30.0);
      std::printf("decay %.2f s room %.1f: measured T30 %.3f s\n", decay_s, room_size, measured_s);
      EXPECT_NEAR(measured_s, decay_s, 0.2 * decay_s) << "room " << room_size;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(DecayTimes, ReverbDecayTest, ::testing::Values(0.6, 1.8, 4.0));

TEST(AlgorithmicReverb, DampingShortensOnlyTheHighFrequencyDecay) {
  // Broadband T20 with default damping stays near decay_s (the lows carry the energy), while the
  // high band's decay is clearly shorter.
  const ReverbParameters parameters{.decay_s = 1.8, .damping = 0.6, .predelay_s = 0.0, .mix = 1.0};
  const test::PlanarAudio response = stereo_impulse_response(parameters, 5.0);
  const std::vector<float>& left = response.channels[0];
  // Band split: a third difference is a +18 dB/octave high-pass, so the top octaves dominate.
  std::vector<float> highs = left;
  for (int pass = 0; pass < 3; ++pass)
    for (std::size_t i = highs.size() - 1; i > 0; --i) highs[i] -= highs[i - 1];
  const double broadband_s = test::reverberation_time_s(left, kRate, 20.0);
  const double high_s = test::reverberation_time_s(highs, kRate, 20.0);
  std::printf("damping 0.6: broadband T20 %.3f s, high-passed T20 %.3f s\n", broadband_s, high_s);
  EXPECT_NEAR(broadband_s, 1.8, 0.2 * 1.8);
  EXPECT_LT(high_s, 0.75 * broadband_s);
}

TEST(AlgorithmicReverb, StereoOutputsAreDecorrelatedAndWidthCollapsesThem) {
  const test::PlanarAudio wide = stereo_impulse_response({.width = 1.0, .mix = 1.0}, 2.0);
  const double wide_correlation = test::correlation(wide.channels[0], wide.channels[1]);
  const test::PlanarAudio narrow = stereo_impulse_response({.width = 0.0, .mix = 1.0}, 2.0);
  const double narrow_correlation = test::correlation(narrow.channels[0], narrow.channels[1]);
  std::printf("L/R correlation: width 1 %.3f, width 0 %.3f\n", wide_correlation, narrow_correlation);
  EXPECT_LT(std::abs(wide_correlation), 0.3);
  EXPECT_GT(narrow_correlation, 0.999);
}

TEST(AlgorithmicReverb, PredelayKeepsTheWetSignalSilentAtFirst) {
  const test::PlanarAudio response = stereo_impulse_response({.predelay_s = 0.1, .mix = 1.0}, 1.0);
  const auto first_sound = std::find_if(response.channels[0].begin(), response.channels[0].end(),
                                        [](float s) { return std::abs(s) > 1e-6f; });
  const double onset_s = static_cast<double>(first_sound - response.channels[0].begin()) / kRate;
  // Pre-delay plus the shortest line at room 0.5 (23.1 ms).
  EXPECT_NEAR(onset_s, 0.1 + 0.0231, 0.003);
}

TEST(AlgorithmicReverb, MixZeroIsTheDrySignalAndMixOneHasNoDry) {
  test::PlanarAudio audio(2, 4800);
  audio.channels[0] = resound::test::sine(440.0, kRate, 4800);
  audio.channels[1] = audio.channels[0];
  test::PlanarAudio dry = audio;
  AlgorithmicReverb reverb({.mix = 0.0});
  reverb.prepare(kRate, 4800, 2);
  reverb.process(audio.view());
  EXPECT_EQ(audio.channels[0], dry.channels[0]);

  test::PlanarAudio impulse(2, 480);
  impulse.channels[0][0] = 1.0f;
  AlgorithmicReverb send({.mix = 1.0});
  send.prepare(kRate, 480, 2);
  send.process(impulse.view());
  EXPECT_EQ(impulse.channels[0][0], 0.0f);  // no direct sound from a 100 % wet send
}

TEST(AlgorithmicReverb, OutputDoesNotDependOnBlockSizes) {
  const std::size_t frames = 48000;
  test::PlanarAudio input(2, frames);
  input.channels[0] = test::white_noise(frames, 0.5f, 1);
  input.channels[1] = test::white_noise(frames, 0.5f, 2);
  std::vector<std::vector<float>> reference;
  const std::vector<std::vector<std::size_t>> patterns = {{4096}, {1}, {64}, {37, 1000, 3, 511}};
  for (const auto& pattern : patterns) {
    test::PlanarAudio audio = input;
    AlgorithmicReverb reverb({.mix = 0.5});
    reverb.prepare(kRate, 4096, 2);
    test::process_in_blocks(reverb, audio, pattern);
    if (reference.empty()) reference = audio.channels;
    EXPECT_EQ(audio.channels, reference) << "pattern starting " << pattern[0];
  }
}

TEST(AlgorithmicReverb, SilenceAfterSignalProducesNoSubnormals) {
  const std::size_t frames = static_cast<std::size_t>(40.0 * kRate);
  test::PlanarAudio audio(2, frames);
  const std::vector<float> burst = test::white_noise(48000, 0.5f, 3);
  std::copy(burst.begin(), burst.end(), audio.channels[0].begin());
  AlgorithmicReverb reverb({.decay_s = 1.0, .mix = 1.0});
  reverb.prepare(kRate, 512, 2);
  const std::array<std::size_t, 1> blocks = {512};
  test::process_in_blocks(reverb, audio, blocks);
  EXPECT_FALSE(test::contains_subnormal(audio.channels[0]));
  EXPECT_FALSE(test::contains_subnormal(audio.channels[1]));
  // 39 s of silence is 2300 dB below the burst at 60 dB/s: the tail must have flushed to zero.
  EXPECT_EQ(audio.channels[0].back(), 0.0f);
}

TEST(AlgorithmicReverb, MonoProcessingGivesTheAverageOfTheStereoWet) {
  test::PlanarAudio mono(1, 9600);
  mono.channels[0][0] = 1.0f;
  AlgorithmicReverb reverb({.mix = 1.0});
  reverb.prepare(kRate, 9600, 1);
  reverb.process(mono.view());
  const test::PlanarAudio stereo = stereo_impulse_response({.mix = 1.0}, 0.2);
  for (std::size_t i = 0; i < 9600; i += 97)
    EXPECT_NEAR(mono.channels[0][i], 0.5f * (stereo.channels[0][i] + stereo.channels[1][i]), 1e-6f);
}

TEST(AlgorithmicReverb, ParameterChangesGlideWithoutJumps) {
  const std::size_t frames = 48000;
  test::PlanarAudio audio(2, frames);
  audio.channels[0] = resound::test::sine(220.0, kRate, frames);
  audio.channels[1] = audio.channels[0];
  AlgorithmicReverb reverb({.mix = 0.0});
  reverb.prepare(kRate, 480, 2);
  float largest_step = 0.0f;
  for (std::size_t start = 0; start < frames; start += 480) {
    if (start == 24000) reverb.set_parameters({.room_size = 0.9, .mix = 1.0});
    reverb.process(audio.view().subview(start, 480));
  }
  for (std::size_t i = 24001; i < 26000; ++i)
    largest_step = std::max(largest_step, std::abs(audio.channels[0][i] - audio.channels[0][i - 1]));
  // A 0.5-amplitude 220 Hz sine moves at most 0.0144 per sample; a hard switch to the silent wet
  // signal would jump by up to 0.5.
  EXPECT_LT(largest_step, 0.03f);
}

}  // namespace
}  // namespace resound::fx
