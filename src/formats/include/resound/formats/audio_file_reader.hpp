// AudioFileReader: streams any file libsndfile decodes (WAV, FLAC, Ogg, MP3, AIFF…) as planar float.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"

namespace resound::formats {

/// What a file holds, as its header says.
struct AudioFileInfo {
  std::string container;         ///< "WAV", "FLAC", "OGG", "MPEG", …
  std::string encoding;          ///< "PCM_16", "PCM_24", "FLOAT", "VORBIS", …
  double sample_rate_hz = 0.0;
  std::size_t channel_count = 0;
  std::int64_t frame_count = 0;  ///< frames per channel

  [[nodiscard]] double duration_s() const noexcept {
    return sample_rate_hz > 0.0 ? static_cast<double>(frame_count) / sample_rate_hz : 0.0;
  }
};

struct AudioReadOptions {
  /// Accept a WAV whose data chunk is shorter than its header declares, reading what is there.
  /// Off by default: a truncated file is reported, not silently shortened.
  bool allow_truncated = false;
};

/// A decoder over one open file (or memory block). Move-only.
/// Thread contract: OFF/CT — one thread at a time; never call from an audio callback (it does I/O).
class AudioFileReader {
 public:
  /// Opens `path`. Errors: kNotFound, kIo, kCorruptData (not audio, truncated), kOutOfRange (absurd sizes).
  static Expected<AudioFileReader> open(const std::filesystem::path& path, AudioReadOptions options = {});

  /// Opens encoded audio held in memory (an upload, a fuzz input). `name` is used in error messages.
  /// The bytes must outlive the reader.
  static Expected<AudioFileReader> open_memory(std::span<const std::byte> bytes, std::string name,
                                               AudioReadOptions options = {});

  AudioFileReader(AudioFileReader&&) noexcept;
  AudioFileReader& operator=(AudioFileReader&&) noexcept;
  ~AudioFileReader();

  [[nodiscard]] const AudioFileInfo& info() const noexcept;

  /// Decodes up to destination.frame_count() frames into `destination`, whose channel count must
  /// equal info().channel_count. Returns the frames decoded: 0 only at the end of the file.
  Expected<std::size_t> read(AudioView destination);

  /// Moves the read position to `frame` (0 … frame_count).
  Expected<void> seek(std::int64_t frame);

  struct State;  ///< opaque decoder state (libsndfile handle, scratch buffer)

 private:
  explicit AudioFileReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// The error for a file that decoded to fewer frames than its header declares.
Error truncated_file_error(const std::string& file, std::int64_t declared_frames, std::int64_t decoded_frames);

/// Reads a whole file into memory. Files beyond `max_samples` total samples are refused
/// (kOutOfRange) rather than exhausting memory; stream them with AudioFileReader instead.
Expected<AudioClip> read_audio_file(const std::filesystem::path& path, AudioReadOptions options = {},
                                    std::int64_t max_samples = std::int64_t{1} << 31);

}  // namespace resound::formats
