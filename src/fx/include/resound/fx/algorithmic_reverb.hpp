// AlgorithmicReverb: a modulated 16-line feedback-delay-network reverb (room, decay, damping, width).
#pragma once

#include <array>
#include <cstddef>

#include "resound/core/processor.hpp"
#include "resound/fx/parameter_fields.hpp"
#include "resound/fx/detail/fractional_delay_line.hpp"
#include "resound/fx/detail/slow_oscillator.hpp"
#include "resound/fx/detail/smoothed_value.hpp"

namespace resound::fx {

/// Reverb settings; out-of-range values are clamped (never rejected) so live control stays safe.
struct ReverbParameters;
/// The numeric fields of ReverbParameters with their ranges. Thread contract: any thread.
std::span<const NumberField<ReverbParameters>> reverb_parameter_fields() noexcept;

struct ReverbParameters {
  double room_size = 0.5;    ///< 0 (small room) … 1 (hall): scales the delay lengths (echo density, early spacing)
  double decay_s = 1.8;      ///< RT60 at low frequencies, 0.1 … 30 s
  double damping = 0.4;      ///< 0 … 1: how much faster high frequencies die (0 = as long as the lows)
  double predelay_s = 0.01;  ///< 0 … 0.5 s before the reverberation starts
  double width = 1.0;        ///< 0 (mono wet) … 1 (fully decorrelated stereo wet)
  double mix = 0.25;         ///< 0 = dry only, 1 = wet only (a send effect); equal-power in between
};

/// Feedback-delay-network reverb after Jot: 16 delay lines mixed by an orthonormal Hadamard
/// matrix, each with a one-pole damping filter whose DC and Nyquist gains give the requested
/// decay times, fed through input allpass diffusers and slowly modulated so the tail does not ring
/// metallically on sustained piano notes. Two orthogonal output tap patterns give decorrelated
/// left/right signals. Mono audio is processed as mono (wet = average of both taps); with two or
/// more channels the first two are the stereo pair and any others pass through untouched.
///
/// Thread contract: constructor, prepare OFF; set_parameters, process, reset RT (one audio thread);
/// parameters() and latency_frames() any thread.
class AlgorithmicReverb final : public Processor {
 public:
  static constexpr std::size_t kLineCount = 16;

  explicit AlgorithmicReverb(const ReverbParameters& parameters = {});

  /// New settings, glided to over ~50 ms (no clicks). RT-safe: no allocation.
  void set_parameters(const ReverbParameters& parameters) noexcept;
  [[nodiscard]] const ReverbParameters& parameters() const noexcept { return parameters_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  static constexpr std::size_t kDiffuserCount = 4;

  struct Allpass {
    detail::FractionalDelayLine line;
    std::size_t delay_frames = 1;
    float gain = 0.6f;
    float process(float input) noexcept;
  };

  void update_targets() noexcept;
  void snap_smoothers() noexcept;
  void process_frame(float input_left, float input_right, float& wet_left, float& wet_right) noexcept;

  ReverbParameters parameters_;
  double sample_rate_hz_ = 0.0;
  std::size_t channel_count_ = 0;

  std::array<detail::FractionalDelayLine, kLineCount> lines_;
  detail::SlowOscillatorBank<kLineCount> modulators_;
  std::array<detail::SmoothedValue, kLineCount> line_gains_;        // DC feedback gain per line
  std::array<detail::SmoothedValue, kLineCount> damping_poles_;     // one-pole coefficient per line
  std::array<float, kLineCount> damping_states_{};
  std::array<float, kLineCount> line_gain_values_{};     // the smoothers' current values, as used
  std::array<float, kLineCount> damping_pole_values_{};
  bool line_parameters_settled_ = false;  // all line smoothers at their targets: skip stepping them
  std::array<Allpass, kDiffuserCount> diffusers_left_;
  std::array<Allpass, kDiffuserCount> diffusers_right_;
  detail::FractionalDelayLine predelay_left_;
  detail::FractionalDelayLine predelay_right_;
  detail::SmoothedValue room_scale_;     // multiplies the base line lengths
  detail::SmoothedValue predelay_frames_;
  detail::SmoothedValue width_;
  detail::SmoothedMix mix_gains_;
  double modulation_depth_frames_ = 0.0;
};

}  // namespace resound::fx
