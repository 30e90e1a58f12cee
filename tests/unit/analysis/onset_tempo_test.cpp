// Onsets and tempo: synthetic clicks and plucks (timing), shared clips (F-measure), click-track tempo and beats.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis_test_support.hpp"
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/dynamics.hpp"
#include "resound/analysis/onsets.hpp"
#include "resound/analysis/streaming.hpp"
#include "resound/analysis/tempo.hpp"

namespace resound::analysis {
namespace {

constexpr double kRate = 44100.0;

// Decaying 6-harmonic plucks at the given times (a piano-like attack).
std::vector<float> plucks(const std::vector<double>& times, double seconds, double frequency_hz = 220.0) {
  std::vector<float> samples(static_cast<std::size_t>(seconds * kRate), 0.0f);
  for (const double start : times) {
    const auto first = static_cast<std::size_t>(start * kRate);
    // 0.45 s with a 50 ms decay: it dies away to −80 dB, so its end is not a click.
    for (std::size_t i = first; i < samples.size() && i < first + static_cast<std::size_t>(0.45 * kRate); ++i) {
      const double t = static_cast<double>(i - first) / kRate;
      double value = 0.0;
      for (int h = 1; h <= 6; ++h) value += std::sin(2.0 * std::numbers::pi * frequency_hz * h * t) / h;
      samples[i] += static_cast<float>(0.3 * std::exp(-t / 0.05) * value);
    }
  }
  return samples;
}

TEST(Onsets, PlucksAreFoundWithinThirtyMilliseconds) {
  const std::vector<double> times = {0.0, 0.5, 0.9, 1.45, 2.0, 2.3, 2.75};
  const auto signal = plucks(times, 3.2);
  for (const auto function : {OnsetFunction::kSpectralFlux, OnsetFunction::kComplexDomain, OnsetFunction::kHighFrequencyContent,
                              OnsetFunction::kEnergy}) {
    auto result = detect_onsets(signal, kRate, OnsetOptions{.function = function});
    ASSERT_TRUE(result);
    // The default (flux) meets the ±30 ms promise of the compatibility API; the alternatives are
    // looser (complex domain also fires on the decays, energy misses the attack at t = 0).
    if (function == OnsetFunction::kSpectralFlux)
      EXPECT_GE(test::f_measure(times, result->onset_times_s, 0.03), 0.99);
    else
      EXPECT_GE(test::f_measure(times, result->onset_times_s, 0.05), 0.7) << onset_function_name(function);
  }
}

// A held 3-harmonic tone from `start_s` to the end of the buffer (no fade: the end cuts it).
std::vector<float> held_tone(double start_s, std::size_t frames, double vibrato_cents = 0.0, double frequency_hz = 330.0) {
  std::vector<float> samples(frames, 0.0f);
  double phase = 0.0;
  for (std::size_t i = static_cast<std::size_t>(start_s * kRate); i < frames; ++i) {
    const double t = static_cast<double>(i) / kRate;
    phase += 2.0 * std::numbers::pi * frequency_hz * std::exp2(vibrato_cents / 1200.0 * std::sin(2.0 * std::numbers::pi * 5.5 * t)) / kRate;
    samples[i] = static_cast<float>(0.3 * std::sin(phase) + 0.15 * std::sin(2.0 * phase) + 0.08 * std::sin(3.0 * phase));
  }
  return samples;
}

TEST(Onsets, AHeldNoteCutByTheBufferEndIsOneOnsetOfflineAndStreaming) {
  for (const std::size_t frames : {4096U, 8192U, 22050U, 44100U}) {
    const auto signal = held_tone(0.02, frames);
    auto offline = detect_onsets(signal, kRate);
    ASSERT_TRUE(offline);
    ASSERT_EQ(offline->onset_times_s.size(), 1U) << frames << " frames: the cut at the end is no attack";
    EXPECT_NEAR(offline->onset_times_s[0], 0.02, 0.03);
    auto streaming = StreamingOnsetDetector::create(kRate);
    ASSERT_TRUE(streaming);
    auto times = (*streaming)->push(signal);
    const auto rest = (*streaming)->flush();
    times.insert(times.end(), rest.begin(), rest.end());
    EXPECT_EQ(times.size(), 1U) << frames << " frames, streaming";
  }
}

TEST(Onsets, VibratoInsideAHeldNoteIsNoOnset) {
  // ±40 and ±80 cents at 5.5 Hz for 4 s on E5: the flux ripples at the vibrato rate, a few per
  // cent of the attack. (Below ~400 Hz the 24-band-per-octave layout splits FFT bins and the ripple
  // grows: see docs/analysis.md.)
  for (const double cents : {40.0, 80.0}) {
    const auto signal = held_tone(0.25, static_cast<std::size_t>(4.0 * kRate), cents, 660.0);
    auto result = detect_onsets(signal, kRate);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->onset_times_s.size(), 1U) << cents << " cents";
    EXPECT_NEAR(result->onset_times_s[0], 0.25, 0.03);
  }
}

TEST(Onsets, SharedPianoAndDrumClipsScoreWell) {
  std::size_t checked = 0;
  for (const char* name : {"piano_prokofiev_etude", "drums_only"}) {
    auto clip = test::load_clip(name);
    if (!clip) continue;
    auto result = detect_onsets(clip->audio.channel(0), clip->sample_rate_hz);
    ASSERT_TRUE(result);
    std::vector<double> truth;
    for (const auto& row : test::load_rows(test::analysis_data() / "truth" / (std::string(name) + ".onsets.txt"))) truth.push_back(row[0]);
    EXPECT_GE(test::f_measure(truth, result->onset_times_s, 0.05), 0.85) << name;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "shared analysis clips not present";
}

TEST(Tempo, ClickTrackTempoAndBeats) {
  const double bpm = 112.0;
  std::vector<double> clicks;
  for (double t = 0.25; t < 20.0; t += 60.0 / bpm) clicks.push_back(t);
  std::vector<float> signal(static_cast<std::size_t>(20.0 * kRate), 0.0f);
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (const double t : clicks)
    for (std::size_t i = 0; i < 400; ++i)
      signal[static_cast<std::size_t>(t * kRate) + i] += 0.5f * noise(random) * std::exp(-static_cast<float>(i) / 80.0f);
  auto onsets = detect_onsets(signal, kRate);
  ASSERT_TRUE(onsets);
  const BeatResult beats = track_beats(onsets->envelope, onsets->frame_period_s, OnsetOptions{}.latency_s);
  EXPECT_NEAR(beats.tempo_bpm, bpm, 1.5);
  EXPECT_GE(test::f_measure(clicks, beats.beat_times_s, 0.07), 0.95);
}

TEST(Dynamics, PerOnsetLevelsAndMonotonicVelocity) {
  std::vector<float> signal(static_cast<std::size_t>(kRate), 0.0f);
  for (std::size_t i = 0; i < signal.size(); ++i) {
    const double amplitude = i < signal.size() / 2 ? 0.1 : 0.4;
    signal[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(i) / kRate));
  }
  const std::vector<double> onsets = {0.0, 0.5};
  auto result = onset_dynamics(signal, kRate, onsets);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->size(), 2u);
  EXPECT_NEAR((*result)[0].rms, 0.1 / std::sqrt(2.0), 1e-3);
  EXPECT_NEAR((*result)[1].peak, 0.4, 1e-3);
  EXPECT_NEAR((*result)[1].db - (*result)[0].db, 12.04, 0.05);
  EXPECT_LT((*result)[0].midi_velocity, (*result)[1].midi_velocity);
  for (int step = 1; step < 100; ++step) EXPECT_LE(velocity_from_rms(step / 100.0), velocity_from_rms((step + 1) / 100.0));
  auto levels = frame_levels(signal, kRate);
  ASSERT_TRUE(levels);
  EXPECT_NEAR(levels->peak[levels->peak.size() * 3 / 4], 0.4, 1e-3);
}

}  // namespace
}  // namespace resound::analysis
