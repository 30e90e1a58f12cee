// TransitionAlpha: the per-sample transition position α of a `_transition` voice, and its running sum (for phases).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/track/alpha_expression.hpp"
#include "resound/track/param_value.hpp"

namespace resound::track::voices {

/// α for sample k of a voice of `frames` samples over `duration_s`, as calculate_transition_alpha:
/// t_k = k·duration/frames; α = curve(clip((t-start)/span, 0, 1)), or a step at `start` when span ≤ 0.
/// `cumulative(i)` = Σ_{k≤i} α_k is exact in closed form for the built-in curves (so phases of
/// lerped frequencies can be computed at any sample without running through the earlier ones);
/// expression curves use checkpoints taken once at construction.
/// Thread contract: create OFF; the rest const, RT-safe.
class TransitionAlpha {
 public:
  static Expected<TransitionAlpha> create(const ParamMap& params, double duration_s, std::int64_t frames);
  /// A transition over the whole voice, linear, with no offset (used by voices that ignore the keys).
  static TransitionAlpha whole_voice(double duration_s, std::int64_t frames);

  [[nodiscard]] double at(std::int64_t k) const noexcept;
  /// Σ_{k=0..i} α_k; 0 for i < 0.
  [[nodiscard]] double cumulative(std::int64_t i) const noexcept;
  /// α for frames [first, first + out.size()).
  void fill(std::int64_t first, std::span<double> out) const noexcept;

 private:
  enum class Curve { kLinear, kLogarithmic, kExponential, kExpression };
  [[nodiscard]] double shape(double u) const noexcept;
  [[nodiscard]] double ramp_sum(std::int64_t count) const noexcept;  // Σ of the curve over the first `count` ramp samples

  double dt_ = 0.0;
  double start_s_ = 0.0;
  double span_s_ = 0.0;
  bool step_ = false;
  std::int64_t ramp_begin_ = 0;  // first k with t_k >= start
  std::int64_t ramp_end_ = 0;    // first k with u_k >= 1 (or ramp_begin_ for a step)
  Curve curve_ = Curve::kLinear;
  std::shared_ptr<const AlphaExpression> expression_;
  std::vector<double> checkpoints_;  // expression curves: Σ α over [0, c·kCheckpoint)
  // Expression curves: the last sum handed out, so consecutive blocks continue instead of re-summing
  // from a checkpoint (a voice renders on one thread, so this cache needs no synchronisation).
  mutable std::int64_t cached_index_ = -1;
  mutable double cached_sum_ = 0.0;
};

}  // namespace resound::track::voices
