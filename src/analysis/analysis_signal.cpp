// Mono mixing and half-band decimation shared by the offline and streaming analyses.
#include "resound/analysis/analysis_signal.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <numbers>

#include "resound/dsp/vector_clones.hpp"

namespace resound::analysis {

HalfBandDecimator::HalfBandDecimator() {
  // Half-band windowed sinc: h[k] = 0.5 sinc(k/2) · Blackman(k); odd k carry the signal, even k≠0
  // are zero. Blackman keeps the stop band below about -70 dB above 0.3·fs_in, enough that aliases
  // of cymbals do not show as pitch candidates. Normalised to unity DC gain.
  double sum = 0.0;
  for (std::size_t k = 0; k <= kHalfLength; ++k) {
    const double x = static_cast<double>(k);
    const double sinc = k == 0 ? 1.0 : std::sin(std::numbers::pi * x / 2.0) / (std::numbers::pi * x / 2.0);
    const double position = (x + kHalfLength + 1.0) / (2.0 * kHalfLength + 2.0);
    const double window = 0.42 - 0.5 * std::cos(2.0 * std::numbers::pi * position) +
                          0.08 * std::cos(4.0 * std::numbers::pi * position);
    taps_[k] = static_cast<float>(0.5 * sinc * window);
    sum += (k == 0 ? 1.0 : 2.0) * taps_[k];
  }
  for (auto& tap : taps_) tap = static_cast<float>(tap / sum);
  reset();
}

void HalfBandDecimator::reset() noexcept {
  history_.fill(0.0f);
  // The stream starts with kHalfLength virtual zeros so the first output is centred on sample 0.
  history_fill_ = kHalfLength;
  next_centre_ = kHalfLength;
}

// An AVX2 clone where the CPU has one (no contraction: every clone computes the same bits).
RESOUND_VECTOR_CLONES_HASWELL
std::size_t HalfBandDecimator::push(std::span<const float> input, std::span<float> output) noexcept {
  std::size_t written = 0;
  std::size_t consumed = 0;
  while (consumed < input.size()) {
    const std::size_t take = std::min(input.size() - consumed, history_.size() - history_fill_);
    std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(consumed), take, history_.begin() + static_cast<std::ptrdiff_t>(history_fill_));
    history_fill_ += take;
    consumed += take;
    // Every output whose right-hand taps have arrived, a block at a time: tap by tap over the
    // outputs (vectorises), each output summed in the same order as one at a time would be.
    const std::size_t ready =
        next_centre_ + kHalfLength < history_fill_ ? (history_fill_ - next_centre_ - kHalfLength - 1) / 2 + 1 : 0;
    const std::size_t kept = std::min(ready, output.size() - written);
    // Output m is centred on history sample c + 2m (c = next_centre_); tap k (odd) reads c + 2m ± k,
    // which is neighbours_[m + (kHalfLength ± k) / 2] with neighbours_[j] = history[c − kHalfLength + 2j].
    const float* centre = history_.data() + next_centre_;
    const float* first_neighbour = centre - kHalfLength;
    for (std::size_t m = 0; m < kept; ++m) centres_[m] = centre[2 * m];
    for (std::size_t j = 0; j < kept + kHalfLength; ++j) neighbours_[j] = first_neighbour[2 * j];
    float* out = output.data() + written;
    for (std::size_t m = 0; m < kept; ++m) out[m] = taps_[0] * centres_[m];
    for (std::size_t k = 1; k <= kHalfLength; k += 2) {
      const float tap = taps_[k];
      const float* right = neighbours_.data() + (kHalfLength + k) / 2;
      const float* left = neighbours_.data() + (kHalfLength - k) / 2;
      for (std::size_t m = 0; m < kept; ++m) out[m] += tap * (right[m] + left[m]);
    }
    written += kept;
    next_centre_ += 2 * ready;
    // Keep the 2·kHalfLength+1 samples around the next centre.
    const std::size_t keep_from = next_centre_ - kHalfLength;
    std::copy(history_.begin() + static_cast<std::ptrdiff_t>(keep_from), history_.begin() + static_cast<std::ptrdiff_t>(history_fill_),
              history_.begin());
    history_fill_ -= keep_from;
    next_centre_ -= keep_from;
  }
  return written;
}

std::size_t HalfBandDecimator::flush(std::span<float> output) noexcept {
  std::array<float, kLookaheadFrames> zeros{};
  return push(zeros, output);
}

std::size_t decimation_stages_for(double sample_rate_hz) noexcept {
  std::size_t stages = 0;
  while (sample_rate_hz > kMaxAnalysisRateHz && stages < 8) {
    sample_rate_hz /= 2.0;
    ++stages;
  }
  return stages;
}

void mix_to_mono(ConstAudioView audio, std::span<float> mono) noexcept {
  const std::size_t frames = std::min(mono.size(), audio.frame_count());
  const std::size_t channels = audio.channel_count();
  if (channels == 1) {  // the common case in one pass
    const auto channel = audio.channel(0);
    for (std::size_t i = 0; i < frames; ++i) {
      const float value = 0.0f + channel[i];  // as the sum below: −0 becomes +0
      mono[i] = std::isfinite(value) ? value : 0.0f;
    }
    std::fill(mono.begin() + static_cast<std::ptrdiff_t>(frames), mono.end(), 0.0f);
    return;
  }
  std::fill(mono.begin(), mono.end(), 0.0f);
  if (channels == 0) return;
  const float scale = 1.0f / static_cast<float>(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    const auto channel = audio.channel(c);
    for (std::size_t i = 0; i < frames; ++i) mono[i] += channel[i];
  }
  for (std::size_t i = 0; i < frames; ++i) mono[i] = std::isfinite(mono[i]) ? mono[i] * scale : 0.0f;
}

Expected<void> check_sample_rate(double sample_rate_hz, double minimum_hz) {
  const double lowest = std::max(minimum_hz, kMinInputRateHz);
  if (!(sample_rate_hz >= lowest) || !(sample_rate_hz <= kMaxInputRateHz))
    return Error{ErrorCode::kInvalidArgument,
                 "sample rate " + std::to_string(sample_rate_hz) + " Hz is outside " + std::to_string(lowest) + "…" +
                     std::to_string(kMaxInputRateHz) + " Hz",
                 {.field = "sample_rate"}};
  return ok();
}

namespace {

Expected<AnalysisSignal> decimate_to_analysis_rate(std::vector<float> samples, double sample_rate_hz) {
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz));
  AnalysisSignal signal;
  signal.source_rate_hz = sample_rate_hz;
  const std::size_t stages = decimation_stages_for(sample_rate_hz);
  for (std::size_t stage = 0; stage < stages; ++stage) {
    HalfBandDecimator decimator;
    std::vector<float> output(samples.size() / 2 + 2 + HalfBandDecimator::kLookaheadFrames);
    std::size_t count = decimator.push(samples, output);
    count += decimator.flush(std::span<float>(output).subspan(count));
    // Keep exactly ceil(n/2) samples: output j is centred on input 2j.
    output.resize(std::min(count, (samples.size() + 1) / 2));
    samples = std::move(output);
    sample_rate_hz /= 2.0;
    signal.decimation *= 2;
  }
  signal.samples = std::move(samples);
  signal.sample_rate_hz = sample_rate_hz;
  return signal;
}

}  // namespace

Expected<AnalysisSignal> make_analysis_signal(ConstAudioView audio, double sample_rate_hz) {
  std::vector<float> mono(audio.frame_count());
  mix_to_mono(audio, mono);
  return decimate_to_analysis_rate(std::move(mono), sample_rate_hz);
}

Expected<AnalysisSignal> make_analysis_signal(std::span<const float> mono, double sample_rate_hz) {
  std::vector<float> samples(mono.size());
  for (std::size_t i = 0; i < mono.size(); ++i) samples[i] = std::isfinite(mono[i]) ? mono[i] : 0.0f;
  return decimate_to_analysis_rate(std::move(samples), sample_rate_hz);
}

}  // namespace resound::analysis
