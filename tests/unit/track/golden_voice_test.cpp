// Parity of every voice with the original engine's golden renders (../shared/data/track/golden, manifest.json).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/track/schema.hpp"
#include "voices/voice.hpp"

namespace resound::track {
namespace {

const std::filesystem::path kGoldenDir = std::filesystem::path(RESOUND_SHARED_DIR) / "data/track/golden";

struct GoldenCase {
  std::string id;
  nlohmann::json entry;
};

std::vector<GoldenCase> load_cases() {
  std::vector<GoldenCase> cases;
  std::ifstream stream(kGoldenDir / "manifest.json");
  if (!stream) return cases;
  const auto manifest = nlohmann::json::parse(stream);
  for (const auto& entry : manifest) cases.push_back({entry["id"].get<std::string>(), entry});
  return cases;
}

/// Renders one voice as generate_voice_audio (`post` = envelope/de-click/flanger/spatial) or the raw synth.
AudioBuffer render_voice(const nlohmann::json& entry, bool post) {
  nlohmann::json track = {{"global", {{"sample_rate", entry["sample_rate"]}}},
                          {"progression", nlohmann::json::array({{{"duration", entry["duration"]},
                                                                  {"voices", nlohmann::json::array({{
                                                                      {"synth_function_name", entry["function"]},
                                                                      {"is_transition", entry["is_transition"]},
                                                                      {"params", entry["params"]}}})}}})}};
  auto loaded = load_track_json(track.dump(), kGoldenDir);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().describe());
  auto voice_spec = loaded->spec.steps[0].voices[0];
  // The manifest names the clip where the reference was rendered; use the copy in examples/.
  if (voice_spec.params.count("audio_path") != 0)
    voice_spec.params["audio_path"] = ParamValue{(kGoldenDir.parent_path() / "examples/test_clip_48k.wav").string()};
  const double rate = entry["sample_rate"].get<double>();
  const double duration = entry["duration"].get<double>();
  const auto frames = static_cast<std::int64_t>(duration * rate);
  AudioBuffer out(2, static_cast<std::size_t>(frames));
  std::unique_ptr<voices::Voice> voice;
  if (post) {
    auto created = voices::create_voice(voice_spec, rate, duration, 0);
    EXPECT_TRUE(created.has_value());
    voice = std::move(*created);
  } else {
    voices::VoiceContext context{voice_spec.params, rate, duration, frames, 0};
    std::string name = entry["function"].get<std::string>();
    auto created = voices::create_synth_voice(name, context);
    EXPECT_TRUE(created.has_value());
    voice = std::move(*created);
  }
  if (!voice) return out;
  // Render in uneven blocks: output must not depend on block boundaries.
  std::int64_t at = 0;
  std::size_t block = 777;
  while (at < frames) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(block), frames - at));
    voice->render(at, out.channel(0).subspan(static_cast<std::size_t>(at), count),
                  out.channel(1).subspan(static_cast<std::size_t>(at), count));
    at += static_cast<std::int64_t>(count);
    block = block == 777 ? 4096 : 777;
  }
  return out;
}

double max_abs_error(const AudioBuffer& ours, const AudioClip& golden) {
  double error = 0.0;
  for (std::size_t c = 0; c < 2; ++c) {
    const auto a = ours.channel(c);
    const auto b = golden.audio.channel(std::min(c, golden.audio.channel_count() - 1));
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) error = std::max(error, std::fabs(double(a[i]) - double(b[i])));
    if (a.size() != b.size()) error = std::max(error, 1.0);
  }
  return error;
}

/// Samples (over both channels) whose error exceeds `tolerance`.
std::size_t samples_over(const AudioBuffer& ours, const AudioClip& golden, double tolerance) {
  std::size_t count = 0;
  for (std::size_t c = 0; c < 2; ++c) {
    const auto a = ours.channel(c);
    const auto b = golden.audio.channel(std::min(c, golden.audio.channel_count() - 1));
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      if (std::fabs(double(a[i]) - double(b[i])) > tolerance) ++count;
  }
  return count;
}

bool has_flanger(const nlohmann::json& entry) {
  return entry["params"].contains("flangeEnable") && entry["params"]["flangeEnable"] == true;
}

class GoldenVoiceTest : public ::testing::TestWithParam<std::string> {};

// Cases whose parity is not reached yet; each listed with the reason (see docs/track.md).
const std::map<std::string, std::string> kKnownGaps = {






};

TEST_P(GoldenVoiceTest, MatchesReferenceWithin1e4) {
  const auto cases = load_cases();
  if (cases.empty()) GTEST_SKIP() << "golden data not found in " << kGoldenDir;
  const auto found = std::find_if(cases.begin(), cases.end(), [&](const GoldenCase& c) { return c.id == GetParam(); });
  ASSERT_NE(found, cases.end());
  if (auto gap = kKnownGaps.find(found->id); gap != kKnownGaps.end()) GTEST_SKIP() << gap->second;
  for (bool post : {false, true}) {
    const std::string file = found->entry[post ? "gva_file" : "raw_file"].get<std::string>();
    auto golden = formats::read_audio_file(kGoldenDir / file);
    ASSERT_TRUE(golden.has_value()) << file;
    const AudioBuffer ours = render_voice(found->entry, post);
    if (post && has_flanger(found->entry)) {
      // The original's fractional delay read weights the older tap by the fraction (a documented bug we
      // keep for parity), so its output jumps by one sample's difference whenever the delay crosses an
      // integer. Where the delay passes within ~1e-6 samples of an integer, the last bits of the LFO decide
      // which side a sample falls: such isolated crossing samples may differ (one in golden 21); every
      // other sample matches within 1e-4.
      EXPECT_LE(samples_over(ours, *golden, 1e-4), 2U) << file;
      EXPECT_LT(max_abs_error(ours, *golden), 0.2) << file;
    } else {
      EXPECT_LT(max_abs_error(ours, *golden), 1e-4) << file;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Track, GoldenVoiceTest,
    ::testing::Values("00_binaural_beat", "01_binaural_beat", "02_binaural_beat_transition", "03_isochronic_tone",
                      "04_isochronic_tone", "05_isochronic_tone_transition", "06_monaural_beat_stereo_amps",
                      "07_monaural_beat_stereo_amps_transition", "08_rhythmic_waveshaping",
                      "09_rhythmic_waveshaping_transition", "10_stereo_am_independent",
                      "11_stereo_am_independent_transition", "12_wave_shape_stereo_am",
                      "13_wave_shape_stereo_am_transition", "14_qam_beat", "15_qam_beat_transition",
                      "16_hybrid_qam_monaural_beat", "17_hybrid_qam_monaural_beat_transition",
                      "18_spatial_angle_modulation_monaural_beat",
                      "19_spatial_angle_modulation_monaural_beat_transition", "20_subliminal_encode",
                      "21_binaural_beat", "22_binaural_beat", "23_isochronic_tone", "24_binaural_beat"));

}  // namespace
}  // namespace resound::track
