// HrtfSet: KEMAR HRIRs from Debian's libmysofa SOFA file, interpolated on a 1° azimuth grid at the session rate.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::track::voices {

/// Horizontal-plane head-related impulse responses, one pair per whole degree of azimuth
/// (0° = front, +90° = right, clockwise as the voices' paths), already resampled by libmysofa.
/// Thread contract: load OFF/CT (file I/O, cached per rate process-wide); the accessors are const, RT-safe.
class HrtfSet {
 public:
  /// Where Debian's libmysofa-data installs the MIT KEMAR set.
  static constexpr const char* kDefaultSofaPath = "/usr/share/libmysofa/default.sofa";

  static Expected<std::shared_ptr<const HrtfSet>> load(double sample_rate_hz, const std::string& sofa_path = kDefaultSofaPath);

  [[nodiscard]] std::size_t length() const noexcept { return length_; }
  /// HRIR of ear 0 (left) or 1 (right) for the whole-degree azimuth `degree` in [0, 360), stored
  /// time-reversed (tap length−1 first), so a convolution output is one forward dot product with the
  /// input history x[n−length+1 … n].
  [[nodiscard]] std::span<const float> reversed_response(int degree, int ear) const noexcept {
    return {responses_.data() + (static_cast<std::size_t>(degree) * 2 + static_cast<std::size_t>(ear)) * length_, length_};
  }

 private:
  std::size_t length_ = 0;
  std::vector<float> responses_;  // [degree][ear][reversed tap]
};

}  // namespace resound::track::voices
