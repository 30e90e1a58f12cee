// TimingHistogram: binning and percentile queries.
#include "resound/audio_io/timing_histogram.hpp"

#include <algorithm>

namespace resound::audio_io {

void TimingHistogram::record(double duration_us) noexcept {
  const double clamped = std::max(0.0, duration_us);
  const auto bin = std::min(kBinCount - 1, static_cast<std::size_t>(clamped / kBinWidthUs));
  bins_[bin].store(bins_[bin].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  sum_us_.store(sum_us_.load(std::memory_order_relaxed) + clamped, std::memory_order_relaxed);
  if (clamped > max_us_.load(std::memory_order_relaxed)) max_us_.store(clamped, std::memory_order_relaxed);
}

void TimingHistogram::reset() noexcept {
  for (auto& bin : bins_) bin.store(0, std::memory_order_relaxed);
  count_.store(0, std::memory_order_relaxed);
  max_us_.store(0.0, std::memory_order_relaxed);
  sum_us_.store(0.0, std::memory_order_relaxed);
}

double TimingHistogram::mean_us() const noexcept {
  const std::uint64_t total = count();
  return total == 0 ? 0.0 : sum_us_.load(std::memory_order_relaxed) / static_cast<double>(total);
}

double TimingHistogram::percentile_us(double fraction) const noexcept {
  const std::uint64_t total = count();
  if (total == 0) return 0.0;
  const auto wanted = static_cast<std::uint64_t>(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(total));
  std::uint64_t seen = 0;
  for (std::size_t bin = 0; bin < kBinCount; ++bin) {
    seen += bins_[bin].load(std::memory_order_relaxed);
    if (seen > wanted || seen == total) {
      if (bin == kBinCount - 1) return max_us();  // the overflow bin has no upper edge
      return std::min(max_us(), static_cast<double>(bin + 1) * kBinWidthUs);
    }
  }
  return max_us();
}

std::uint64_t TimingHistogram::count_above_us(double threshold_us) const noexcept {
  const auto first = std::min(kBinCount, static_cast<std::size_t>(std::max(0.0, threshold_us) / kBinWidthUs) + 1);
  std::uint64_t above = 0;
  for (std::size_t bin = first; bin < kBinCount; ++bin) above += bins_[bin].load(std::memory_order_relaxed);
  return above;
}

}  // namespace resound::audio_io
