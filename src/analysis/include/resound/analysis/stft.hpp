// Stft: the one short-time Fourier transform every frame-based analysis (pitch, onsets) reuses.
#pragma once

#include <complex>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"

namespace resound::analysis {

/// Frame layout of the shared STFT. Frame i's time is sample i·hop_frames, which lies
/// `time_offset_frames` samples into the frame (frame_frames/2 when unset: centred, as librosa's
/// `center=True`); the signal is zero-padded on both sides as needed.
struct StftOptions {
  std::size_t frame_frames = 2048;  ///< FFT size; YIN uses the first half as its window and lags up to half
  std::size_t hop_frames = 256;     ///< 11.6 ms at the 22.05 kHz analysis rate
  /// Where the frame's time lies inside it. Pitch sets frame_frames/4: YIN's window (the first
  /// half) is then centred on the frame time, so the pitch describes that instant and not one
  /// half a window earlier.
  std::optional<std::size_t> time_offset_frames;
};

/// The sample offset of the frame time inside each frame (see StftOptions::time_offset_frames).
std::size_t stft_time_offset_frames(const StftOptions& options) noexcept;

/// Number of frames for a signal of `signal_frames` samples (0 for an empty signal).
std::size_t stft_frame_count(std::size_t signal_frames, const StftOptions& options) noexcept;

/// One frame as the visitors see it: the raw (unwindowed) samples and their spectrum. YIN needs
/// exactly this unwindowed transform; the onset features window a centred part of the samples.
struct StftFrame {
  std::size_t index = 0;
  std::span<const float> samples;                   ///< frame_frames samples
  std::span<const std::complex<float>> spectrum;    ///< frame_frames/2+1 bins, unscaled, unwindowed
  std::size_t time_offset_frames = 0;               ///< where the frame's time lies in `samples`
  /// Samples from this index on lie past the signal's end (zero padding); frame_frames when the
  /// frame ends inside the signal. The cut of a sound by the end is no event of the signal.
  std::size_t signal_end_in_frame = SIZE_MAX;
};

/// Per-thread FFT workspace for one frame size. Thread contract: construct OFF/CT; `transform` RT-safe.
class StftWorkspace {
 public:
  explicit StftWorkspace(std::size_t frame_frames);
  [[nodiscard]] std::size_t frame_frames() const noexcept { return fft_.size(); }
  [[nodiscard]] std::size_t bin_count() const noexcept { return fft_.bin_count(); }
  /// FFT of `frame` (frame_frames samples) into the workspace; returns the spectrum view.
  std::span<const std::complex<float>> transform(std::span<const float> frame) noexcept;
  [[nodiscard]] const dsp::RealFft& fft() const noexcept { return fft_; }

 private:
  dsp::RealFft fft_;
  dsp::AlignedBuffer<float> input_;
  dsp::AlignedBuffer<std::complex<float>> spectrum_;
};

/// Called once per frame; with several threads, concurrently for different frames (write results
/// into per-frame slots). `thread_index` < thread count selects per-thread scratch.
using StftVisitor = std::function<void(const StftFrame& frame, std::size_t thread_index)>;

/// Runs the STFT over `signal`, calling every visitor for every frame. With `thread_count` > 1 the
/// calling thread and thread_count − 1 others take chunks of consecutive frames as they come free
/// (results do not depend on the count). OFF/CT.
void run_stft(std::span<const float> signal, const StftOptions& options, std::size_t thread_count,
              std::span<const StftVisitor> visitors);

/// Streaming framer: push samples, get the same frames (same samples, same spectra) as run_stft
/// would produce for the concatenated stream. Thread contract: constructor OFF/CT; push/flush
/// RT-safe when the visitor is (no allocation here).
class StreamingStft {
 public:
  explicit StreamingStft(const StftOptions& options);
  void reset() noexcept;
  /// Consumes samples; calls `visitor` for each frame completed (thread_index 0).
  void push(std::span<const float> samples, const StftVisitor& visitor);
  /// End of stream: emits the remaining frames (those centred on pushed samples).
  void flush(const StftVisitor& visitor);
  [[nodiscard]] std::size_t frames_emitted() const noexcept { return frames_emitted_; }
  [[nodiscard]] const StftOptions& options() const noexcept { return options_; }

 private:
  void emit(const StftVisitor& visitor, std::size_t signal_end_in_frame);

  StftOptions options_;
  StftWorkspace workspace_;
  std::vector<float> buffer_;       // holds the current frame's window and what follows
  std::size_t buffer_fill_ = 0;
  std::size_t samples_pushed_ = 0;
  std::size_t frames_emitted_ = 0;
};

}  // namespace resound::analysis
