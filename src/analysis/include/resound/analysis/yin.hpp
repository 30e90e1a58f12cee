// YIN pitch estimation with an FFT-based difference function, per frame and over a whole signal.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/pitch_track.hpp"
#include "resound/analysis/stft.hpp"
#include "resound/core/expected.hpp"
#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"

namespace resound::analysis {

/// One dip of the cumulative-mean-normalised difference d'(τ) — a pitch candidate.
struct PitchCandidate {
  float frequency_hz = 0.0f;
  float dip = 1.0f;          ///< d' at the dip (0 = perfectly periodic)
  float probability = 0.0f;  ///< pYIN: mass of thresholds that pick this dip
};

/// Computes d'(τ) for one STFT frame and extracts its dips. The window is the frame's first half
/// and lags run up to half the frame, so the difference function comes from one extra forward FFT
/// (of the zero-padded window) and one inverse FFT next to the STFT's own transform:
/// d(τ) = E(window) + E(window shifted by τ) − 2·r(τ), r = IFFT(X·conj(W)).
/// High pitches (short lags) are refined by evaluating r at fractional lags from the cross
/// spectrum, which removes the bias of parabolic interpolation at a few samples per period.
/// Thread contract: constructor OFF/CT; analyse RT-safe; one instance per thread.
class YinFrameAnalyzer {
 public:
  YinFrameAnalyzer(std::size_t frame_frames, double sample_rate_hz, const PitchOptions& options);

  /// Fills the normalised difference for `frame`. Returns false for a silent frame.
  bool analyse(const StftFrame& frame) noexcept;
  /// Plain YIN: first dip below the threshold (else the deepest dip); frequency 0 when none.
  [[nodiscard]] PitchCandidate best_candidate(double threshold) const noexcept;
  /// pYIN: every dip with its threshold-prior probability (Beta(2,18) over thresholds 0.01…1);
  /// writes at most candidates.size(), returns the count. Reads the frame last analysed, whose
  /// samples must still be alive (call it from the same visitor call as `analyse`).
  std::size_t probabilistic_candidates(std::span<PitchCandidate> candidates) const noexcept;

  [[nodiscard]] std::span<const float> normalised_difference() const noexcept { return {normalised_.data(), normalised_.size()}; }
  [[nodiscard]] std::size_t min_lag() const noexcept { return min_lag_; }
  [[nodiscard]] std::size_t max_lag() const noexcept { return max_lag_; }

 private:
  [[nodiscard]] float refine_lag(std::size_t lag) const noexcept;
  /// Whether the window shifted by `lag` holds an energy comparable to the window's own.
  [[nodiscard]] bool comparable_energy(std::size_t lag) const noexcept;
  [[nodiscard]] double difference_at(double lag) const noexcept;
  /// Magnitude of the Hann-windowed frame's spectrum at `frequency_hz` (evaluated directly).
  [[nodiscard]] double windowed_amplitude(double frequency_hz) const noexcept;
  /// Hann-windowed amplitudes at `frequency_hz` of the window (the frame's first half, centred on
  /// the frame time) and of the frame's second half (the 46 ms after it), from the two spectra
  /// analyse() already has: {window, after}.
  [[nodiscard]] std::pair<double, double> window_and_after_amplitudes(double frequency_hz) const noexcept;
  /// Reweights the candidates (same total probability) by how their fundamentals grow from the
  /// window to the 46 ms after it.
  void weight_by_growth(std::span<PitchCandidate> candidates) const noexcept;
  /// Whether the fundamental at `rising_hz` grows while the one at `ringing_hz` decays, clearly faster.
  [[nodiscard]] bool rising_over(double rising_hz, double ringing_hz) const noexcept;

  double sample_rate_hz_;
  std::size_t frame_frames_;
  std::size_t window_frames_;
  std::size_t min_lag_;
  std::size_t max_lag_;
  bool silent_ = true;
  dsp::RealFft fft_;
  dsp::AlignedBuffer<float> window_input_;
  dsp::AlignedBuffer<std::complex<float>> window_spectrum_;
  dsp::AlignedBuffer<std::complex<float>> cross_spectrum_;
  dsp::AlignedBuffer<float> correlation_;
  std::vector<double> energy_prefix_;  // prefix sums of x² over the frame
  std::vector<float> difference_;      // d(τ), τ = 0…max_lag
  std::vector<float> normalised_;      // d'(τ)
  std::span<const std::complex<float>> frame_spectrum_;  // of the frame last analysed (alive during the visitor call)
};

/// Frame times and options shared by the offline trackers.
struct PitchAnalysisLayout {
  StftOptions stft;
  double analysis_rate_hz = 0.0;
};

/// The STFT layout pitch analysis uses at `analysis_rate_hz` (2048/256 at 22.05 kHz, scaled for
/// other rates so frames stay ≈ 93 ms long and ≈ 11.6 ms apart).
StftOptions pitch_stft_options(double analysis_rate_hz) noexcept;

/// An all-unvoiced track of `frames` frames on the pitch grid. OFF/CT.
PitchTrack make_pitch_track(std::size_t frames, double frame_period_s);
/// The STFT visitor of plain YIN: fills `track` (sized by make_pitch_track) frame by frame, using
/// analyzers[thread_index]. OFF/CT (called from run_stft's threads, one frame slot each).
StftVisitor make_yin_visitor(std::vector<std::unique_ptr<YinFrameAnalyzer>>& analyzers, PitchTrack& track,
                             const PitchOptions& options);

/// Plain YIN over a whole signal (any rate; mixed and decimated internally). OFF/CT.
Expected<PitchTrack> yin(std::span<const float> samples, double sample_rate_hz, const PitchOptions& options = {});
/// Same, on an already prepared analysis signal.
PitchTrack yin(const AnalysisSignal& signal, const PitchOptions& options = {});

/// Checks a PitchOptions for sense (range inside (0, rate/2), thresholds in (0,1)).
Expected<void> validate(const PitchOptions& options);

}  // namespace resound::analysis
