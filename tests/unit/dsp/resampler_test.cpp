// Resampler: a tone keeps its frequency and level; streaming equals one-shot; lengths are exact.
#include <gtest/gtest.h>

#include <cmath>

#include "resound/dsp/resampler.hpp"
#include "resound_test/signals.hpp"

namespace resound::dsp {
namespace {

AudioBuffer tone_buffer(double frequency_hz, double rate_hz, std::size_t frames, double amplitude) {
  AudioBuffer buffer(1, frames);
  const auto tone = test::sine(frequency_hz, rate_hz, frames, amplitude);
  std::copy(tone.begin(), tone.end(), buffer.channel(0).begin());
  return buffer;
}

TEST(Resampler, KeepsFrequencyAndLevelFrom48kTo44k1) {
  const AudioBuffer input = tone_buffer(1000.0, 48000.0, 96000, 0.5);
  auto output = resample(input, 48000.0, 44100.0);
  ASSERT_TRUE(output) << output.error().describe();
  EXPECT_EQ(output->frame_count(), 88200u);
  // Skip the filter's edges; measure 1.5 s in the middle.
  const auto middle = output->channel(0).subspan(4410, 66150);
  const double frequency_hz = test::measure_frequency_hz(middle, 44100.0);
  EXPECT_NEAR(frequency_hz, 1000.0, 0.1);
  const double level_db = 20.0 * std::log10(test::rms(middle) / (0.5 / std::sqrt(2.0)));
  EXPECT_NEAR(level_db, 0.0, 0.05);
}

TEST(Resampler, OutputIsTimeAligned) {
  // A sine starting at phase 0 must still cross zero upward near t = 0 after conversion.
  const AudioBuffer input = tone_buffer(100.0, 44100.0, 44100, 0.5);
  auto output = resample(input, 44100.0, 48000.0);
  ASSERT_TRUE(output);
  const auto samples = output->channel(0);
  // Compare with the ideal tone at the output rate in the steady part.
  double worst = 0.0;
  for (std::size_t i = 2000; i < 46000; ++i)
    worst = std::max(worst, std::abs(samples[i] - 0.5 * std::sin(2.0 * std::numbers::pi * 100.0 * i / 48000.0)));
  EXPECT_LT(worst, 1e-3);
}

TEST(Resampler, StreamingInOddBlocksEqualsOneShot) {
  const AudioBuffer input = tone_buffer(440.0, 48000.0, 30000, 0.5);
  auto whole = resample(input, 48000.0, 22050.0);
  ASSERT_TRUE(whole);

  auto resampler = Resampler::create(1, 48000.0, 22050.0);
  ASSERT_TRUE(resampler);
  AudioBuffer streamed(1, 20000);
  AudioBuffer scratch(1, 4096);
  std::size_t produced = 0;
  for (std::size_t offset = 0; offset < input.frame_count(); offset += 777) {
    const std::size_t count = std::min<std::size_t>(777, input.frame_count() - offset);
    auto frames = resampler->process(input.view().subview(offset, count), scratch.view());
    ASSERT_TRUE(frames);
    copy_audio(scratch.view().subview(0, *frames), streamed.view().subview(produced, *frames));
    produced += *frames;
  }
  while (true) {
    auto frames = resampler->finish(scratch.view());
    ASSERT_TRUE(frames);
    if (*frames == 0) break;
    copy_audio(scratch.view().subview(0, *frames), streamed.view().subview(produced, *frames));
    produced += *frames;
  }
  ASSERT_GE(produced, whole->frame_count());
  for (std::size_t i = 0; i < whole->frame_count(); ++i)
    ASSERT_NEAR(streamed.channel(0)[i], whole->channel(0)[i], 1e-6) << i;
}

TEST(Resampler, RejectsBadRates) {
  EXPECT_FALSE(Resampler::create(1, 0.0, 44100.0));
  EXPECT_FALSE(Resampler::create(0, 48000.0, 44100.0));
  EXPECT_FALSE(Resampler::create(1, 48000.0, std::nan("")));
}

}  // namespace
}  // namespace resound::dsp
