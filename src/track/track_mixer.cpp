// TrackMixer: step voices summed, per-step gains, crossfade ramps, then noise and clips — one block at a time.
#include "track_mixer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "background_noise.hpp"
#include "clip_player.hpp"

namespace resound::track {

CrossfadeGains crossfade_gains(CrossfadeCurve curve, std::int64_t i, std::int64_t n) noexcept {
  if (n <= 1) return {1.0, 0.0};
  const double x = static_cast<double>(i) / static_cast<double>(n - 1);
  if (curve == CrossfadeCurve::kEqualPower) {
    const double theta = x * std::numbers::pi / 2.0;
    return {std::cos(theta), std::sin(theta)};
  }
  return {1.0 - x, x};
}

Expected<std::unique_ptr<TrackMixer>> TrackMixer::create(const TrackSpec& spec, double sample_rate_hz,
                                                         std::uint64_t seed, bool stream_unreadable_clips) {
  std::unique_ptr<TrackMixer> mixer(new TrackMixer());
  mixer->sample_rate_hz_ = sample_rate_hz;
  for (std::size_t s = 0; s < spec.steps.size(); ++s) {
    const StepSpec& step = spec.steps[s];
    std::vector<std::unique_ptr<voices::Voice>> built;
    if (step.duration_s > 0.0) {
      for (std::size_t v = 0; v < step.voices.size(); ++v) {
        auto voice = voices::create_voice(step.voices[v], sample_rate_hz, step.duration_s, seed + 1000003ULL * s + v);
        if (!voice)
          return voice.error().in_field("progression[" + std::to_string(s) + "].voices[" + std::to_string(v) + "]");
        if (*voice) built.push_back(std::move(*voice));
      }
    }
    mixer->step_voices_.push_back(std::move(built));
  }
  auto noise = BackgroundNoise::create(spec.background_noise, sample_rate_hz, seed);
  if (!noise) return noise.error().in_field("background_noise");
  mixer->noise_ = std::move(*noise);
  auto clips = ClipPlayer::create(spec.clips, sample_rate_hz, stream_unreadable_clips);
  if (!clips) return clips.error();
  mixer->clips_ = std::move(*clips);
  mixer->scratch_.assign(2 * kBlockFrames, 0.0f);
  return mixer;
}

TrackMixer::~TrackMixer() = default;

std::int64_t TrackMixer::clips_end_frame() const noexcept { return clips_ ? clips_->end_frame() : 0; }

double TrackMixer::steps_bound(std::span<const StepPlacement> steps, std::int64_t first, std::size_t frames) const noexcept {
  const std::int64_t end = first + static_cast<std::int64_t>(frames);
  double bound = 0.0;
  for (const StepPlacement& step : steps) {
    // A step sounds from its start (fade-in) to the end of its shifted content (render_block's range).
    const std::int64_t begin = std::max(step.start_frame, step.start_frame + step.content_shift);
    const std::int64_t stop = step.start_frame + step.content_shift + step.frames;
    if (stop > first && begin < end) bound += step_peak_bound(step.spec_index) * step.gain;
  }
  return bound;
}

void TrackMixer::render_noise(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
  std::fill(left.begin(), left.end(), 0.0f);
  std::fill(right.begin(), right.end(), 0.0f);
  if (noise_) noise_->render_add(first, left, right);
}

void TrackMixer::render_streamed_clips(std::int64_t first, std::span<float> left,
                                       std::span<float> right) const noexcept {
  if (clips_) clips_->render_add_streamed(first, left, right);
}

Expected<void> TrackMixer::push_clip_samples(std::size_t clip_index, std::span<const float> interleaved_stereo,
                                             bool finished) {
  return clips_->push_samples(clip_index, interleaved_stereo, finished);
}

void TrackMixer::set_track_length(std::int64_t frames) noexcept {
  if (noise_) noise_->set_track_length(frames);
}

double TrackMixer::step_peak_bound(std::size_t step_index) const noexcept {
  double bound = 0.0;
  if (step_index < step_voices_.size())
    for (const auto& voice : step_voices_[step_index]) bound += voice->peak_bound();
  return bound;
}

void TrackMixer::render_step(std::size_t step_index, std::int64_t first, std::span<float> left,
                             std::span<float> right) noexcept {
  std::fill(left.begin(), left.end(), 0.0f);
  std::fill(right.begin(), right.end(), 0.0f);
  add_step(step_index, first, left, right);
}

void TrackMixer::add_step(std::size_t step_index, std::int64_t first, std::span<float> left,
                          std::span<float> right) noexcept {
  if (step_index >= step_voices_.size()) return;
  for (auto& voice : step_voices_[step_index]) {
    // A voice renders only inside its own length (all voices of a step share it).
    const std::int64_t begin = std::max<std::int64_t>(first, 0);
    const std::int64_t end = std::min<std::int64_t>(first + static_cast<std::int64_t>(left.size()), voice->length_frames());
    if (end <= begin) continue;
    const auto count = static_cast<std::size_t>(end - begin);
    const auto offset = static_cast<std::size_t>(begin - first);
    voice->render_add(begin, left.subspan(offset, count), right.subspan(offset, count));
  }
}

void TrackMixer::render_mix(std::span<const StepPlacement> steps, CrossfadeCurve curve, std::int64_t first,
                            std::span<float> left, std::span<float> right, bool extras) noexcept {
  for (std::size_t done = 0; done < left.size(); done += kBlockFrames) {
    const std::size_t count = std::min(kBlockFrames, left.size() - done);
    render_block(steps, curve, first + static_cast<std::int64_t>(done), left.subspan(done, count),
                 right.subspan(done, count), extras);
  }
}

void TrackMixer::render_block(std::span<const StepPlacement> steps, CrossfadeCurve curve, std::int64_t first,
                              std::span<float> left, std::span<float> right, bool extras) noexcept {
  std::fill(left.begin(), left.end(), 0.0f);
  std::fill(right.begin(), right.end(), 0.0f);
  const auto block_end = first + static_cast<std::int64_t>(left.size());
  float* step_left = scratch_.data();
  float* step_right = scratch_.data() + kBlockFrames;
  bool untouched = true;  // no step has added to this block yet
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const StepPlacement& step = steps[k];
    const std::int64_t content_begin = step.start_frame + step.content_shift;
    const std::int64_t begin = std::max({first, step.start_frame, content_begin});
    const std::int64_t end = std::min(block_end, content_begin + step.frames);
    if (end <= begin) continue;
    const auto count = static_cast<std::size_t>(end - begin);
    const auto offset = static_cast<std::size_t>(begin - first);
    // Does a crossfade (this step's fade-in, or a later step fading it out) touch [begin, end)?
    bool fading = begin < step.start_frame + step.crossfade_frames;
    for (std::size_t m = k + 1; m < steps.size() && !fading; ++m)
      fading = steps[m].crossfade_frames > 0 && begin < steps[m].start_frame + steps[m].crossfade_frames &&
               end > steps[m].start_frame;
    if (!fading && step.gain == 1.0 && untouched) {
      // The common case: the step's voices accumulate straight into the (still silent) mix. x·1.0 is x and
      // the additions happen in the same order, so the samples equal those through the step buffer.
      add_step(step.spec_index, begin - content_begin, left.subspan(offset, count), right.subspan(offset, count));
      untouched = false;
      continue;
    }
    untouched = false;
    render_step(step.spec_index, begin - content_begin, std::span<float>(step_left, count),
                std::span<float>(step_right, count));
    if (!fading) {
      const double gain = step.gain;
      for (std::size_t i = 0; i < count; ++i) {
        left[offset + i] += static_cast<float>(step_left[i] * gain);
        right[offset + i] += static_cast<float>(step_right[i] * gain);
      }
      continue;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t t = begin + static_cast<std::int64_t>(i);
      double gain = step.gain;
      if (t < step.start_frame + step.crossfade_frames)
        gain *= crossfade_gains(curve, t - step.start_frame, step.crossfade_frames).fade_in;
      // Later steps fading in here fade this (earlier) audio out: the original replaces the overlap
      // by prev·fade_out + new·fade_in.
      for (std::size_t m = k + 1; m < steps.size(); ++m) {
        const StepPlacement& later = steps[m];
        if (t >= later.start_frame && t < later.start_frame + later.crossfade_frames)
          gain *= crossfade_gains(curve, t - later.start_frame, later.crossfade_frames).fade_out;
      }
      left[offset + i] += static_cast<float>(step_left[i] * gain);
      right[offset + i] += static_cast<float>(step_right[i] * gain);
    }
  }
  if (extras) {
    if (noise_) noise_->render_add(first, left, right);
    if (clips_) clips_->render_add(first, left, right);
  }
}

}  // namespace resound::track
