// StreamedClipBuffer: stereo samples of an overlay clip that arrive while the track plays (push_clip_samples).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

#include "resound/core/expected.hpp"

namespace resound::track {

/// An append-only stereo sample store with one writer (the control thread) and one reader (the audio
/// thread), without locks: the writer fills frames past `available_frames()` and then publishes the new
/// count (release); the reader only touches frames below the count it loaded (acquire). Storage grows in
/// fixed segments allocated by the writer, so the reader never waits and never allocates, and frames it
/// has read are never moved. Frames are kept until the buffer is destroyed, so seeking back replays them.
/// Thread contract: append CT (one thread); available_frames/finished/read any thread (read RT-safe).
class StreamedClipBuffer {
 public:
  static constexpr std::int64_t kSegmentFrames = std::int64_t{1} << 16;
  static constexpr std::size_t kMaxSegments = 8192;  // 5.3e8 frames: over 3 hours at 48 kHz
  static constexpr std::int64_t kCapacityFrames = kSegmentFrames * static_cast<std::int64_t>(kMaxSegments);

  StreamedClipBuffer() = default;
  StreamedClipBuffer(const StreamedClipBuffer&) = delete;
  StreamedClipBuffer& operator=(const StreamedClipBuffer&) = delete;
  ~StreamedClipBuffer();

  /// Appends interleaved stereo frames (L, R, L, R, …) and, with `finished`, marks the clip complete
  /// (later appends are refused). Errors: an odd sample count, non-finite samples, appending after
  /// the end, or more than kCapacityFrames in all. On error nothing is appended. CT.
  Expected<void> append(std::span<const float> interleaved_stereo, bool finished);

  /// Frames readable now. Any thread.
  [[nodiscard]] std::int64_t available_frames() const noexcept {
    return available_frames_.load(std::memory_order_acquire);
  }
  /// True once the writer said no more frames will come. Any thread.
  [[nodiscard]] bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }

  /// Frame `frame` (< a count returned by available_frames()) of channel 0 or 1. RT.
  [[nodiscard]] float sample(std::size_t channel, std::int64_t frame) const noexcept {
    const auto& segment = segments_[static_cast<std::size_t>(frame / kSegmentFrames)];
    return segment[channel * static_cast<std::size_t>(kSegmentFrames) + static_cast<std::size_t>(frame % kSegmentFrames)];
  }

 private:
  // Each segment holds kSegmentFrames of the left channel, then as many of the right.
  std::array<float*, kMaxSegments> segments_{};
  std::atomic<std::int64_t> available_frames_{0};
  std::atomic<bool> finished_{false};
};

}  // namespace resound::track
