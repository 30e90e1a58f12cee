// Onset detection: detection-function envelope from the shared STFT plus adaptive peak picking.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/onset_detection.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Peak-picking and detection options. Times are converted to whole frames of the envelope.
struct OnsetOptions {
  OnsetFunction function = OnsetFunction::kSpectralFlux;
  double delta = 0.005;           ///< a peak must exceed the threshold below by this much (function units)
  double relative_threshold = 0.5;  ///< … and the local mean times (1 + this): vibrato and sustained
                                    ///< tones raise the mean, so their flux ripple is not picked
  double pre_max_s = 0.03;        ///< a peak is the maximum over [t − pre_max, t + post_max]
  double post_max_s = 0.03;
  double pre_average_s = 0.30;    ///< local mean over [t − pre_average, t + post_average]
  double post_average_s = 0.10;
  double min_gap_s = 0.03;        ///< onsets closer than this are merged (chords count once)
  double latency_s = 0.02;        ///< subtracted from frame times: soft attacks peak 30–50 ms after they
                                  ///< start, sharp ones at once; 20 ms keeps both within ±30 ms
  /// A peak is dropped when the frame energy two frames later is this many dB below the energy two
  /// frames earlier: the sound is ending (the click of a note stopping), not starting. ≤ 0 disables.
  double max_energy_drop_db = 10.0;
  /// A peak must also reach this share of the strongest recent peak, which decays with
  /// `recent_peak_half_life_s`: the flux ripple of vibrato or tremolo inside a held note is a few
  /// per cent of its attack, while a new attack — even 20 dB softer — is, after the log
  /// compression, most of one. 0 disables.
  /// Hard attacks (frame energy rising by more than `sharp_attack_rise_db` over the four frames
  /// around the peak: a drum, a click, a plucked or struck note from quiet) peak in the flux as
  /// they start, so they get `sharp_attack_latency_s` instead of latency_s (10 ms: 0 would match
  /// the noise bursts best, but the tongued fife attacks the scorer relies on also pass the test).
  double sharp_attack_rise_db = 15.0;
  double sharp_attack_latency_s = 0.01;
  double recent_peak_fraction = 0.1;
  double recent_peak_half_life_s = 3.0;
};

/// Checks ranges (non-negative windows, finite delta). OFF/CT.
Expected<void> validate(const OnsetOptions& options);

/// Adaptive-threshold peak picker over an envelope arriving one value at a time; decides frame t
/// once frame t + lookahead has arrived, so offline and streaming runs pick identical frames.
/// Thread contract: constructor OFF/CT; push/flush RT-safe (fixed ring buffer).
class PeakPicker {
 public:
  PeakPicker(const OnsetOptions& options, double frame_period_s);
  void reset() noexcept;
  /// Adds the next envelope value; returns true and sets `frame`/`strength` when the frame
  /// `lookahead_frames()` back is an onset.
  bool push(float value, std::size_t& frame, float& strength) noexcept;
  /// Same, with the frame's log energy (OnsetFrameFeatures::log_energy) for the energy-drop gate.
  bool push(float value, float log_energy, std::size_t& frame, float& strength) noexcept;
  /// Decides the last `lookahead_frames()` frames (as if the envelope continued with zeros);
  /// calls `emit(frame, strength)` for each onset.
  template <typename Emit>
  void flush(Emit&& emit) {
    std::size_t frame = 0;
    float strength = 0.0f;
    const std::size_t pending = std::min(lookahead_, pushed_);
    for (std::size_t i = 0; i < pending; ++i)
      if (push_internal(0.0f, last_energy_, frame, strength, false)) emit(frame, strength);
  }
  [[nodiscard]] std::size_t lookahead_frames() const noexcept { return lookahead_; }
  /// Seconds between the last onset's peak frame and its reported time (latency_s, or
  /// sharp_attack_latency_s for a hard attack).
  [[nodiscard]] double last_latency_s() const noexcept { return last_latency_s_; }
  /// The reported time of an onset picked at `frame` (the last one): frame time − last_latency_s, ≥ 0.
  [[nodiscard]] double onset_time_s(std::size_t frame) const noexcept;

 private:
  bool push_internal(float value, float log_energy, std::size_t& frame, float& strength, bool real) noexcept;

  std::size_t pre_max_;
  std::size_t post_max_;
  std::size_t pre_average_;
  std::size_t post_average_;
  std::size_t min_gap_;
  std::size_t lookahead_;
  float delta_;
  float relative_;
  float max_energy_drop_ = 0.0f;  // natural-log units; 0 = gate off
  float recent_peak_fraction_ = 0.0f;
  float recent_peak_decay_ = 0.0f;  // per frame
  float recent_peak_ = 0.0f;        // decaying maximum of the envelope up to the candidate frame
  float sharp_rise_ = 0.0f;         // natural-log power units; 0 = every attack gets latency_s
  double latency_s_ = 0.0;
  double sharp_latency_s_ = 0.0;
  double frame_period_s_ = 0.0;
  double last_latency_s_ = 0.0;
  std::vector<float> ring_;
  std::vector<float> energy_ring_;
  float last_energy_ = 0.0f;   // flush repeats the last energy (no drop)
  bool has_energy_ = false;
  std::size_t pushed_ = 0;     // real values pushed
  std::size_t position_ = 0;   // values pushed including flush zeros
  std::size_t last_onset_ = 0;
  bool has_onset_ = false;
};

/// The detection function of every frame and the onsets picked from it.
struct OnsetResult {
  double frame_period_s = 0.0;
  std::vector<double> envelope_times_s;  ///< frame centres
  std::vector<float> envelope;           ///< detection function (≥ 0)
  std::vector<std::size_t> onset_frames;
  std::vector<double> onset_times_s;     ///< frame time − latency_s, clamped at 0
  std::vector<float> strengths;          ///< 0–1: how far the peak rose above its threshold
  /// Rise of the frame's energy over two frames (≥ 0, linear, so loud events dominate). The beat
  /// tracker uses it to choose between on- and off-beat phases; empty when not computed.
  std::vector<float> accent;
};

/// Picks onsets from an envelope (frame i at i·frame_period_s); `log_energy` (one per frame, or
/// empty to skip the energy-drop gate). OFF/CT.
OnsetResult pick_onsets(std::vector<float> envelope, double frame_period_s, const OnsetOptions& options,
                        std::span<const float> log_energy = {});
/// Envelope, accent and onsets from per-frame features (frame i at i·frame_period_s). OFF/CT.
OnsetResult onsets_from_features(std::span<const OnsetFrameFeatures> features, double frame_period_s,
                                 const OnsetOptions& options);
/// Envelope + onsets over an analysis signal. OFF/CT.
OnsetResult detect_onsets(const AnalysisSignal& signal, const OnsetOptions& options = {}, std::size_t threads = 1);
/// Same on raw mono samples at any rate. OFF/CT.
Expected<OnsetResult> detect_onsets(std::span<const float> samples, double sample_rate_hz, const OnsetOptions& options = {});

}  // namespace resound::analysis
