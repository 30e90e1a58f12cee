// Shared voice maths (common.py): skewed sine/triangle, frac, equal-power pan, block scratch and running sums.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace resound::track::voices {

inline constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// Voices render internally in chunks of this many frames (stack scratch, no allocation).
inline constexpr std::size_t kChunkFrames = 256;
using Chunk = std::array<double, kChunkFrames>;

inline double frac(double x) noexcept { return x - std::floor(x); }

/// Skewed sine of a phase p in [0,1): skew 0 is sin(2πp); skew moves the positive half's length.
inline double skewed_sine_phase(double p, double skew) noexcept {
  const double rise = std::clamp(0.5 + 0.5 * skew, 1e-9, 1.0 - 1e-9);
  if (p < rise) return std::sin(std::numbers::pi * p / rise);
  return std::sin(std::numbers::pi * (1.0 + (p - rise) / (1.0 - rise)));
}

/// Skewed triangle: starts at −1 at p = 0 (not phase-aligned with the sine, as the original).
inline double skewed_triangle_phase(double p, double skew) noexcept {
  const double rise = std::clamp(0.5 + 0.5 * skew, 1e-9, 1.0 - 1e-9);
  if (p < rise) return -1.0 + 2.0 * p / rise;
  return 1.0 - 2.0 * (p - rise) / (1.0 - rise);
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

/// Calls body(first, count) for consecutive chunks of at most kChunkFrames covering [first, first+total).
template <typename Body>
void for_each_chunk(std::int64_t first, std::size_t total, Body&& body) {
  for (std::size_t done = 0; done < total; done += kChunkFrames)
    body(first + static_cast<std::int64_t>(done), done, std::min(kChunkFrames, total - done));
}

}  // namespace resound::track::voices
