// True peak (ITU-R BS.1770 Annex 2): the peak of the signal interpolated 4× between samples.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "resound/core/audio_view.hpp"

namespace resound::analysis {

/// Streaming 4× polyphase interpolator keeping the largest magnitude seen. The three in-between
/// phases use 16-tap Kaiser-windowed sinc filters (the on-sample phase is the sample itself).
/// Thread contract: constructor OFF/CT; push/reset RT-safe; one channel per instance.
class TruePeakMeter {
 public:
  static constexpr std::size_t kTapsPerPhase = 16;
  TruePeakMeter();
  void reset() noexcept;
  void push(std::span<const float> samples) noexcept;
  /// Largest |interpolated sample| so far (linear).
  [[nodiscard]] float peak() const noexcept { return peak_; }
  [[nodiscard]] float sample_peak() const noexcept { return sample_peak_; }

 private:
  std::array<std::array<float, kTapsPerPhase>, 3> phases_{};
  static constexpr std::size_t kBlock = 256;
  std::array<float, kTapsPerPhase> history_{};  // the last kTapsPerPhase − 1 samples, oldest first
  float peak_ = 0.0f;
  float sample_peak_ = 0.0f;
};

/// True peak in dBTP of all channels (−200 for silence). OFF/CT.
double true_peak_dbtp(ConstAudioView audio) noexcept;

}  // namespace resound::analysis
