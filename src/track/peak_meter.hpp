// Largest |sample| of a block: the peak passes' inner loop, vectorised.
#pragma once

#include <cmath>
#include <span>

#include "resound/dsp/vector_clones.hpp"

namespace resound::track {

/// max(start, max |x|) over `samples`. Exact (a maximum does not round), so any split gives the same result.
/// Sixteen running maxima side by side: a single running maximum is a serial chain GCC does not vectorise.
RESOUND_VECTOR_CLONES_AVX2
inline float peak_abs(std::span<const float> samples, float start = 0.0f) noexcept {
  constexpr std::size_t kLanes = 16;
  float lanes[kLanes];
  for (float& lane : lanes) lane = start;
  const std::size_t whole = samples.size() / kLanes * kLanes;
  for (std::size_t i = 0; i < whole; i += kLanes) {
    for (std::size_t j = 0; j < kLanes; ++j) {
      const float magnitude = std::fabs(samples[i + j]);
      lanes[j] = magnitude > lanes[j] ? magnitude : lanes[j];
    }
  }
  float peak = start;
  for (const float lane : lanes) peak = lane > peak ? lane : peak;
  for (std::size_t i = whole; i < samples.size(); ++i) {
    const float magnitude = std::fabs(samples[i]);
    peak = magnitude > peak ? magnitude : peak;
  }
  return peak;
}

}  // namespace resound::track
