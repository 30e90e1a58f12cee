// Pitch: YIN and pYIN on sines across A0–C8 (cents), a vibrato tone, and a shared wind clip (raw pitch accuracy).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis_test_support.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/yin.hpp"
#include "resound_test/signals.hpp"

namespace resound::analysis {
namespace {

constexpr double kRate = 44100.0;

double cents(double measured_hz, double reference_hz) { return 1200.0 * std::log2(measured_hz / reference_hz); }

// Median frequency of the voiced frames in the middle half of a track, and the voiced share there.
std::pair<double, double> middle_median(const PitchTrack& track) {
  std::vector<double> values;
  const std::size_t first = track.size() / 4;
  const std::size_t last = track.size() * 3 / 4;
  for (std::size_t i = first; i < last; ++i)
    if (track.voiced[i]) values.push_back(track.frequency_hz[i]);
  if (values.empty()) return {0.0, 0.0};
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
  return {values[values.size() / 2], static_cast<double>(values.size()) / static_cast<double>(last - first)};
}

class PitchOfSines : public ::testing::TestWithParam<int> {};

TEST_P(PitchOfSines, PyinAndYinWithinThreeCents) {
  const int note = GetParam();
  const double frequency = 440.0 * std::exp2((note - 69) / 12.0);
  const auto tone = test::sine(frequency, kRate, static_cast<std::size_t>(1.5 * kRate), 0.5);
  auto probabilistic = pyin(tone, kRate);
  ASSERT_TRUE(probabilistic);
  const auto [pyin_hz, pyin_voiced] = middle_median(*probabilistic);
  EXPECT_NEAR(cents(pyin_hz, frequency), 0.0, 3.0) << "MIDI " << note;
  EXPECT_GT(pyin_voiced, 0.95);
  auto plain = yin(tone, kRate);
  ASSERT_TRUE(plain);
  const auto [yin_hz, yin_voiced] = middle_median(*plain);
  EXPECT_NEAR(cents(yin_hz, frequency), 0.0, 3.0) << "MIDI " << note;
  EXPECT_GT(yin_voiced, 0.95);
}

// A0 (21) to C8 (108) in steps of a major sixth or so, plus both ends.
INSTANTIATE_TEST_SUITE_P(AcrossThePianoRange, PitchOfSines, ::testing::Values(21, 30, 40, 50, 60, 69, 77, 86, 95, 102, 108));

TEST(Pitch, HarmonicToneWithVibratoFollowsTheVibrato) {
  // 330 Hz, 6 harmonics, ±40 cents at 5.5 Hz: frame estimates stay within 15 cents of the true curve.
  std::vector<float> tone(static_cast<std::size_t>(2.0 * kRate));
  double phase = 0.0;
  for (std::size_t i = 0; i < tone.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double frequency = 330.0 * std::exp2(40.0 / 1200.0 * std::sin(2.0 * std::numbers::pi * 5.5 * t));
    phase += 2.0 * std::numbers::pi * frequency / kRate;
    double value = 0.0;
    for (int h = 1; h <= 6; ++h) value += std::sin(h * phase) / h;
    tone[i] = static_cast<float>(0.2 * value);
  }
  auto track = pyin(tone, kRate);
  ASSERT_TRUE(track);
  std::size_t checked = 0;
  std::size_t close = 0;
  for (std::size_t i = 10; i + 10 < track->size(); ++i) {
    // The YIN window is centred on the frame time (pitch_stft_options), so no offset applies.
    const double t = track->times_s[i];
    const double truth = 330.0 * std::exp2(40.0 / 1200.0 * std::sin(2.0 * std::numbers::pi * 5.5 * t));
    ++checked;
    if (track->voiced[i] && std::abs(cents(track->frequency_hz[i], truth)) < 15.0) ++close;
  }
  EXPECT_GT(static_cast<double>(close) / static_cast<double>(checked), 0.9);
}

TEST(Pitch, RawPitchAccuracyOnSharedClarinetClip) {
  auto clip = test::load_clip("mono_hornpipe_clarinet");
  if (!clip) GTEST_SKIP() << "shared analysis clips not present";
  auto track = pyin(clip->audio.channel(0), clip->sample_rate_hz);
  ASSERT_TRUE(track);
  const auto f0 = test::load_rows(test::analysis_data() / "truth" / "mono_hornpipe_clarinet.f0.csv");
  const auto notes = test::load_rows(test::analysis_data() / "truth" / "mono_hornpipe_clarinet.notes.txt");
  std::size_t total = 0;
  std::size_t correct = 0;
  for (const auto& row : f0) {
    const double t = row[0];
    if (row[1] <= 0.0) continue;
    const bool settled = std::any_of(notes.begin(), notes.end(), [&](const auto& n) { return t >= n[0] + 0.08 && t < n[1]; });
    if (!settled) continue;
    const auto frame = static_cast<std::size_t>(std::lround(t / track->frame_period_s));
    if (frame >= track->size()) continue;
    ++total;
    if (track->voiced[frame] && std::abs(cents(track->frequency_hz[frame], row[1])) <= 50.0) ++correct;
  }
  ASSERT_GT(total, 1000u);
  EXPECT_GE(static_cast<double>(correct) / static_cast<double>(total), 0.97);
}

TEST(Pitch, RejectsNonsenseOptions) {
  const auto tone = test::sine(440.0, kRate, 4096);
  EXPECT_FALSE(pyin(tone, kRate, PitchOptions{.min_frequency_hz = 500.0, .max_frequency_hz = 100.0}));
  EXPECT_FALSE(pyin(tone, 0.0));
  EXPECT_FALSE(yin(tone, kRate, PitchOptions{.yin_threshold = 1.5}));
}

}  // namespace
}  // namespace resound::analysis
