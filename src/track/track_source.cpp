// TrackSource: the Source contract over a TrackPlan — block rendering, exact seeking, optional re-plan at a new rate.
#include "resound/track/track_source.hpp"

#include <algorithm>

#include "track_mixer.hpp"

namespace resound::track {

TrackSource::TrackSource(std::shared_ptr<const TrackPlan> plan) { adopt(std::move(plan)); }

void TrackSource::adopt(std::shared_ptr<const TrackPlan> plan) {
  plan_ = std::move(plan);
  mixer_.reset();
  auto mixer = TrackMixer::create(plan_->spec, plan_->sample_rate_hz, plan_->options.seed,
                                  plan_->options.stream_unreadable_clips);
  // The plan was built from the same spec, so creating its mixer again cannot fail short of memory.
  if (mixer) {
    mixer_ = std::move(*mixer);
    std::int64_t steps_end = 0;
    for (const auto& step : plan_->steps)
      steps_end = std::max(steps_end, step.start_frame + step.content_shift + step.frames);
    mixer_->set_track_length(steps_end);
  }
}

TrackSource::~TrackSource() = default;

void TrackSource::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/) {
  if (sample_rate_hz > 0.0 && sample_rate_hz != plan_->sample_rate_hz) {
    TrackPlanOptions options = plan_->options;
    options.sample_rate_hz = sample_rate_hz;
    auto rebuilt = build_track_plan(plan_->spec, options);
    if (rebuilt) {
      const double position_s = static_cast<double>(position_) / plan_->sample_rate_hz;
      adopt(std::move(*rebuilt));
      position_ = std::min(static_cast<std::int64_t>(position_s * sample_rate_hz), plan_->length_frames);
    }
  }
}

std::size_t TrackSource::process(AudioView output) noexcept {
  const std::size_t frames = output.frame_count();
  const std::int64_t remaining = plan_->length_frames - position_;
  const auto produced = static_cast<std::size_t>(std::clamp<std::int64_t>(remaining, 0, static_cast<std::int64_t>(frames)));
  if (output.channel_count() < 2 || !mixer_) {
    output.clear();
    return produced;
  }
  auto left = output.channel(0);
  auto right = output.channel(1);
  if (produced > 0) {
    mixer_->render_mix(plan_->steps, plan_->crossfade_curve, position_, left.first(produced), right.first(produced), true);
    const auto gain = static_cast<float>(plan_->final_gain);
    for (std::size_t i = 0; i < produced; ++i) {
      left[i] *= gain;
      right[i] *= gain;
    }
    // Streamed clips join after the normalisation: their level was not known when the track was planned.
    mixer_->render_streamed_clips(position_, left.first(produced), right.first(produced));
  }
  for (std::size_t c = 0; c < output.channel_count(); ++c) {
    auto channel = output.channel(c);
    std::fill(channel.begin() + static_cast<std::ptrdiff_t>(c < 2 ? produced : 0), channel.end(), 0.0f);
  }
  position_ += static_cast<std::int64_t>(produced);
  return produced;
}

Expected<void> TrackSource::push_clip_samples(std::size_t clip_index, std::span<const float> interleaved_stereo,
                                              bool finished) {
  if (!mixer_) return Error(ErrorCode::kInternal, "the track source has no mixer");
  return mixer_->push_clip_samples(clip_index, interleaved_stereo, finished);
}

void TrackSource::seek(std::int64_t frame) noexcept {
  // Every part of the mixer renders by absolute frame, so moving the position is all a seek needs.
  position_ = std::clamp<std::int64_t>(frame, 0, plan_->length_frames);
}

Expected<std::unique_ptr<TrackSource>> make_track_source(const TrackSpec& spec, const TrackPlanOptions& options,
                                                         const ProgressCallback& progress) {
  auto plan = build_track_plan(spec, options, progress);
  if (!plan) return plan.error();
  return std::make_unique<TrackSource>(std::move(*plan));
}

}  // namespace resound::track
