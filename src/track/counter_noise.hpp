// Counter-based Gaussian noise: a sample is a pure function of (seed, stream, index), so any index is seekable.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

namespace resound::track {

/// SplitMix64's finaliser: a bijective 64-bit mix.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// Standard normal sample for (seed, stream, index) by Box–Muller on two hashed uniforms.
inline double gaussian(std::uint64_t seed, int stream, std::int64_t index) noexcept {
  const std::uint64_t key = mix64(seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(stream) * 0x632be59bd9b4e019ULL +
                                  static_cast<std::uint64_t>(index));
  const std::uint64_t other = mix64(key ^ 0xd1b54a32d192ed03ULL);
  const double u1 = (static_cast<double>(key >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  const double u2 = static_cast<double>(other >> 11) * (1.0 / 9007199254740992.0);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace resound::track
