// Gaussian pairs: a 32-bit counter hash, a float logarithm and an octant-folded sine/cosine, all branch-free.
#include "gaussian_pairs.hpp"

#include <bit>
#include <cmath>
#include <numbers>

#include "resound/dsp/vector_clones.hpp"

namespace resound::track {
namespace {

/// A bijective 32-bit mix with low bias (xorshift-multiply rounds); AVX2 multiplies 32-bit lanes natively,
/// which is why this is not the 64-bit mix of counter_noise.hpp.
inline std::uint32_t mix32(std::uint32_t x) noexcept {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

/// ln(x) for x in (0, 1], to ~1e-7 relative: exponent from the bits, atanh series of the mantissa in [√½, √2).
inline float log_unit(float x) noexcept {
  const auto bits = std::bit_cast<std::int32_t>(x);
  const std::int32_t exponent = ((bits >> 23) & 0xff) - 127;
  float mantissa = std::bit_cast<float>((bits & 0x007fffff) | 0x3f800000);  // [1, 2)
  const bool high = mantissa > std::numbers::sqrt2_v<float>;
  mantissa = high ? mantissa * 0.5f : mantissa;
  const float e = static_cast<float>(exponent) + (high ? 1.0f : 0.0f);
  const float t = (mantissa - 1.0f) / (mantissa + 1.0f);  // |t| <= 0.1716
  const float t2 = t * t;
  const float series = 1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7 + t2 * (1.0f / 9))));
  return e * std::numbers::ln2_v<float> + 2.0f * t * series;
}

}  // namespace

RESOUND_VECTOR_CLONES_AVX2
void gaussian_pairs(std::uint64_t seed, std::int64_t first, std::size_t count, float* left, float* right) noexcept {
  // A run never crosses a multiple of 2^32 frames (the key below changes there): split it.
  const std::uint64_t to_boundary = (1ULL << 32) - (static_cast<std::uint64_t>(first) & 0xffffffffULL);
  if (count > to_boundary) {
    gaussian_pairs(seed, first, static_cast<std::size_t>(to_boundary), left, right);
    gaussian_pairs(seed, first + static_cast<std::int64_t>(to_boundary), count - static_cast<std::size_t>(to_boundary),
                   left + to_boundary, right + to_boundary);
    return;
  }
  // The frame index's high half and the seed make the per-run keys; the low half is the counter.
  const auto index = static_cast<std::uint64_t>(first);
  const std::uint32_t key = mix32(static_cast<std::uint32_t>(seed) ^ mix32(static_cast<std::uint32_t>(seed >> 32) +
                                                                           static_cast<std::uint32_t>(index >> 32) * 0x9e3779b9U));
  const auto low = static_cast<std::uint32_t>(index);
  constexpr float kUnit31 = 1.0f / 2147483648.0f;
  constexpr float kOctantAngle = std::numbers::pi_v<float> / 4.0f / 536870912.0f;  // π/4 over 29 bits
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t radius_bits = mix32((low + static_cast<std::uint32_t>(i)) ^ key);
    const std::uint32_t angle_bits = mix32(radius_bits + 0x632be59bU);
    // u in (0, 1): 31 bits plus half a step, so ln(u) is finite; the radius is at most √(2·ln 2^32) ≈ 6.7.
    const float u = (static_cast<float>(static_cast<std::int32_t>(radius_bits >> 1)) + 0.5f) * kUnit31;
    const float radius = std::sqrt(-2.0f * log_unit(u < 1.0f ? u : 1.0f));
    // A uniform angle in [0, π/4) from 29 bits; the top three bits pick the octant by reflections
    // (swap, then the two signs), which keeps the angle uniform over the whole circle.
    const float a = static_cast<float>(static_cast<std::int32_t>(angle_bits & 0x1fffffffU)) * kOctantAngle;
    const float a2 = a * a;
    const float sine = a * (1.0f + a2 * (-1.0f / 6 + a2 * (1.0f / 120 + a2 * (-1.0f / 5040))));
    const float cosine = 1.0f + a2 * (-0.5f + a2 * (1.0f / 24 + a2 * (-1.0f / 720 + a2 * (1.0f / 40320))));
    const bool swap = (angle_bits & 0x20000000U) != 0;
    const float x = swap ? sine : cosine;
    const float y = swap ? cosine : sine;
    const std::uint32_t x_sign = (angle_bits << 1) & 0x80000000U;
    const std::uint32_t y_sign = angle_bits & 0x80000000U;
    left[i] = radius * std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) ^ x_sign);
    right[i] = radius * std::bit_cast<float>(std::bit_cast<std::uint32_t>(y) ^ y_sign);
  }
}

}  // namespace resound::track
