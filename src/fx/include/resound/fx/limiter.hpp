// Limiter: look-ahead brick-wall limiter whose ceiling is a true-peak (4× oversampled) level.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "resound/core/processor.hpp"
#include "resound/fx/parameter_fields.hpp"

namespace resound::fx {

struct LimiterParameters;
/// The fields of LimiterParameters with their ranges. Thread contract: any thread.
std::span<const NumberField<LimiterParameters>> limiter_parameter_fields() noexcept;

struct LimiterParameters {
  double ceiling_db = -1.0;    ///< true-peak ceiling, dBTP (-1 dBTP is the streaming norm)
  double lookahead_s = 0.005;  ///< gain ramps down over this time before a peak (and is the latency)
  double release_s = 0.050;    ///< time constant of the gain recovering
};

/// Detects the true peak of the input with a 4× oversampling interpolator (32-tap Kaiser-windowed
/// sinc per phase, ITU-R BS.1770 style), holds the required gain for the look-ahead window and
/// averages it over the same window, so the gain reaches its value before the (delayed) peak
/// arrives and never jumps. The target sits 0.1 dB under the ceiling to absorb the interpolator's
/// error and the gain ramp's own sidebands. All channels share one gain.
/// Latency: lookahead + 15 frames (the interpolator's look-ahead); see latency_frames().
/// Thread contract: constructor, prepare OFF; process, reset RT; queries any thread. Parameters
/// are fixed after prepare() (changing the look-ahead changes the latency).
class Limiter final : public Processor {
 public:
  static constexpr std::size_t kTapsPerPhase = 32;
  static constexpr std::size_t kOversampling = 4;

  explicit Limiter(const LimiterParameters& parameters = {});
  [[nodiscard]] const LimiterParameters& parameters() const noexcept { return parameters_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;
  [[nodiscard]] std::size_t latency_frames() const noexcept override { return delay_frames_; }

  /// The gain applied to the last output sample (1 = no limiting).
  [[nodiscard]] double current_gain() const noexcept { return applied_gain_; }

 private:
  float detect_true_peak(std::size_t channel) const noexcept;

  LimiterParameters parameters_;
  std::size_t channel_count_ = 0;
  std::size_t lookahead_frames_ = 1;
  std::size_t delay_frames_ = 0;
  double ceiling_gain_ = 1.0;
  double release_coefficient_ = 0.0;
  // Interpolation filters for the three in-between phases (1/4, 2/4, 3/4).
  std::array<std::array<float, kTapsPerPhase>, kOversampling - 1> phases_{};
  // Per channel: the last kTapsPerPhase inputs, stored twice so a window is contiguous.
  std::vector<std::vector<float>> histories_;
  std::size_t history_position_ = 0;
  // Per channel: the audio delay line.
  std::vector<std::vector<float>> delays_;
  std::size_t delay_mask_ = 0;
  std::size_t delay_position_ = 0;
  // Sliding minimum of the required gain (monotonic queue of (frame, gain)) over the hold window.
  std::vector<std::size_t> queue_frames_;
  std::vector<double> queue_gains_;
  std::size_t queue_head_ = 0;
  std::size_t queue_size_ = 0;
  std::size_t frame_counter_ = 0;
  // Box average of the released gain over the look-ahead window.
  std::vector<double> box_;
  std::size_t box_position_ = 0;
  double box_sum_ = 0.0;
  double envelope_ = 1.0;
  double applied_gain_ = 1.0;
};

}  // namespace resound::fx
