// TrackSpec: the entrainment track as written in its JSON (sound_creator format), after key aliases are resolved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "resound/track/param_value.hpp"

namespace resound::track {

enum class CrossfadeCurve { kLinear, kEqualPower };

struct GlobalSettings {
  double sample_rate_hz = 44100.0;
  double crossfade_duration_s = 1.0;  ///< the renderer's default (the original loader's 0.0 is used only to fill starts)
  CrossfadeCurve crossfade_curve = CrossfadeCurve::kLinear;
  std::string output_filename;
};

/// A volume envelope (`volume_envelope`): linear_fade, adsr or linen; anything else is flat.
struct EnvelopeSpec {
  std::string type;
  ParamMap params;
};

struct VoiceSpec {
  std::string synth_function_name;  ///< as written
  bool is_transition = false;
  ParamMap params;                  ///< nulls dropped
  std::optional<EnvelopeSpec> volume_envelope;
  std::string description;
};

struct StepSpec {
  double duration_s = 0.0;
  double start_s = 0.0;  ///< explicit, or filled as the original loader does
  std::string description;
  std::vector<VoiceSpec> voices;
};

/// One `[t_s, amp]` point of an amplitude envelope over the track.
struct EnvelopePoint {
  double time_s = 0.0;
  double amplitude = 1.0;
};

/// A swept notch of the background noise (a `.noise` file's `sweeps` entry).
struct NoiseSweep {
  double start_min_hz = 1000.0, end_min_hz = 1000.0;
  double start_max_hz = 10000.0, end_max_hz = 10000.0;
  double start_q = 30.0, end_q = 30.0;
  double start_cascade = 10.0, end_cascade = 10.0;
};

/// The noise generator's parameters (`.noise` file or inline `params`).
struct NoiseParams {
  std::string noise_type = "pink";
  std::string lfo_waveform = "sine";
  bool transition = false;
  double lfo_freq_hz = 1.0 / 12.0;
  double start_lfo_freq_hz = 1.0 / 12.0, end_lfo_freq_hz = 1.0 / 12.0;
  std::vector<NoiseSweep> sweeps;
  double start_lfo_phase_offset_deg = 0.0, end_lfo_phase_offset_deg = 0.0;
  double start_intra_phase_offset_deg = 0.0, end_intra_phase_offset_deg = 0.0;
  double initial_offset_s = 0.0;
  std::optional<double> transition_duration_s;
  double duration_seconds = 60.0;
  std::filesystem::path input_audio_path;  ///< resolved; empty = generated noise
};

struct BackgroundNoiseSpec {
  bool enabled = false;  ///< a noise file or inline params were given
  NoiseParams params;
  double gain = 1.0;
  double start_time_s = 0.0;
  double fade_in_s = 0.0;
  double fade_out_s = 0.0;
  std::vector<EnvelopePoint> amp_envelope;
};

struct ClipSpec {
  std::filesystem::path path;  ///< resolved against the track's folder
  double start_s = 0.0;
  double gain = 1.0;
  std::optional<double> duration_s;  ///< truncate (with a 50 ms fade-out) when given
  double fade_in_s = 0.0;
  double fade_out_s = 0.0;
  std::vector<EnvelopePoint> amp_envelope;
};

struct TrackSpec {
  GlobalSettings global;
  std::vector<StepSpec> steps;
  BackgroundNoiseSpec background_noise;
  std::vector<ClipSpec> clips;
  double target_level = 0.25;  ///< final peak; not in the JSON (a render option), kept here for convenience
};

/// What `--check` reports: unknown keys and questionable values, each naming its JSON path.
struct LoadedTrack {
  TrackSpec spec;
  std::vector<std::string> warnings;
};

}  // namespace resound::track
