// Chorus: a multi-voice modulated-delay stereo chorus (ensemble thickening, synth chorus send).
#pragma once

#include <array>
#include <cstddef>

#include "resound/core/processor.hpp"
#include "resound/fx/parameter_fields.hpp"
#include "resound/fx/detail/fractional_delay_line.hpp"
#include "resound/fx/detail/slow_oscillator.hpp"
#include "resound/fx/detail/smoothed_value.hpp"

namespace resound::fx {

/// Chorus settings; out-of-range values are clamped, never rejected.
struct ChorusParameters;
/// The numeric (double) fields of ChorusParameters with their ranges; `voices` is an int.
/// Thread contract: any thread.
std::span<const NumberField<ChorusParameters>> chorus_parameter_fields() noexcept;

struct ChorusParameters {
  double rate_hz = 0.3;    ///< LFO rate, 0.01 … 10 Hz
  double depth_ms = 3.0;   ///< peak delay swing, 0 … 20 ms
  double delay_ms = 12.0;  ///< centre delay, 1 … 50 ms (raised to depth + 0.1 ms when shorter)
  int voices = 3;          ///< 1 … 8 delayed copies per channel, LFO phases spread evenly
  double feedback = 0.0;   ///< -0.95 … 0.95 of the wet signal fed back into the delay (flanger-ish)
  double mix = 0.5;        ///< 0 = dry, 1 = wet only (a send effect); equal-power in between
};

/// Each voice reads the delay line at `delay_ms + depth_ms * lfo(t)` with cubic interpolation;
/// the right channel's LFOs run a quarter cycle from the left's, giving a wide stereo image.
/// Voices are summed with 1/sqrt(voices) so the wet level matches the dry level, and voice-count
/// changes crossfade instead of clicking. Mono audio is processed as mono; with two or more
/// channels the first two are the stereo pair and the others pass through untouched.
///
/// Thread contract: constructor, prepare OFF; set_parameters, process, reset RT (one audio thread);
/// parameters() and latency_frames() any thread.
class Chorus final : public Processor {
 public:
  static constexpr int kMaxVoices = 8;

  explicit Chorus(const ChorusParameters& parameters = {});

  /// New settings, glided to over ~30 ms. RT-safe: no allocation.
  void set_parameters(const ChorusParameters& parameters) noexcept;
  [[nodiscard]] const ChorusParameters& parameters() const noexcept { return parameters_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  static constexpr std::size_t kStereo = 2;

  struct ChannelState {
    detail::FractionalDelayLine line;
    std::array<detail::SlowOscillator, kMaxVoices> oscillators;
    float feedback_sample = 0.0f;
  };

  void update_targets() noexcept;
  float process_sample(ChannelState& channel, float input, double delay_frames, double depth_frames,
                       const std::array<float, kMaxVoices>& voice_gains) noexcept;

  ChorusParameters parameters_;
  double sample_rate_hz_ = 0.0;
  std::array<ChannelState, kStereo> channels_;
  std::array<detail::SmoothedValue, kMaxVoices> voice_gains_;
  detail::SmoothedValue delay_frames_;
  detail::SmoothedValue depth_frames_;
  detail::SmoothedValue feedback_;
  detail::SmoothedMix mix_gains_;
};

}  // namespace resound::fx
