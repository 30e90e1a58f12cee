// Track JSON → TrackSpec: both layouts, every alias of the original engine, path-naming errors, unknown-key warnings.
#include "resound/track/schema.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "schema_json_reader.hpp"
#include "schema_noise.hpp"

namespace resound::track {
namespace {

using detail::child_path;
using detail::index_path;
using detail::Json;
using detail::type_error;

// Parameters that legitimately hold text or lists; every other parameter must be a number or flag.
constexpr std::string_view kTextParams[] = {
    "freqOscShape", "transition_curve", "pathShape", "startPathShape", "endPathShape", "audio_path", "audio_paths",
    "mode", "spatialTrajectory", "spatialDecoder", "flangeShape", "startFlangeShape", "endFlangeShape", "panType",
    "noise_type", "lfo_waveform", "harmonicSuppression", "startHarmonicSuppression", "endHarmonicSuppression",
    "rotationDirection", "description", "static_notches", "sweeps", "amp_envelope", "filter_sweeps",
    "start_filter_sweeps", "end_filter_sweeps", "notch_q", "start_notch_q", "end_notch_q", "cascade_count",
    "start_cascade_count", "end_cascade_count", "input_audio_path"};

bool is_text_param(std::string_view key) {
  return std::find(std::begin(kTextParams), std::end(kTextParams), key) != std::end(kTextParams);
}

Expected<ParamMap> read_params(const Json& object, const std::string& path) {
  ParamMap params;
  if (!object.is_object()) return type_error(path, "an object");
  for (const auto& item : object.items()) {
    if (item.value().is_null()) continue;  // the original drops null parameters
    const std::string item_path = child_path(path, item.key());
    ParamValue value = detail::to_param_value(item.value());
    if (!is_text_param(item.key()) && !value.as_number()) return type_error(item_path, "a number");
    params.emplace(item.key(), std::move(value));
  }
  return params;
}

Expected<VoiceSpec> read_voice(const Json& object, const std::string& path, std::vector<std::string>& warnings) {
  if (!object.is_object()) return type_error(path, "an object");
  detail::collect_unknown_keys(object, {"synth_function_name", "is_transition", "params", "volume_envelope",
                                        "description", "voice_type"},
                               path, warnings);
  VoiceSpec voice;
  const Json* name = detail::first_key(object, {"synth_function_name"});
  if (name == nullptr)
    return Error(ErrorCode::kInvalidArgument, "missing synth_function_name",
                 ErrorContext{.field = child_path(path, "synth_function_name")});
  auto name_text = detail::read_string(*name, child_path(path, "synth_function_name"));
  if (!name_text) return name_text.error();
  voice.synth_function_name = *name_text;
  if (const Json* flag = detail::first_key(object, {"is_transition"})) {
    auto value = detail::read_bool(*flag, child_path(path, "is_transition"));
    if (!value) return value.error();
    voice.is_transition = *value;
  }
  if (const Json* params = detail::first_key(object, {"params"})) {
    auto value = read_params(*params, child_path(path, "params"));
    if (!value) return value.error();
    voice.params = std::move(*value);
  }
  if (const Json* envelope = detail::first_key(object, {"volume_envelope"})) {
    const std::string envelope_path = child_path(path, "volume_envelope");
    if (!envelope->is_object()) return type_error(envelope_path, "an object");
    EnvelopeSpec spec;
    if (const Json* type = detail::first_key(*envelope, {"type"})) {
      auto text = detail::read_string(*type, child_path(envelope_path, "type"));
      if (!text) return text.error();
      spec.type = *text;
    }
    if (const Json* params = detail::first_key(*envelope, {"params"})) {
      auto value = read_params(*params, child_path(envelope_path, "params"));
      if (!value) return value.error();
      spec.params = std::move(*value);
    }
    voice.volume_envelope = std::move(spec);
  }
  if (const Json* description = detail::first_key(object, {"description"}))
    if (description->is_string()) voice.description = description->get<std::string>();
  return voice;
}

Expected<StepSpec> read_step(const Json& object, const std::string& path, std::vector<std::string>& warnings,
                             bool& has_start) {
  if (!object.is_object()) return type_error(path, "an object");
  detail::collect_unknown_keys(object, {"duration", "Duration", "durationSeconds", "stepDuration", "start",
                                        "start_time", "description", "voices", "crossfade_duration",
                                        "crossfade_curve", "binaural_volume", "noise_volume", "normalization_level"},
                               path, warnings);
  StepSpec step;
  auto duration = detail::optional_number(object, {"duration", "Duration", "durationSeconds", "stepDuration"}, path);
  if (!duration) return duration.error();
  step.duration_s = duration->value_or(0.0);
  auto start = detail::optional_number(object, {"start", "start_time"}, path);
  if (!start) return start.error();
  has_start = start->has_value();
  step.start_s = start->value_or(0.0);
  if (const Json* description = detail::first_key(object, {"description"}))
    if (description->is_string()) step.description = description->get<std::string>();
  if (const Json* voices = detail::first_key(object, {"voices"})) {
    const std::string voices_path = child_path(path, "voices");
    if (!voices->is_array()) return type_error(voices_path, "a list");
    for (std::size_t i = 0; i < voices->size(); ++i) {
      auto voice = read_voice((*voices)[i], index_path(voices_path, i), warnings);
      if (!voice) return voice.error();
      step.voices.push_back(std::move(*voice));
    }
  }
  return step;
}

Expected<GlobalSettings> read_global(const Json& object, const std::string& path, std::vector<std::string>& warnings,
                                     double& loader_crossfade_s) {
  if (!object.is_object()) return type_error(path, "an object");
  detail::collect_unknown_keys(object, {"sample_rate", "crossfade_duration", "crossfade_curve", "output_filename",
                                        "parallel_backend", "parallel_voices", "parallel_voices_max_workers",
                                        "parallel_max_memory_gb", "normalization_level"},
                               path, warnings);
  GlobalSettings global;
  auto rate = detail::optional_number(object, {"sample_rate"}, path);
  if (!rate) return rate.error();
  if (*rate) {
    // int() of the value, as the original; absurd rates are refused rather than trusted.
    const double hz = std::trunc(**rate);
    if (!(hz >= 1000.0 && hz <= 768000.0))
      return Error(ErrorCode::kOutOfRange, "sample rate must be between 1000 and 768000 Hz",
                   ErrorContext{.field = child_path(path, "sample_rate")});
    global.sample_rate_hz = hz;
  }
  auto crossfade = detail::optional_number(object, {"crossfade_duration"}, path);
  if (!crossfade) return crossfade.error();
  loader_crossfade_s = crossfade->value_or(0.0);
  global.crossfade_duration_s = crossfade->value_or(1.0);
  if (!(global.crossfade_duration_s >= 0.0) || global.crossfade_duration_s > 3600.0)
    return Error(ErrorCode::kOutOfRange, "crossfade_duration must be between 0 and 3600 s",
                 ErrorContext{.field = child_path(path, "crossfade_duration")});
  if (const Json* curve = detail::first_key(object, {"crossfade_curve"})) {
    auto text = detail::read_string(*curve, child_path(path, "crossfade_curve"));
    if (!text) return text.error();
    global.crossfade_curve = *text == "equal_power" ? CrossfadeCurve::kEqualPower : CrossfadeCurve::kLinear;
  }
  if (const Json* name = detail::first_key(object, {"output_filename"}))
    if (name->is_string()) global.output_filename = name->get<std::string>();
  return global;
}

// The fields noise and clip overlays share: optional seconds (negative → 0) and an `amp_envelope`.
Expected<void> read_overlay_shape(const Json& object, const std::string& path,
                                  std::span<const std::pair<std::string_view, double*>> seconds,
                                  std::vector<EnvelopePoint>& amp_envelope) {
  for (auto [name, target] : seconds) {
    auto value = detail::optional_number(object, {name}, path);
    if (!value) return value.error();
    if (*value) *target = std::max(0.0, **value);
  }
  if (const Json* envelope = detail::first_key(object, {"amp_envelope"})) {
    auto points = detail::read_envelope_points(*envelope, child_path(path, "amp_envelope"));
    if (!points) return points.error();
    amp_envelope = std::move(*points);
  }
  return ok();
}

Expected<BackgroundNoiseSpec> read_background_noise(const Json& object, const std::string& path,
                                                    const std::filesystem::path& base_folder,
                                                    std::vector<std::string>& warnings) {
  BackgroundNoiseSpec noise;
  if (!object.is_object()) return type_error(path, "an object");
  detail::collect_unknown_keys(object, {"file", "file_path", "params_path", "noise_file", "params", "gain", "amp",
                                        "start_time", "fade_in", "fade_out", "amp_envelope", "pan"},
                               path, warnings);
  std::string key;
  // Both the renderer's keys (file/params_path/noise_file, gain) and the GUI's (file_path, amp) work here.
  if (const Json* file = detail::first_key(object, {"file", "params_path", "noise_file", "file_path"}, &key)) {
    auto text = detail::read_string(*file, child_path(path, key));
    if (!text) return text.error();
    if (!text->empty()) {
      auto params = load_noise_file(base_folder / *text);
      if (!params) return params.error().in_field(child_path(path, key));
      noise.params = std::move(*params);
      noise.enabled = true;
    }
  }
  if (!noise.enabled) {
    if (const Json* inline_params = detail::first_key(object, {"params"})) {
      auto params = detail::read_noise_params(*inline_params, child_path(path, "params"), base_folder);
      if (!params) return params.error();
      noise.params = std::move(*params);
      noise.enabled = true;
    }
  }
  auto gain = detail::optional_number(object, {"gain", "amp"}, path);
  if (!gain) return gain.error();
  noise.gain = gain->value_or(1.0);
  const std::pair<std::string_view, double*> seconds[] = {
      {"start_time", &noise.start_time_s}, {"fade_in", &noise.fade_in_s}, {"fade_out", &noise.fade_out_s}};
  if (auto read = read_overlay_shape(object, path, seconds, noise.amp_envelope); !read) return read.error();
  return noise;
}

Expected<ClipSpec> read_clip(const Json& object, const std::string& path, const std::filesystem::path& base_folder,
                             std::vector<std::string>& warnings) {
  if (!object.is_object()) return type_error(path, "an object");
  detail::collect_unknown_keys(object, {"path", "file_path", "file", "start", "start_time", "gain", "amp",
                                        "duration", "fade_in", "fade_out", "amp_envelope", "pan", "description"},
                               path, warnings);
  ClipSpec clip;
  std::string key;
  const Json* file = detail::first_key(object, {"path", "file_path", "file"}, &key);
  if (file == nullptr)
    return Error(ErrorCode::kInvalidArgument, "missing clip path (path / file_path / file)",
                 ErrorContext{.field = path});
  auto text = detail::read_string(*file, child_path(path, key));
  if (!text) return text.error();
  clip.path = base_folder / *text;
  auto start = detail::optional_number(object, {"start_time", "start"}, path);
  if (!start) return start.error();
  clip.start_s = std::max(0.0, start->value_or(0.0));
  auto gain = detail::optional_number(object, {"gain", "amp"}, path);
  if (!gain) return gain.error();
  clip.gain = gain->value_or(1.0);
  auto duration = detail::optional_number(object, {"duration"}, path);
  if (!duration) return duration.error();
  if (*duration && **duration > 0.0) clip.duration_s = **duration;
  const std::pair<std::string_view, double*> fades[] = {{"fade_in", &clip.fade_in_s}, {"fade_out", &clip.fade_out_s}};
  if (auto read = read_overlay_shape(object, path, fades, clip.amp_envelope); !read) return read.error();
  return clip;
}

Expected<LoadedTrack> read_track(const Json& root, const std::filesystem::path& base_folder) {
  if (!root.is_object()) return type_error("", "a JSON object at the top level");
  LoadedTrack loaded;
  auto& warnings = loaded.warnings;
  const bool v2 = root.contains("progression") || root.contains("global");
  detail::collect_unknown_keys(root, {"global", "global_settings", "progression", "steps", "background_noise",
                                      "noise", "overlay_clips", "clips", "version", "metadata"},
                               "", warnings);
  std::string key;
  const Json* global = v2 ? detail::first_key(root, {"global", "global_settings"}, &key)
                          : detail::first_key(root, {"global_settings"}, &key);
  double loader_crossfade_s = 0.0;
  if (global == nullptr) {
    if (!v2) return Error(ErrorCode::kInvalidArgument, "missing global settings", ErrorContext{.field = "global"});
  } else {
    auto settings = read_global(*global, key, warnings, loader_crossfade_s);
    if (!settings) return settings.error();
    loaded.spec.global = *settings;
  }
  const Json* steps = v2 ? detail::first_key(root, {"progression", "steps"}, &key)
                         : detail::first_key(root, {"steps"}, &key);
  if (steps == nullptr)
    return Error(ErrorCode::kInvalidArgument, "missing step list", ErrorContext{.field = "progression"});
  if (!steps->is_array()) return type_error(key, "a list of steps");
  double current_time_s = 0.0;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    bool has_start = false;
    auto step = read_step((*steps)[i], index_path(key, i), warnings, has_start);
    if (!step) return step.error();
    if (!std::isfinite(step->duration_s) || step->duration_s > 400000.0)
      return Error(ErrorCode::kOutOfRange, "step duration out of range",
                   ErrorContext{.field = child_path(index_path(key, i), "duration")});
    // Start-time fill exactly as the original loader (its crossfade default is 0 here).
    if (has_start) {
      if (!std::isfinite(step->start_s) || step->start_s < 0.0 || step->start_s > 400000.0)
        return Error(ErrorCode::kOutOfRange, "step start out of range",
                     ErrorContext{.field = child_path(index_path(key, i), "start")});
      current_time_s = std::max(current_time_s, step->start_s + step->duration_s);
    } else {
      step->start_s = current_time_s;
      current_time_s += loader_crossfade_s > 0.0 ? std::max(0.0, step->duration_s - loader_crossfade_s)
                                                 : step->duration_s;
    }
    loaded.spec.steps.push_back(std::move(*step));
  }
  if (const Json* noise = detail::first_key(root, {"background_noise", "noise"}, &key)) {
    auto spec = read_background_noise(*noise, key, base_folder, warnings);
    if (!spec) return spec.error();
    loaded.spec.background_noise = std::move(*spec);
  }
  if (const Json* clips = detail::first_key(root, {"overlay_clips", "clips"}, &key)) {
    if (!clips->is_array()) return type_error(key, "a list of clips");
    for (std::size_t i = 0; i < clips->size(); ++i) {
      auto clip = read_clip((*clips)[i], index_path(key, i), base_folder, warnings);
      if (!clip) return clip.error();
      loaded.spec.clips.push_back(std::move(*clip));
    }
  }
  return loaded;
}

}  // namespace

Expected<LoadedTrack> load_track_json(std::string_view json_text, const std::filesystem::path& base_folder) {
  auto json = detail::parse_json_text(json_text, "");
  if (!json) return json.error();
  return read_track(*json, base_folder);
}

Expected<LoadedTrack> load_track_file(const std::filesystem::path& path) {
  auto text = detail::read_text_file(path);
  if (!text) return text.error();
  auto loaded = load_track_json(*text, path.parent_path());
  if (!loaded) return loaded.error().in_file(path.string());
  return loaded;
}

}  // namespace resound::track
