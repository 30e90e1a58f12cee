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
  /// true (default): the first FFT partition is max_block_frames rounded up to a power of two (32 …
  /// 16384) and later partitions are sized for it — cheapest when calls bring that many frames, as a
  /// sound card or an offline render does. Calls of any other size still work, at zero latency (a
  /// call that ends mid-block costs one extra small FFT); the output then equals the whole-block
  /// output within float rounding (~1e-7), and is bit-identical for the same slicing.
  /// false: bit-identical output whatever the slicing (a 32-tap direct head and a 32-frame first
  /// partition whatever the block size; costlier for large blocks).
  bool fixed_block = true;
};

/// The block size a Convolution hands to PartitionedConvolver (0: the any-slicing schedule). OFF.
inline constexpr std::size_t kMaxConvolutionBlockFrames = 16384;
std::size_t convolver_block_frames(const ConvolutionOptions& options, std::size_t max_block_frames);

/// Convolves audio with an impulse response, zero latency, for any block size (see
/// ConvolutionOptions::fixed_block for what "identical output" means in each mode).
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
