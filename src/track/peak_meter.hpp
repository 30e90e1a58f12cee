// Largest |sample| of a block: the peak passes' inner loop, vectorised.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>

#include "resound/dsp/vector_clones.hpp"

namespace resound::track {

/// max(start, max |x|) over `samples`. Exact (a maximum does not round), so any split gives the same result.
/// Sixteen running maxima in two explicit vectors: a single running maximum is a serial chain, and an array
/// of them is unrolled to scalars at -O3 before the vectoriser sees it.
RESOUND_VECTOR_CLONES_AVX2
inline float peak_abs(std::span<const float> samples, float start = 0.0f) noexcept {
  using Octet = float __attribute__((vector_size(32)));
  using OctetBits = std::uint32_t __attribute__((vector_size(32)));
  constexpr std::size_t kLanes = 8;
  const OctetBits magnitude_mask = {0x7fffffffU, 0x7fffffffU, 0x7fffffffU, 0x7fffffffU,
                                    0x7fffffffU, 0x7fffffffU, 0x7fffffffU, 0x7fffffffU};
  Octet first = {start, start, start, start, start, start, start, start};
  Octet second = first;
  const std::size_t whole = samples.size() / (2 * kLanes) * (2 * kLanes);
  for (std::size_t i = 0; i < whole; i += 2 * kLanes) {
    OctetBits a, b;
    std::memcpy(&a, samples.data() + i, sizeof a);
    std::memcpy(&b, samples.data() + i + kLanes, sizeof b);
    const auto magnitude_a = reinterpret_cast<Octet>(a & magnitude_mask);  // |x|: the sign bit cleared
    const auto magnitude_b = reinterpret_cast<Octet>(b & magnitude_mask);
    first = magnitude_a > first ? magnitude_a : first;
    second = magnitude_b > second ? magnitude_b : second;
  }
  float peak = start;
  for (std::size_t lane = 0; lane < kLanes; ++lane) {
    peak = first[lane] > peak ? first[lane] : peak;
    peak = second[lane] > peak ? second[lane] : peak;
  }
  for (std::size_t i = whole; i < samples.size(); ++i) {
    const float magnitude = std::fabs(samples[i]);
    peak = magnitude > peak ? magnitude : peak;
  }
  return peak;
}

}  // namespace resound::track
