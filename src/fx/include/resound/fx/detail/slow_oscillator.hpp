// SlowOscillator: a drift-free sine-like LFO from a phase accumulator (modulation of delays).
#pragma once

#include <array>
#include <cstddef>

namespace resound::fx::detail {

/// A low-frequency oscillator with a double-precision phase accumulator (no drift, no table) and a
/// corrected-parabola sine (error < 0.1 %), so the delay sweep — and the pitch it causes — is sinusoidal.
/// Output in [-1, 1]. Thread contract: RT (plain arithmetic).
class SlowOscillator {
 public:
  void set_frequency(double frequency_hz, double sample_rate_hz) noexcept {
    increment_ = sample_rate_hz > 0.0 ? frequency_hz / sample_rate_hz : 0.0;
  }
  /// Phase in cycles [0, 1).
  void set_phase(double phase_cycles) noexcept { phase_ = phase_cycles - static_cast<double>(static_cast<long long>(phase_cycles)); }

  [[nodiscard]] double next() noexcept { return step(phase_, increment_); }

  /// One step of an oscillator held as (phase, increment): the value at `phase`, then advances it.
  /// Shared with SlowOscillatorBank so both give the same numbers.
  static double step(double& phase, double increment) noexcept {
    // Parabola through the sine's zeros and peaks: 4x(1-|x|) on x in [-1, 1).
    const double x = 2.0 * phase - 1.0;
    phase += increment;
    phase = phase >= 1.0 ? phase - 1.0 : phase;
    const double magnitude = x < 0.0 ? -x : x;
    const double parabola = -4.0 * x * (1.0 - magnitude);
    // The parabola's slope is 27 % steeper than a sine's at the zero crossings; this second
    // parabolic pass pulls it onto the sine.
    const double parabola_magnitude = parabola < 0.0 ? -parabola : parabola;
    return parabola + 0.225 * (parabola * parabola_magnitude - parabola);
  }

 private:
  double phase_ = 0.0;
  double increment_ = 0.0;
};

/// N SlowOscillators stored as arrays of phases and increments, stepped together in one loop the
/// compiler vectorises (the reverb's 16 line modulators). Same numbers as N SlowOscillators.
/// Thread contract: RT (plain arithmetic).
template <std::size_t N>
class SlowOscillatorBank {
 public:
  void set_frequency(std::size_t index, double frequency_hz, double sample_rate_hz) noexcept {
    increments_[index] = sample_rate_hz > 0.0 ? frequency_hz / sample_rate_hz : 0.0;
  }
  void set_phase(std::size_t index, double phase_cycles) noexcept {
    phases_[index] = phase_cycles - static_cast<double>(static_cast<long long>(phase_cycles));
  }
  void next(std::array<double, N>& values) noexcept {
    for (std::size_t i = 0; i < N; ++i) values[i] = SlowOscillator::step(phases_[i], increments_[i]);
  }

 private:
  std::array<double, N> phases_{};
  std::array<double, N> increments_{};
};

}  // namespace resound::fx::detail
