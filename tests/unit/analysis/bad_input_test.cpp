// Bad input: empty, silent, NaN-filled, very short and very long signals give sensible results or errors.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "resound/analysis/analyze.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/streaming.hpp"
#include "resound/core/audio_buffer.hpp"

namespace resound::analysis {
namespace {

Expected<AnalysisReport> analyze_mono(const std::vector<float>& samples, double rate) {
  const float* pointer = samples.data();
  return analyze_audio(ConstAudioView(&pointer, 1, samples.size()), rate);
}

TEST(BadInput, EmptySignalGivesEmptyResults) {
  auto report = analyze_mono({}, 44100.0);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->pitch->size(), 0u);
  EXPECT_TRUE(report->onsets->onset_times_s.empty());
  EXPECT_DOUBLE_EQ(report->beats->tempo_bpm, 0.0);
  EXPECT_LE(report->loudness->integrated_lufs, kNoLoudnessLufs);
}

TEST(BadInput, SilenceIsUnvoicedWithoutOnsets) {
  auto report = analyze_mono(std::vector<float>(44100 * 3, 0.0f), 44100.0);
  ASSERT_TRUE(report);
  for (const auto voiced : report->pitch->voiced) EXPECT_EQ(voiced, 0);
  EXPECT_TRUE(report->onsets->onset_times_s.empty());
  EXPECT_TRUE(report->beats->beat_times_s.empty());
  EXPECT_LE(report->loudness->integrated_lufs, kNoLoudnessLufs);
}

TEST(BadInput, NaNAndInfinityAreTreatedAsSilence) {
  std::vector<float> samples(44100 * 2);
  for (std::size_t i = 0; i < samples.size(); ++i)
    samples[i] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(i) / 44100.0));
  for (std::size_t i = 1000; i < samples.size(); i += 5000) samples[i] = std::numeric_limits<float>::quiet_NaN();
  samples[7] = std::numeric_limits<float>::infinity();
  auto report = analyze_mono(samples, 44100.0);
  ASSERT_TRUE(report);
  EXPECT_TRUE(std::isfinite(report->loudness->integrated_lufs));
  EXPECT_TRUE(std::isfinite(report->loudness->true_peak_dbtp));
  std::size_t voiced = 0;
  for (std::size_t i = 0; i < report->pitch->size(); ++i)
    if (report->pitch->voiced[i]) {
      ++voiced;
      EXPECT_NEAR(report->pitch->frequency_hz[i], 440.0, 5.0);
    }
  EXPECT_GT(voiced, report->pitch->size() * 9 / 10);
}

TEST(BadInput, VeryShortSignalsDoNotFail) {
  for (const std::size_t length : {1u, 10u, 300u, 3000u}) {
    auto report = analyze_mono(std::vector<float>(length, 0.25f), 48000.0);
    ASSERT_TRUE(report) << length;
    const std::size_t decimated = (length + 1) / 2;  // 48 kHz is analysed at 24 kHz, hop 279
    EXPECT_EQ(report->pitch->size(), 1 + (decimated - 1) / 279) << length;
  }
}

TEST(BadInput, BadRatesAreErrors) {
  const std::vector<float> samples(1000, 0.1f);
  EXPECT_FALSE(analyze_mono(samples, 0.0));
  EXPECT_FALSE(analyze_mono(samples, -44100.0));
  EXPECT_FALSE(analyze_mono(samples, std::numeric_limits<double>::quiet_NaN()));
  // A corrupt header's absurd rate is refused before anything is sized from it (fuzzer-found OOM).
  const auto absurd = analyze_mono(samples, 1.4e14);
  ASSERT_FALSE(absurd);
  EXPECT_EQ(absurd.error().context().field, "sample_rate");
  EXPECT_FALSE(StreamingPitchTracker::create(1.4e14));
  EXPECT_FALSE(StreamingOnsetDetector::create(1.4e14));
  EXPECT_TRUE(analyze_mono(samples, 768000.0));
  EXPECT_FALSE(analyze_mono(samples, 1.76e-38));  // fuzzer-found: a subnormal-ish rate overflowed the HMM band
  EXPECT_FALSE(analyze_mono(samples, 999.0));
}

TEST(BadInput, TenMinutesOfNoiseAnalyseWithBoundedOutput) {
  const double rate = 8000.0;
  std::vector<float> samples(static_cast<std::size_t>(600.0 * rate));
  std::mt19937 random(11);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  for (auto& sample : samples) sample = noise(random);
  auto track = pyin(samples, rate);
  ASSERT_TRUE(track);
  EXPECT_NEAR(track->times_s.back(), 600.0, 0.05);
  std::size_t voiced = 0;
  for (const auto flag : track->voiced) voiced += flag;
  EXPECT_LT(voiced, track->size() / 5);  // noise is mostly unvoiced
}

}  // namespace
}  // namespace resound::analysis
