// BlockRenderer (private): pulls planar blocks from an AudioCallback and interleaves them for a backend.
#pragma once

#include <cstddef>
#include <span>

#include "resound/audio_io/device.hpp"
#include "resound/core/audio_buffer.hpp"

namespace resound::audio_io::detail {

/// Owns the planar scratch block every backend needs between the callback and its interleaved
/// output. `prepare` allocates (CT); `render_interleaved` is RT and wraps each callback call in a
/// RealtimeScope so the test guard sees it.
class BlockRenderer {
 public:
  void prepare(std::size_t channel_count, std::size_t max_block_frames);

  /// Fills `interleaved` (a whole number of frames) by calling `callback` in blocks of at most
  /// max_block_frames. Returns the frames written. RT.
  std::size_t render_interleaved(AudioCallback& callback, std::span<float> interleaved) noexcept;

  /// Renders one planar block of `frames` (<= max_block_frames) and returns a view of it. RT.
  ConstAudioView render_planar(AudioCallback& callback, std::size_t frames) noexcept;

 private:
  AudioBuffer block_;
};

}  // namespace resound::audio_io::detail
