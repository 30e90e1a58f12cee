// Track JSON schema: both layouts, key aliases, start-time fill, .noise files, path-naming errors, warnings.
#include <gtest/gtest.h>

#include <filesystem>

#include "resound/track/schema.hpp"
#include "resound/track/track_check.hpp"

namespace resound::track {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(RESOUND_SHARED_DIR) / "data/track/examples";

TEST(TrackSchema, LegacyLayoutAndStartFill) {
  auto loaded = load_track_json(R"json({"global_settings": {"sample_rate": 48000, "crossfade_duration": 2},
      "steps": [{"duration": 10, "voices": []}, {"duration": 5}, {"start_time": 30, "duration": 4}, {"duration": 1}]})json", ".");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
  const auto& steps = loaded->spec.steps;
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_DOUBLE_EQ(loaded->spec.global.sample_rate_hz, 48000.0);
  // Without explicit starts: start = Σ(duration − crossfade).
  EXPECT_DOUBLE_EQ(steps[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(steps[1].start_s, 8.0);
  EXPECT_DOUBLE_EQ(steps[2].start_s, 30.0);  // explicit start_time
  EXPECT_DOUBLE_EQ(steps[3].start_s, 34.0);  // current_time = max(…, start + duration)
}

TEST(TrackSchema, V2DefaultsAndCurves) {
  auto loaded = load_track_json(R"json({"progression": [{"duration": 1, "voices": [
      {"synth_function_name": "binaural_beat", "params": {"baseFreq": "210", "leftHigh": true, "unused": null}}]}],
      "global": {"crossfade_curve": "equal_power"}})json", ".");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
  EXPECT_DOUBLE_EQ(loaded->spec.global.sample_rate_hz, 44100.0);
  EXPECT_DOUBLE_EQ(loaded->spec.global.crossfade_duration_s, 1.0);  // the renderer's default
  EXPECT_EQ(loaded->spec.global.crossfade_curve, CrossfadeCurve::kEqualPower);
  const auto& params = loaded->spec.steps[0].voices[0].params;
  EXPECT_DOUBLE_EQ(number_param(params, "baseFreq", 0), 210.0);  // numeric strings are accepted like float()
  EXPECT_EQ(find_param(params, "unused"), nullptr);                // nulls are dropped
}

TEST(TrackSchema, WrongTypeNamesTheJsonPath) {
  auto loaded = load_track_json(R"json({"progression": [{"duration": 1}, {"duration": 1}, {"duration": 2, "voices": [
      {"synth_function_name": "binaural_beat", "params": {"baseFreq": "high"}}]}]})json", ".");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().context().field, "progression[2].voices[0].params.baseFreq");
  auto bad_duration = load_track_json(R"json({"progression": [{"duration": [1]}]})json", ".");
  ASSERT_FALSE(bad_duration.has_value());
  EXPECT_EQ(bad_duration.error().context().field, "progression[0].duration");
}

TEST(TrackSchema, MalformedJsonGivesByteOffset) {
  auto loaded = load_track_json(R"json({"progression": [)json", ".");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_TRUE(loaded.error().context().byte_offset.has_value());
  EXPECT_FALSE(load_track_json("[]", ".").has_value());
  EXPECT_FALSE(load_track_json(R"json({"steps": []})json", ".").has_value());  // legacy layout needs global_settings
}

TEST(TrackSchema, UnknownKeysAreWarnings) {
  auto loaded = load_track_json(R"json({"progression": [{"duration": 1, "colour": "red"}], "extra": 1})json", ".");
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->warnings.size(), 2u);
  EXPECT_NE(loaded->warnings[0].find("extra"), std::string::npos);
  EXPECT_NE(loaded->warnings[1].find("progression[0].colour"), std::string::npos);
}

TEST(TrackSchema, GuiAndRendererKeysGiveTheSameSpec) {
  if (!std::filesystem::exists(kExamples)) GTEST_SKIP() << "example data not found";
  auto gui = load_track_file(kExamples / "keys_gui_style.json");
  auto python = load_track_file(kExamples / "keys_python_style.json");
  ASSERT_TRUE(gui.has_value()) << gui.error().describe();
  ASSERT_TRUE(python.has_value()) << python.error().describe();
  for (const auto* spec : {&gui->spec, &python->spec}) {
    EXPECT_TRUE(spec->background_noise.enabled);
    EXPECT_DOUBLE_EQ(spec->background_noise.gain, 0.5);
    EXPECT_EQ(spec->background_noise.params.noise_type, "pink");
    ASSERT_EQ(spec->clips.size(), 1u);
    EXPECT_DOUBLE_EQ(spec->clips[0].start_s, 2.0);
    EXPECT_DOUBLE_EQ(spec->clips[0].gain, 0.8);
    EXPECT_EQ(spec->clips[0].path.filename(), "test_clip_48k.wav");
  }
}

TEST(TrackSchema, NoiseFileTransitionDurationDefaults) {
  if (!std::filesystem::exists(kExamples)) GTEST_SKIP() << "example data not found";
  auto noise = load_noise_file(kExamples / "bg_brown_transition.noise");
  ASSERT_TRUE(noise.has_value()) << noise.error().describe();
  EXPECT_TRUE(noise->transition);
  ASSERT_TRUE(noise->transition_duration_s.has_value());
  EXPECT_GE(*noise->transition_duration_s, 0.0);
  EXPECT_FALSE(load_noise_file(kExamples / "missing.noise").has_value());
}

TEST(TrackSchema, CheckReportsUnknownSynthAndBadCurve) {
  auto loaded = load_track_json(R"json({"progression": [{"duration": 1, "voices": [{"synth_function_name": "nope"}]}]})json", ".");
  ASSERT_TRUE(loaded.has_value());
  auto warnings = check_track(*loaded);
  ASSERT_TRUE(warnings.has_value());
  ASSERT_EQ(warnings->size(), 1u);
  EXPECT_NE((*warnings)[0].find("nope"), std::string::npos);
  auto bad_curve = load_track_json(R"json({"progression": [{"duration": 1, "voices": [{"synth_function_name": "binaural_beat",
      "is_transition": true, "params": {"transition_curve": "__import__('os').system('true')"}}]}]})json", ".");
  ASSERT_TRUE(bad_curve.has_value());
  EXPECT_FALSE(check_track(*bad_curve).has_value());  // the expression evaluator refuses unknown names
}

}  // namespace
}  // namespace resound::track
