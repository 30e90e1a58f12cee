// GainRamp: the glide arithmetic (a step per frame; the last frame lands exactly on the target).
#include "resound/engine/gain_ramp.hpp"

#include <algorithm>
#include <cmath>

namespace resound::engine {

void GainRamp::configure(std::size_t ramp_frames, float gain) noexcept {
  ramp_frames_ = std::max<std::size_t>(1, ramp_frames);
  jump_to(gain);
}

void GainRamp::jump_to(float gain) noexcept {
  gain_ = target_ = gain;
  step_ = 0.0;
  remaining_frames_ = 0;
}

void GainRamp::set_target(float target) noexcept {
  if (static_cast<double>(target) == target_ && remaining_frames_ == 0 && gain_ == target_) return;
  target_ = target;
  // A full glide (0 -> 1) takes ramp_frames; a partial one proportionally less, same slope.
  const double distance = std::abs(target_ - gain_);
  remaining_frames_ = distance == 0.0 ? 0 : std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(distance * static_cast<double>(ramp_frames_))));
  step_ = remaining_frames_ == 0 ? 0.0 : (target_ - gain_) / static_cast<double>(remaining_frames_);
}

void GainRamp::advance(std::size_t frames) noexcept {
  const std::size_t gliding = std::min(frames, remaining_frames_);
  gain_ += step_ * static_cast<double>(gliding);
  remaining_frames_ -= gliding;
  if (remaining_frames_ == 0) gain_ = target_;
}

void GainRamp::apply(AudioView audio) noexcept {
  const std::size_t frames = audio.frame_count();
  const std::size_t gliding = std::min(frames, remaining_frames_);
  for (std::size_t c = 0; c < audio.channel_count(); ++c) {
    const auto samples = audio.channel(c);
    double gain = gain_;
    for (std::size_t i = 0; i < gliding; ++i) {
      gain += step_;
      samples[i] *= static_cast<float>(gain);
    }
    const auto final_gain = static_cast<float>(gliding == remaining_frames_ ? target_ : gain);
    if (final_gain != 1.0f)
      for (std::size_t i = gliding; i < frames; ++i) samples[i] *= final_gain;
  }
  advance(frames);
}

}  // namespace resound::engine
