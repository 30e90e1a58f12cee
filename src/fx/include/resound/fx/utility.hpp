// Gain and Pan: the small utility processors (smoothed so automation never clicks).
#pragma once

#include "resound/core/processor.hpp"
#include "resound/fx/detail/smoothed_value.hpp"

namespace resound::fx {

/// Multiplies every channel by a gain in dB, glided over ~10 ms when changed.
/// Thread contract: constructor, prepare OFF; set_gain_db, process, reset RT.
class Gain final : public Processor {
 public:
  explicit Gain(double gain_db = 0.0);
  void set_gain_db(double gain_db) noexcept;
  [[nodiscard]] double gain_db() const noexcept { return gain_db_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  double gain_db_ = 0.0;
  detail::SmoothedValue gain_;
};

/// Stereo balance with a constant-power law: -1 = hard left, 0 = unchanged, +1 = hard right
/// (centre is unity on both sides, and the far side follows a quarter-cosine). Mono audio is left
/// as it is: an in-place processor cannot add channels.
/// Thread contract: constructor, prepare OFF; set_position, process, reset RT.
class Pan final : public Processor {
 public:
  explicit Pan(double position = 0.0);
  void set_position(double position) noexcept;
  [[nodiscard]] double position() const noexcept { return position_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  double position_ = 0.0;
  detail::SmoothedValue left_gain_;
  detail::SmoothedValue right_gain_;
};

}  // namespace resound::fx
