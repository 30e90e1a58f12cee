// Onset detection functions (spectral flux, complex domain, HFC, energy) from the shared STFT.
#pragma once

#include <complex>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "resound/analysis/stft.hpp"
#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Which onset detection function to compute.
enum class OnsetFunction {
  kSpectralFlux,   ///< rectified increase of log band energies (default: winds, piano and drums alike)
  kComplexDomain,  ///< rectified distance from the phase/magnitude prediction (soft, tonal attacks)
  kHighFrequencyContent,  ///< rectified increase of log frequency-weighted energy (percussive attacks)
  kEnergy,         ///< rectified increase of log frame energy (simplest)
};

/// "flux" | "complex" | "hfc" | "energy".
Expected<OnsetFunction> parse_onset_function(std::string_view name);
const char* onset_function_name(OnsetFunction function) noexcept;

/// Everything one frame contributes to the detection functions; computed per frame (possibly in
/// parallel), turned into the function values in frame order.
struct OnsetFrameFeatures {
  std::vector<float> log_bands;                 ///< log(1 + C·band magnitude), one per log-spaced band
  std::vector<std::complex<float>> spectrum;    ///< windowed spectrum (complex domain only)
  float log_energy = 0.0f;
  float log_high_frequency_content = 0.0f;
  /// The onset window ran past the signal's end: its spectrum shows the cut, not the sound, so
  /// the detection function is 0 there (a held note cut by the end of a buffer is no onset).
  bool cut_by_signal_end = false;
};

/// Per-frame feature extraction. The shared frames are long (≈93 ms, for A0 pitch); onsets need
/// finer timing, so the extractor Hann-windows the centred `kOnsetWindowFraction` of each shared
/// frame (≈46 ms, same centre, same frame grid) and transforms that, then applies a sparse
/// log-frequency filter bank (24 bands per octave from 40 Hz: a semitone step moves energy by two
/// bands, vibrato of ±40 cents stays within the ±1-band maximum filter).
/// Thread contract: constructor OFF/CT; extract RT-safe, one per thread.
class OnsetFeatureExtractor {
 public:
  OnsetFeatureExtractor(std::size_t frame_frames, double sample_rate_hz, OnsetFunction function);
  [[nodiscard]] std::size_t band_count() const noexcept { return band_count_; }
  static constexpr std::size_t kOnsetWindowFraction = 2;  ///< onset window = shared frame / 2
  void extract(const StftFrame& frame, OnsetFrameFeatures& features) noexcept;
  /// Fresh features sized for this extractor (allocation: OFF/CT).
  [[nodiscard]] OnsetFrameFeatures make_features() const;

 private:
  OnsetFunction function_;
  std::size_t band_count_ = 0;
  std::vector<std::size_t> lower_band_;  // per bin: band receiving (1 − weight)
  std::vector<float> upper_weight_;      // per bin: share going to lower_band_ + 1
  std::size_t window_frames_;
  dsp::RealFft fft_;
  dsp::AlignedBuffer<float> window_;
  dsp::AlignedBuffer<float> input_;
  dsp::AlignedBuffer<std::complex<float>> windowed_;
  std::vector<float> powers_;      // per bin, of the frame being extracted
  std::vector<float> magnitudes_;  // per bin, of the frame being extracted
  float magnitude_scale_;
};

/// Turns frame features into detection-function values, frame by frame (same code offline and
/// streaming). Flux, HFC and energy compare frame t with t−2 (23 ms back: overlapping frames one hop
/// apart differ too little for soft attacks); the complex domain predicts t from t−1 and t−2.
class OnsetFunctionState {
 public:
  explicit OnsetFunctionState(OnsetFunction function) : function_(function) {}
  void reset() noexcept { has_previous_ = false; has_two_ = false; }
  /// Value for the next frame; `features` becomes the previous frame. RT-safe once sized.
  float next(const OnsetFrameFeatures& features) noexcept;

 private:
  OnsetFunction function_;
  void remember(const OnsetFrameFeatures& features) noexcept;
  OnsetFrameFeatures previous_;
  OnsetFrameFeatures before_previous_;
  bool has_previous_ = false;
  bool has_two_ = false;
};

}  // namespace resound::analysis
