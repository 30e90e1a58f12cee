// Reads the background-noise parameters: `.noise` preset files and inline `params` objects (NoiseParams JSON).
#include <fstream>
#include <sstream>

#include "resound/track/schema.hpp"
#include "schema_json_reader.hpp"
#include "schema_noise.hpp"

namespace resound::track {
namespace detail {
namespace {

Expected<void> read_number_into(const Json& object, std::string_view key, const std::string& path, double& target) {
  auto value = optional_number(object, {key}, path);
  if (!value) return value.error();
  if (*value) target = **value;
  return ok();
}

Expected<NoiseSweep> read_sweep(const Json& sweep, const std::string& path) {
  if (!sweep.is_object()) return type_error(path, "an object");
  NoiseSweep result;
  // The renderer's static-mode defaults; end_* fall back to start_* when absent.
  const std::pair<std::string_view, double*> starts[] = {{"start_min", &result.start_min_hz},
                                                         {"start_max", &result.start_max_hz},
                                                         {"start_q", &result.start_q},
                                                         {"start_casc", &result.start_cascade}};
  for (auto [key, target] : starts) RESOUND_TRY_VOID(read_number_into(sweep, key, path, *target));
  result.end_min_hz = result.start_min_hz;
  result.end_max_hz = result.start_max_hz;
  result.end_q = result.start_q;
  result.end_cascade = result.start_cascade;
  const std::pair<std::string_view, double*> ends[] = {{"end_min", &result.end_min_hz},
                                                       {"end_max", &result.end_max_hz},
                                                       {"end_q", &result.end_q},
                                                       {"end_casc", &result.end_cascade}};
  for (auto [key, target] : ends) RESOUND_TRY_VOID(read_number_into(sweep, key, path, *target));
  return result;
}

}  // namespace

Expected<NoiseParams> read_noise_params(const Json& object, const std::string& path,
                                        const std::filesystem::path& base_folder) {
  if (!object.is_object()) return type_error(path, "an object");
  NoiseParams params;
  if (const Json* type = first_key(object, {"noise_type"})) {
    auto text = read_string(*type, child_path(path, "noise_type"));
    if (!text) return text.error();
    params.noise_type = *text;
  }
  if (const Json* waveform = first_key(object, {"lfo_waveform"})) {
    auto text = read_string(*waveform, child_path(path, "lfo_waveform"));
    if (!text) return text.error();
    params.lfo_waveform = *text;
  }
  if (const Json* transition = first_key(object, {"transition"})) {
    auto flag = read_bool(*transition, child_path(path, "transition"));
    if (!flag) return flag.error();
    params.transition = *flag;
  }
  const std::pair<std::string_view, double*> numbers[] = {
      {"duration_seconds", &params.duration_seconds},
      {"lfo_freq", &params.lfo_freq_hz},
      {"start_lfo_freq", &params.start_lfo_freq_hz},
      {"end_lfo_freq", &params.end_lfo_freq_hz},
      {"start_lfo_phase_offset_deg", &params.start_lfo_phase_offset_deg},
      {"end_lfo_phase_offset_deg", &params.end_lfo_phase_offset_deg},
      {"start_intra_phase_offset_deg", &params.start_intra_phase_offset_deg},
      {"end_intra_phase_offset_deg", &params.end_intra_phase_offset_deg},
      {"initial_offset", &params.initial_offset_s}};
  for (auto [key, target] : numbers) RESOUND_TRY_VOID(read_number_into(object, key, path, *target));
  auto transition_duration = optional_number(object, {"transition_duration"}, path);
  if (!transition_duration) return transition_duration.error();
  auto post_offset = optional_number(object, {"post_offset"}, path);
  if (!post_offset) return post_offset.error();
  if (*transition_duration) {
    params.transition_duration_s = **transition_duration;
  } else if (*post_offset) {
    params.transition_duration_s = params.duration_seconds - params.initial_offset_s - **post_offset;
  } else {
    params.transition_duration_s = params.duration_seconds - params.initial_offset_s;
  }
  if (const Json* sweeps = first_key(object, {"sweeps"})) {
    const std::string sweeps_path = child_path(path, "sweeps");
    if (!sweeps->is_array()) return type_error(sweeps_path, "a list");
    for (std::size_t i = 0; i < sweeps->size(); ++i) {
      auto sweep = read_sweep((*sweeps)[i], index_path(sweeps_path, i));
      if (!sweep) return sweep.error();
      params.sweeps.push_back(*sweep);
    }
  }
  if (const Json* input = first_key(object, {"input_audio_path"})) {
    auto text = read_string(*input, child_path(path, "input_audio_path"));
    if (!text) return text.error();
    if (!text->empty()) params.input_audio_path = base_folder / *text;
  }
  return params;
}

Expected<Json> parse_json_text(std::string_view text, const std::string& file) {
  try {
    return Json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    return Error(ErrorCode::kCorruptData, std::string("invalid JSON: ") + error.what(),
                 ErrorContext{.file = file, .byte_offset = error.byte});
  } catch (const std::exception& error) {
    return Error(ErrorCode::kCorruptData, std::string("invalid JSON: ") + error.what(), ErrorContext{.file = file});
  }
}

Expected<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return Error(ErrorCode::kNotFound, "cannot open file", ErrorContext{.file = path.string()});
  std::ostringstream text;
  text << stream.rdbuf();
  if (stream.bad()) return Error(ErrorCode::kIo, "read failed", ErrorContext{.file = path.string()});
  return text.str();
}

}  // namespace detail

Expected<NoiseParams> load_noise_file(const std::filesystem::path& path) {
  auto text = detail::read_text_file(path);
  if (!text) return text.error();
  auto json = detail::parse_json_text(*text, path.string());
  if (!json) return json.error();
  auto params = detail::read_noise_params(*json, "", path.parent_path());
  if (!params) return params.error().in_file(path.string());
  return params;
}

}  // namespace resound::track
