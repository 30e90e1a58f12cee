// PartitionedConvolver: zero-latency non-uniformly partitioned FFT convolution over a channel matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "resound/core/audio_view.hpp"
#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"

namespace resound::fx {

/// One filter in the convolution matrix: `input_channel` convolved with `impulse_response` is
/// added to `output_channel`.
struct ConvolutionPath {
  std::size_t input_channel = 0;
  std::size_t output_channel = 0;
  std::span<const float> impulse_response;
};

/// Convolves each input channel with any number of impulse responses, with no latency and with
/// output that does not depend on how the caller slices the signal into blocks.
///
/// How: the first `kHeadFrames` taps run as a direct FIR (vectorised across the block); the rest of
/// the response is cut into stages of uniform partitions of growing power-of-two sizes (up to
/// `kMaxPartitionFrames`), each stage starting exactly one partition into the response so its
/// overlap-save FFT result is ready the moment its input block completes. The sizes are chosen per
/// response length (and block size, in fixed-block mode) by a cost model of FFT and
/// multiply-accumulate work and cache traffic. Each stage keeps a frequency-domain delay line of
/// input spectra per input channel and precomputed response spectra per path (split real/imaginary;
/// up to 16 partitions are summed per pass with the sums held in registers). In stages of up to 4096
/// frames two channels share one complex FFT (z = a + i·b) forward and inverse, about half the
/// instructions of two real transforms; larger stages use real FFTs (their buffers stay in cache).
/// Stages fire at fixed absolute sample counts, so the arithmetic — and the output — is
/// bit-identical for block sizes 1 … 4096.
///
/// Worker thread (live use): the largest stage always sums its partitions 1…J−1 (which only need
/// input spectra from earlier periods) before it adds partition 0. With `use_worker_thread`, that
/// tail sum — most of the multiply-accumulate work of a long response — is handed to a worker
/// thread one period ahead of the moment it is needed (lock-free: atomics and a semaphore post, no
/// allocation). If the worker has not finished by then, the audio thread computes the sum itself,
/// into buffers of its own (a late worker may still be writing its buffers, even periods later);
/// it never waits. The same arithmetic runs in the same order either way, so threaded (live) output
/// is bit-identical to single-threaded (offline) output whatever the worker's timing.
///
/// Thread contract: prepare OFF (allocates, plans FFTs, starts the worker); process RT (no
/// allocation, lock or I/O; the long stages make the blocks on which they fire costlier); reset RT
/// (with a worker it may spin until an in-flight tail sum completes, bounded by one tail sum);
/// queries any thread.
class PartitionedConvolver {
 public:
  static constexpr std::size_t kHeadFrames = 32;
  static constexpr std::size_t kMaxPartitionFrames = 65536;

  PartitionedConvolver();
  ~PartitionedConvolver();
  PartitionedConvolver(PartitionedConvolver&&) noexcept;
  PartitionedConvolver& operator=(PartitionedConvolver&&) noexcept;

  /// Builds the partitions for `paths` (responses are copied; paths with an out-of-range channel are
  /// ignored). `input_count`/`output_count` fix the channel counts process() expects.
  ///
  /// `fixed_block_frames` (a power of two, kHeadFrames … kMaxPartitionFrames; other values select
  /// the any-slicing mode) is the block size calls usually bring (a sound-card period). The first
  /// FFT partition then equals the block and starts at response frame 0 — no direct head, no stages
  /// smaller than the block — which is far cheaper for large blocks. Zero latency still. Calls of
  /// other sizes work too: a block completed over several calls has its first stage computed
  /// provisionally for the frames already in (their output cannot depend on later input), so the
  /// output differs from whole-block calls only by float rounding, as it does from the any-slicing
  /// mode.
  void prepare(std::size_t input_count, std::size_t output_count, std::span<const ConvolutionPath> paths,
               bool use_worker_thread = false, std::size_t fixed_block_frames = 0);

  /// Reads `input` (input_count channels) and overwrites `output` (output_count channels) with the
  /// convolution; both have the same frame count and may be the same memory.
  void process(ConstAudioView input, AudioView output) noexcept;

  /// Clears all history (as if no audio had been processed).
  void reset() noexcept;

  [[nodiscard]] std::size_t input_count() const noexcept { return input_count_; }
  [[nodiscard]] std::size_t output_count() const noexcept { return output_count_; }
  /// Longest response length in frames.
  [[nodiscard]] std::size_t length_frames() const noexcept { return length_frames_; }
  /// The block size fixed at prepare(), or 0 in the any-slicing mode.
  [[nodiscard]] std::size_t fixed_block_frames() const noexcept { return fixed_block_frames_; }
  /// Partition sizes of the stages after the direct head, smallest first (for reports and tests).
  [[nodiscard]] std::vector<std::size_t> partition_sizes() const;

  /// How the largest stage's tail sums were computed since prepare(): by the worker in time, or by
  /// the audio thread (no worker, worker late, or job not yet taken). For tests and reports.
  struct TailStatistics {
    std::uint64_t by_worker = 0;
    std::uint64_t on_audio_thread = 0;
  };
  [[nodiscard]] TailStatistics tail_statistics() const noexcept;
  [[nodiscard]] bool has_worker_thread() const noexcept;

 /// One stage of uniform partitions (defined in the .cpp).
  struct Stage;

 private:
  struct PathHead {
    std::size_t input_channel = 0;
    std::size_t output_channel = 0;
    dsp::AlignedBuffer<float> reversed_taps;  // kHeadFrames taps, last tap first
  };

  void run_stage(Stage& stage, bool provisional = false) noexcept;
  void forward_transform_inputs(Stage& stage, bool provisional) noexcept;
  void inverse_transform_outputs(Stage& stage, std::size_t first_output, std::size_t second_output, const float* a_re,
                                 const float* a_im, const float* b_re, const float* b_im) noexcept;
  void run_stage_with_tail(Stage& stage) noexcept;
  void process_sub_block(ConstAudioView input, AudioView output) noexcept;
  void process_fixed_block(ConstAudioView input, AudioView output) noexcept;

  std::size_t input_count_ = 0;
  std::size_t output_count_ = 0;
  std::size_t length_frames_ = 0;
  std::size_t fixed_block_frames_ = 0;  // 0: any slicing (direct head + sample-exact schedule)
  std::uint64_t frames_done_ = 0;  // absolute input frames consumed: drives the stage schedule (fixed mode: whole blocks)
  std::size_t block_fill_ = 0;     // fixed mode: frames of the current block received so far
  std::vector<PathHead> heads_;
  std::vector<std::unique_ptr<Stage>> stages_;
  // Per input channel: the last kHeadFrames-1 inputs followed by the current sub-block (and padding
  // that the direct head's last vector may read).
  std::vector<dsp::AlignedBuffer<float>> head_histories_;
  // Per input channel: ring of recent input for the stages' FFT windows (>= 2 × largest partition).
  std::vector<dsp::AlignedBuffer<float>> input_rings_;
  std::size_t ring_mask_ = 0;
  dsp::AlignedBuffer<std::complex<float>> time_scratch_;      // a stage's packed time window
  dsp::AlignedBuffer<std::complex<float>> spectrum_scratch_;  // and its full complex spectrum
};

}  // namespace resound::fx
