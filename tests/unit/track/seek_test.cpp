// Random access: seek(S) then process() must give the full render's samples from S (≤ 1e-5), per voice family.
#include <gtest/gtest.h>

#include <filesystem>

#include "track_test_support.hpp"

namespace resound::track {
namespace {

using testing::max_difference;
using testing::render_frames;
using testing::source_from_json;

std::string one_voice_track(const std::string& voice_json, const std::string& extra = "") {
  return R"json({"global": {"sample_rate": 8000, "crossfade_duration": 0.5, "crossfade_curve": "equal_power"},
             "progression": [{"duration": 3.0, "voices": [)json" + voice_json + R"json(]},
                             {"duration": 3.0, "voices": [)json" + voice_json + R"json(]}])json" + extra + "}";
}

void expect_seek_exact(const std::string& json) {
  auto source = source_from_json(json);
  ASSERT_NE(source, nullptr);
  const std::int64_t length = source->length_frames();
  ASSERT_GT(length, 0);
  const AudioBuffer full = render_frames(*source, length, 1000);
  for (std::int64_t start : {std::int64_t{1}, length / 3, length / 2 + 17, length - 500}) {
    source->seek(start);
    const auto frames = std::min<std::int64_t>(2000, length - start);
    const AudioBuffer part = render_frames(*source, frames, 333);
    EXPECT_LE(max_difference(full, static_cast<std::size_t>(start), part, static_cast<std::size_t>(frames)), 1e-5)
        << "seek to " << start;
  }
  // Energy check: the render is not silent (a silent render would trivially "match").
  EXPECT_GT(testing::peak_of(full), 0.01);
}

TEST(TrackSeek, BinauralWithVibratoAndTransitions) {
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "binaural_beat", "is_transition": true, "params": {"startBaseFreq": 200,
          "endBaseFreq": 150, "startBeatFreq": 8, "endBeatFreq": 4, "freqOscRangeL": 3, "freqOscFreqL": 0.7,
          "ampOscDepthR": 0.5, "ampOscFreqR": 2, "transition_curve": "np.sin(alpha*np.pi/2)"}},
         {"synth_function_name": "binaural_beat", "params": {"baseFreq": 300, "beatFreq": 6}})json"));
}

TEST(TrackSeek, IsochronicStaticAndTransition) {
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "isochronic_tone", "params": {"baseFreq": 220, "beatFreq": 7, "pan": 0.3,
          "freqOscRangeR": 2, "freqOscFreqR": 1}},
         {"synth_function_name": "isochronic_tone_transition", "params": {"startBaseFreq": 250, "endBaseFreq": 300,
          "startBeatFreq": 4, "endBeatFreq": 12, "transition_curve": "logarithmic"}})json"));
}

TEST(TrackSeek, BackgroundNoiseWithSweptNotches) {
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "binaural_beat", "params": {"baseFreq": 200, "beatFreq": 4}})json",
      R"json(, "background_noise": {"gain": 0.5, "fade_in": 1.0, "amp_envelope": [[0, 1], [4, 0.5]],
           "params": {"noise_type": "pink", "transition": true, "start_lfo_freq": 0.2, "end_lfo_freq": 0.5,
                      "sweeps": [{"start_min": 500, "end_min": 800, "start_max": 2000, "end_max": 3000,
                                  "start_q": 20, "end_q": 30, "start_casc": 4, "end_casc": 6}]}})json"));
}

TEST(TrackSeek, FlangerStaticAndTransition) {
  // Feedback, loop filters and RMS make-up: a seek warms the flanger up over the preceding audio.
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "binaural_beat", "params": {"baseFreq": 300, "beatFreq": 6, "flangeEnable": true,
          "flangeFeedback": 0.6, "flangeRateHz": 0.7, "flangeDelayLaw": 1, "flangeInterp": 1, "flangeStereoMode": 2}},
         {"synth_function_name": "isochronic_tone", "is_transition": true, "params": {"startBaseFreq": 250,
          "endBaseFreq": 300, "flangeEnable": true, "startFlangeRateHz": 0.2, "endFlangeRateHz": 1.0,
          "startFlangeMix": 0.2, "endFlangeMix": 0.6, "flangeDelayLaw": 2}})json"));
}

TEST(TrackSeek, SweptNotchNoiseVoices) {
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "generate_swept_notch_pink_sound", "params": {"lfo_freq": 0.3,
          "filter_sweeps": [[500, 1500], [2000, 3000]], "notch_q": 20, "cascade_count": [4, 6]}},
         {"synth_function_name": "generate_swept_notch_pink_sound_transition", "params": {"start_lfo_freq": 0.2,
          "end_lfo_freq": 0.6, "start_filter_sweeps": [[600, 1200]], "end_filter_sweeps": [[900, 2000]],
          "noise_type": "brown"}})json"));
}

TEST(TrackSeek, SpatialAngleModulationWithHrtfs) {
  if (!std::filesystem::exists("/usr/share/libmysofa/default.sofa")) GTEST_SKIP() << "KEMAR set not installed";
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "spatial_angle_modulation", "params": {"carrierFreq": 330, "beatFreq": 0.7,
          "pathShape": "square"}},
         {"synth_function_name": "spatial_angle_modulation_transition", "params": {"startCarrierFreq": 300,
          "endCarrierFreq": 500, "startBeatFreq": 0.5, "endBeatFreq": 2, "startAmp": 0.3, "endAmp": 0.8}})json"));
}

TEST(TrackSeek, SpatialItdHeadAndFoa) {
  // The control path (slew-limited azimuth, dezippers) is recovered from checkpoints, the delay lines by warm-up.
  expect_seek_exact(one_voice_track(
      R"json({"synth_function_name": "binaural_beat", "params": {"baseFreq": 300, "beatFreq": 6, "spatialEnable": true,
          "spatialTrajectory": [{"mode": "oscillate", "center_deg": 10, "extent_deg": 70, "period_s": 1.3,
                                 "distance_m": [1.0, 2.0], "seconds": 2.0},
                                {"mode": "rotating_arc", "start_deg": -40, "extent_deg": 90, "rotate_freq_hz": 0.2,
                                 "period_s": 0.7, "easing": "sine", "seconds": 0.6}]}},
         {"synth_function_name": "isochronic_tone", "is_transition": true, "params": {"startBaseFreq": 250,
          "endBaseFreq": 300, "spatialEnable": true, "spatialDecoder": "foa_cardioid"}})json"));
}

}  // namespace
}  // namespace resound::track
