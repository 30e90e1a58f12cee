// spatial_angle_modulation(_transition): a carrier moved along a path around the head through KEMAR HRIRs.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

#include "voices/carrier_modulation.hpp"
#include "voices/hrtf_set.hpp"
#include "voices/transition_voice.hpp"
#include "voices/voice_families.hpp"

namespace resound::track::voices {
namespace {

/// Frames between azimuth updates; the HRIR changes at these boundaries with a linear crossfade.
constexpr std::size_t kAzimuthBlock = 64;
static_assert(kChunkFrames % kAzimuthBlock == 0);

enum class PathShape { kCircle, kLinear, kArc, kOscillatingArc, kSquare, kDiamond };

PathShape parse_shape(const std::string& name) {
  if (name == "linear") return PathShape::kLinear;
  if (name == "arc") return PathShape::kArc;
  if (name == "oscillating_arc") return PathShape::kOscillatingArc;
  if (name == "square") return PathShape::kSquare;
  if (name == "diamond") return PathShape::kDiamond;
  return PathShape::kCircle;
}

/// The intended SAMVoice of audio_engine (silent upstream): amp·sin(Σ2πf/sr) placed at the path's azimuth
/// (path phase φ = Σ2π·beat/sr), convolved with the HRIR pair of that azimuth. Output is a pure function
/// of the frame: the carrier history a block needs is recomputed in closed form, so seeks are exact.
class SpatialAngleVoice final : public TransitionVoice {
 public:
  SpatialAngleVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha,
                    std::shared_ptr<const HrtfSet> hrtf)
      : TransitionVoice(context, std::move(alpha)), hrtf_(std::move(hrtf)) {
    const ParamMap& p = context.params;
    amplitude_ = read_value(p, "amp", transition, 0.7);
    carrier_hz_ = read_value(p, "carrierFreq", transition, 440.0);
    beat_hz_ = read_value(p, "beatFreq", transition, 4.0);
    radius_ = read_value(p, "pathRadius", transition, 1.0);
    arc_start_deg_ = read_value(p, "arcStartDeg", transition, 0.0);
    arc_end_deg_ = read_value(p, "arcEndDeg", transition, 360.0);
    const std::string shape = string_param(p, "pathShape", "circle");
    shape_ = parse_shape(transition ? string_param(p, "startPathShape", shape) : shape);
    taps_ = hrtf_ ? hrtf_->length() : 0;
    carrier_.resize(kChunkFrames + taps_);
  }

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    const std::size_t count = left.size();
    if (!hrtf_) {
      std::fill(left.begin(), left.end(), 0.0f);
      std::fill(right.begin(), right.end(), 0.0f);
      return;
    }
    // Carrier for frames [first − taps + 1, first + count): index j holds frame first − taps + 1 + j.
    const std::int64_t history_first = first - static_cast<std::int64_t>(taps_) + 1;
    for (std::size_t j = 0; j < count + taps_ - 1; ++j) carrier_[j] = carrier_at(history_first + static_cast<std::int64_t>(j));
    std::size_t done = 0;
    while (done < count) {
      const std::int64_t at = first + static_cast<std::int64_t>(done);
      const std::int64_t block_first = at - at % static_cast<std::int64_t>(kAzimuthBlock);
      const std::size_t in_block = static_cast<std::size_t>(at - block_first);
      const std::size_t n = std::min(kAzimuthBlock - in_block, count - done);
      const int current = azimuth_degree(block_first);
      const int previous = block_first > 0 ? azimuth_degree(block_first - static_cast<std::int64_t>(kAzimuthBlock)) : current;
      for (int ear = 0; ear < 2; ++ear) {
        float* out = (ear == 0 ? left : right).data() + done;
        convolve(hrtf_->reversed_response(current, ear), done, n, out);
        if (previous != current) {
          // Crossfade from the previous block's HRIR over this block.
          float old_out[kAzimuthBlock];
          convolve(hrtf_->reversed_response(previous, ear), done, n, old_out);
          for (std::size_t i = 0; i < n; ++i) {
            const double w = (static_cast<double>(in_block + i) + 0.5) / static_cast<double>(kAzimuthBlock);
            out[i] = static_cast<float>(w * out[i] + (1.0 - w) * old_out[i]);
          }
        }
      }
      done += n;
    }
  }

 private:
  /// amp_k·sin(2π·dt·Σ_{j≤k} f_j) (cumsum, inclusive); zero before the voice starts.
  [[nodiscard]] float carrier_at(std::int64_t k) const noexcept {
    if (k < 0) return 0.0f;
    const double sum = alpha_sum(k);
    const double a = alpha_at(k);
    return static_cast<float>(lerp(amplitude_.start, amplitude_.end, a) * fast_sin(inclusive_phase(carrier_hz_, k, sum)));
  }

  /// Output frames done..done+n of this chunk = Σ_t h[t]·x[frame − t], as a dot product of the reversed
  /// response with the history window. Eight partial sums in a fixed order let it vectorise while the
  /// result stays a pure function of the frame (exact seeks).
  void convolve(std::span<const float> reversed, std::size_t done, std::size_t n, float* out) const noexcept {
    constexpr std::size_t kLanes = 8;
    const std::size_t whole = taps_ - taps_ % kLanes;
    for (std::size_t i = 0; i < n; ++i) {
      const float* x = carrier_.data() + done + i;  // frames n − taps + 1 … n
      float lanes[kLanes] = {};
      for (std::size_t t = 0; t < whole; t += kLanes)
        for (std::size_t j = 0; j < kLanes; ++j) lanes[j] += reversed[t + j] * x[t + j];
      float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
      for (std::size_t t = whole; t < taps_; ++t) sum += reversed[t] * x[t];
      out[i] = sum;
    }
  }

  /// Whole-degree azimuth (clockwise from the front) at the centre of the azimuth block starting at `frame`.
  [[nodiscard]] int azimuth_degree(std::int64_t frame) const noexcept {
    const std::int64_t k = std::min<std::int64_t>(frame + static_cast<std::int64_t>(kAzimuthBlock / 2), length_frames() - 1);
    const double a = alpha_at(std::max<std::int64_t>(0, k));
    const double beat = lerp(beat_hz_.start, beat_hz_.end, a);
    double degrees = 0.0;  // front when the path does not move (beat < 1e-6)
    if (std::fabs(beat) >= 1e-6) {
      const double phi = inclusive_phase(beat_hz_, k, alpha_sum(k));
      const double radius = lerp(radius_.start, radius_.end, a);
      const double arc_start = lerp(arc_start_deg_.start, arc_start_deg_.end, a);
      const double arc_end = lerp(arc_end_deg_.start, arc_end_deg_.end, a);
      const double s = fast_sin(phi), c = fast_cos(phi);
      double x = radius * s, y = radius * c;
      switch (shape_) {
        case PathShape::kCircle:
          break;
        case PathShape::kLinear:  // side to side through the front: x sweeps, the source stays ahead
          x = radius * s;
          y = 1.0;
          break;
        case PathShape::kArc:
          degrees = arc_start + (arc_end - arc_start) * (1.0 - c) / 2.0;
          break;
        case PathShape::kOscillatingArc: {
          const double triangle = 1.0 - std::fabs(1.0 - 2.0 * frac(phi / kTwoPi));  // 0→1→0 per cycle
          degrees = arc_start + (arc_end - arc_start) * triangle;
          break;
        }
        case PathShape::kSquare: {
          const double norm = std::max(std::fabs(s), std::fabs(c));
          x = radius * s / norm;
          y = radius * c / norm;
          break;
        }
        case PathShape::kDiamond: {
          const double rs = (s + c) * std::numbers::sqrt2 / 2.0, rc = (c - s) * std::numbers::sqrt2 / 2.0;
          const double norm = std::max(std::fabs(rs), std::fabs(rc));
          x = radius * (rs / norm * std::numbers::sqrt2 / 2.0 - rc / norm * std::numbers::sqrt2 / 2.0);
          y = radius * (rs / norm * std::numbers::sqrt2 / 2.0 + rc / norm * std::numbers::sqrt2 / 2.0);
          break;
        }
      }
      if (shape_ != PathShape::kArc && shape_ != PathShape::kOscillatingArc) degrees = std::atan2(x, y) * 180.0 / std::numbers::pi;
    }
    const long whole = std::lround(degrees);
    return static_cast<int>(((whole % 360) + 360) % 360);
  }

  std::shared_ptr<const HrtfSet> hrtf_;
  StartEnd amplitude_, carrier_hz_, beat_hz_, radius_, arc_start_deg_, arc_end_deg_;
  PathShape shape_ = PathShape::kCircle;
  std::size_t taps_ = 0;
  std::vector<float> carrier_;  // scratch: one chunk plus the HRIR's history
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_spatial_angle_voice(const VoiceContext& context, bool transition) {
  auto alpha = TransitionVoice::make_alpha(context, transition);
  if (!alpha) return alpha.error();
  // The HRIRs are loaded (and resampled) here, at plan time, never while rendering.
  auto hrtf = HrtfSet::load(context.sample_rate_hz);
  if (!hrtf) return hrtf.error();
  return std::unique_ptr<Voice>(std::make_unique<SpatialAngleVoice>(context, transition, std::move(*alpha), std::move(*hrtf)));
}

}  // namespace resound::track::voices
