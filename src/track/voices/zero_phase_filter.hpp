// Zero-phase (filtfilt) Butterworth post-filters for voices, computed per fixed segment so seeking stays exact.
#pragma once

#include <memory>
#include <vector>

#include "voices/voice.hpp"

namespace resound::track::voices {

/// One biquad section in transposed direct form II (scipy's sosfilt layout).
struct Section {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  /// DC gain H(1).
  [[nodiscard]] double dc_gain() const noexcept { return (b0 + b1 + b2) / (1.0 + a1 + a2); }
};

/// Order-4 Butterworth (two sections) by the bilinear transform with pre-warping, as scipy.signal.butter.
std::vector<Section> butterworth4(bool high_pass, double cutoff_hz, double sample_rate_hz);

/// Wraps `voice` so its output is scipy.signal.sosfiltfilt of each cascade in `stages`, in order
/// (odd padding of 3·(2·sections+1) samples and steady-state initial conditions at the voice's ends).
/// The voice is processed in fixed segments of kSegmentFrames with pre-roll/look-ahead margins long
/// enough for the filters to settle (below 1e-8), so output never depends on where rendering started.
/// Thread contract: OFF construction; render RT.
std::unique_ptr<Voice> wrap_zero_phase(std::unique_ptr<Voice> voice, std::vector<std::vector<Section>> stages,
                                       double sample_rate_hz);

/// The QAM/hybrid post-filter (common.apply_filters): high-pass 30 Hz, then low-pass 0.45·fs.
std::vector<std::vector<Section>> apply_filters_stages(double sample_rate_hz);

}  // namespace resound::track::voices
