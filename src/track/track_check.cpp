// check_track: constructs everything a render needs, so problems surface before a long render starts.
#include "resound/track/track_check.hpp"

#include "track_mixer.hpp"
#include "voices/voice.hpp"

namespace resound::track {

Expected<std::vector<std::string>> check_track(const LoadedTrack& track) {
  std::vector<std::string> warnings = track.warnings;
  const TrackSpec& spec = track.spec;
  for (std::size_t s = 0; s < spec.steps.size(); ++s) {
    const std::string step_path = "progression[" + std::to_string(s) + "]";
    const StepSpec& step = spec.steps[s];
    if (!(step.duration_s > 0.0)) warnings.push_back(step_path + ".duration: not positive, the step is skipped");
    if (step.voices.empty()) warnings.push_back(step_path + ".voices: empty, the step is silent");
    for (std::size_t v = 0; v < step.voices.size(); ++v) {
      const std::string& name = step.voices[v].synth_function_name;
      if (!voices::is_known_synth(name) && !voices::is_known_synth(name + "_transition"))
        warnings.push_back(step_path + ".voices[" + std::to_string(v) + "].synth_function_name: unknown synth '" +
                           name + "' (silent)");
    }
  }
  if (spec.steps.empty()) warnings.push_back("progression: no steps, the track is empty");
  auto mixer = TrackMixer::create(spec, spec.global.sample_rate_hz, 0);
  if (!mixer) return mixer.error();
  return warnings;
}

}  // namespace resound::track
