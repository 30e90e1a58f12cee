// Peak/RMS accumulation with double-precision sums (hours of audio stay exact enough).
#include "resound/dsp/level_statistics.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/units.hpp"

namespace resound::dsp {

LevelStatistics::LevelStatistics(std::size_t channel_count)
    : peaks_(channel_count, 0.0), sums_of_squares_(channel_count, 0.0) {}

void LevelStatistics::add(ConstAudioView block) noexcept {
  const std::size_t channels = std::min(block.channel_count(), peaks_.size());
  for (std::size_t c = 0; c < channels; ++c) {
    double peak = peaks_[c];
    double sum = 0.0;
    for (const float sample : block.channel(c)) {
      if (!std::isfinite(sample)) {
        ++non_finite_count_;
        continue;
      }
      const double value = sample;
      sum += value * value;
      peak = std::max(peak, std::abs(value));
    }
    peaks_[c] = peak;
    sums_of_squares_[c] += sum;
  }
  frame_count_ += static_cast<std::int64_t>(block.frame_count());
}

double LevelStatistics::peak() const noexcept {
  return peaks_.empty() ? 0.0 : *std::max_element(peaks_.begin(), peaks_.end());
}

double LevelStatistics::channel_rms(std::size_t channel) const noexcept {
  return frame_count_ > 0 ? std::sqrt(sums_of_squares_[channel] / static_cast<double>(frame_count_)) : 0.0;
}

double LevelStatistics::rms() const noexcept {
  if (frame_count_ == 0 || sums_of_squares_.empty()) return 0.0;
  double total = 0.0;
  for (const double sum : sums_of_squares_) total += sum;
  return std::sqrt(total / (static_cast<double>(frame_count_) * static_cast<double>(sums_of_squares_.size())));
}

double LevelStatistics::peak_dbfs() const noexcept { return gain_to_db(peak()); }
double LevelStatistics::rms_dbfs() const noexcept { return gain_to_db(rms()); }

}  // namespace resound::dsp
