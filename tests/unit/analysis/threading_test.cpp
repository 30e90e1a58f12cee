// Threads: the full analysis gives bit-identical pitch, onsets and beats on 1, 2 and 3 threads.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "analysis_test_support.hpp"
#include "resound/analysis/analyze.hpp"

namespace resound::analysis {
namespace {

// A melody of plucked harmonic tones over quiet noise: pitch, onsets and a beat to find.
std::vector<float> melody(double rate) {
  std::vector<float> samples(static_cast<std::size_t>(6.0 * rate), 0.0f);
  const double notes_hz[] = {220.0, 330.0, 277.2, 440.0, 246.9, 392.0};
  std::uint32_t noise = 12345;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double time = static_cast<double>(i) / rate;
    const auto note = static_cast<std::size_t>(time / 0.5);
    const double since = time - 0.5 * static_cast<double>(note);
    const double frequency = notes_hz[note % 6];
    double value = 0.0;
    for (int harmonic = 1; harmonic <= 4; ++harmonic)
      value += std::sin(2.0 * std::numbers::pi * frequency * harmonic * time) / harmonic;
    noise = noise * 1664525u + 1013904223u;
    samples[i] = static_cast<float>(0.3 * value * std::exp(-3.0 * since) + 1e-3 * (static_cast<double>(noise >> 8) / 16777216.0 - 0.5));
  }
  return samples;
}

TEST(Threading, ResultsDoNotDependOnTheThreadCount) {
  const double rate = 44100.0;
  const auto samples = melody(rate);
  const float* pointer = samples.data();
  const ConstAudioView audio(&pointer, 1, samples.size());
  AnalysisOptions options;
  options.threads = 1;
  auto single = analyze_audio(audio, rate, options);
  ASSERT_TRUE(single);
  std::size_t voiced = 0;
  for (const auto flag : single->pitch->voiced) voiced += flag;
  ASSERT_GT(voiced, single->pitch->size() / 2);  // there is something to compare
  ASSERT_GE(single->onsets->onset_times_s.size(), 10u);
  for (const std::size_t threads : {2u, 3u}) {
    options.threads = threads;
    auto parallel = analyze_audio(audio, rate, options);
    ASSERT_TRUE(parallel);
    EXPECT_EQ(parallel->pitch->frequency_hz, single->pitch->frequency_hz) << threads;
    EXPECT_EQ(parallel->pitch->voiced_probability, single->pitch->voiced_probability) << threads;
    EXPECT_EQ(parallel->onsets->envelope, single->onsets->envelope) << threads;
    EXPECT_EQ(parallel->onsets->onset_times_s, single->onsets->onset_times_s) << threads;
    EXPECT_EQ(parallel->beats->beat_times_s, single->beats->beat_times_s) << threads;
    EXPECT_EQ(parallel->loudness->integrated_lufs, single->loudness->integrated_lufs) << threads;
  }
}

}  // namespace
}  // namespace resound::analysis
