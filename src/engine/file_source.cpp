// FileSource: copy frames out of the decoded clip; resample once when the rates differ.
#include "resound/engine/file_source.hpp"

#include <algorithm>
#include <cmath>

#include "resound/dsp/resampler.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::engine {

Expected<std::unique_ptr<FileSource>> FileSource::open(const std::filesystem::path& path) {
  auto clip = formats::read_audio_file(path);
  if (!clip) return clip.error();
  if (clip->audio.channel_count() == 0)
    return Error{ErrorCode::kCorruptData, "audio file has no channels", {.file = path.string()}};
  return std::make_unique<FileSource>(std::move(*clip));
}

FileSource::FileSource(AudioClip clip) : original_(std::move(clip)), sample_rate_hz_(original_.sample_rate_hz) {}

void FileSource::prepare(double sample_rate_hz, std::size_t) {
  if (sample_rate_hz == sample_rate_hz_ && (playing_.frame_count() > 0 || sample_rate_hz == original_.sample_rate_hz))
    return;
  const double old_rate = sample_rate_hz_;
  sample_rate_hz_ = sample_rate_hz;
  playing_ = AudioBuffer();
  if (sample_rate_hz != original_.sample_rate_hz && original_.audio.frame_count() > 0) {
    auto resampled = dsp::resample(original_.audio.view(), original_.sample_rate_hz, sample_rate_hz);
    // A resampler failure leaves the clip at its own rate (wrong pitch beats silence).
    if (resampled) playing_ = std::move(*resampled);
  }
  if (old_rate > 0.0)  // keep the play position in time across a rate change
    position_ = std::clamp<std::int64_t>(std::llround(static_cast<double>(position_) * sample_rate_hz / old_rate), 0,
                                         length_frames());
}

std::int64_t FileSource::length_frames() const noexcept {
  const AudioBuffer& audio = playing_.frame_count() > 0 ? playing_ : original_.audio;
  return static_cast<std::int64_t>(audio.frame_count());
}

std::size_t FileSource::process(AudioView output) noexcept {
  const AudioBuffer& audio = playing_.frame_count() > 0 ? playing_ : original_.audio;
  const auto available = static_cast<std::size_t>(std::max<std::int64_t>(0, length_frames() - position_));
  const std::size_t frames = std::min(output.frame_count(), available);
  copy_audio(audio.view().subview(static_cast<std::size_t>(position_), frames), output.subview(0, frames));
  output.subview(frames, output.frame_count() - frames).clear();
  position_ += static_cast<std::int64_t>(frames);
  return frames;
}

void FileSource::seek(std::int64_t frame) noexcept { position_ = std::clamp<std::int64_t>(frame, 0, length_frames()); }

}  // namespace resound::engine
