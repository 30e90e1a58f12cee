// pYIN: probabilistic YIN candidates per frame decoded by the pitch HMM (offline form).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/pitch_track.hpp"
#include "resound/analysis/stft.hpp"
#include "resound/analysis/yin.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

/// pYIN candidates of every frame (at most kMaxPerFrame each, the most probable kept).
class PitchCandidateFrames {
 public:
  static constexpr std::size_t kMaxPerFrame = 8;
  explicit PitchCandidateFrames(std::size_t frames = 0) : candidates_(frames * kMaxPerFrame), counts_(frames, 0) {}
  [[nodiscard]] std::size_t frame_count() const noexcept { return counts_.size(); }
  [[nodiscard]] std::span<const PitchCandidate> frame(std::size_t index) const noexcept {
    return {candidates_.data() + index * kMaxPerFrame, counts_[index]};
  }
  /// Stores the candidates of frame `index`, keeping the most probable kMaxPerFrame. Frames may be
  /// written from several threads at once (distinct indices).
  void store(std::size_t index, std::span<PitchCandidate> candidates) noexcept;

 private:
  std::vector<PitchCandidate> candidates_;
  std::vector<std::size_t> counts_;
};

/// An STFT visitor that runs YIN on each frame and stores pYIN candidates in `frames`.
/// `analyzers` holds one YinFrameAnalyzer per thread. The returned visitor refers to both.
StftVisitor make_pyin_visitor(std::vector<std::unique_ptr<YinFrameAnalyzer>>& analyzers, PitchCandidateFrames& frames);

/// Decodes stored candidates with the HMM into a pitch track (frame i at i·frame_period_s).
PitchTrack decode_pyin(const PitchCandidateFrames& frames, const PitchOptions& options, double frame_period_s);

/// Offline pYIN over an analysis signal. OFF/CT.
PitchTrack pyin(const AnalysisSignal& signal, const PitchOptions& options = {});
/// Offline pYIN over raw mono samples at any rate. Errors: bad rate or options. OFF/CT.
Expected<PitchTrack> pyin(std::span<const float> samples, double sample_rate_hz, const PitchOptions& options = {});

}  // namespace resound::analysis
