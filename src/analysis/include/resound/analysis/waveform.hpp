// Waveform overview: a multi-resolution min/max pyramid and its peaks.js / audiowaveform JSON export.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Min/max of each channel over consecutive runs of `samples_per_pixel` samples.
struct WaveformLevel {
  std::size_t samples_per_pixel = 0;
  std::size_t channel_count = 0;
  std::size_t pixel_count = 0;
  std::vector<float> minima;  ///< [channel · pixel_count + pixel]
  std::vector<float> maxima;
  [[nodiscard]] float minimum(std::size_t channel, std::size_t pixel) const noexcept { return minima[channel * pixel_count + pixel]; }
  [[nodiscard]] float maximum(std::size_t channel, std::size_t pixel) const noexcept { return maxima[channel * pixel_count + pixel]; }
};

/// Levels at base, 2·base, 4·base … samples per pixel, each built from the one below (so zooming
/// out never re-reads audio). Thread contract: build OFF/CT; the result is immutable.
class WaveformPyramid {
 public:
  /// Errors: base_samples_per_pixel == 0, rate ≤ 0.
  static Expected<WaveformPyramid> build(ConstAudioView audio, double sample_rate_hz,
                                         std::size_t base_samples_per_pixel = 256);
  [[nodiscard]] std::size_t level_count() const noexcept { return levels_.size(); }
  [[nodiscard]] const WaveformLevel& level(std::size_t index) const noexcept { return levels_[index]; }
  [[nodiscard]] double sample_rate_hz() const noexcept { return sample_rate_hz_; }
  [[nodiscard]] std::size_t frame_count() const noexcept { return frame_count_; }
  [[nodiscard]] std::size_t channel_count() const noexcept { return channel_count_; }
  /// The finest level with at least `samples_per_pixel` (or the coarsest).
  [[nodiscard]] const WaveformLevel& level_for(std::size_t samples_per_pixel) const noexcept;
  /// Exactly `width` columns spanning the whole signal, merged from the finest fitting level.
  [[nodiscard]] WaveformLevel columns(std::size_t width) const;

 private:
  std::vector<WaveformLevel> levels_;
  double sample_rate_hz_ = 0.0;
  std::size_t frame_count_ = 0;
  std::size_t channel_count_ = 0;
};

/// audiowaveform / peaks.js JSON (version 2): {"version":2,"channels":C,"sample_rate":R,
/// "samples_per_pixel":N,"bits":B,"length":L,"data":[min,max per channel per pixel …]} with values
/// scaled to signed B-bit integers (B = 8 or 16). Errors: other bit depths. OFF/CT.
Expected<std::string> waveform_json(const WaveformLevel& level, double sample_rate_hz, int bits = 8);

}  // namespace resound::analysis
