// Compressor: feed-forward soft-knee compressor with peak or RMS detection and linked channels.
#pragma once

#include <cstddef>

#include "resound/core/processor.hpp"
#include "resound/fx/parameter_fields.hpp"

namespace resound::fx {

enum class LevelDetector {
  kPeak,  ///< instantaneous |x| (the loudest channel): catches transients
  kRms,   ///< mean square over `rms_window_s`: follows loudness
};

struct CompressorParameters;
/// The numeric fields of CompressorParameters with their ranges (`detector` is an enum).
/// Thread contract: any thread.
std::span<const NumberField<CompressorParameters>> compressor_parameter_fields() noexcept;

struct CompressorParameters {
  double threshold_db = -18.0;
  double ratio = 4.0;        ///< >= 1 (1 = no compression; large = limiting)
  double knee_db = 6.0;      ///< width of the soft knee around the threshold (0 = hard knee)
  double attack_s = 0.010;   ///< time constant (63 %) of gain reduction growing
  double release_s = 0.100;  ///< time constant (63 %) of gain reduction shrinking
  double makeup_db = 0.0;
  LevelDetector detector = LevelDetector::kPeak;
  double rms_window_s = 0.010;
};

/// Gain computer and smoothing after Giannoulis, Massberg & Reiss (JAES 2012): the static curve is
/// evaluated in dB on the detected level, and the gain reduction (not the level) is smoothed with
/// separate attack and release one-pole filters — the "smooth decoupled" design, which keeps the
/// static curve exact for steady signals. All channels share one gain (no image shift).
/// Thread contract: constructor, prepare OFF; set_parameters, process, reset RT; queries any thread.
class Compressor final : public Processor {
 public:
  explicit Compressor(const CompressorParameters& parameters = {});

  void set_parameters(const CompressorParameters& parameters) noexcept;
  [[nodiscard]] const CompressorParameters& parameters() const noexcept { return parameters_; }

  /// The static curve: output level for a steady input level (both dB), make-up included.
  [[nodiscard]] double static_output_db(double input_db) const noexcept;

  /// The gain reduction applied to the last processed sample, in dB (<= 0).
  [[nodiscard]] double current_gain_reduction_db() const noexcept { return reduction_db_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  void update_coefficients() noexcept;
  [[nodiscard]] double gain_reduction_db(double input_db) const noexcept;

  CompressorParameters parameters_;
  double sample_rate_hz_ = 0.0;
  double attack_coefficient_ = 0.0;
  double release_coefficient_ = 0.0;
  double rms_coefficient_ = 0.0;
  double mean_square_ = 0.0;
  double reduction_db_ = 0.0;
  double knee_start_level_ = 0.0;  // detector level (peak gain or mean square) where the knee begins
};

}  // namespace resound::fx
