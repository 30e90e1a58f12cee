// PitchHmm: pYIN's hidden Markov model — pitch bins × {voiced, unvoiced}, banded transitions, Viterbi.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "resound/analysis/pitch_track.hpp"
#include "resound/analysis/yin.hpp"

namespace resound::analysis {

/// States: bins of 20 cents from min to max frequency, each voiced (index b) or unvoiced
/// (index bins + b). A pitch may move at most ±band bins per frame (triangular weights), and the
/// voicing flips with `switch_probability`. Log-domain max-plus arithmetic, vectorisable inner
/// loops: the band is walked offset by offset over contiguous state ranges.
/// Thread contract: constructor OFF/CT; all methods RT-safe (no allocation), one thread at a time.
class PitchHmm {
 public:
  static constexpr int kBinsPerSemitone = 5;

  PitchHmm(const PitchOptions& options, double frame_period_s);

  [[nodiscard]] std::size_t bin_count() const noexcept { return bins_; }
  [[nodiscard]] std::size_t state_count() const noexcept { return 2 * bins_; }
  [[nodiscard]] bool is_voiced(std::size_t state) const noexcept { return state < bins_; }
  [[nodiscard]] double bin_frequency_hz(std::size_t bin) const noexcept;
  /// Fractional bin of a frequency (may lie outside [0, bins)).
  [[nodiscard]] double frequency_to_bin(double frequency_hz) const noexcept;

  /// Log emission of one frame into `log_emission` (state_count()); returns the voiced probability.
  float emission(std::span<const PitchCandidate> candidates, std::span<float> log_emission) const noexcept;
  /// First frame: uniform prior + emission.
  void start(std::span<const float> log_emission, std::span<float> delta) const noexcept;
  /// One Viterbi step: delta_next[s] = max_p(delta[p] + log T(p→s)) + emission[s], renormalised.
  void step(std::span<const float> delta, std::span<const float> log_emission, std::span<float> delta_next) noexcept;
  /// The best predecessor of `state` given the previous frame's delta (backtracking by recomputation,
  /// so no back-pointer table is stored).
  [[nodiscard]] std::size_t best_predecessor(std::span<const float> delta, std::size_t state) const noexcept;
  [[nodiscard]] static std::size_t best_state(std::span<const float> delta) noexcept;

  /// Frequency for a decoded state: the frame's candidate nearest the state's bin when one lies
  /// within 1.5 bins (keeps the refined YIN estimate), else the bin centre; 0 for unvoiced states.
  [[nodiscard]] float state_frequency_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept;
  /// The same for the state's pitch bin whether voiced or not; 0 when the frame has no candidate.
  [[nodiscard]] float state_pitch_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept;
  /// The pitch reported for a decoded state (PitchTrack::candidate_frequency_hz): the voiced
  /// frequency, or for an unvoiced state the frame's most probable candidate — the unvoiced path
  /// only glides between voiced pitches — else the state's pitch.
  [[nodiscard]] float candidate_pitch_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept;

 private:
  double min_frequency_hz_;
  std::size_t bins_;
  std::size_t band_;                  // half-width in bins
  std::vector<float> log_transition_; // index offset + band_
  float log_stay_;
  float log_switch_;
  std::vector<float> scratch_voiced_;
  std::vector<float> scratch_unvoiced_;
  std::vector<float> padded_;  // one delta half with band_ −inf on either side (no bounds checks in the max)
};

/// Decodes a whole sequence of emissions (frames × state_count, row-major) with Viterbi; returns
/// the state per frame. OFF/CT.
std::vector<std::size_t> viterbi_decode(PitchHmm& hmm, std::span<const float> log_emissions, std::size_t frames);

}  // namespace resound::analysis
