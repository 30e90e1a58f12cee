// Per-ear modulation shared by the binaural and isochronic voices: amplitude LFO, vibrato, interaural phase LFO.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include "resound/track/param_value.hpp"
#include "voices/voice_math.hpp"

namespace resound::track::voices {

/// One ear's amplitude LFO and vibrato settings, each a start/end pair (equal for static voices).
struct EarModulation {
  StartEnd amplitude;
  StartEnd start_phase_rad;
  StartEnd am_depth, am_freq_hz, am_phase_rad, am_skew;
  StartEnd vibrato_range_hz, vibrato_freq_hz, vibrato_skew, vibrato_phase_rad;

  [[nodiscard]] bool has_vibrato() const noexcept { return vibrato_range_hz.start != 0.0 || vibrato_range_hz.end != 0.0; }
};

/// Reads the keys of one ear (`suffix` "L" or "R"): static `ampL`, `ampOscDepthL`… or, for transition voices,
/// `startAmpL`/`endAmpL`… falling back to the static keys.
EarModulation read_ear_modulation(const ParamMap& params, const std::string& suffix, bool transition,
                                  double default_amplitude);

/// Bound of |amplitude · AM envelope| over both ears and the whole transition (|carrier| ≤ 1, gates ≤ 1,
/// pan gains ≤ 1): the envelope 1 − d·u (u ∈ [0, 1]) is extreme at u = 0 or 1, and d at its start or end.
inline double ears_peak_bound(const EarModulation (&ears)[2]) noexcept {
  double bound = 0.0;
  for (const EarModulation& ear : ears) {
    const double amplitude = std::max(std::fabs(ear.amplitude.start), std::fabs(ear.amplitude.end));
    const double envelope = std::max({1.0, std::fabs(1.0 - ear.am_depth.start), std::fabs(1.0 - ear.am_depth.end)});
    bound = std::max(bound, amplitude * envelope);
  }
  return bound;
}

/// Reads a value: static key only, or the transition pair with static fallback.
StartEnd read_value(const ParamMap& params, const std::string& name, bool transition, double fallback);

/// Downward AM envelope: 1 − depth·½·(1 + skewedSine(frac(f·t + φ/2π), skew)).
inline double amplitude_lfo(double depth, double freq_hz, double phase_rad, double skew, double t_s) noexcept {
  if (depth == 0.0) return 1.0;
  return 1.0 - depth * 0.5 * (1.0 + skewed_sine_phase(frac(freq_hz * t_s + phase_rad / kTwoPi), skew));
}

/// Vibrato offset in Hz for an LFO position `lfo_cycles` (cycles, before the phase offset).
inline double vibrato_hz(double range_hz, double lfo_cycles, double phase_rad, double skew, bool triangle) noexcept {
  if (range_hz == 0.0) return 0.0;
  const double p = frac(lfo_cycles + phase_rad / kTwoPi);
  return range_hz / 2.0 * (triangle ? skewed_triangle_phase(p, skew) : skewed_sine_phase(p, skew));
}

/// One ear's vibrato offset in Hz at transition position `a`, its LFO at `lfo_cycles` (range, phase and skew lerped).
inline double ear_vibrato_hz(const EarModulation& ear, double a, double lfo_cycles, bool triangle) noexcept {
  return vibrato_hz(lerp(ear.vibrato_range_hz.start, ear.vibrato_range_hz.end, a), lfo_cycles,
                    lerp(ear.vibrato_phase_rad.start, ear.vibrato_phase_rad.end, a),
                    lerp(ear.vibrato_skew.start, ear.vibrato_skew.end, a), triangle);
}

}  // namespace resound::track::voices
