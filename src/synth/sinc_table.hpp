// SincTable: 8-tap Blackman-windowed sinc coefficients for the "sinc" interpolation, one row per fractional phase.
#pragma once

#include <array>
#include <cmath>
#include <numbers>

namespace resound::synth::detail {

inline constexpr int kSincTaps = 8;         // reads frames index-3 … index+4
inline constexpr int kSincPhases = 1024;    // phase resolution: 1/1024 frame keeps the error below -90 dB

struct SincTable {
  std::array<std::array<float, kSincTaps>, kSincPhases + 1> rows{};
  SincTable() {
    for (int phase = 0; phase <= kSincPhases; ++phase) {
      const double fraction = static_cast<double>(phase) / kSincPhases;
      double sum = 0.0;
      for (int tap = 0; tap < kSincTaps; ++tap) {
        const double x = static_cast<double>(tap - 3) - fraction;
        const double sinc = std::fabs(x) < 1e-12 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
        const double window_position = (x + 4.0) / 8.0;  // 0…1 across the 8-frame span
        const double window = 0.42 - 0.5 * std::cos(2.0 * std::numbers::pi * window_position) +
                              0.08 * std::cos(4.0 * std::numbers::pi * window_position);
        rows[phase][tap] = static_cast<float>(sinc * window);
        sum += sinc * window;
      }
      // Normalise each row to unit DC gain so that no phase changes the level.
      for (auto& coefficient : rows[phase]) coefficient = static_cast<float>(coefficient / sum);
    }
  }
};

/// The shared table, built on first use (Synthesizer construction calls it, off the audio thread).
inline const SincTable& sinc_table() {
  static const SincTable table;
  return table;
}

}  // namespace resound::synth::detail
