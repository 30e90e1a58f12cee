// Session: one Source plus an effect chain, controlled live through a lock-free command queue.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"
#include "resound/core/spsc_queue.hpp"
#include "resound/engine/gain_ramp.hpp"

namespace resound::engine {

struct SessionOptions {
  /// Output channels; a source with fewer channels is spread over them (mono -> both sides).
  std::size_t channel_count = 2;
  /// Fade length of pause, resume and seek: long enough to avoid a click, short enough to feel instant.
  double ramp_ms = 5.0;
  /// Crossfade length when update() replaces the source.
  double crossfade_ms = 50.0;
  /// Commands that can wait for the audio thread at once.
  std::size_t command_capacity = 256;
};

/// The unit the engine plays: a Source followed by Processors. A Session is itself a Source, so an
/// offline render is `host::render_to_file(session, …)` and live playback pulls the very same
/// `process()` from the device callback — one code path.
///
/// Live control: the control thread posts commands (pause, resume, seek, replace) into a wait-free
/// queue that `process()` drains at the start of each block. A replacement source is prepared on
/// the control thread and handed over by pointer; the source it replaces comes back through a second
/// queue and is deleted by `collect_garbage()` on the control thread — never on the audio thread.
/// Pause and resume glide over `ramp_ms`; a seek fades out, jumps (Source::seek, nothing rendered
/// in between) and fades in, all inside the block that drains it; a replacement crossfades.
///
/// Thread contract: constructor, add_effect, prepare, destructor OFF; process and seek RT (the one
/// audio thread); request_*, replace_source and collect_garbage CT (one control thread); the
/// meters and position any thread.
class Session final : public Source {
 public:
  explicit Session(std::unique_ptr<Source> source, SessionOptions options = {});
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Appends an effect to the chain (prepared in prepare()). OFF.
  void add_effect(std::unique_ptr<Processor> effect);

  // --- Source (what devices and offline renders pull) ---
  void prepare(double sample_rate_hz, std::size_t max_block_frames) override;
  std::size_t process(AudioView output) noexcept override;
  /// Immediate jump, no fade (offline use: render from a given time). RT.
  void seek(std::int64_t frame) noexcept override;
  [[nodiscard]] std::int64_t position_frames() const noexcept override;
  [[nodiscard]] std::int64_t length_frames() const noexcept override;
  [[nodiscard]] std::size_t channel_count() const noexcept override { return options_.channel_count; }

  /// Makes the next block start from silence and fade in (a device starting mid-track must not
  /// click). OFF: only while no audio thread runs.
  void fade_in_from_silence() noexcept;

  // --- Live control (CT). Each returns false when the command queue is full. ---
  bool request_pause() noexcept;
  bool request_resume() noexcept;
  /// Fades out, moves the source to `frame`, fades in — within the next block.
  bool request_seek(std::int64_t frame) noexcept;
  /// Prepares `source` here, on the control thread, and hands it to the audio thread, which
  /// starts it at the current position with a crossfade. Errors: kInvalidArgument (null or too
  /// many channels), kUnavailable (queue full). CT.
  Expected<void> replace_source(std::unique_ptr<Source> source);
  /// Deletes the sources the audio thread has retired. CT.
  void collect_garbage();

  // --- Meters (any thread) ---
  [[nodiscard]] bool paused() const noexcept { return paused_meter_.load(std::memory_order_relaxed); }
  /// True once the source has ended (the last block was short).
  [[nodiscard]] bool finished() const noexcept { return finished_.load(std::memory_order_relaxed); }
  /// Peak and RMS of the last block (linear, all channels).
  [[nodiscard]] float peak_level() const noexcept { return peak_.load(std::memory_order_relaxed); }
  [[nodiscard]] float rms_level() const noexcept { return rms_.load(std::memory_order_relaxed); }
  [[nodiscard]] double sample_rate_hz() const noexcept { return sample_rate_hz_; }

  /// Largest channel count a source may have.
  static constexpr std::size_t kMaxSourceChannels = 8;

 private:
  struct Command {
    enum class Kind { kPause, kResume, kSeek, kReplace } kind = Kind::kPause;
    std::int64_t frame = 0;
    Source* source = nullptr;
  };

  void drain_commands() noexcept;
  void start_replacement(Source* incoming) noexcept;
  void retire(Source*& source) noexcept;
  std::size_t render_source(Source& source, AudioView output) noexcept;
  void publish_meters(ConstAudioView output) noexcept;

  SessionOptions options_;
  Source* active_ = nullptr;   // owned; audio thread's once playing
  Source* outgoing_ = nullptr; // owned; fading out during a crossfade
  std::vector<std::unique_ptr<Processor>> effects_;
  SpscQueue<Command> commands_;
  SpscQueue<Source*> retired_;
  std::size_t sources_in_flight_ = 0;  // CT: handed over, not yet collected

  double sample_rate_hz_ = 0.0;
  std::size_t max_block_frames_ = 0;
  AudioBuffer source_scratch_;    // a source with a different channel count renders here
  AudioBuffer outgoing_scratch_;  // the fading-out source renders here
  GainRamp master_;               // pause / resume / seek fades
  GainRamp incoming_fade_;        // crossfade: new source 0 -> 1
  GainRamp outgoing_fade_;        // crossfade: old source 1 -> 0
  bool want_paused_ = false;
  std::int64_t pending_seek_ = -1;

  std::atomic<std::int64_t> position_{0};
  std::atomic<std::int64_t> length_{kUnknownLength};
  std::atomic<bool> paused_meter_{false};
  std::atomic<bool> finished_{false};
  std::atomic<float> peak_{0.0f};
  std::atomic<float> rms_{0.0f};
};

}  // namespace resound::engine
