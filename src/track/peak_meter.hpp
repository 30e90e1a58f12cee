// Largest |sample| of a block: the peak passes' inner loop, vectorised.
#pragma once

#include <cmath>
#include <span>

#include "resound/dsp/vector_clones.hpp"

namespace resound::track {

/// max(start, max |x|) over `samples`. Exact (a maximum does not round), so any split gives the same result.
RESOUND_VECTOR_CLONES_AVX2
inline float peak_abs(std::span<const float> samples, float start = 0.0f) noexcept {
  float peak = start;
  for (const float x : samples) {
    const float magnitude = std::fabs(x);
    peak = magnitude > peak ? magnitude : peak;
  }
  return peak;
}

}  // namespace resound::track
