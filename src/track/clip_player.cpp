// ClipPlayer: loads overlay clips (libsndfile), resamples with soxr, mono → stereo, gain/fades/envelope on add.
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

Expected<std::unique_ptr<ClipPlayer>> ClipPlayer::create(const std::vector<ClipSpec>& clips, double sample_rate_hz) {
  auto player = std::make_unique<ClipPlayer>();
  for (std::size_t index = 0; index < clips.size(); ++index) {
    const ClipSpec& spec = clips[index];
    const std::string field = "overlay_clips[" + std::to_string(index) + "]";
    auto decoded = formats::read_audio_file(spec.path);
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
    clip.start_frame = static_cast<std::int64_t>(spec.start_s * sample_rate_hz);
    clip.gain = spec.gain;
    clip.fade_in_frames = static_cast<std::int64_t>(spec.fade_in_s * sample_rate_hz);
    clip.fade_out_frames = static_cast<std::int64_t>(spec.fade_out_s * sample_rate_hz);
    // A truncated clip gets the 50 ms fade-out Session-Builder applies.
    if (spec.duration_s && frames < audio.frame_count())
      clip.fade_out_frames = std::max(clip.fade_out_frames, static_cast<std::int64_t>(0.05 * sample_rate_hz));
    for (const auto& point : spec.amp_envelope) clip.envelope.emplace_back(point.time_s * sample_rate_hz, point.amplitude);
    player->clips_.push_back(std::move(clip));
  }
  return player;
}

double ClipPlayer::envelope_at(const Clip& clip, double frame) noexcept {
  return interpolate_envelope(clip.envelope, frame);
}

void ClipPlayer::render_add(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept {
  const auto block_end = first + static_cast<std::int64_t>(left.size());
  for (const Clip& clip : clips_) {
    const auto length = static_cast<std::int64_t>(clip.audio.frame_count());
    const std::int64_t begin = std::max(first, clip.start_frame);
    const std::int64_t end = std::min(block_end, clip.start_frame + length);
    const auto clip_left = clip.audio.view().channel(0);
    const auto clip_right = clip.audio.view().channel(1);
    for (std::int64_t t = begin; t < end; ++t) {
      const std::int64_t j = t - clip.start_frame;
      double gain = clip.gain;
      if (j < clip.fade_in_frames) gain *= static_cast<double>(j) / static_cast<double>(clip.fade_in_frames);
      if (length - j <= clip.fade_out_frames)
        gain *= static_cast<double>(length - 1 - j) / static_cast<double>(std::max<std::int64_t>(1, clip.fade_out_frames - 1));
      if (!clip.envelope.empty()) gain *= envelope_at(clip, static_cast<double>(t));
      const auto at = static_cast<std::size_t>(t - first);
      left[at] += static_cast<float>(clip_left[static_cast<std::size_t>(j)] * gain);
      right[at] += static_cast<float>(clip_right[static_cast<std::size_t>(j)] * gain);
    }
  }
}

std::int64_t ClipPlayer::end_frame() const noexcept {
  std::int64_t end = 0;
  for (const Clip& clip : clips_) end = std::max(end, clip.start_frame + static_cast<std::int64_t>(clip.audio.frame_count()));
  return end;
}

}  // namespace resound::track
