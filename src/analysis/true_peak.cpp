// 4× oversampled true-peak measurement with a windowed-sinc polyphase interpolator.
#include "resound/analysis/true_peak.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resound/core/units.hpp"
#include "resound/dsp/vector_clones.hpp"

namespace resound::analysis {

namespace {

double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < 40; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

}  // namespace

TruePeakMeter::TruePeakMeter() {
  // Phase p (1…3) estimates x(n − kTapsPerPhase/2 + p/4). Kaiser β = 7 keeps the interpolator
  // flat within ±0.02 dB up to half the Nyquist frequency, where the EBU fs/4 test tone sits.
  constexpr double kBeta = 7.0;
  constexpr double half = kTapsPerPhase / 2.0;
  for (std::size_t phase = 1; phase <= 3; ++phase) {
    const double fraction = static_cast<double>(phase) / 4.0;
    double sum = 0.0;
    for (std::size_t tap = 0; tap < kTapsPerPhase; ++tap) {
      // Distance from the interpolated point to input sample `tap` of the window.
      const double distance = static_cast<double>(tap) - (half - 1.0 + fraction);
      const double sinc = std::sin(std::numbers::pi * distance) / (std::numbers::pi * distance);
      const double ratio = distance / (half + 0.5);
      const double window = std::abs(ratio) < 1.0 ? bessel_i0(kBeta * std::sqrt(1.0 - ratio * ratio)) / bessel_i0(kBeta) : 0.0;
      phases_[phase - 1][tap] = static_cast<float>(sinc * window);
      sum += sinc * window;
    }
    for (auto& value : phases_[phase - 1]) value = static_cast<float>(value / sum);
  }
  reset();
}

void TruePeakMeter::reset() noexcept {
  history_.fill(0.0f);
  peak_ = 0.0f;
  sample_peak_ = 0.0f;
}

// The 4× interpolation is most of a full analysis' loudness time: an AVX2 clone (8 samples per
// multiply) is picked at load time where the CPU has it.
RESOUND_VECTOR_CLONES_HASWELL
void TruePeakMeter::push(std::span<const float> samples) noexcept {
  // Blocks of kBlock samples behind the kTapsPerPhase − 1 previous ones in one linear buffer, so
  // each phase is a plain FIR over contiguous memory (the inner loop over samples vectorises).
  constexpr std::size_t kHistory = kTapsPerPhase - 1;
  std::array<float, kHistory + kBlock> buffer{};
  std::copy(history_.begin(), history_.begin() + kHistory, buffer.begin());
  for (std::size_t offset = 0; offset < samples.size(); offset += kBlock) {
    const std::size_t count = std::min(kBlock, samples.size() - offset);
    for (std::size_t i = 0; i < count; ++i) {
      const float sample = samples[offset + i];
      buffer[kHistory + i] = std::isfinite(sample) ? sample : 0.0f;
      sample_peak_ = std::max(sample_peak_, std::abs(buffer[kHistory + i]));
    }
    float best = sample_peak_;
    for (const auto& taps : phases_) {
      std::array<float, kBlock> sums{};
      for (std::size_t tap = 0; tap < kTapsPerPhase; ++tap) {
        const float weight = taps[tap];
        const float* input = buffer.data() + tap;
        for (std::size_t i = 0; i < count; ++i) sums[i] += weight * input[i];
      }
      for (std::size_t i = 0; i < count; ++i) best = std::max(best, std::abs(sums[i]));
    }
    peak_ = std::max(peak_, best);
    std::copy(buffer.begin() + static_cast<std::ptrdiff_t>(count), buffer.begin() + static_cast<std::ptrdiff_t>(count + kHistory),
              buffer.begin());
  }
  std::copy(buffer.begin(), buffer.begin() + kHistory, history_.begin());
}

double true_peak_dbtp(ConstAudioView audio) noexcept {
  float peak = 0.0f;
  for (std::size_t c = 0; c < audio.channel_count(); ++c) {
    TruePeakMeter meter;
    meter.push(audio.channel(c));
    peak = std::max(peak, meter.peak());
  }
  return gain_to_db(peak);
}

}  // namespace resound::analysis
