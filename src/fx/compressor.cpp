// Compressor: soft-knee static curve, level detection and decoupled attack/release smoothing.
#include "resound/fx/compressor.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/denormals.hpp"
#include "resound/core/units.hpp"

namespace resound::fx {
namespace {

constexpr NumberField<CompressorParameters> kFields[] = {
    {"threshold_db", &CompressorParameters::threshold_db, -120.0, 24.0}, {"ratio", &CompressorParameters::ratio, 1.0, 1000.0},
    {"knee_db", &CompressorParameters::knee_db, 0.0, 48.0},             {"attack_s", &CompressorParameters::attack_s, 0.0, 5.0},
    {"release_s", &CompressorParameters::release_s, 0.0, 10.0},         {"makeup_db", &CompressorParameters::makeup_db, -48.0, 48.0},
    {"rms_window_s", &CompressorParameters::rms_window_s, 0.0001, 1.0}};

CompressorParameters clamped(const CompressorParameters& parameters) { return clamp_fields(parameters, compressor_parameter_fields()); }

constexpr double kNegligibleReductionDb = 1e-6;
// 10^(dB/20) = exp(dB · ln(10)/20): exp is cheaper than pow.
constexpr double kDbToNaturalLog = 0.11512925464970229;

// One-pole coefficient reaching 63 % of a step in `time_s` (0 s: instant).
double one_pole(double time_s, double sample_rate_hz) { return time_s > 0.0 ? std::exp(-1.0 / (time_s * sample_rate_hz)) : 0.0; }

}  // namespace

std::span<const NumberField<CompressorParameters>> compressor_parameter_fields() noexcept { return kFields; }

Compressor::Compressor(const CompressorParameters& parameters) : parameters_(clamped(parameters)) {}

void Compressor::set_parameters(const CompressorParameters& parameters) noexcept {
  parameters_ = clamped(parameters);
  if (sample_rate_hz_ > 0.0) update_coefficients();
}

void Compressor::update_coefficients() noexcept {
  attack_coefficient_ = one_pole(parameters_.attack_s, sample_rate_hz_);
  release_coefficient_ = one_pole(parameters_.release_s, sample_rate_hz_);
  rms_coefficient_ = one_pole(parameters_.rms_window_s, sample_rate_hz_);
  // Below the knee's lower edge the curve is flat: such levels need no logarithm (squared for RMS).
  const double knee_start_gain = db_to_gain(parameters_.threshold_db - 0.5 * parameters_.knee_db);
  knee_start_level_ = parameters_.detector == LevelDetector::kRms ? knee_start_gain * knee_start_gain : knee_start_gain;
}

double Compressor::gain_reduction_db(double input_db) const noexcept {
  const double overshoot_db = input_db - parameters_.threshold_db;
  const double knee_db = parameters_.knee_db;
  const double slope = 1.0 / parameters_.ratio - 1.0;
  if (2.0 * overshoot_db <= -knee_db) return 0.0;
  if (2.0 * std::abs(overshoot_db) < knee_db) {
    const double into_knee = overshoot_db + 0.5 * knee_db;
    return slope * into_knee * into_knee / (2.0 * knee_db);
  }
  return slope * overshoot_db;
}

double Compressor::static_output_db(double input_db) const noexcept {
  return input_db + gain_reduction_db(input_db) + parameters_.makeup_db;
}

void Compressor::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t /*channel_count*/) {
  sample_rate_hz_ = sample_rate_hz > 0.0 ? sample_rate_hz : 48000.0;
  update_coefficients();
  reset();
}

void Compressor::reset() noexcept {
  mean_square_ = 0.0;
  reduction_db_ = 0.0;
}

void Compressor::process(AudioView audio) noexcept {
  if (sample_rate_hz_ <= 0.0) return;
  const ScopedDenormalGuard denormal_guard;
  const std::size_t channels = audio.channel_count();
  const double makeup = db_to_gain(parameters_.makeup_db);
  for (std::size_t n = 0; n < audio.frame_count(); ++n) {
    double peak = 0.0;
    double square_sum = 0.0;
    for (std::size_t c = 0; c < channels; ++c) {
      const double sample = audio.channel(c)[n];
      peak = std::max(peak, std::abs(sample));
      square_sum += sample * sample;
    }
    double level = peak;
    if (parameters_.detector == LevelDetector::kRms) {
      // Mean over channels, so a centred mono signal in stereo reads as its own level.
      const double square = channels > 0 ? square_sum / static_cast<double>(channels) : 0.0;
      mean_square_ = rms_coefficient_ * mean_square_ + (1.0 - rms_coefficient_) * square;
      level = mean_square_;
    }
    double target_db = 0.0;
    if (level > knee_start_level_)
      target_db = gain_reduction_db(parameters_.detector == LevelDetector::kRms ? power_to_db(level) : gain_to_db(level));
    // More reduction needed: attack; less: release (both toward the static curve's value).
    const double coefficient = target_db < reduction_db_ ? attack_coefficient_ : release_coefficient_;
    reduction_db_ = coefficient * reduction_db_ + (1.0 - coefficient) * target_db;
    // A released gain within a millionth of a dB of unity is unity: saves the exponential.
    if (reduction_db_ > -kNegligibleReductionDb) reduction_db_ = 0.0;
    const auto gain = static_cast<float>(reduction_db_ == 0.0 ? makeup : makeup * std::exp(kDbToNaturalLog * reduction_db_));
    for (std::size_t c = 0; c < channels; ++c) audio.channel(c)[n] *= gain;
  }
}

}  // namespace resound::fx
