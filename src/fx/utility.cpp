// Gain and Pan implementations.
#include "resound/fx/utility.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resound/core/units.hpp"

namespace resound::fx {
namespace {
constexpr double kGlideS = 0.01;
}

Gain::Gain(double gain_db) { set_gain_db(gain_db); }

void Gain::set_gain_db(double gain_db) noexcept {
  gain_db_ = std::isfinite(gain_db) ? std::clamp(gain_db, -120.0, 48.0) : 0.0;
  gain_.set_target(db_to_gain(gain_db_));
}

void Gain::prepare(double sample_rate_hz, std::size_t, std::size_t) {
  gain_.configure(kGlideS, sample_rate_hz);
  reset();
}

void Gain::reset() noexcept { gain_.snap_to_target(); }

void Gain::process(AudioView audio) noexcept {
  for (std::size_t n = 0; n < audio.frame_count(); ++n) {
    const auto gain = static_cast<float>(gain_.next());
    for (std::size_t c = 0; c < audio.channel_count(); ++c) audio.channel(c)[n] *= gain;
  }
}

Pan::Pan(double position) { set_position(position); }

void Pan::set_position(double position) noexcept {
  position_ = std::isfinite(position) ? std::clamp(position, -1.0, 1.0) : 0.0;
  // Only the side moving away from the sound attenuates, along cos(0 … π/2).
  const double angle = std::abs(position_) * std::numbers::pi / 2.0;
  left_gain_.set_target(position_ > 0.0 ? std::cos(angle) : 1.0);
  right_gain_.set_target(position_ < 0.0 ? std::cos(angle) : 1.0);
}

void Pan::prepare(double sample_rate_hz, std::size_t, std::size_t) {
  left_gain_.configure(kGlideS, sample_rate_hz);
  right_gain_.configure(kGlideS, sample_rate_hz);
  reset();
}

void Pan::reset() noexcept {
  left_gain_.snap_to_target();
  right_gain_.snap_to_target();
}

void Pan::process(AudioView audio) noexcept {
  if (audio.channel_count() < 2) return;
  float* left = audio.channel(0).data();
  float* right = audio.channel(1).data();
  for (std::size_t n = 0; n < audio.frame_count(); ++n) {
    left[n] *= static_cast<float>(left_gain_.next());
    right[n] *= static_cast<float>(right_gain_.next());
  }
}

}  // namespace resound::fx
