// AnalysisSignal: the mono, decimated signal every frame-based analysis works on (one conversion per run).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Analyses run at a rate of at most this many Hz: 44.1/48 kHz input is halved (the pitch range up
/// to C8 and onset energy up to 11 kHz fit below it, and every frame costs half as much).
inline constexpr double kMaxAnalysisRateHz = 32000.0;
/// Highest input rate accepted (above every PCM rate in use, 768 kHz): bounds the decimation and
/// every buffer sized from the rate, so a corrupt header cannot ask for terabytes.
inline constexpr double kMaxInputRateHz = 1.0e6;

/// Lowest input rate accepted: below it frame periods grow so long that HMM bands and frame
/// counts derived from them overflow (a corrupt header's 1e-38 Hz), and nothing musical remains.
inline constexpr double kMinInputRateHz = 1000.0;

/// Error unless max(minimum_hz, kMinInputRateHz) ≤ rate ≤ kMaxInputRateHz. RT-safe when it passes.
Expected<void> check_sample_rate(double sample_rate_hz, double minimum_hz = kMinInputRateHz);

/// Streaming half-band decimator (÷2): a 63-tap symmetric windowed-sinc low-pass evaluated only at
/// the kept samples. Output sample j is centred on input sample 2j (the filter's delay is
/// compensated by waiting `kLookaheadFrames` input samples), so offline and streaming agree exactly.
/// Thread contract: constructor/reset OFF/CT; push RT-safe (no allocation).
class HalfBandDecimator {
 public:
  static constexpr std::size_t kHalfLength = 31;  ///< taps on each side of the centre
  static constexpr std::size_t kLookaheadFrames = kHalfLength;

  HalfBandDecimator();
  void reset() noexcept;
  /// Consumes `input`, writes up to input.size()/2 + 1 samples to `output`, returns how many.
  std::size_t push(std::span<const float> input, std::span<float> output) noexcept;
  /// Feeds `kLookaheadFrames` zeros (end of stream) and writes the outputs that releases.
  std::size_t flush(std::span<float> output) noexcept;

 private:
  std::array<float, kHalfLength + 1> taps_{};  // taps_[k] = h[k] for k = 0 (centre) … kHalfLength
  static constexpr std::size_t kHistoryFrames = 2 * kHalfLength + 2 + 1024;
  std::array<float, kHistoryFrames> history_{};  // the filter's span + a block of input
  // One block's history split by phase: the centre samples, and the samples an odd distance from
  // them (the only ones with non-zero taps), so every tap reads consecutive floats.
  std::array<float, kHistoryFrames / 2 + 1> centres_{};
  std::array<float, kHistoryFrames / 2 + 1> neighbours_{};
  std::size_t history_fill_ = 0;     // samples held in history_
  std::size_t next_centre_ = 0;      // index in history_ of the next output's centre sample
};

/// The mono analysis signal: channel average, decimated by 2 while above kMaxAnalysisRateHz.
struct AnalysisSignal {
  std::vector<float> samples;
  double sample_rate_hz = 0.0;     ///< rate of `samples`
  double source_rate_hz = 0.0;     ///< rate of the input
  std::size_t decimation = 1;      ///< source_rate_hz / sample_rate_hz
};

/// Number of ÷2 stages for an input rate (0 for rates ≤ kMaxAnalysisRateHz).
std::size_t decimation_stages_for(double sample_rate_hz) noexcept;

/// Mixes to mono, replaces NaN/inf by 0 and decimates. Errors: rate ≤ 0 or not finite. OFF/CT.
Expected<AnalysisSignal> make_analysis_signal(ConstAudioView audio, double sample_rate_hz);
/// Same for one channel of samples. OFF/CT.
Expected<AnalysisSignal> make_analysis_signal(std::span<const float> mono, double sample_rate_hz);

/// Average of the channels into `mono` (sized frame_count), NaN/inf replaced by 0. RT-safe.
void mix_to_mono(ConstAudioView audio, std::span<float> mono) noexcept;

}  // namespace resound::analysis
