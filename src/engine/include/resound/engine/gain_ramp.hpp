// GainRamp: a per-sample linear gain glide, used for click-free pause, resume, seek and crossfades.
#pragma once

#include <cstddef>

#include "resound/core/audio_view.hpp"

namespace resound::engine {

/// A gain that glides linearly to a target over a fixed number of frames. Sample-accurate, so
/// the result does not depend on how the audio is cut into blocks.
/// Thread contract: RT (one thread); configure OFF.
class GainRamp {
 public:
  /// Sets the glide length (>= 1 frame) and jumps to `gain`.
  void configure(std::size_t ramp_frames, float gain) noexcept;

  /// Starts gliding from the current gain to `target`.
  void set_target(float target) noexcept;
  /// Jumps to `gain` (no glide).
  void jump_to(float gain) noexcept;

  [[nodiscard]] float gain() const noexcept { return static_cast<float>(gain_); }
  [[nodiscard]] float target() const noexcept { return static_cast<float>(target_); }
  [[nodiscard]] bool settled() const noexcept { return remaining_frames_ == 0; }
  /// Frames left until the target is reached.
  [[nodiscard]] std::size_t remaining_frames() const noexcept { return remaining_frames_; }

  /// Multiplies `audio` by the gliding gain and advances the glide by its frame count.
  void apply(AudioView audio) noexcept;
  /// Advances the glide by `frames` without audio.
  void advance(std::size_t frames) noexcept;

 private:
  double gain_ = 1.0;
  double target_ = 1.0;
  double step_ = 0.0;
  std::size_t ramp_frames_ = 1;
  std::size_t remaining_frames_ = 0;
};

}  // namespace resound::engine
