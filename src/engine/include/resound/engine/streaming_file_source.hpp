// StreamingFileSource: an audio file played from disk through a decoder thread, in constant memory.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"
#include "resound/core/spsc_queue.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::engine {

struct StreamingFileOptions {
  /// Audio decoded ahead of the play position. Memory is this much audio, whatever the file's length.
  double read_ahead_s = 2.0;
  /// Frames per decoded block (the unit handed from the decoder thread to the audio thread).
  std::size_t block_frames = 1024;
  /// Fade-in after a gap (seek before the decoder caught up, or a dropout), so audio never resumes with a click.
  double gap_fade_ms = 3.0;
};

/// Plays a file without decoding it up front. A decoder thread (started in prepare) reads and, when
/// the session runs at another rate, resamples blocks into a pool of fixed buffers handed to the
/// audio thread through wait-free queues, staying `read_ahead_s` ahead of the play position.
///
/// The audio thread never blocks: when no decoded block is ready it outputs silence in its place
/// (time goes on, so the file stays in step with the clock and with a source it crossfades with)
/// and counts a dropout; when audio comes back, at the right frame, it fades in.
/// seek() is a command to the decoder (a generation number): blocks decoded for the old position
/// are dropped as they arrive, and the first block from the new position starts with a fade-in.
///
/// Thread contract: open, prepare, destructor OFF/CT; process and seek RT (one audio thread);
/// queries any thread.
class StreamingFileSource final : public Source {
 public:
  /// Opens `path` (anything formats::AudioFileReader reads) and checks it; decoding starts in prepare().
  static Expected<std::unique_ptr<StreamingFileSource>> open(const std::filesystem::path& path,
                                                             StreamingFileOptions options = {});
  ~StreamingFileSource() override;
  StreamingFileSource(const StreamingFileSource&) = delete;
  StreamingFileSource& operator=(const StreamingFileSource&) = delete;

  void prepare(double sample_rate_hz, std::size_t max_block_frames) override;
  std::size_t process(AudioView output) noexcept override;
  void seek(std::int64_t frame) noexcept override;
  [[nodiscard]] std::int64_t position_frames() const noexcept override;
  [[nodiscard]] std::int64_t length_frames() const noexcept override;
  [[nodiscard]] std::size_t channel_count() const noexcept override { return info_.channel_count; }

  /// The file's header information (its own rate and length).
  [[nodiscard]] const formats::AudioFileInfo& info() const noexcept { return info_; }
  /// Decoded frames waiting for the audio thread at the current position. Any thread.
  [[nodiscard]] std::int64_t buffered_frames() const noexcept;
  /// Times process() found no decoded audio while playing (a seek's first wait not included). Any thread.
  [[nodiscard]] std::uint64_t dropouts() const noexcept { return dropouts_.load(std::memory_order_relaxed); }
  /// Bytes held for decoded audio: fixed by the options, independent of the file's length. Any thread.
  [[nodiscard]] std::size_t buffer_bytes() const noexcept { return buffer_bytes_; }
  /// A decoder error (file vanished, corrupt data); playback then ends there. CT, after finished.
  [[nodiscard]] bool decoder_failed() const noexcept { return decoder_failed_.load(std::memory_order_relaxed); }

 private:
  struct Block {
    AudioBuffer audio;
    std::uint64_t generation = 0;
    std::int64_t start_frame = 0;  // session-rate position of the first frame
    std::size_t frame_count = 0;
    bool last = false;             // the file ends after this block
  };

  StreamingFileSource(std::filesystem::path path, formats::AudioFileReader reader, StreamingFileOptions options);
  void stop_decoder();
  void decode_loop();
  void release_current() noexcept;

  std::filesystem::path path_;
  formats::AudioFileInfo info_;
  StreamingFileOptions options_;
  formats::AudioFileReader reader_;  // decoder thread's once it runs

  double sample_rate_hz_ = 0.0;
  std::int64_t length_frames_ = 0;
  std::vector<Block> blocks_;
  std::unique_ptr<SpscQueue<std::size_t>> filled_;  // decoder -> audio
  std::unique_ptr<SpscQueue<std::size_t>> free_;    // audio -> decoder
  std::size_t buffer_bytes_ = 0;
  std::thread decoder_;
  std::atomic<bool> stopping_{false};

  // Seek command: the audio thread bumps the generation after storing the target.
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> seek_target_{0};

  // Audio thread state.
  std::int64_t position_ = 0;
  std::size_t current_ = SIZE_MAX;    // block being played
  std::size_t current_offset_ = 0;    // frames of it already played
  std::size_t fade_done_frames_ = 0;  // progress of the fade-in after a gap
  std::size_t fade_frames_ = 1;
  bool in_gap_ = true;                // last output was silence for want of audio
  bool waiting_for_seek_ = true;      // the gap is a start or seek, not a dropout

  std::atomic<std::int64_t> position_meter_{0};
  std::atomic<std::uint64_t> decoded_generation_{0};  // decoder: what it queued last, for which seek
  std::atomic<std::int64_t> decoded_until_{0};
  std::atomic<std::uint64_t> dropouts_{0};
  std::atomic<bool> decoder_failed_{false};
};

}  // namespace resound::engine
