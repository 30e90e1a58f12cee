// Reading the per-ear modulation keys shared by binaural_beat and isochronic_tone (static and transition).
#include "voices/carrier_modulation.hpp"

namespace resound::track::voices {

StartEnd read_value(const ParamMap& params, const std::string& name, bool transition, double fallback) {
  if (!transition) {
    const double value = number_param(params, name, fallback);
    return {value, value};
  }
  return transition_param(params, name, name, fallback);
}

EarModulation read_ear_modulation(const ParamMap& params, const std::string& suffix, bool transition,
                                  double default_amplitude) {
  EarModulation ear;
  ear.amplitude = read_value(params, "amp" + suffix, transition, default_amplitude);
  if (transition) {
    // The start phase is `startStartPhaseL`, falling back to `startPhaseL`.
    ear.start_phase_rad = transition_keys(params, "startStartPhase" + suffix, "endStartPhase" + suffix,
                                          "startPhase" + suffix, 0.0);
  } else {
    ear.start_phase_rad = read_value(params, "startPhase" + suffix, false, 0.0);
  }
  ear.am_depth = read_value(params, "ampOscDepth" + suffix, transition, 0.0);
  ear.am_freq_hz = read_value(params, "ampOscFreq" + suffix, transition, 0.0);
  ear.am_phase_rad = read_value(params, "ampOscPhaseOffset" + suffix, transition, 0.0);
  ear.am_skew = read_value(params, "ampOscSkew" + suffix, transition, 0.0);
  ear.vibrato_range_hz = read_value(params, "freqOscRange" + suffix, transition, 0.0);
  ear.vibrato_freq_hz = read_value(params, "freqOscFreq" + suffix, transition, 0.0);
  ear.vibrato_skew = read_value(params, "freqOscSkew" + suffix, transition, 0.0);
  ear.vibrato_phase_rad = read_value(params, "freqOscPhaseOffset" + suffix, transition, 0.0);
  return ear;
}

}  // namespace resound::track::voices
