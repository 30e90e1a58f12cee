// ClipPlayer: loads overlay clips (libsndfile), resamples with soxr, mono → stereo, gain/fades/envelope on add;
// clips whose file cannot be read may instead be streamed in (push_samples).
#include "clip_player.hpp"

#include <algorithm>

#include "resound/dsp/resampler.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::track {

double interpolate_envelope(std::span<const std::pair<double, double>> points, double frame) noexcept {
  if (points.empty()) return 1.0;
  if (frame <= points.front().first) return points.front().second;
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (frame < points[i].first) {
      const auto& [x0, y0] = points[i - 1];
      const auto& [x1, y1] = points[i];
      return x1 > x0 ? y0 + (y1 - y0) * (frame - x0) / (x1 - x0) : y1;
    }
  }
  return points.back().second;
}

namespace {

// Placement, gain, fades and envelope of a clip, whatever its samples come from.
template <typename Clip>
void place_clip(Clip& clip, const ClipSpec& spec, double sample_rate_hz) {
  clip.start_frame = static_cast<std::int64_t>(spec.start_s * sample_rate_hz);
  clip.gain = spec.gain;
  clip.fade_in_frames = static_cast<std::int64_t>(spec.fade_in_s * sample_rate_hz);
  clip.fade_out_frames = static_cast<std::int64_t>(spec.fade_out_s * sample_rate_hz);
  for (const auto& point : spec.amp_envelope) clip.envelope.emplace_back(point.time_s * sample_rate_hz, point.amplitude);
  clip.path = spec.path.string();
}

}  // namespace

Expected<std::unique_ptr<ClipPlayer>> ClipPlayer::create(const std::vector<ClipSpec>& clips, double sample_rate_hz,
                                                         bool stream_unreadable_clips) {
  auto player = std::make_unique<ClipPlayer>();
  for (std::size_t index = 0; index < clips.size(); ++index) {
    const ClipSpec& spec = clips[index];
    const std::string field = "overlay_clips[" + std::to_string(index) + "]";
    auto decoded = formats::read_audio_file(spec.path);
    if (!decoded && stream_unreadable_clips) {
      Clip clip;
      place_clip(clip, spec, sample_rate_hz);
      clip.stream = std::make_unique<StreamedClipBuffer>();
      player->clips_.push_back(std::move(clip));
      continue;
    }
    if (!decoded) return decoded.error().in_field(field);
    AudioClip& source = *decoded;
    AudioBuffer audio = std::move(source.audio);
    if (source.sample_rate_hz != sample_rate_hz) {
      auto resampled = dsp::resample(audio.view(), source.sample_rate_hz, sample_rate_hz);
      if (!resampled) return resampled.error().in_field(field);
      audio = std::move(*resampled);
    }
    if (audio.channel_count() > 2)
      return Error(ErrorCode::kUnsupported, "clips with more than 2 channels are not supported",
                   ErrorContext{.file = spec.path.string(), .field = field});
    std::size_t frames = audio.frame_count();
    if (spec.duration_s) frames = std::min(frames, static_cast<std::size_t>(*spec.duration_s * sample_rate_hz));
    Clip clip;
    clip.audio = AudioBuffer(2, frames);
    for (std::size_t c = 0; c < 2; ++c) {
      const auto input = audio.view().channel(std::min(c, audio.channel_count() - 1));
      std::copy_n(input.begin(), frames, clip.audio.view().channel(c).begin());
    }
    place_clip(clip, spec, sample_rate_hz);
    // A truncated clip gets the 50 ms fade-out Session-Builder applies.
    if (spec.duration_s && frames < audio.frame_count())
      clip.fade_out_frames = std::max(clip.fade_out_frames, static_cast<std::int64_t>(0.05 * sample_rate_hz));
    player->clips_.push_back(std::move(clip));
  }
  return player;
}

double ClipPlayer::envelope_at(const Clip& clip, double frame) noexcept {
  return interpolate_envelope(clip.envelope, frame);
}

template <typename SampleAt>
void ClipPlayer::add_clip(const Clip& clip, std::int64_t length, bool length_known, SampleAt sample_at,
                          std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
  const auto block_end = first + static_cast<std::int64_t>(left.size());
  const std::int64_t begin = std::max(first, clip.start_frame);
  const std::int64_t end = std::min(block_end, clip.start_frame + length);
  for (std::int64_t t = begin; t < end; ++t) {
    const std::int64_t j = t - clip.start_frame;
    double gain = clip.gain;
    if (j < clip.fade_in_frames) gain *= static_cast<double>(j) / static_cast<double>(clip.fade_in_frames);
    if (length_known && length - j <= clip.fade_out_frames)
      gain *= static_cast<double>(length - 1 - j) / static_cast<double>(std::max<std::int64_t>(1, clip.fade_out_frames - 1));
    if (!clip.envelope.empty()) gain *= envelope_at(clip, static_cast<double>(t));
    const auto at = static_cast<std::size_t>(t - first);
    left[at] += static_cast<float>(sample_at(0, j) * gain);
    right[at] += static_cast<float>(sample_at(1, j) * gain);
  }
}

void ClipPlayer::render_add(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept {
  for (const Clip& clip : clips_) {
    if (clip.stream) continue;
    const std::span<const float> channels[2] = {clip.audio.view().channel(0), clip.audio.view().channel(1)};
    add_clip(clip, static_cast<std::int64_t>(clip.audio.frame_count()), true,
             [&channels](std::size_t channel, std::int64_t j) { return channels[channel][static_cast<std::size_t>(j)]; },
             first, left, right);
  }
}

void ClipPlayer::render_add_streamed(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept {
  for (const Clip& clip : clips_) {
    if (!clip.stream) continue;
    // Load `finished` before the count: once finished, the count loaded after it is final.
    const bool finished = clip.stream->finished();
    const StreamedClipBuffer& stream = *clip.stream;
    add_clip(clip, stream.available_frames(), finished,
             [&stream](std::size_t channel, std::int64_t j) { return stream.sample(channel, j); }, first, left, right);
  }
}

Expected<void> ClipPlayer::push_samples(std::size_t clip_index, std::span<const float> interleaved_stereo,
                                        bool finished) {
  const std::string field = "overlay_clips[" + std::to_string(clip_index) + "]";
  if (clip_index >= clips_.size())
    return Error(ErrorCode::kInvalidArgument,
                 "the track has " + std::to_string(clips_.size()) + " overlay clip(s); there is no clip " +
                     std::to_string(clip_index),
                 ErrorContext{.field = field});
  Clip& clip = clips_[clip_index];
  if (!clip.stream)
    return Error(ErrorCode::kInvalidArgument,
                 "this clip plays its file; samples can only be pushed to a clip whose file could not be read",
                 ErrorContext{.file = clip.path, .field = field});
  auto appended = clip.stream->append(interleaved_stereo, finished);
  if (!appended) return appended.error().in_field(field);
  return {};
}

std::int64_t ClipPlayer::end_frame() const noexcept {
  std::int64_t end = 0;
  for (const Clip& clip : clips_)
    if (!clip.stream) end = std::max(end, clip.start_frame + static_cast<std::int64_t>(clip.audio.frame_count()));
  return end;
}

}  // namespace resound::track
