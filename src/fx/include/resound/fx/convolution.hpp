// Convolution: the zero-latency convolution reverb / FIR processor built on PartitionedConvolver.
#pragma once

#include <optional>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/error.hpp"
#include "resound/core/processor.hpp"
#include "resound/fx/detail/smoothed_value.hpp"
#include "resound/fx/impulse_response.hpp"
#include "resound/fx/partitioned_convolver.hpp"

namespace resound::fx {

struct ConvolutionOptions {
  ImpulseResponseOptions response;  ///< trimming, normalisation, pre-delay
  double mix = 1.0;                 ///< 0 = dry, 1 = wet only; equal-power in between
  /// Live use: the longest partitions' multiply-accumulate runs on a worker thread a period ahead
  /// (the output is bit-identical either way; see PartitionedConvolver).
  bool worker_thread = false;
  /// Sound-card use: every process() call has exactly max_block_frames frames (the last of a
  /// render may be shorter). The first FFT partition then equals the block — much cheaper for large
  /// blocks. Without it, any slicing gives bit-identical output.
  bool fixed_block = false;
};

/// Convolves audio with an impulse response, zero latency, identical output for any block size.
/// Channel routing (the response is resampled to the session rate in prepare()):
/// - mono response: every audio channel is convolved with it;
/// - stereo response: left with channel 0, right with channel 1; mono audio uses their average;
/// - true stereo (LL, LR, RL, RR): the full 2×2 matrix; mono audio uses (LL+LR+RL+RR)/2.
/// Stereo and true-stereo responses process the first two audio channels; further channels pass
/// through unchanged.
///
/// Thread contract: constructor, prepare OFF; set_mix, process, reset RT; queries any thread.
class Convolution final : public Processor {
 public:
  Convolution(ImpulseResponse response, const ConvolutionOptions& options = {});

  /// New dry/wet balance, glided over ~20 ms. RT-safe.
  void set_mix(double mix) noexcept;
  [[nodiscard]] double mix() const noexcept { return options_.mix; }
  [[nodiscard]] const ConvolutionOptions& options() const noexcept { return options_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

  /// Set when the last prepare() could not condition the response (the wet signal is then silent).
  [[nodiscard]] const std::optional<Error>& prepare_error() const noexcept { return prepare_error_; }
  /// The conditioned response in use (after prepare()).
  [[nodiscard]] const AudioBuffer& conditioned_response() const noexcept { return conditioned_; }
  [[nodiscard]] const ImpulseResponse& response() const noexcept { return response_; }
  [[nodiscard]] const PartitionedConvolver& convolver() const noexcept { return convolver_; }

 private:
  ImpulseResponse response_;
  ConvolutionOptions options_;
  AudioBuffer conditioned_;
  AudioBuffer mono_response_;  // mixed-down response for mono audio with a stereo or true-stereo response
  PartitionedConvolver convolver_;
  AudioBuffer dry_;
  std::size_t wet_channels_ = 0;
  std::size_t max_block_frames_ = 0;
  std::optional<Error> prepare_error_;
  detail::SmoothedMix mix_gains_;
};

}  // namespace resound::fx
