// ParametricEq: band design, coefficient glide and the per-channel series of biquads.
#include "resound/fx/parametric_eq.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/denormals.hpp"
#include "resound/core/units.hpp"

namespace resound::fx {
namespace {

constexpr double kGlideTimeS = 0.01;
// Below this coefficient distance the glide is over (≈ 1e-9 dB of response change).
constexpr double kSettledDistance = 1e-12;

double distance(const BiquadCoefficients& x, const BiquadCoefficients& y) {
  return std::abs(x.b0 - y.b0) + std::abs(x.b1 - y.b1) + std::abs(x.b2 - y.b2) + std::abs(x.a1 - y.a1) + std::abs(x.a2 - y.a2);
}

void glide(BiquadCoefficients& current, const BiquadCoefficients& target, double coefficient) {
  current.b0 += coefficient * (target.b0 - current.b0);
  current.b1 += coefficient * (target.b1 - current.b1);
  current.b2 += coefficient * (target.b2 - current.b2);
  current.a1 += coefficient * (target.a1 - current.a1);
  current.a2 += coefficient * (target.a2 - current.a2);
}

}  // namespace

ParametricEq::ParametricEq(std::span<const EqBand> bands) { set_bands(bands); }

void ParametricEq::set_bands(std::span<const EqBand> bands) noexcept {
  band_count_ = std::min(bands.size(), kMaxBands);
  std::copy_n(bands.begin(), band_count_, bands_.begin());
  if (sample_rate_hz_ > 0.0) update_targets();
}

void ParametricEq::update_targets() noexcept {
  for (std::size_t b = 0; b < band_count_; ++b) {
    const EqBand& band = bands_[b];
    targets_[b] = band.enabled ? design_biquad(band.type, band.frequency_hz, band.q, band.gain_db, sample_rate_hz_) : BiquadCoefficients{};
  }
  gliding_ = true;
}

double ParametricEq::response_db(double frequency_hz) const noexcept {
  double magnitude = 1.0;
  const double rate = sample_rate_hz_ > 0.0 ? sample_rate_hz_ : 48000.0;
  for (std::size_t b = 0; b < band_count_; ++b) {
    const EqBand& band = bands_[b];
    if (!band.enabled) continue;
    magnitude *= std::abs(biquad_response(design_biquad(band.type, band.frequency_hz, band.q, band.gain_db, rate), frequency_hz, rate));
  }
  return gain_to_db(magnitude);
}

void ParametricEq::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t /*channel_count*/) {
  sample_rate_hz_ = sample_rate_hz > 0.0 ? sample_rate_hz : 48000.0;
  glide_coefficient_ = 1.0 - std::exp(-1.0 / (kGlideTimeS * sample_rate_hz_));
  update_targets();
  reset();
}

void ParametricEq::reset() noexcept {
  current_ = targets_;
  gliding_ = false;
  for (auto& channel : states_) channel.fill(BiquadState{});
}

void ParametricEq::process(AudioView audio) noexcept {
  if (sample_rate_hz_ <= 0.0 || band_count_ == 0) return;
  const ScopedDenormalGuard denormal_guard;
  const std::size_t channels = std::min(audio.channel_count(), kMaxChannels);
  const std::size_t frames = audio.frame_count();
  for (std::size_t n = 0; n < frames; ++n) {
    if (gliding_) {
      double remaining = 0.0;
      for (std::size_t b = 0; b < band_count_; ++b) {
        glide(current_[b], targets_[b], glide_coefficient_);
        remaining += distance(current_[b], targets_[b]);
      }
      if (remaining < kSettledDistance) {
        current_ = targets_;
        gliding_ = false;
      }
    }
    for (std::size_t c = 0; c < channels; ++c) {
      float& sample = audio.channel(c)[n];
      double value = sample;
      for (std::size_t b = 0; b < band_count_; ++b) value = states_[c][b].process(current_[b], value);
      sample = static_cast<float>(value);
    }
  }
}

}  // namespace resound::fx
