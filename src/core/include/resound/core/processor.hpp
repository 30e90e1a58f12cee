// Processor and Source: the block-processing contract every effect and every sound source follows.
#pragma once

#include <cstddef>
#include <cstdint>

#include "resound/core/audio_view.hpp"

namespace resound {

/// An effect that transforms audio in place, block by block (EQ, reverb, limiter, a whole Chain).
///
/// Recipe (DESIGN.md): `prepare()` allocates everything the processor will ever need;
/// `process()` then never allocates, locks, logs, does I/O or throws; `reset()` clears state
/// (tails, envelopes) without allocating; `latency_frames()` tells how late the output is.
///
/// Thread contract: prepare OFF; process and reset RT (one audio thread); latency_frames any thread.
class Processor {
 public:
  virtual ~Processor() = default;

  /// Allocates for blocks of up to `max_block_frames` frames of `channel_count` channels.
  virtual void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) = 0;

  /// Processes `audio` in place. `audio.frame_count()` <= max_block_frames; channel count as prepared.
  virtual void process(AudioView audio) noexcept = 0;

  /// Forgets all internal state (as if freshly prepared). RT-safe.
  virtual void reset() noexcept = 0;

  /// Delay, in frames, between input and output (0 for zero-latency processors).
  [[nodiscard]] virtual std::size_t latency_frames() const noexcept { return 0; }
};

/// Marks "length not known in advance" (a live MIDI synth, an endless generator).
inline constexpr std::int64_t kUnknownLength = -1;

/// Something that produces audio: a MIDI file through the synthesizer, an entrainment track, a
/// decoded file, or an engine Session (source + effects). Offline renders and live playback pull
/// the very same `process()` calls — one code path.
///
/// Thread contract: prepare OFF; process and seek RT (one audio thread, no allocation, lock, I/O);
/// the const queries any thread once prepared.
class Source {
 public:
  virtual ~Source() = default;

  /// Allocates for blocks of up to `max_block_frames` frames at `sample_rate_hz`. May be called
  /// again (new rate or block size); keeps the play position.
  virtual void prepare(double sample_rate_hz, std::size_t max_block_frames) = 0;

  /// Fills `output` (channel_count() channels, frames <= max_block_frames) with the next frames.
  /// Returns how many frames hold the source's audio: fewer than output.frame_count() only when the
  /// source has ended (the rest of the block is zeroed). Output never depends on block sizes.
  virtual std::size_t process(AudioView output) noexcept = 0;

  /// Moves the play position to `frame` (clamped to [0, length]) so that the next process()
  /// yields exactly what a render from the start has there — without rendering the skipped audio
  /// where the source can compute its state directly.
  virtual void seek(std::int64_t frame) noexcept = 0;

  /// The current play position in frames.
  [[nodiscard]] virtual std::int64_t position_frames() const noexcept = 0;

  /// Total length in frames, or kUnknownLength.
  [[nodiscard]] virtual std::int64_t length_frames() const noexcept = 0;

  /// Output channels (2 for the synthesizer and tracks).
  [[nodiscard]] virtual std::size_t channel_count() const noexcept = 0;
};

}  // namespace resound
