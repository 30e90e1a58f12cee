// Dynamics: frame RMS/peak envelopes and per-onset level, dB and MIDI velocity estimates.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Level floor for dB values (silence reads as this, never −inf).
inline constexpr double kDynamicsFloorDb = -60.0;

struct FrameLevels {
  double frame_period_s = 0.0;
  std::vector<double> times_s;  ///< frame centres
  std::vector<float> rms;       ///< linear
  std::vector<float> peak;      ///< linear
};

/// RMS and peak over frames of `frame_frames` centred every `hop_frames`. Errors: zero sizes. OFF/CT.
Expected<FrameLevels> frame_levels(std::span<const float> samples, double sample_rate_hz, std::size_t frame_frames = 2048,
                                   std::size_t hop_frames = 512);

/// Level of the span from one onset to the next (or to the end).
struct OnsetDynamics {
  double time_s = 0.0;
  float rms = 0.0f;
  float peak = 0.0f;
  float db = static_cast<float>(kDynamicsFloorDb);  ///< 20·log10(rms), floored at −60
  int midi_velocity = 1;                             ///< 1–127, monotonic in rms
};

/// MIDI velocity for an RMS level: the inverse of the usual SoundFont velocity curve (gain ∝ v²,
/// 40·log10(v/127) dB), with −12 dBFS RMS read as velocity 127. RT-safe.
int velocity_from_rms(double rms) noexcept;

/// Per-onset dynamics; onset times outside the signal are clamped, unsorted input is sorted. OFF/CT.
Expected<std::vector<OnsetDynamics>> onset_dynamics(std::span<const float> samples, double sample_rate_hz,
                                                    std::span<const double> onset_times_s);

}  // namespace resound::analysis
