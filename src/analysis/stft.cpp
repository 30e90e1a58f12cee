// The shared STFT: frame slicing (centred, zero-padded), one FFT per frame, visitors, streaming form.
#include "resound/analysis/stft.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace resound::analysis {

std::size_t stft_time_offset_frames(const StftOptions& options) noexcept {
  return std::min(options.frame_frames, options.time_offset_frames.value_or(options.frame_frames / 2));
}

std::size_t stft_frame_count(std::size_t signal_frames, const StftOptions& options) noexcept {
  if (signal_frames == 0 || options.hop_frames == 0) return 0;
  return 1 + (signal_frames - 1) / options.hop_frames;
}

StftWorkspace::StftWorkspace(std::size_t frame_frames)
    : fft_(frame_frames), input_(frame_frames), spectrum_(frame_frames / 2 + 1) {}

std::span<const std::complex<float>> StftWorkspace::transform(std::span<const float> frame) noexcept {
  std::copy(frame.begin(), frame.end(), input_.begin());
  fft_.forward(input_.span(), spectrum_.span());
  return spectrum_.span();
}

namespace {

// Copies frame `index` (its time index·hop at the time offset) into `frame`, zero outside the
// signal; returns where the signal's end lies in the frame (frame size when past it).
std::size_t slice_frame(std::span<const float> signal, const StftOptions& options, std::size_t index, std::span<float> frame) {
  const auto centre = static_cast<std::ptrdiff_t>(index * options.hop_frames);
  const std::ptrdiff_t start = centre - static_cast<std::ptrdiff_t>(stft_time_offset_frames(options));
  const auto size = static_cast<std::ptrdiff_t>(signal.size());
  const auto length = static_cast<std::ptrdiff_t>(frame.size());
  // Zero padding where the frame hangs over either end, one copy of the samples in between.
  const std::ptrdiff_t first = std::clamp<std::ptrdiff_t>(-start, 0, length);
  const std::ptrdiff_t last = std::clamp<std::ptrdiff_t>(size - start, first, length);
  std::fill(frame.begin(), frame.begin() + first, 0.0f);
  std::copy(signal.begin() + (start + first), signal.begin() + (start + last), frame.begin() + first);
  std::fill(frame.begin() + last, frame.end(), 0.0f);
  return static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(size - start, 0, static_cast<std::ptrdiff_t>(frame.size())));
}

void run_range(std::span<const float> signal, const StftOptions& options, std::size_t first, std::size_t last,
               std::size_t thread_index, std::span<const StftVisitor> visitors, StftWorkspace& workspace,
               std::span<float> frame) {
  for (std::size_t index = first; index < last; ++index) {
    const std::size_t signal_end = slice_frame(signal, options, index, frame);
    const StftFrame view{index, frame, workspace.transform(frame), stft_time_offset_frames(options), signal_end};
    for (const auto& visitor : visitors) visitor(view, thread_index);
  }
}

// Frames per unit of work handed to a thread: small enough that a thread slowed by other work
// (the loudness meter beside it, another process) only leaves a few chunks for the others.
constexpr std::size_t kFramesPerChunk = 32;

}  // namespace

void run_stft(std::span<const float> signal, const StftOptions& options, std::size_t thread_count,
              std::span<const StftVisitor> visitors) {
  const std::size_t frames = stft_frame_count(signal.size(), options);
  thread_count = std::clamp<std::size_t>(thread_count, 1, std::max<std::size_t>(1, frames / 64));
  const auto work = [&](std::size_t thread_index, std::atomic<std::size_t>* next_chunk) {
    StftWorkspace workspace(options.frame_frames);
    std::vector<float> frame(options.frame_frames);
    if (next_chunk == nullptr) {
      run_range(signal, options, 0, frames, thread_index, visitors, workspace, frame);
      return;
    }
    // Chunks are taken in order by whichever thread is free; every frame is computed the same
    // way wherever it runs, so the results do not depend on the thread count or the schedule.
    for (std::size_t chunk = next_chunk->fetch_add(1); chunk * kFramesPerChunk < frames; chunk = next_chunk->fetch_add(1))
      run_range(signal, options, chunk * kFramesPerChunk, std::min(frames, (chunk + 1) * kFramesPerChunk), thread_index,
                visitors, workspace, frame);
  };
  if (thread_count == 1) {
    work(0, nullptr);
    return;
  }
  std::atomic<std::size_t> next_chunk{0};
  std::vector<std::jthread> threads;
  for (std::size_t t = 1; t < thread_count; ++t) threads.emplace_back(work, t, &next_chunk);
  work(0, &next_chunk);  // the calling thread is worker 0
}

StreamingStft::StreamingStft(const StftOptions& options)
    : options_(options), workspace_(options.frame_frames), buffer_(options.frame_frames + options.hop_frames) {
  reset();
}

void StreamingStft::reset() noexcept {
  std::fill(buffer_.begin(), buffer_.end(), 0.0f);
  buffer_fill_ = stft_time_offset_frames(options_);  // the zero padding before sample 0
  samples_pushed_ = 0;
  frames_emitted_ = 0;
}

void StreamingStft::emit(const StftVisitor& visitor, std::size_t signal_end_in_frame) {
  const std::span<const float> frame(buffer_.data(), options_.frame_frames);
  visitor(StftFrame{frames_emitted_, frame, workspace_.transform(frame), stft_time_offset_frames(options_), signal_end_in_frame},
          0);
  ++frames_emitted_;
  std::copy(buffer_.begin() + static_cast<std::ptrdiff_t>(options_.hop_frames), buffer_.begin() + static_cast<std::ptrdiff_t>(buffer_fill_),
            buffer_.begin());
  buffer_fill_ -= options_.hop_frames;
}

void StreamingStft::push(std::span<const float> samples, const StftVisitor& visitor) {
  for (std::size_t offset = 0; offset < samples.size();) {
    const std::size_t take = std::min(samples.size() - offset, buffer_.size() - buffer_fill_);
    std::copy_n(samples.begin() + static_cast<std::ptrdiff_t>(offset), take, buffer_.begin() + static_cast<std::ptrdiff_t>(buffer_fill_));
    buffer_fill_ += take;
    offset += take;
    samples_pushed_ += take;
    while (buffer_fill_ >= options_.frame_frames) emit(visitor, options_.frame_frames);
  }
}

void StreamingStft::flush(const StftVisitor& visitor) {
  const std::size_t total = stft_frame_count(samples_pushed_, options_);
  while (frames_emitted_ < total) {
    std::fill(buffer_.begin() + static_cast<std::ptrdiff_t>(buffer_fill_), buffer_.end(), 0.0f);
    const auto start = static_cast<std::ptrdiff_t>(frames_emitted_ * options_.hop_frames) -
                       static_cast<std::ptrdiff_t>(stft_time_offset_frames(options_));
    const auto signal_end = static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(
        static_cast<std::ptrdiff_t>(samples_pushed_) - start, 0, static_cast<std::ptrdiff_t>(options_.frame_frames)));
    buffer_fill_ = options_.frame_frames;
    emit(visitor, signal_end);
  }
}

}  // namespace resound::analysis
