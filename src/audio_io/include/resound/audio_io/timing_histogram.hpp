// TimingHistogram: a wait-free duration histogram the audio thread fills and the control thread reads.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace resound::audio_io {

/// Durations in 10 µs bins up to 50 ms (longer ones land in the last bin; the exact maximum is kept).
/// One writer (the audio thread) records with relaxed atomics — no allocation, no lock; any thread
/// reads percentiles, which are exact to one bin. Used to tell whether an xrun came from our render
/// being slow or from our thread being woken late.
class TimingHistogram {
 public:
  static constexpr double kBinWidthUs = 10.0;
  static constexpr std::size_t kBinCount = 5000;

  /// Adds one duration. RT (single writer).
  void record(double duration_us) noexcept;
  /// Forgets everything. CT, while no writer runs.
  void reset() noexcept;

  /// Number of durations recorded. Any thread.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  /// Longest duration recorded (µs). Any thread.
  [[nodiscard]] double max_us() const noexcept { return max_us_.load(std::memory_order_relaxed); }
  /// Mean duration (µs). Any thread.
  [[nodiscard]] double mean_us() const noexcept;
  /// Upper edge of the bin holding the `fraction` quantile (µs; 0 when empty). Any thread.
  [[nodiscard]] double percentile_us(double fraction) const noexcept;
  /// Durations longer than `threshold_us` (to one bin). Any thread.
  [[nodiscard]] std::uint64_t count_above_us(double threshold_us) const noexcept;

 private:
  std::array<std::atomic<std::uint32_t>, kBinCount> bins_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> max_us_{0.0};
  std::atomic<double> sum_us_{0.0};
};

/// What a device measured on its audio thread while running.
struct DeviceTimings {
  /// Time spent rendering per device request (our callback's cost).
  const TimingHistogram* render = nullptr;
  /// CPU time our thread spent on those renders: where it is far below `render`, the thread was
  /// preempted or its virtual CPU stalled mid-render, rather than the render being expensive.
  const TimingHistogram* render_cpu = nullptr;
  /// Time between successive device requests (wake-up regularity of our thread plus the server's pacing).
  const TimingHistogram* request_interval = nullptr;
  /// Underflows the server reported before playback had started (prebuffering) — not counted as xruns.
  std::uint64_t underflows_before_start = 0;
};

}  // namespace resound::audio_io
