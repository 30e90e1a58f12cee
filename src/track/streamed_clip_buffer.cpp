// StreamedClipBuffer: the writer side (segment allocation, validation, publication of new frames).
#include "streamed_clip_buffer.hpp"

#include <cmath>
#include <string>

namespace resound::track {

StreamedClipBuffer::~StreamedClipBuffer() {
  for (float* segment : segments_) delete[] segment;
}

Expected<void> StreamedClipBuffer::append(std::span<const float> interleaved_stereo, bool finished) {
  if (finished_.load(std::memory_order_relaxed))
    return Error(ErrorCode::kInvalidArgument, "the streamed clip was already marked finished");
  if (interleaved_stereo.size() % 2 != 0)
    return Error(ErrorCode::kInvalidArgument,
                 "streamed clip samples are interleaved stereo, so their count must be even (got " +
                     std::to_string(interleaved_stereo.size()) + ")");
  for (std::size_t i = 0; i < interleaved_stereo.size(); ++i)
    if (!std::isfinite(interleaved_stereo[i]))
      return Error(ErrorCode::kInvalidArgument, "streamed clip sample " + std::to_string(i) + " is not finite");
  const std::int64_t start = available_frames_.load(std::memory_order_relaxed);
  const auto frames = static_cast<std::int64_t>(interleaved_stereo.size() / 2);
  if (frames > kCapacityFrames - start)
    return Error(ErrorCode::kInvalidArgument, "a streamed clip holds at most " + std::to_string(kCapacityFrames) +
                                                  " frames; " + std::to_string(start) + " are already there");
  for (std::int64_t frame = start; frame < start + frames; ++frame) {
    const auto segment_index = static_cast<std::size_t>(frame / kSegmentFrames);
    float*& segment = segments_[segment_index];
    if (segment == nullptr) segment = new float[2 * static_cast<std::size_t>(kSegmentFrames)];
    const auto offset = static_cast<std::size_t>(frame % kSegmentFrames);
    const auto source = 2 * static_cast<std::size_t>(frame - start);
    segment[offset] = interleaved_stereo[source];
    segment[static_cast<std::size_t>(kSegmentFrames) + offset] = interleaved_stereo[source + 1];
  }
  // Publish: the reader sees the new frames (and any new segment pointer) only after this store.
  available_frames_.store(start + frames, std::memory_order_release);
  if (finished) finished_.store(true, std::memory_order_release);
  return {};
}

}  // namespace resound::track
