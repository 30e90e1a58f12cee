// NoiseGenerator: coloured noise through swept notches, as a pure function of the sample index (seekable).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

/// Thread contract: create OFF; render RT (one thread).
class NoiseGenerator {
 public:
  static Expected<std::unique_ptr<NoiseGenerator>> create(const NoiseParams& params, double sample_rate_hz,
                                                          std::uint64_t seed);
  virtual ~NoiseGenerator() = default;
  /// Overwrites left/right with noise frames [first, first+n); frames < 0 are silent.
  virtual void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept = 0;
};

}  // namespace resound::track
