// Step placement, crossfades, normalisation and whole-track references (../shared/data/track/examples).
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <filesystem>

#include "resound/dsp/fft.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "track_test_support.hpp"

namespace resound::track {
namespace {

using testing::peak_of;
using testing::render_frames;
using testing::source_from_json;

const std::filesystem::path kExamples = std::filesystem::path(RESOUND_SHARED_DIR) / "data/track/examples";

std::string tone_step(double duration, double base, double amp) {
  return R"json({"duration": )json" + std::to_string(duration) +
         R"json(, "voices": [{"synth_function_name": "binaural_beat", "params": {"ampL": )json" + std::to_string(amp) +
         R"json(, "ampR": )json" + std::to_string(amp) + R"json(, "baseFreq": )json" + std::to_string(base) +
         R"json(, "beatFreq": 0}}]})json";
}

TEST(TrackScheduler, GapsWithoutCrossfadeAndFinalNormalisation) {
  auto source = source_from_json(R"json({"global": {"sample_rate": 8000, "crossfade_duration": 0},
      "progression": [)json" + tone_step(1.0, 440, 0.5) + "," +
                                 R"json({"start": 2.0, "duration": 1.0, "voices": [{"synth_function_name": "binaural_beat",
                                   "params": {"ampL": 0.5, "ampR": 0.5, "baseFreq": 440, "beatFreq": 0}}]}]})json");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->length_frames(), 3 * 8000);
  const AudioBuffer audio = render_frames(*source, source->length_frames());
  double gap_peak = 0.0;
  for (std::size_t i = 8000; i < 16000; ++i) gap_peak = std::max(gap_peak, double(std::fabs(audio.channel(0)[i])));
  EXPECT_EQ(gap_peak, 0.0);
  EXPECT_NEAR(peak_of(audio), 0.25, 1e-6);  // whole track normalised to target_level
}

TEST(TrackScheduler, PerStepNormalisationAboveOne) {
  // Two voices of 0.8 sum to a 1.6 peak: the step is scaled to peak 1 (then the track to 0.25).
  TrackPlanOptions options;
  options.target_level = 0.0;
  auto source = source_from_json(R"json({"global": {"sample_rate": 8000, "crossfade_duration": 0}, "progression": [
      {"duration": 1, "voices": [{"synth_function_name": "binaural_beat", "params": {"ampL": 0.8, "ampR": 0.8, "baseFreq": 100, "beatFreq": 0}},
                                 {"synth_function_name": "binaural_beat", "params": {"ampL": 0.8, "ampR": 0.8, "baseFreq": 100, "beatFreq": 0}}]}]})json",
                                 options);
  ASSERT_NE(source, nullptr);
  EXPECT_NEAR(source->plan().steps[0].gain, 1.0 / 1.6, 1e-3);
  EXPECT_NEAR(peak_of(render_frames(*source, source->length_frames())), 1.0, 1e-4);
}

TEST(TrackScheduler, CrossfadeLengthsAndNoClickAtTheEnd) {
  for (const char* curve : {"linear", "equal_power"}) {
    TrackPlanOptions options;
    options.target_level = 0.0;
    auto source = source_from_json(R"json({"global": {"sample_rate": 44100, "crossfade_duration": 1.4,
        "crossfade_curve": ")json" + std::string(curve) + R"json("}, "progression": [)json" + tone_step(3.0, 200, 0.4) + "," +
                                       tone_step(3.0, 203, 0.4) + "]}",
                                   options);
    ASSERT_NE(source, nullptr);
    const auto& second = source->plan().steps[1];
    EXPECT_EQ(second.crossfade_frames, static_cast<std::int64_t>(1.4 * 44100));  // the original crashes here
    const AudioBuffer audio = render_frames(*source, source->length_frames());
    // Largest sample-to-sample step anywhere vs. a 200 Hz sine of 0.4 (max slope 2π·200·0.4/44100 ≈ 0.0114).
    double largest_jump = 0.0;
    const auto left = audio.channel(0);
    for (std::size_t i = 1; i < left.size(); ++i) largest_jump = std::max(largest_jump, double(std::fabs(left[i] - left[i - 1])));
    EXPECT_LT(largest_jump, 0.02) << curve;
  }
}

TEST(TrackScheduler, OutputDoesNotDependOnBlockSize) {
  const std::string json = R"json({"global": {"sample_rate": 8000, "crossfade_duration": 0.3}, "progression": [)json" +
                           tone_step(1.0, 300, 0.4) + "," + tone_step(1.0, 330, 0.4) + "]}";
  auto a = source_from_json(json);
  auto b = source_from_json(json);
  ASSERT_TRUE(a && b);
  const AudioBuffer small = render_frames(*a, a->length_frames(), 64);
  const AudioBuffer large = render_frames(*b, b->length_frames(), 4096);
  EXPECT_EQ(testing::max_difference(small, 0, large, small.frame_count()), 0.0);
}

TEST(TrackScheduler, CrashCrossfadeExampleRenders) {
  if (!std::filesystem::exists(kExamples)) GTEST_SKIP() << "example data not found";
  auto loaded = load_track_file(kExamples / "crash_crossfade_1.4s.json");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
  auto source = make_track_source(loaded->spec);
  ASSERT_TRUE(source.has_value()) << source.error().describe();
  const AudioBuffer audio = render_frames(**source, (*source)->length_frames());
  EXPECT_NEAR(peak_of(audio), 0.25, 1e-5);
  EXPECT_GT(audio.frame_count(), 44100u);
}

/// Frequency of the strongest spectral peak of `signal` in [low, high] Hz: Hann window, FFT zero-padded to
/// 2^21 points (0.02 Hz bins at 44.1 kHz), parabolic interpolation.
double dominant_frequency(std::span<const float> signal, double rate, double low_hz, double high_hz) {
  constexpr std::size_t kSize = std::size_t{1} << 21;
  std::vector<float> padded(kSize, 0.0f);
  const std::size_t n = signal.size();
  for (std::size_t i = 0; i < n; ++i) padded[i] = static_cast<float>(signal[i] * (0.5 - 0.5 * std::cos(2.0 * M_PI * i / (n - 1))));
  dsp::RealFft fft(kSize);
  std::vector<std::complex<float>> bins(fft.bin_count());
  fft.forward(padded, bins);
  const auto first = static_cast<std::size_t>(low_hz * kSize / rate);
  const auto last = static_cast<std::size_t>(high_hz * kSize / rate);
  std::size_t best = first;
  for (std::size_t k = first; k <= last; ++k)
    if (std::abs(bins[k]) > std::abs(bins[best])) best = k;
  const double a = std::abs(bins[best - 1]), b = std::abs(bins[best]), c = std::abs(bins[best + 1]);
  const double shift = (a - c) / (2.0 * (a - 2.0 * b + c));
  return (static_cast<double>(best) + shift) * rate / kSize;
}

TEST(TrackScheduler, AllVoicesExampleMatchesReferencePerStep) {
  const auto reference_path = kExamples / "example_all_voices_patched_qam.wav";
  if (!std::filesystem::exists(reference_path)) GTEST_SKIP() << "example data not found";
  auto loaded = load_track_file(kExamples / "example_all_voices.json");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
  auto source = make_track_source(loaded->spec);
  ASSERT_TRUE(source.has_value()) << source.error().describe();
  auto reference = formats::read_audio_file(reference_path);
  ASSERT_TRUE(reference.has_value());
  const AudioBuffer ours = render_frames(**source, (*source)->length_frames(), 4096);
  const double rate = 44100.0;
  // The final normalisation divides by the whole track's peak, which falls on unseeded noise and on the
  // voices that cannot match exactly (step 6), so one global level offset is expected: the per-step
  // comparison is made after removing it, and the offset itself is bounded separately.
  double step_db[7];
  for (int step = 0; step < 7; ++step) {
    // The steady middle of each step (after its crossfade, before the next).
    const auto begin = static_cast<std::size_t>((7 * step + 1.5) * rate);
    const auto count = static_cast<std::size_t>(5.0 * rate);
    double ours_energy = 0.0, reference_energy = 0.0;
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t i = begin; i < begin + count; ++i) {
        ours_energy += double(ours.channel(c)[i]) * ours.channel(c)[i];
        reference_energy += double(reference->audio.channel(c)[i]) * reference->audio.channel(c)[i];
      }
    step_db[step] = 10.0 * std::log10(ours_energy / reference_energy);
    if (step <= 1) {
      const auto ours_hz = dominant_frequency(ours.channel(0).subspan(begin, 44100), rate, 150, 450);
      const auto reference_hz = dominant_frequency(reference->audio.channel(0).subspan(begin, 44100), rate, 150, 450);
      EXPECT_NEAR(ours_hz, reference_hz, 0.1) << "step " << step;
    }
  }
  const double offset_db = (step_db[0] + step_db[1] + step_db[2] + step_db[3] + step_db[4] + step_db[5]) / 6.0;
  EXPECT_LT(std::fabs(offset_db), 1.0);
  for (int step = 0; step < 7; ++step) {
    // Step 6 holds voices that are silent upstream and sound here (documented fixes): the swept-notch noise
    // as a voice (a TypeError upstream) and spatial_angle_modulation (HRTF module never imports). So it is
    // louder than the reference, by a bounded amount.
    if (step == 6) {
      EXPECT_GT(step_db[step] - offset_db, 0.5) << "step 6 (fixed voices add energy)";
      EXPECT_LT(step_db[step] - offset_db, 8.0) << "step 6";
    } else {
      EXPECT_LT(std::fabs(step_db[step] - offset_db), 0.5) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace resound::track

namespace resound::track {
namespace {

TEST(TrackNormalisation, ThePeakPassThatSkipsQuietStepsStillFindsTheExactPeak) {
  // Noise and crossfades, no clips: the peak pass measures the crossfades first, then renders the steps only
  // in blocks where |noise| + the steps' bound could beat the running peak. The normalised render must still
  // peak at exactly target_level (a skipped block holding the true peak would push it above 0.25).
  const std::string json = R"json({"global": {"sample_rate": 22050, "crossfade_duration": 1.0},
      "progression": [)json" + tone_step(4.0, 220, 0.30) + "," + tone_step(4.0, 330, 0.35) + "," + tone_step(4.0, 275, 0.40) +
                           R"json(],
      "background_noise": {"gain": 0.5, "params": {"noise_type": "pink", "lfo_freq": 0.25,
          "sweeps": [{"start_min": 500, "start_max": 3000, "start_q": 10, "start_casc": 4}]}}})json";
  for (int threads : {1, 2}) {
    TrackPlanOptions options;
    options.threads = threads;
    auto source = source_from_json(json, options);
    ASSERT_NE(source, nullptr);
    const AudioBuffer audio = render_frames(*source, source->length_frames());
    EXPECT_NEAR(peak_of(audio), 0.25, 1e-6) << threads << " thread(s)";
  }
}

}  // namespace
}  // namespace resound::track
