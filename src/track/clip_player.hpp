// ClipPlayer: overlay clips decoded once, resampled to the track rate, added with gain, fades and envelope.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

/// Thread contract: create OFF (reads and resamples files); render_add RT.
class ClipPlayer {
 public:
  static Expected<std::unique_ptr<ClipPlayer>> create(const std::vector<ClipSpec>& clips, double sample_rate_hz);
  /// Adds every clip's samples at track frames [first, first+n).
  void render_add(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept;
  /// The frame just after the last clip ends (clips extend the track, as the original).
  [[nodiscard]] std::int64_t end_frame() const noexcept;

 private:
  struct Clip {
    AudioBuffer audio;  // stereo at the track rate
    std::int64_t start_frame = 0;
    double gain = 1.0;
    std::int64_t fade_in_frames = 0;
    std::int64_t fade_out_frames = 0;
    std::vector<std::pair<double, double>> envelope;  // (track frame, amplitude)
  };
  [[nodiscard]] static double envelope_at(const Clip& clip, double frame) noexcept;
  std::vector<Clip> clips_;
};

/// np.interp-style piecewise-linear value over (frame, value) points, held at both ends.
double interpolate_envelope(std::span<const std::pair<double, double>> points, double frame) noexcept;

}  // namespace resound::track
