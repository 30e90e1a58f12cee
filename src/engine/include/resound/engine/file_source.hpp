// FileSource: a decoded audio file played as a Source (decoded and resampled up front).
#pragma once

#include <filesystem>
#include <memory>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"

namespace resound::engine {

/// Plays a whole decoded clip. The file is decoded once, on the control thread, when it is
/// opened, and resampled in prepare() when the session runs at another rate: process() and seek()
/// are then plain memory copies — RT-safe, and seek is exact and instant. The cost is memory
/// (a 10-minute stereo file is ~230 MB as float): live playback of files uses StreamingFileSource,
/// which decodes on its own thread in constant memory; this one serves clips already in memory
/// and offline references.
/// Thread contract: open/from_clip/prepare OFF; process/seek RT; queries any thread.
class FileSource final : public Source {
 public:
  /// Decodes `path` (anything formats::read_audio_file reads).
  static Expected<std::unique_ptr<FileSource>> open(const std::filesystem::path& path);
  /// Plays audio already in memory.
  explicit FileSource(AudioClip clip);

  void prepare(double sample_rate_hz, std::size_t max_block_frames) override;
  std::size_t process(AudioView output) noexcept override;
  void seek(std::int64_t frame) noexcept override;
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override;
  [[nodiscard]] std::size_t channel_count() const noexcept override { return original_.audio.channel_count(); }
  /// The decoded file, at its own rate.
  [[nodiscard]] const AudioClip& clip() const noexcept { return original_; }
  /// The rate process() currently plays at (the file's own until prepared at another).
  [[nodiscard]] double sample_rate_hz() const noexcept { return sample_rate_hz_; }

 private:
  AudioClip original_;
  AudioBuffer playing_;       // original_ at the prepared rate (empty: same rate, play original_)
  double sample_rate_hz_ = 0.0;
  std::int64_t position_ = 0;
};

}  // namespace resound::engine
