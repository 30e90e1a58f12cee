// LevelStatistics: running peak and RMS of a stream of audio blocks.
#pragma once

#include <cstdint>
#include <vector>

#include "resound/core/audio_view.hpp"

namespace resound::dsp {

/// Accumulates peak |sample| and mean square per channel over any number of blocks.
/// Non-finite samples (NaN, ±inf) are counted and left out of the statistics.
/// Thread contract: constructor CT; `add` RT-safe; one thread at a time.
class LevelStatistics {
 public:
  explicit LevelStatistics(std::size_t channel_count);

  void add(ConstAudioView block) noexcept;

  [[nodiscard]] std::size_t channel_count() const noexcept { return peaks_.size(); }
  [[nodiscard]] std::int64_t frame_count() const noexcept { return frame_count_; }
  [[nodiscard]] std::int64_t non_finite_count() const noexcept { return non_finite_count_; }
  /// Largest |sample| of one channel / of all channels.
  [[nodiscard]] double channel_peak(std::size_t channel) const noexcept { return peaks_[channel]; }
  [[nodiscard]] double peak() const noexcept;
  /// Root mean square of one channel / over all samples of all channels.
  [[nodiscard]] double channel_rms(std::size_t channel) const noexcept;
  [[nodiscard]] double rms() const noexcept;
  /// The same in dB relative to full scale (1.0), floored at kSilenceFloorDb.
  [[nodiscard]] double peak_dbfs() const noexcept;
  [[nodiscard]] double rms_dbfs() const noexcept;

 private:
  std::vector<double> peaks_;
  std::vector<double> sums_of_squares_;
  std::int64_t frame_count_ = 0;
  std::int64_t non_finite_count_ = 0;
};

}  // namespace resound::dsp
