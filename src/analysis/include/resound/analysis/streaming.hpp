// Streaming analyzers: push blocks of a live stream, read pitch frames and onsets with bounded latency.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "resound/analysis/onsets.hpp"
#include "resound/analysis/pitch_hmm.hpp"
#include "resound/analysis/pitch_track.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/stft.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// Mono samples at the source rate → analysis-rate samples, exactly as make_analysis_signal.
class StreamingDecimation {
 public:
  explicit StreamingDecimation(double sample_rate_hz);
  [[nodiscard]] double analysis_rate_hz() const noexcept { return analysis_rate_hz_; }
  /// Decimated samples for `input` (valid until the next call).
  std::span<const float> push(std::span<const float> input);
  /// The samples still held back by the filters at the end of the stream.
  std::span<const float> flush();
  /// Total input samples seen (to know how many analysis samples the stream really has).
  [[nodiscard]] std::size_t input_frames() const noexcept { return input_frames_; }

 private:
  std::vector<HalfBandDecimator> stages_;
  std::vector<float> scratch_a_;
  std::vector<float> scratch_b_;
  std::vector<std::size_t> stage_inputs_;   // samples each stage has consumed
  std::vector<std::size_t> stage_outputs_;  // samples each stage has produced
  double analysis_rate_hz_;
  std::size_t input_frames_ = 0;
};

/// One decided pitch frame.
struct PitchFrame {
  std::size_t index = 0;
  double time_s = 0.0;
  float frequency_hz = 0.0f;  ///< 0 = unvoiced
  bool voiced = false;
  float voiced_probability = 0.0f;
  float candidate_frequency_hz = 0.0f;  ///< pitch also where unvoiced (see PitchTrack)
};

/// Fixed-lag pYIN: frames are decided `lag_frames` after they arrive by backtracking the Viterbi
/// trellis over the last lag_frames + 1 frames; at the end of the stream the rest is decided from
/// the final frame as offline pYIN does. Latency ≈ lag · hop + half a frame (≈ 0.35 s by default).
/// Thread contract: constructor OFF/CT; push/flush CT (one thread; a live caller runs them off the
/// audio callback, e.g. on the thread reading the microphone queue).
class StreamingPitchTracker {
 public:
  static Expected<std::unique_ptr<StreamingPitchTracker>> create(double sample_rate_hz, const PitchOptions& options = {},
                                                                 double lag_s = 0.3);
  /// Pushes mono samples at the source rate; returns the frames decided by this call.
  std::vector<PitchFrame> push(std::span<const float> samples);
  /// Ends the stream; returns the remaining frames.
  std::vector<PitchFrame> flush();
  [[nodiscard]] double frame_period_s() const noexcept { return frame_period_s_; }
  [[nodiscard]] std::size_t lag_frames() const noexcept { return lag_; }
  [[nodiscard]] double latency_s() const noexcept;

 private:
  StreamingPitchTracker(double sample_rate_hz, const PitchOptions& options, double lag_s);
  void on_frame(const StftFrame& frame);
  void decide(std::size_t frame, std::size_t state, std::vector<PitchFrame>& out) const;
  void backtrack_and_emit(std::size_t last_frame, std::size_t until_frame, std::vector<PitchFrame>& out);

  PitchOptions options_;
  StreamingDecimation decimation_;
  StreamingStft stft_;
  YinFrameAnalyzer yin_;
  PitchHmm hmm_;
  double frame_period_s_;
  std::size_t lag_;
  std::size_t states_;
  std::vector<float> deltas_;        // ring of lag_+1 trellis columns
  std::vector<PitchCandidate> candidates_;  // ring of candidates, kMaxPerFrame per frame
  std::vector<std::size_t> candidate_counts_;
  std::vector<float> probabilities_;  // ring of voiced probabilities
  std::vector<float> emission_;
  std::size_t frames_ = 0;            // frames seen
  std::size_t decided_ = 0;           // frames emitted
  std::vector<PitchFrame>* output_ = nullptr;
};

/// Streaming onsets: same features, envelope and peak picker as detect_onsets, so the same frames
/// are picked. Latency = the picker's look-ahead (0.1 s) + half a frame.
/// Thread contract as StreamingPitchTracker.
class StreamingOnsetDetector {
 public:
  static Expected<std::unique_ptr<StreamingOnsetDetector>> create(double sample_rate_hz, const OnsetOptions& options = {});
  /// Pushes mono samples; returns onset times (s from the stream start) decided by this call.
  std::vector<double> push(std::span<const float> samples);
  std::vector<double> flush();
  [[nodiscard]] double frame_period_s() const noexcept { return frame_period_s_; }

 private:
  StreamingOnsetDetector(double sample_rate_hz, const OnsetOptions& options);
  void on_frame(const StftFrame& frame, std::vector<double>& out);

  OnsetOptions options_;
  StreamingDecimation decimation_;
  StreamingStft stft_;
  OnsetFeatureExtractor extractor_;
  OnsetFrameFeatures features_;
  OnsetFunctionState function_;
  PeakPicker picker_;
  double frame_period_s_;
};

}  // namespace resound::analysis
