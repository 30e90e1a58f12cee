// BackgroundNoise: the swept-notch noise bed, generated per sample index (counter-based RNG) so seeking is exact.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

class NoiseGenerator;

/// Thread contract: create OFF; set_track_length OFF; render_add RT.
class BackgroundNoise {
 public:
  /// nullptr when the spec has no noise.
  static Expected<std::unique_ptr<BackgroundNoise>> create(const BackgroundNoiseSpec& spec, double sample_rate_hz,
                                                           std::uint64_t seed);
  ~BackgroundNoise();
  void set_track_length(std::int64_t frames) noexcept { track_frames_ = frames; }
  /// Adds the noise (gain, start delay, fades, amp_envelope) at track frames [first, first+n).
  void render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept;

 private:
  BackgroundNoise() = default;
  BackgroundNoiseSpec spec_;
  double sample_rate_hz_ = 44100.0;
  std::int64_t track_frames_ = 0;
  std::unique_ptr<NoiseGenerator> generator_;
};

}  // namespace resound::track
