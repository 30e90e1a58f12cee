// Pitch: YIN and pYIN on sines across A0–C8 (cents), a vibrato tone, and a shared wind clip (raw pitch accuracy).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

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

// Sum of harmonic tones: {frequency, fundamental amplitude, harmonic amplitude, decay time constant (s)}.
struct Partial {
  double frequency_hz;
  double fundamental;
  double harmonics;
  double decay_s;
};
std::vector<float> harmonic_mix(const std::vector<Partial>& tones, double seconds) {
  std::vector<float> samples(static_cast<std::size_t>(seconds * kRate), 0.0f);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    double value = 0.0;
    for (const auto& tone : tones) {
      const double envelope = tone.decay_s > 0.0 ? std::exp(-t / tone.decay_s) : 1.0;
      value += envelope * tone.fundamental * std::sin(2.0 * std::numbers::pi * tone.frequency_hz * t);
      for (int h = 2; h <= 5; ++h)
        value += envelope * tone.harmonics / h * std::sin(2.0 * std::numbers::pi * tone.frequency_hz * h * t);
    }
    samples[i] = static_cast<float>(value);
  }
  return samples;
}

// Median pitch (voiced or candidate) of the frames between from_s and to_s.
double median_pitch_hz(const PitchTrack& track, double from_s, double to_s) {
  std::vector<double> values;
  for (std::size_t i = 0; i < track.size(); ++i)
    if (track.times_s[i] >= from_s && track.times_s[i] <= to_s && track.candidate_frequency_hz[i] > 0.0f)
      values.push_back(track.voiced[i] ? track.frequency_hz[i] : track.candidate_frequency_hz[i]);
  if (values.empty()) return 0.0;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

TEST(Pitch, ANewNoteOverARingingOneIsTheNewNoteNotTheirCommonPeriod) {
  // D3 starting over a ringing G2: together they repeat every 3 D3 periods (G1, 49 Hz, whose
  // fundamental is absent). The note is D3.
  const auto signal = harmonic_mix({{98.0, 0.12, 0.12, 0.0}, {146.83, 0.3, 0.3, 0.0}}, 0.6);
  auto track = pyin(signal, kRate);
  ASSERT_TRUE(track);
  EXPECT_NEAR(1200.0 * std::log2(median_pitch_hz(*track, 0.15, 0.45) / 146.83), 0.0, 50.0);
}

// Share of a frame's candidate probability within 50 cents of `frequency_hz`; the frame is the
// one at `time_s` of `signal` (at the 22.05 kHz analysis rate).
double candidate_share(const std::vector<float>& signal, double time_s, double frequency_hz) {
  constexpr double kAnalysisRate = 22050.0;
  const StftOptions stft = pitch_stft_options(kAnalysisRate);
  const auto target = static_cast<std::size_t>(std::lround(time_s * kAnalysisRate / static_cast<double>(stft.hop_frames)));
  YinFrameAnalyzer analyzer(stft.frame_frames, kAnalysisRate, PitchOptions{});
  double near = 0.0;
  double total = 0.0;
  const StftVisitor visitor = [&](const StftFrame& frame, std::size_t) {
    if (frame.index != target || !analyzer.analyse(frame)) return;
    std::array<PitchCandidate, 32> candidates{};
    const std::size_t count = analyzer.probabilistic_candidates(candidates);
    for (std::size_t i = 0; i < count; ++i) {
      total += candidates[i].probability;
      if (std::abs(cents(candidates[i].frequency_hz, frequency_hz)) <= 50.0) near += candidates[i].probability;
    }
  };
  run_stft(signal, stft, 1, std::span<const StftVisitor>(&visitor, 1));
  return total > 0.0 ? near / total : 0.0;
}

TEST(Pitch, TheRisingOfTwoNotesGetsTheProbability) {
  // G2 and G3 (G2's common period is also G3's second one) with the same levels at 0.3 s: once
  // G3 rising while G2 rings out (a new note 80 ms in), once the other way round. The candidates
  // are weighted by how their fundamental grows into the next 46 ms, so G3's share must be far
  // larger when G3 is the one rising.
  const auto mix = [](bool high_rising) {
    std::vector<float> samples(static_cast<std::size_t>(0.6 * 22050.0));
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const double t = static_cast<double>(i) / 22050.0;
      const double rising = std::clamp(0.5 + (t - 0.3) / 0.2, 0.0, 1.0);
      const double falling = 1.0 - rising;
      const double high = high_rising ? rising : falling;
      const double low = high_rising ? falling : rising;
      double value = 0.0;
      for (int h = 1; h <= 4; ++h) {
        value += low * 0.3 / h * std::sin(2.0 * std::numbers::pi * 98.0 * h * t);
        value += high * 0.3 / h * std::sin(2.0 * std::numbers::pi * 196.0 * h * t);
      }
      samples[i] = static_cast<float>(value);
    }
    return samples;
  };
  const double rising = candidate_share(mix(true), 0.3, 196.0);
  const double falling = candidate_share(mix(false), 0.3, 196.0);
  std::printf("share of G3: rising %.3f, ringing out %.3f\n", rising, falling);
  EXPECT_GT(rising, falling + 0.2);
}

TEST(Pitch, AWeakFundamentalIsStillTheNote) {
  // A2 whose fundamental lies 20 dB under its harmonics (a small loudspeaker, a low piano note):
  // the missing-fundamental rule (25 dB) must not move it up an octave.
  const auto signal = harmonic_mix({{110.0, 0.03, 0.6, 0.0}}, 0.6);
  auto track = pyin(signal, kRate);
  ASSERT_TRUE(track);
  EXPECT_NEAR(1200.0 * std::log2(median_pitch_hz(*track, 0.1, 0.5) / 110.0), 0.0, 50.0);
}

TEST(Pitch, ClickTrackClicksAreUnvoicedItsHumIsSixtyHertz) {
  auto clip = test::load_clip("syn_click_97bpm");
  if (!clip) GTEST_SKIP() << "shared analysis clips not present";
  auto track = pyin(clip->audio.view().channel(0), clip->sample_rate_hz);
  ASSERT_TRUE(track);
  const auto beats = test::load_rows(test::analysis_data() / "truth" / "syn_click_97bpm.beats.txt");
  std::size_t near_click = 0, voiced_near_click = 0, between = 0, hum = 0;
  for (std::size_t i = 0; i < track->size(); ++i) {
    double distance = 1e9;
    for (const auto& beat : beats) distance = std::min(distance, std::abs(beat[0] - track->times_s[i]));
    if (distance < 0.03) {
      ++near_click;
      voiced_near_click += track->voiced[i];
    } else if (distance > 0.1) {
      ++between;
      hum += track->voiced[i] && std::abs(track->frequency_hz[i] - 60.0f) < 1.0f;
    }
  }
  ASSERT_GT(near_click, 100U);
  // Clicks are aperiodic: unvoiced. Between them the −43 dBFS mains hum is a steady 60 Hz tone,
  // which pYIN rightly reports (no level gate: quiet notes are notes).
  EXPECT_EQ(voiced_near_click, 0U);
  EXPECT_GT(static_cast<double>(hum) / static_cast<double>(between), 0.95);
}

TEST(Pitch, RejectsNonsenseOptions) {
  const auto tone = test::sine(440.0, kRate, 4096);
  EXPECT_FALSE(pyin(tone, kRate, PitchOptions{.min_frequency_hz = 500.0, .max_frequency_hz = 100.0}));
  EXPECT_FALSE(pyin(tone, 0.0));
  EXPECT_FALSE(yin(tone, kRate, PitchOptions{.yin_threshold = 1.5}));
}

}  // namespace
}  // namespace resound::analysis
