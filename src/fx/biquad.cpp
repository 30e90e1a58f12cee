// Biquad: the RBJ cookbook formulas.
#include "resound/fx/biquad.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace resound::fx {

BiquadCoefficients design_biquad(FilterType type, double frequency_hz, double q, double gain_db, double sample_rate_hz) noexcept {
  const double nyquist_hz = 0.5 * sample_rate_hz;
  frequency_hz = std::isfinite(frequency_hz) ? std::clamp(frequency_hz, 1e-4 * nyquist_hz, 0.9999 * nyquist_hz) : 1000.0;
  q = std::isfinite(q) ? std::max(q, 0.05) : 0.7071;
  gain_db = std::isfinite(gain_db) ? std::clamp(gain_db, -60.0, 60.0) : 0.0;
  const double a = std::pow(10.0, gain_db / 40.0);
  const double w0 = 2.0 * std::numbers::pi * frequency_hz / sample_rate_hz;
  const double cos_w0 = std::cos(w0);
  const double alpha = std::sin(w0) / (2.0 * q);
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a0 = 1.0, a1 = 0.0, a2 = 0.0;
  switch (type) {
    case FilterType::kPeak:
      b0 = 1.0 + alpha * a; b1 = -2.0 * cos_w0; b2 = 1.0 - alpha * a;
      a0 = 1.0 + alpha / a; a1 = -2.0 * cos_w0; a2 = 1.0 - alpha / a;
      break;
    case FilterType::kLowShelf: {
      const double root = 2.0 * std::sqrt(a) * alpha;
      b0 = a * ((a + 1.0) - (a - 1.0) * cos_w0 + root);
      b1 = 2.0 * a * ((a - 1.0) - (a + 1.0) * cos_w0);
      b2 = a * ((a + 1.0) - (a - 1.0) * cos_w0 - root);
      a0 = (a + 1.0) + (a - 1.0) * cos_w0 + root;
      a1 = -2.0 * ((a - 1.0) + (a + 1.0) * cos_w0);
      a2 = (a + 1.0) + (a - 1.0) * cos_w0 - root;
      break;
    }
    case FilterType::kHighShelf: {
      const double root = 2.0 * std::sqrt(a) * alpha;
      b0 = a * ((a + 1.0) + (a - 1.0) * cos_w0 + root);
      b1 = -2.0 * a * ((a - 1.0) + (a + 1.0) * cos_w0);
      b2 = a * ((a + 1.0) + (a - 1.0) * cos_w0 - root);
      a0 = (a + 1.0) - (a - 1.0) * cos_w0 + root;
      a1 = 2.0 * ((a - 1.0) - (a + 1.0) * cos_w0);
      a2 = (a + 1.0) - (a - 1.0) * cos_w0 - root;
      break;
    }
    case FilterType::kLowPass:
      b0 = (1.0 - cos_w0) / 2.0; b1 = 1.0 - cos_w0; b2 = b0;
      a0 = 1.0 + alpha; a1 = -2.0 * cos_w0; a2 = 1.0 - alpha;
      break;
    case FilterType::kHighPass:
      b0 = (1.0 + cos_w0) / 2.0; b1 = -(1.0 + cos_w0); b2 = b0;
      a0 = 1.0 + alpha; a1 = -2.0 * cos_w0; a2 = 1.0 - alpha;
      break;
    case FilterType::kBandPass:  // constant 0 dB peak gain
      b0 = alpha; b1 = 0.0; b2 = -alpha;
      a0 = 1.0 + alpha; a1 = -2.0 * cos_w0; a2 = 1.0 - alpha;
      break;
    case FilterType::kNotch:
      b0 = 1.0; b1 = -2.0 * cos_w0; b2 = 1.0;
      a0 = 1.0 + alpha; a1 = -2.0 * cos_w0; a2 = 1.0 - alpha;
      break;
  }
  return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

std::complex<double> biquad_response(const BiquadCoefficients& c, double frequency_hz, double sample_rate_hz) noexcept {
  const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequency_hz / sample_rate_hz);
  const std::complex<double> z2 = z1 * z1;
  return (c.b0 + c.b1 * z1 + c.b2 * z2) / (1.0 + c.a1 * z1 + c.a2 * z2);
}

}  // namespace resound::fx
