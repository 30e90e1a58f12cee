// Biquad: RBJ "Audio EQ Cookbook" filter designs and a transposed direct-form II section.
#pragma once

#include <complex>

namespace resound::fx {

enum class FilterType { kPeak, kLowShelf, kHighShelf, kLowPass, kHighPass, kBandPass, kNotch };

/// Normalised coefficients (a0 = 1): y = b0 x + b1 x[-1] + b2 x[-2] - a1 y[-1] - a2 y[-2].
struct BiquadCoefficients {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};

/// RBJ cookbook design. `q` is the quality factor (shelves: the shelf slope's Q; 0.7071 = no
/// overshoot); `gain_db` matters for peak and shelves only. Frequencies are clamped inside
/// (0, Nyquist) and q to >= 0.05 so live control cannot produce an unstable filter.
/// Thread contract: any thread (pure function, RT-safe).
BiquadCoefficients design_biquad(FilterType type, double frequency_hz, double q, double gain_db, double sample_rate_hz) noexcept;

/// The filter's complex response at `frequency_hz` (evaluated from the coefficients).
std::complex<double> biquad_response(const BiquadCoefficients& coefficients, double frequency_hz, double sample_rate_hz) noexcept;

/// One filter section's state; double precision keeps low-frequency bands quiet and exact.
/// Thread contract: RT.
struct BiquadState {
  double s1 = 0.0, s2 = 0.0;
  double process(const BiquadCoefficients& c, double x) noexcept {
    const double y = c.b0 * x + s1;
    s1 = c.b1 * x - c.a1 * y + s2;
    s2 = c.b2 * x - c.a2 * y;
    return y;
  }
};

}  // namespace resound::fx
