// TransitionAlpha: closed-form α and Σα for the built-in curves; checkpointed sums for expression curves.
#include "voices/transition_alpha.hpp"

#include "resound/dsp/vector_clones.hpp"
#include "voices/voice_math.hpp"

#include <algorithm>
#include <cmath>

namespace resound::track::voices {
namespace {
constexpr std::int64_t kCheckpoint = 16384;
}

Expected<TransitionAlpha> TransitionAlpha::create(const ParamMap& params, double duration_s, std::int64_t frames) {
  TransitionAlpha alpha;
  alpha.dt_ = frames > 0 ? duration_s / static_cast<double>(frames) : 0.0;
  const double offset_s = number_param(params, "initial_offset", 0.0);
  const ParamValue* duration_value = find_param(params, "transition_duration");
  const double start_s = std::min(offset_s, duration_s);
  double span_s = duration_value != nullptr ? duration_value->as_number().value_or(duration_s - offset_s)
                                            : duration_s - offset_s;
  span_s = std::max(0.0, std::min(span_s, duration_s - start_s));
  alpha.start_s_ = start_s;
  alpha.span_s_ = span_s;
  alpha.step_ = !(span_s > 0.0);
  const std::string curve = string_param(params, "transition_curve", "linear");
  if (curve == "linear") {
    alpha.curve_ = Curve::kLinear;
  } else if (curve == "logarithmic") {
    alpha.curve_ = Curve::kLogarithmic;
  } else if (curve == "exponential") {
    alpha.curve_ = Curve::kExponential;
  } else {
    auto expression = AlphaExpression::compile(curve);
    if (!expression) return expression.error();
    alpha.curve_ = Curve::kExpression;
    alpha.expression_ = std::make_shared<const AlphaExpression>(std::move(*expression));
  }
  // Boundaries found with the very expressions at() uses, so sums and samples agree exactly.
  auto first_at_least = [&](auto&& predicate) {
    std::int64_t low = 0, high = frames;
    while (low < high) {
      const std::int64_t middle = low + (high - low) / 2;
      if (predicate(middle)) high = middle; else low = middle + 1;
    }
    return low;
  };
  alpha.ramp_begin_ = first_at_least([&](std::int64_t k) { return static_cast<double>(k) * alpha.dt_ >= start_s; });
  alpha.ramp_end_ = alpha.step_ ? alpha.ramp_begin_ : first_at_least([&](std::int64_t k) {
    return (static_cast<double>(k) * alpha.dt_ - start_s) / span_s >= 1.0;
  });
  alpha.ramp_end_ = std::max(alpha.ramp_end_, alpha.ramp_begin_);
  if (alpha.curve_ == Curve::kExpression) {
    double sum = 0.0;
    for (std::int64_t k = 0; k < frames; ++k) {
      if (k % kCheckpoint == 0) alpha.checkpoints_.push_back(sum);
      sum += alpha.at(k);
    }
  }
  return alpha;
}

TransitionAlpha TransitionAlpha::whole_voice(double duration_s, std::int64_t frames) {
  ParamMap none;
  return std::move(*create(none, duration_s, frames));
}

double TransitionAlpha::shape(double u) const noexcept {
  switch (curve_) {
    case Curve::kLinear: return u;
    case Curve::kLogarithmic: return 1.0 - (1.0 - u) * (1.0 - u);
    case Curve::kExponential: return u * u;
    case Curve::kExpression: return expression_->evaluate(u);
  }
  return u;
}

double TransitionAlpha::at(std::int64_t k) const noexcept {
  if (k < ramp_begin_) return 0.0;
  if (step_) return 1.0;
  const double u = std::clamp((static_cast<double>(k) * dt_ - start_s_) / span_s_, 0.0, 1.0);
  return shape(u);
}

namespace {

/// α of the built-in curves (0 linear, 1 exponential, 2 logarithmic) for `count` frames from `first`:
/// the same arithmetic as TransitionAlpha::at, branch-free and one loop per curve, so it vectorises.
RESOUND_VECTOR_CLONES_AVX2
void fill_ramp(double first, double ramp_begin, double dt, double start, double span, int curve, double* out,
               std::size_t count) noexcept {
  auto fill = [&](auto shape) {
    for (std::size_t i = 0; i < count; ++i) {
      const double k = frame_index(first, i);
      const double raw = (k * dt - start) / span;
      const bool below = raw < 0.0;
      const bool above = raw > 1.0;
      const double shaped = shape(below ? 0.0 : (above ? 1.0 : raw));
      out[i] = k < ramp_begin ? 0.0 : shaped;
    }
  };
  if (curve == 0) fill([](double u) { return u; });
  else if (curve == 1) fill([](double u) { return u * u; });
  else fill([](double u) { return 1.0 - (1.0 - u) * (1.0 - u); });
}

}  // namespace

void TransitionAlpha::fill(std::int64_t first, std::span<double> out) const noexcept {
  constexpr std::size_t kMostAtOnce = std::size_t{1} << 30;  // frame_index takes 32-bit offsets
  if (out.size() > kMostAtOnce) {
    fill(first, out.first(kMostAtOnce));
    fill(first + static_cast<std::int64_t>(kMostAtOnce), out.subspan(kMostAtOnce));
    return;
  }
  if (curve_ == Curve::kExpression || step_) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = at(first + static_cast<std::int64_t>(i));
    return;
  }
  fill_ramp(static_cast<double>(first), static_cast<double>(ramp_begin_), dt_, start_s_, span_s_,
            curve_ == Curve::kLinear ? 0 : (curve_ == Curve::kExponential ? 1 : 2), out.data(), out.size());
}

double TransitionAlpha::ramp_sum(std::int64_t count) const noexcept {
  // u_j = u0 + p·j for the j-th ramp sample; Σu and Σu² in closed form.
  if (count <= 0) return 0.0;
  const double p = dt_ / span_s_;
  const double u0 = (static_cast<double>(ramp_begin_) * dt_ - start_s_) / span_s_;
  const double n = static_cast<double>(count);
  const double sum_j = n * (n - 1.0) / 2.0;
  const double sum_j2 = (n - 1.0) * n * (2.0 * n - 1.0) / 6.0;
  const double sum_u = n * u0 + p * sum_j;
  const double sum_u2 = n * u0 * u0 + 2.0 * u0 * p * sum_j + p * p * sum_j2;
  switch (curve_) {
    case Curve::kLinear: return sum_u;
    case Curve::kLogarithmic: return 2.0 * sum_u - sum_u2;
    case Curve::kExponential: return sum_u2;
    case Curve::kExpression: break;
  }
  return 0.0;
}

double TransitionAlpha::cumulative(std::int64_t i) const noexcept {
  if (i < 0) return 0.0;
  if (curve_ == Curve::kExpression) {
    const std::int64_t checkpoint = std::min<std::int64_t>(i / kCheckpoint, static_cast<std::int64_t>(checkpoints_.size()) - 1);
    if (checkpoint < 0) return 0.0;
    std::int64_t from = checkpoint * kCheckpoint;
    double sum = checkpoints_[static_cast<std::size_t>(checkpoint)];
    // Continue from the cached sum when it lies between the checkpoint and i (same summation order).
    if (cached_index_ >= from && cached_index_ <= i) {
      from = cached_index_ + 1;
      sum = cached_sum_;
    }
    for (std::int64_t k = from; k <= i; ++k) sum += at(k);
    cached_index_ = i;
    cached_sum_ = sum;
    return sum;
  }
  const std::int64_t count = i + 1;
  if (count <= ramp_begin_) return 0.0;
  const std::int64_t in_ramp = std::min(count, ramp_end_) - ramp_begin_;
  const double after = static_cast<double>(std::max<std::int64_t>(0, count - ramp_end_));
  return (step_ ? 0.0 : ramp_sum(in_ramp)) + after;
}

}  // namespace resound::track::voices
