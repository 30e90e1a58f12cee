// SmoothedValue: per-sample one-pole glide toward a target so live parameter changes do not click.
#pragma once

#include <cmath>
#include <initializer_list>

namespace resound::fx::detail {

/// Follows `target` exponentially, one step per sample (so the result never depends on block
/// sizes). Thread contract: configure OFF/RT; next/snap RT.
class SmoothedValue {
 public:
  /// Time constant of the glide; ~30 ms hides zipper noise without sounding sluggish.
  void configure(double time_constant_s, double sample_rate_hz) noexcept {
    coefficient_ = time_constant_s > 0.0 && sample_rate_hz > 0.0 ? 1.0 - std::exp(-1.0 / (time_constant_s * sample_rate_hz)) : 1.0;
  }
  void set_target(double target) noexcept { target_ = target; }
  void snap_to_target() noexcept { current_ = target_; }
  [[nodiscard]] double target() const noexcept { return target_; }
  [[nodiscard]] double current() const noexcept { return current_; }

  double next() noexcept {
    current_ += coefficient_ * (target_ - current_);
    return current_;
  }
  /// Snaps to the target once within a part in 10^12 of it (or 10^-18 of a zero target) and says
  /// whether the glide is over — for callers that stop stepping settled smoothers.
  bool settle() noexcept {
    if (std::abs(target_ - current_) <= 1e-12 * (std::abs(target_) + 1e-6)) current_ = target_;
    return current_ == target_;
  }

 private:
  double current_ = 0.0;
  double target_ = 0.0;
  double coefficient_ = 1.0;
};

/// Equal-power dry/wet gains for a mix in [0, 1]: decorrelated wet signal (reverb, chorus) keeps
/// the overall level, and mix = 1 is a pure send (no dry).
struct DryWetGains {
  float dry = 1.0f;
  float wet = 0.0f;
};
inline DryWetGains equal_power_mix(double mix) noexcept {
  constexpr double kQuarterTurn = 1.5707963267948966;
  mix = mix < 0.0 ? 0.0 : (mix > 1.0 ? 1.0 : mix);
  if (mix >= 1.0) return {0.0f, 1.0f};
  return {static_cast<float>(std::cos(mix * kQuarterTurn)), static_cast<float>(std::sin(mix * kQuarterTurn))};
}

/// Dry and wet gains gliding together toward an equal-power mix (reverb, chorus, convolution).
/// Thread contract: configure OFF/RT; set_mix, snap_to_target, next RT.
struct SmoothedMix {
  SmoothedValue dry;
  SmoothedValue wet;
  void configure(double time_constant_s, double sample_rate_hz) noexcept {
    dry.configure(time_constant_s, sample_rate_hz);
    wet.configure(time_constant_s, sample_rate_hz);
  }
  void set_mix(double mix) noexcept {
    const DryWetGains gains = equal_power_mix(mix);
    dry.set_target(gains.dry);
    wet.set_target(gains.wet);
  }
  void snap_to_target() noexcept {
    dry.snap_to_target();
    wet.snap_to_target();
  }
};

/// Configures (or snaps) a group of smoothers at once: effects keep their list in one place.
inline void configure_smoothers(std::initializer_list<SmoothedValue*> smoothers, double time_constant_s, double sample_rate_hz) noexcept {
  for (SmoothedValue* smoother : smoothers) smoother->configure(time_constant_s, sample_rate_hz);
}
inline void snap_smoothers(std::initializer_list<SmoothedValue*> smoothers) noexcept {
  for (SmoothedValue* smoother : smoothers) smoother->snap_to_target();
}

}  // namespace resound::fx::detail
