// AudioFileWriter: streams planar float audio into WAV/FLAC with constant memory, published atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"
#include "resound/formats/audio_format.hpp"

namespace resound::formats {

struct AudioWriteOptions {
  double sample_rate_hz = 44100.0;
  std::size_t channel_count = 2;
  AudioFormat format{};
  /// Add triangular (TPDF) dither of ±1 LSB before quantising to 16 bit. Off: plain rounding.
  bool dither = false;
  /// Seed of the dither noise, so dithered output is reproducible.
  std::uint64_t dither_seed = 0;
  /// Frames the caller expects to write, if known. A WAV whose data will pass 4 GiB is then written
  /// as RF64; otherwise a classic RIFF WAV (what every tool reads), which refuses to outgrow 4 GiB.
  std::int64_t expected_frame_count = 0;
};

/// Streams blocks of any size to a file of any length (WAVs announced past 4 GiB become RF64), holding only
/// a small conversion buffer. Output goes to a temp file and appears under the target name only
/// when `commit()` succeeds; destroying an uncommitted writer deletes it.
/// Integer encodings round to the nearest step (error <= 1/2 LSB, optional TPDF dither first) and
/// clip samples beyond ±1 (never wrap); NaN becomes 0. Float WAV keeps samples exactly.
/// Thread contract: OFF/CT, one thread at a time; never from an audio callback (it does I/O).
class AudioFileWriter {
 public:
  static Expected<AudioFileWriter> create(const std::filesystem::path& path, const AudioWriteOptions& options);

  AudioFileWriter(AudioFileWriter&&) noexcept;
  AudioFileWriter& operator=(AudioFileWriter&&) noexcept;
  ~AudioFileWriter();

  /// Appends `audio` (channel count must match the options).
  Expected<void> write(ConstAudioView audio);
  /// Finalises the header and publishes the file under its name.
  Expected<void> commit();
  /// Abandons the file: nothing is left behind.
  void cancel() noexcept;

  [[nodiscard]] std::int64_t frames_written() const noexcept;
  [[nodiscard]] const AudioWriteOptions& options() const noexcept;

  struct State;  ///< opaque encoder state (libsndfile handle, conversion buffers, atomic output)

 private:
  explicit AudioFileWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Writes a whole buffer to `path` atomically.
Expected<void> write_audio_file(const std::filesystem::path& path, ConstAudioView audio, double sample_rate_hz,
                                AudioFormat format, bool dither = false);

}  // namespace resound::formats
