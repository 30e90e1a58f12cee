// EBU R128 / ITU-R BS.1770 loudness: momentary, short-term, integrated and loudness range.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Loudness of silence / not enough audio yet (LUFS values at or below this mean "none").
inline constexpr double kNoLoudnessLufs = -200.0;

/// Streaming loudness meter (K-weighting, 100 ms sub-blocks, gating by fine histograms so memory
/// stays constant for any length: integrated loudness is exact except for blocks within 0.01 LU of
/// a gate). Channel weights follow BS.1770: 1.0 for the first three channels, 0 for the LFE (4th
/// of six), 1.41 for surrounds. Thread contract: constructor/prepare OFF/CT (allocate);
/// process and the getters RT-safe.
class LoudnessMeter {
 public:
  static constexpr std::size_t kMaxChannels = 8;

  /// Errors: rate ≤ 0, no channels or more than kMaxChannels.
  Expected<void> prepare(double sample_rate_hz, std::size_t channel_count);
  void reset() noexcept;
  /// Measures the block (channel count as prepared; extra channels ignored; NaN/inf count as 0).
  void process(ConstAudioView block) noexcept;

  /// Samples left before the current 100 ms sub-block completes.
  [[nodiscard]] std::size_t frames_to_block_end() const noexcept { return block_frames_ - block_fill_; }
  [[nodiscard]] std::size_t completed_blocks() const noexcept { return completed_blocks_; }
  /// Loudness over the last 400 ms / 3 s of complete sub-blocks (kNoLoudnessLufs before enough audio).
  [[nodiscard]] double momentary_lufs() const noexcept;
  [[nodiscard]] double short_term_lufs() const noexcept;
  /// Gated integrated loudness of everything so far (−70 LUFS absolute, −10 LU relative gate).
  [[nodiscard]] double integrated_lufs() const noexcept;
  /// EBU Tech 3342 loudness range: 10th–95th percentile of gated short-term loudness (LU).
  [[nodiscard]] double loudness_range_lu() const noexcept;

 private:
  struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  };
  struct ChannelState {
    double z1_shelf = 0, z2_shelf = 0, z1_highpass = 0, z2_highpass = 0;
  };
  static constexpr double kHistogramLowLufs = -70.0;
  static constexpr double kHistogramStepLu = 0.01;
  static constexpr std::size_t kHistogramBins = 9000;  // −70 … +20 LUFS

  void finish_block() noexcept;
  [[nodiscard]] double window_power(std::size_t blocks) const noexcept;
  static std::size_t histogram_bin(double lufs) noexcept;

  double sample_rate_hz_ = 0.0;
  std::size_t channels_ = 0;
  std::size_t block_frames_ = 0;
  std::size_t block_fill_ = 0;
  std::size_t completed_blocks_ = 0;
  Biquad shelf_;
  Biquad highpass_;
  std::array<ChannelState, kMaxChannels> state_{};
  std::array<double, kMaxChannels> weight_{};
  double block_sum_ = 0.0;
  std::array<double, 30> recent_power_{};  // mean square of the last 30 sub-blocks (ring)
  std::vector<double> gating_power_sum_;   // per 0.01 LU bin of 400 ms block loudness
  std::vector<std::size_t> gating_count_;
  std::vector<std::size_t> short_term_count_;
};

/// Loudness of a whole signal with its 100 ms momentary/short-term series.
struct LoudnessResult {
  double integrated_lufs = kNoLoudnessLufs;
  double loudness_range_lu = 0.0;
  double true_peak_dbtp = -200.0;
  double sample_peak_dbfs = -200.0;
  std::vector<double> times_s;            ///< end of each 100 ms step
  std::vector<double> momentary_lufs;
  std::vector<double> short_term_lufs;
};

/// Measures `audio` offline with the same meter a live stream uses (plus true peak). OFF/CT.
Expected<LoudnessResult> measure_loudness(ConstAudioView audio, double sample_rate_hz);

}  // namespace resound::analysis
