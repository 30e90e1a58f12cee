// Onset detection functions: per-frame log band features and their rectified frame-to-frame increase.
#include "resound/analysis/onset_detection.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resound/dsp/vector_clones.hpp"

namespace resound::analysis {

namespace {
constexpr double kLowestBandHz = 40.0;
constexpr double kBandsPerOctave = 24.0;
// Compression constant: log(1 + C·m) with m ≈ 1 for a full-scale sine puts ~70 dB of range on
// the log part, so soft wind attacks and loud drums both register.
constexpr float kCompression = 3000.0f;
}  // namespace

Expected<OnsetFunction> parse_onset_function(std::string_view name) {
  if (name == "flux" || name == "specflux" || name == "spectral_flux") return OnsetFunction::kSpectralFlux;
  if (name == "complex" || name == "complex_domain") return OnsetFunction::kComplexDomain;
  if (name == "hfc") return OnsetFunction::kHighFrequencyContent;
  if (name == "energy") return OnsetFunction::kEnergy;
  return Error{ErrorCode::kInvalidArgument,
               "unknown onset function '" + std::string(name) + "' (use flux, complex, hfc or energy)",
               {.field = "onset_function"}};
}

const char* onset_function_name(OnsetFunction function) noexcept {
  switch (function) {
    case OnsetFunction::kSpectralFlux: return "flux";
    case OnsetFunction::kComplexDomain: return "complex";
    case OnsetFunction::kHighFrequencyContent: return "hfc";
    case OnsetFunction::kEnergy: return "energy";
  }
  return "flux";
}

OnsetFeatureExtractor::OnsetFeatureExtractor(std::size_t shared_frame_frames, double sample_rate_hz, OnsetFunction function)
    : function_(function),
      window_frames_(std::max<std::size_t>(16, shared_frame_frames / kOnsetWindowFraction)),
      fft_(window_frames_),
      window_(window_frames_),
      input_(window_frames_),
      windowed_(window_frames_ / 2 + 1),
      // A Hann-windowed full-scale sine peaks at N/4 in an unscaled FFT.
      magnitude_scale_(4.0f / static_cast<float>(window_frames_)) {
  const std::size_t frame_frames = window_frames_;
  lower_band_.resize(frame_frames / 2 + 1);
  powers_.resize(frame_frames / 2 + 1);
  magnitudes_.resize(frame_frames / 2 + 1);
  upper_weight_.resize(frame_frames / 2 + 1);
  for (std::size_t i = 0; i < frame_frames; ++i)
    window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(frame_frames)));
  const double nyquist_hz = sample_rate_hz / 2.0;
  const double top = std::log2(nyquist_hz / kLowestBandHz) * kBandsPerOctave;
  band_count_ = static_cast<std::size_t>(std::max(1.0, std::ceil(top))) + 1;
  for (std::size_t k = 0; k < lower_band_.size(); ++k) {
    const double frequency = static_cast<double>(k) * sample_rate_hz / static_cast<double>(frame_frames);
    const double position =
        frequency <= kLowestBandHz ? 0.0 : std::log2(frequency / kLowestBandHz) * kBandsPerOctave;
    const auto lower = std::min(static_cast<std::size_t>(position), band_count_ - 2);
    lower_band_[k] = lower;
    upper_weight_[k] = static_cast<float>(std::clamp(position - static_cast<double>(lower), 0.0, 1.0));
  }
}

OnsetFrameFeatures OnsetFeatureExtractor::make_features() const {
  OnsetFrameFeatures features;
  features.log_bands.resize(band_count_);
  if (function_ == OnsetFunction::kComplexDomain) features.spectrum.resize(windowed_.size());
  return features;
}

// The vector-friendly parts of extract() (windowing, per-bin power and magnitude) get an AVX2
// clone where the CPU has one; no contraction, so every clone computes the same bits.
RESOUND_VECTOR_CLONES_HASWELL
void OnsetFeatureExtractor::extract(const StftFrame& frame, OnsetFrameFeatures& features) noexcept {
  // The window of the shared frame centred on the frame's time, half the frame long.
  const std::size_t half = window_frames_ / 2;
  const std::size_t offset = std::min(frame.time_offset_frames > half ? frame.time_offset_frames - half : 0,
                                      frame.samples.size() - std::min(frame.samples.size(), window_frames_));
  const std::size_t inside = std::min(window_frames_, frame.samples.size() - offset);
  for (std::size_t i = 0; i < inside; ++i) input_[i] = frame.samples[offset + i] * window_[i];
  for (std::size_t i = inside; i < window_frames_; ++i) input_[i] = 0.0f;
  features.cut_by_signal_end = offset + window_frames_ > frame.signal_end_in_frame;
  fft_.forward(input_.span(), windowed_.span());
  std::fill(features.log_bands.begin(), features.log_bands.end(), 0.0f);
  for (std::size_t k = 0; k < windowed_.size(); ++k) {
    powers_[k] = std::norm(windowed_[k]) * magnitude_scale_ * magnitude_scale_;
    magnitudes_[k] = std::sqrt(powers_[k]);
  }
  double energy = 0.0;
  double high_frequency_content = 0.0;
  for (std::size_t k = 0; k < windowed_.size(); ++k) {
    const float power = powers_[k];
    const float magnitude = magnitudes_[k];
    const float upper = upper_weight_[k];
    features.log_bands[lower_band_[k]] += (1.0f - upper) * magnitude;
    if (lower_band_[k] + 1 < band_count_) features.log_bands[lower_band_[k] + 1] += upper * magnitude;
    energy += power;
    high_frequency_content += static_cast<double>(k) * power;
  }
  for (auto& band : features.log_bands) band = std::log1p(kCompression * band);
  features.log_energy = static_cast<float>(std::log1p(static_cast<double>(kCompression) * kCompression * energy));
  features.log_high_frequency_content =
      static_cast<float>(std::log1p(static_cast<double>(kCompression) * kCompression * high_frequency_content));
  if (!features.spectrum.empty()) {
    for (std::size_t k = 0; k < windowed_.size(); ++k) features.spectrum[k] = windowed_[k] * magnitude_scale_;
  }
}

float OnsetFunctionState::next(const OnsetFrameFeatures& features) noexcept {
  float value = 0.0f;
  // Flux, HFC and energy look two frames back; the complex domain needs both previous frames.
  const OnsetFrameFeatures& reference = before_previous_;
  if (has_two_ && !features.cut_by_signal_end) {
    switch (function_) {
      case OnsetFunction::kSpectralFlux: {
        // SuperFlux-style: compare with the max of the neighbouring previous bands, so vibrato
        // moving energy by one band does not count as an onset.
        const auto& now = features.log_bands;
        const auto& before = reference.log_bands;
        const std::size_t bands = now.size();
        float sum = 0.0f;
        for (std::size_t b = 0; b < bands; ++b) {
          float neighbourhood = before[b];
          if (b > 0) neighbourhood = std::max(neighbourhood, before[b - 1]);
          if (b + 1 < bands) neighbourhood = std::max(neighbourhood, before[b + 1]);
          sum += std::max(0.0f, now[b] - neighbourhood);
        }
        value = sum / static_cast<float>(bands);
        break;
      }
      case OnsetFunction::kComplexDomain: {
        // Rectified complex domain (Dixon 2006): target = |X_{t-1}|·e^{i(2φ_{t-1} − φ_{t-2})},
        // computed without trigonometry; only bins whose magnitude grows count.
        float sum = 0.0f;
        for (std::size_t k = 0; k < features.spectrum.size(); ++k) {
          const std::complex<float> last = previous_.spectrum[k];
          const std::complex<float> older = before_previous_.spectrum[k];
          const float last_magnitude = std::abs(last);
          const float older_magnitude = std::abs(older);
          if (std::abs(features.spectrum[k]) < last_magnitude) continue;
          std::complex<float> target = last;
          if (last_magnitude > 0.0f && older_magnitude > 0.0f)
            target = last * (last / last_magnitude) * (std::conj(older) / older_magnitude);
          sum += std::abs(features.spectrum[k] - target);
        }
        value = std::log1p(kCompression * sum) / 8.0f;
        break;
      }
      case OnsetFunction::kHighFrequencyContent:
        value = std::max(0.0f, features.log_high_frequency_content - reference.log_high_frequency_content);
        break;
      case OnsetFunction::kEnergy:
        value = std::max(0.0f, features.log_energy - reference.log_energy);
        break;
    }
  }
  remember(features);
  return value;
}

}  // namespace resound::analysis

namespace resound::analysis {

void OnsetFunctionState::remember(const OnsetFrameFeatures& features) noexcept {
  // Rotate: previous → before_previous, features → previous (vectors keep their capacity).
  std::swap(before_previous_, previous_);
  has_two_ = has_previous_;
  previous_.log_bands.assign(features.log_bands.begin(), features.log_bands.end());
  previous_.spectrum.assign(features.spectrum.begin(), features.spectrum.end());
  previous_.log_energy = features.log_energy;
  previous_.log_high_frequency_content = features.log_high_frequency_content;
  previous_.cut_by_signal_end = features.cut_by_signal_end;
  has_previous_ = true;
}

}  // namespace resound::analysis
