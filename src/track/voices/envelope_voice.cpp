// EnvelopeVoice: multiplies a voice by a gain that is a pure function of the frame (so seeking stays exact).
#include "voices/envelope_voice.hpp"

#include <algorithm>
#include <vector>

#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

struct Breakpoint {
  double frame;
  double gain;
};

/// A piecewise-linear gain over frames, held at both ends (linear segments between breakpoints).
class PiecewiseGain {
 public:
  explicit PiecewiseGain(std::vector<Breakpoint> points) : points_(std::move(points)) {}
  [[nodiscard]] bool empty() const noexcept { return points_.empty(); }
  /// The largest |gain| (1 when empty); linear segments peak at their breakpoints.
  [[nodiscard]] double max_abs_gain() const noexcept {
    double largest = points_.empty() ? 1.0 : 0.0;
    for (const Breakpoint& p : points_) largest = std::max(largest, std::fabs(p.gain));
    return largest;
  }
  [[nodiscard]] double at(double frame) const noexcept {
    if (points_.empty()) return 1.0;
    if (frame <= points_.front().frame) return points_.front().gain;
    for (std::size_t i = 1; i < points_.size(); ++i) {
      if (frame < points_[i].frame) {
        const Breakpoint& a = points_[i - 1];
        const Breakpoint& b = points_[i];
        return b.frame > a.frame ? a.gain + (b.gain - a.gain) * (frame - a.frame) / (b.frame - a.frame) : b.gain;
      }
    }
    return points_.back().gain;
  }

 private:
  std::vector<Breakpoint> points_;
};

class EnvelopeVoice final : public Voice {
 public:
  EnvelopeVoice(std::unique_ptr<Voice> inner, PiecewiseGain gain, std::int64_t declick_frames)
      : Voice(inner->length_frames()), inner_(std::move(inner)), gain_(std::move(gain)), declick_frames_(declick_frames) {}

  [[nodiscard]] double peak_bound() const noexcept override { return inner_->peak_bound() * gain_.max_abs_gain(); }

  void render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    if (passes_through(first, left.size())) {
      inner_->render_add(first, left, right);
      return;
    }
    Voice::render_add(first, left, right);
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    inner_->render(first, left, right);
    if (passes_through(first, left.size())) return;
    const std::int64_t length = length_frames();
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      double gain = gain_.at(static_cast<double>(k));
      if (declick_frames_ > 0) {
        // linspace(0,1,L) at the start and linspace(1,0,L) at the end.
        const double denominator = declick_frames_ > 1 ? static_cast<double>(declick_frames_ - 1) : 1.0;
        if (k < declick_frames_) gain *= declick_frames_ > 1 ? static_cast<double>(k) / denominator : 0.0;
        const std::int64_t from_end = k - (length - declick_frames_);
        if (from_end >= 0) gain *= declick_frames_ > 1 ? 1.0 - static_cast<double>(from_end) / denominator : 1.0;
      }
      left[i] = static_cast<float>(left[i] * gain);
      right[i] = static_cast<float>(right[i] * gain);
    }
  }

 private:
  /// Most blocks lie between the de-click fades of a voice without an envelope: nothing to apply there.
  [[nodiscard]] bool passes_through(std::int64_t first, std::size_t count) const noexcept {
    return gain_.empty() && first >= declick_frames_ &&
           first + static_cast<std::int64_t>(count) <= length_frames() - declick_frames_;
  }

  std::unique_ptr<Voice> inner_;
  PiecewiseGain gain_;
  std::int64_t declick_frames_;
};

}  // namespace

std::unique_ptr<Voice> apply_envelope(std::unique_ptr<Voice> voice, const std::optional<EnvelopeSpec>& envelope,
                                      double sample_rate_hz) {
  if (!envelope) return voice;
  const double end = static_cast<double>(voice->length_frames());
  std::vector<Breakpoint> points;
  auto seconds = [&](double s) { return std::clamp(s * sample_rate_hz, 0.0, end); };
  const ParamMap& p = envelope->params;
  if (envelope->type == "linear_fade") {
    const double fade = seconds(number_param(p, "fade_duration", 0.0));
    points = {{0.0, number_param(p, "start_amp", 0.0)}, {fade, number_param(p, "end_amp", 1.0)}};
  } else if (envelope->type == "adsr") {
    const double attack = seconds(number_param(p, "attack", 0.01));
    const double decay = std::min(end, attack + seconds(number_param(p, "decay", 0.1)));
    const double sustain = number_param(p, "sustain_level", 0.8);
    const double release_start = std::max(decay, end - seconds(number_param(p, "release", 0.1)));
    points = {{0.0, 0.0}, {attack, 1.0}, {decay, sustain}, {release_start, sustain}, {end, 0.0}};
  } else if (envelope->type == "linen") {
    const double attack = seconds(number_param(p, "attack", 0.01));
    const double release_start = std::max(attack, end - seconds(number_param(p, "release", 0.1)));
    points = {{0.0, 0.0}, {attack, 1.0}, {release_start, 1.0}, {end, 0.0}};
  }
  return std::make_unique<EnvelopeVoice>(std::move(voice), PiecewiseGain(std::move(points)), 0);
}

std::unique_ptr<Voice> apply_declick(std::unique_ptr<Voice> voice, double sample_rate_hz) {
  const std::int64_t declick = std::min<std::int64_t>(voice->length_frames(), static_cast<std::int64_t>(0.01 * sample_rate_hz));
  return std::make_unique<EnvelopeVoice>(std::move(voice), PiecewiseGain({}), declick);
}

}  // namespace resound::track::voices
