// Counter-based Gaussian noise for two channels at once, vectorised: frame k is a pure function of (seed, k).
#pragma once

#include <cstddef>
#include <cstdint>

namespace resound::track {

/// left[i], right[i] = two independent standard normal samples for frame first + i (first >= 0), from one
/// Box–Muller pair of hashed 32-bit uniforms in single precision (the original's randn is float32 too).
/// |sample| <= 6.7. Thread contract: RT (no allocation, no state).
void gaussian_pairs(std::uint64_t seed, std::int64_t first, std::size_t count, float* left, float* right) noexcept;

}  // namespace resound::track
