// PitchTrack and PitchOptions: what the pitch trackers (YIN, pYIN, streaming) take and return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace resound::analysis {

/// Options shared by YIN and pYIN. Defaults cover the piano range A0–C8.
struct PitchOptions {
  double min_frequency_hz = 27.5;     ///< A0
  double max_frequency_hz = 4186.01;  ///< C8
  double yin_threshold = 0.15;        ///< plain YIN: first dip of the normalised difference below this
  double switch_probability = 0.01;   ///< pYIN HMM: voiced <-> unvoiced per frame
  double max_transition_octaves_per_s = 35.92;  ///< pYIN HMM: fastest pitch glide the band allows
  std::size_t threads = 1;            ///< frames are split over this many threads (offline only)
};

/// A pitch contour on the analysis frame grid. Unvoiced frames have frequency_hz = 0.
struct PitchTrack {
  double frame_period_s = 0.0;            ///< time between frames
  std::vector<double> times_s;            ///< frame centres
  std::vector<float> frequency_hz;        ///< 0 where unvoiced
  std::vector<std::uint8_t> voiced;       ///< 1 = voiced
  std::vector<float> voiced_probability;  ///< 0–1
  /// The tracker's pitch in every frame, also where it decided "unvoiced" (0 only where the frame
  /// offers no pitch at all). Raw-pitch metrics use it as mir_eval's negative frequencies do.
  std::vector<float> candidate_frequency_hz;
  [[nodiscard]] std::size_t size() const noexcept { return times_s.size(); }
};

}  // namespace resound::analysis
