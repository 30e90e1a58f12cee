// ParametricEq: up to 16 RBJ biquad bands in series, coefficients glided when changed live.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "resound/core/processor.hpp"
#include "resound/fx/biquad.hpp"

namespace resound::fx {

struct EqBand {
  FilterType type = FilterType::kPeak;
  double frequency_hz = 1000.0;
  double gain_db = 0.0;  ///< peak and shelves only
  double q = 0.7071;
  bool enabled = true;
};

/// Bands run in series on every channel. set_bands() is RT-safe: new coefficients are reached by a
/// per-sample one-pole glide (~10 ms) so sweeping a band does not click; a settled EQ runs on
/// fixed coefficients. Bands beyond kMaxBands are ignored.
/// Thread contract: constructor, prepare OFF; set_bands, process, reset RT; queries any thread.
class ParametricEq final : public Processor {
 public:
  static constexpr std::size_t kMaxBands = 16;
  static constexpr std::size_t kMaxChannels = 8;

  explicit ParametricEq(std::span<const EqBand> bands = {});

  void set_bands(std::span<const EqBand> bands) noexcept;
  [[nodiscard]] std::span<const EqBand> bands() const noexcept { return {bands_.data(), band_count_}; }

  /// The designed response at `frequency_hz` (product of the enabled bands), in dB.
  [[nodiscard]] double response_db(double frequency_hz) const noexcept;

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  void update_targets() noexcept;

  std::array<EqBand, kMaxBands> bands_{};
  std::size_t band_count_ = 0;
  double sample_rate_hz_ = 0.0;
  double glide_coefficient_ = 1.0;
  std::array<BiquadCoefficients, kMaxBands> targets_{};
  std::array<BiquadCoefficients, kMaxBands> current_{};
  std::array<std::array<BiquadState, kMaxBands>, kMaxChannels> states_{};
  bool gliding_ = false;
};

}  // namespace resound::fx
