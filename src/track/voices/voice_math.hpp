// Shared voice maths (common.py): skewed sine/triangle, frac, equal-power pan, block scratch and running sums.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

#include "resound/dsp/vector_clones.hpp"

namespace resound::track::voices {

inline constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// Voices render internally in chunks of this many frames (stack scratch, no allocation).
inline constexpr std::size_t kChunkFrames = 256;
using Chunk = std::array<double, kChunkFrames>;

inline double frac(double x) noexcept { return x - std::floor(x); }

/// double(first + i) for a chunk offset i (< 2^31), written so loops over i vectorise (AVX2 converts 32-bit
/// integers to double, not 64-bit ones). Exact (integers below 2^53): equal to static_cast<double>(first + i).
inline double frame_index(double first, std::size_t i) noexcept {
  return first + static_cast<double>(static_cast<std::int32_t>(i));
}

/// sin(x) for any phase, accurate to about 1e-9 absolute for |x| < 1e12: range reduction to [−π, π]
/// in double (rounding by the 1.5·2^52 trick), a fold onto [0, π/2] by abs/min, then an odd Taylor
/// polynomial. Branch-free, so loops over it vectorise; deterministic, so full renders and seeks agree
/// exactly. (Requires strict IEEE arithmetic: the project never builds with -ffast-math.)
inline double fast_sin(double x) noexcept {
  constexpr double kInvTwoPi = 1.0 / (2.0 * std::numbers::pi);
  constexpr double kRound = 6755399441055744.0;  // 1.5·2^52: adding and subtracting rounds to an integer
  const double turns = (x * kInvTwoPi + kRound) - kRound;
  const double r = x - turns * (2.0 * std::numbers::pi);  // in [−π, π]
  const double magnitude = std::fabs(r);
  const double mirrored = std::numbers::pi - magnitude;
  // sin(a) = sin(π − a). A plain comparison, not std::fmin (a libm call for NaN rules), so loops vectorise.
  const double folded = magnitude < mirrored ? magnitude : mirrored;
  const double r2 = folded * folded;
  const double p = folded * (1.0 + r2 * (-1.0 / 6 + r2 * (1.0 / 120 + r2 * (-1.0 / 5040 + r2 * (1.0 / 362880 +
                   r2 * (-1.0 / 39916800 + r2 * (1.0 / 6227020800.0 + r2 * (-1.0 / 1307674368000.0))))))));
  return std::copysign(p, r);
}

inline double fast_cos(double x) noexcept { return fast_sin(x + std::numbers::pi / 2.0); }

/// Skewed sine of a phase p in [0,1): skew 0 is sin(2πp); skew moves the positive half's length.
inline double skewed_sine_phase(double p, double skew) noexcept {
  const double rise = std::clamp(0.5 + 0.5 * skew, 1e-9, 1.0 - 1e-9);
  if (p < rise) return fast_sin(std::numbers::pi * p / rise);
  return fast_sin(std::numbers::pi * (1.0 + (p - rise) / (1.0 - rise)));
}

/// Skewed triangle: starts at −1 at p = 0 (not phase-aligned with the sine, as the original).
inline double skewed_triangle_phase(double p, double skew) noexcept {
  const double rise = std::clamp(0.5 + 0.5 * skew, 1e-9, 1.0 - 1e-9);
  if (p < rise) return -1.0 + 2.0 * p / rise;
  return 1.0 - 2.0 * (p - rise) / (1.0 - rise);
}

/// out[i] += in[i] (the mixers' accumulation; vectorises).
inline void add_into(std::span<float> out, const float* in) noexcept {
  float* target = out.data();
  for (std::size_t i = 0; i < out.size(); ++i) target[i] += in[i];
}

/// Equal-power pan gains (pan2): θ = (clip(pan)+1)·π/4.
struct PanGains {
  double left;
  double right;
};
inline PanGains pan_gains(double pan) noexcept {
  const double theta = (std::clamp(pan, -1.0, 1.0) + 1.0) * std::numbers::pi / 4.0;
  return {std::cos(theta), std::sin(theta)};
}

inline double lerp(double start, double end, double alpha) noexcept { return start + (end - start) * alpha; }

/// sin(φ0 + j·ω) for j < kChunkFrames from one sin/cos pair per chunk: a table of cos(jω), sin(jω)
/// built once, so a constant-frequency carrier costs two multiplies and an add per sample (and
/// vectorises). Exact to ~1e-15, and independent of where a chunk starts, so seeks stay exact.
class ToneTable {
 public:
  void build(double omega) {
    for (std::size_t j = 0; j < kChunkFrames; ++j) {
      cos_[j] = std::cos(omega * static_cast<double>(j));
      sin_[j] = std::sin(omega * static_cast<double>(j));
      cos_float_[j] = static_cast<float>(cos_[j]);
      sin_float_[j] = static_cast<float>(sin_[j]);
    }
  }
  /// out[j] += gain·sin(phase0 + (offset + j)·ω) in single precision (error ~1e-7·gain, far below what
  /// a float sample holds at these levels): eight samples per AVX2 operation for the static voices.
  void add(double phase0, double gain, std::size_t offset, float* out, std::size_t count) const noexcept {
    const auto s = static_cast<float>(fast_sin(phase0) * gain);
    const auto c = static_cast<float>(fast_cos(phase0) * gain);
    add_rotated(s, c, cos_float_.data() + offset, sin_float_.data() + offset, out, count);
  }
  /// out[j] = sin(phase0 + (offset + j)·ω), offset + count <= kChunkFrames. Pass the phase of the
  /// chunk's aligned first frame and the offset into it, so results never depend on where rendering began.
  void render(double phase0, std::size_t offset, double* out, std::size_t count) const noexcept {
    const double s = fast_sin(phase0);
    const double c = fast_cos(phase0);
    for (std::size_t j = 0; j < count; ++j) out[j] = s * cos_[offset + j] + c * sin_[offset + j];
  }

 private:
  RESOUND_VECTOR_CLONES_AVX2
  static void add_rotated(float s, float c, const float* cosines, const float* sines, float* out, std::size_t count) noexcept {
    for (std::size_t j = 0; j < count; ++j) out[j] += s * cosines[j] + c * sines[j];
  }

  Chunk cos_{};
  Chunk sin_{};
  std::array<float, kChunkFrames> cos_float_{};
  std::array<float, kChunkFrames> sin_float_{};
};

/// A running sum Σ_{k<i} inc_k of per-sample increments that can restart at any i exactly:
/// checkpoints of the sum are taken once (same summation order as rendering), so a seek sums at
/// most one checkpoint interval and reproduces the full render bit for bit.
/// `Increments` is callable as fill(first_frame, std::span<double> out).
/// Thread contract: build OFF; sum_before/advance RT.
class CheckpointedSum {
 public:
  static constexpr std::int64_t kInterval = 16384;

  template <typename Increments>
  void build(std::int64_t frames, Increments&& fill) {
    checkpoints_.clear();
    checkpoints_.reserve(static_cast<std::size_t>(frames / kInterval + 2));
    double sum = 0.0;
    Chunk chunk;
    for (std::int64_t first = 0; first < frames; first += static_cast<std::int64_t>(kChunkFrames)) {
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kChunkFrames, frames - first));
      if (first % kInterval == 0) checkpoints_.push_back(sum);
      fill(first, std::span<double>(chunk.data(), count));
      for (std::size_t i = 0; i < count; ++i) sum += chunk[i];
    }
    checkpoints_.push_back(sum);
    next_ = 0;
    value_ = 0.0;
  }

  /// Σ_{k<first}. Cheap when `first` continues the previous call; otherwise restarts from a checkpoint.
  template <typename Increments>
  double sum_before(std::int64_t first, Increments&& fill) noexcept {
    if (first == next_) return value_;
    const std::int64_t checkpoint = first / kInterval;
    if (checkpoints_.empty()) return 0.0;
    double sum = checkpoints_[std::min<std::size_t>(static_cast<std::size_t>(checkpoint), checkpoints_.size() - 1)];
    Chunk chunk;
    for (std::int64_t at = checkpoint * kInterval; at < first; at += static_cast<std::int64_t>(kChunkFrames)) {
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kChunkFrames, first - at));
      fill(at, std::span<double>(chunk.data(), count));
      for (std::size_t i = 0; i < count; ++i) sum += chunk[i];
    }
    return sum;
  }

  /// Records where the caller's running sum stands after rendering up to `next` (exclusive).
  void advance(std::int64_t next, double value) noexcept {
    next_ = next;
    value_ = value;
  }

 private:
  std::vector<double> checkpoints_;
  std::int64_t next_ = 0;
  double value_ = 0.0;
};

/// Calls body(chunk_first, offset, count) for consecutive chunks covering [first, first+total). Chunks
/// never cross a multiple of kChunkFrames (absolute frame), so per-chunk computations happen at the
/// same frames whatever the caller's block size or seek position: output is bit-identical.
template <typename Body>
void for_each_chunk(std::int64_t first, std::size_t total, Body&& body) {
  std::size_t done = 0;
  while (done < total) {
    const std::int64_t at = first + static_cast<std::int64_t>(done);
    const auto room = kChunkFrames - static_cast<std::size_t>(at % static_cast<std::int64_t>(kChunkFrames));
    const std::size_t count = std::min(room, total - done);
    body(at, done, count);
    done += count;
  }
}

}  // namespace resound::track::voices
