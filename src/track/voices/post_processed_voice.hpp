// PostProcessedVoice: runs a stateful stereo processor (flanger, spatialiser) after a voice, seekable by warm-up.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "voices/voice.hpp"

namespace resound::track::voices {

/// A stateful in-place stereo processor driven by absolute voice frames.
/// Thread contract: construction OFF; the rest RT (no allocation) on the voice's thread.
class StreamProcessor {
 public:
  virtual ~StreamProcessor() = default;
  /// Puts the state where processing may start at `frame`: the exact state for frame 0, otherwise a
  /// state that converges onto the full render's within warmup_frames() of processed input.
  virtual void restart(std::int64_t frame) noexcept = 0;
  /// Processes frames [first, first + left.size()) in place; `first` continues the previous call.
  virtual void process(std::int64_t first, std::span<float> left, std::span<float> right) noexcept = 0;
  /// How many frames before a seek target must be processed (and discarded) after restart().
  [[nodiscard]] virtual std::int64_t warmup_frames() const noexcept = 0;
};

/// Wraps `inner` with `processor`. Contiguous renders carry the state; a jump restarts the processor
/// warmup_frames() earlier and runs it over the voice's own audio, so a seek reproduces the full
/// render (bit-exact when the processor's state is exactly recoverable, within ~1e-9 otherwise).
std::unique_ptr<Voice> make_post_processed_voice(std::unique_ptr<Voice> inner, std::unique_ptr<StreamProcessor> processor);

}  // namespace resound::track::voices
