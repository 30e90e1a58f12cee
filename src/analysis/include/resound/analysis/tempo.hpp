// Tempo estimate and dynamic-programming beat tracker driven by the onset envelope.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "resound/analysis/onsets.hpp"

namespace resound::analysis {

struct TempoOptions {
  double start_bpm = 120.0;     ///< centre of the log-normal tempo prior
  double prior_octaves = 1.0;   ///< its standard deviation in octaves
  double min_bpm = 30.0;
  double max_bpm = 300.0;
  double tightness = 100.0;     ///< beat tracker: penalty on deviating from the period (Ellis 2007)
};

struct BeatResult {
  double tempo_bpm = 0.0;         ///< 0 when no tempo could be found (silence, too short)
  std::vector<double> beat_times_s;
};

/// Tempo from the autocorrelation of the envelope (frame i at i·frame_period_s), weighted by the
/// prior; the half/double/two-thirds candidates are compared by how well their beat grid fits
/// the envelope. OFF/CT.
double estimate_tempo_bpm(std::span<const float> envelope, double frame_period_s, const TempoOptions& options = {});

/// Ellis' dynamic-programming beat tracker: each beat maximises envelope strength plus the best
/// previous beat's score minus tightness·log²(interval/period). With an `accent` (per frame, see
/// OnsetResult::accent) the beats move by half a period when the frames half-way between them
/// get clearly louder: the envelope alone often cannot tell the beat from the "and". OFF/CT.
BeatResult track_beats(std::span<const float> envelope, double frame_period_s, double latency_s,
                       const TempoOptions& options = {}, std::span<const float> accent = {});

}  // namespace resound::analysis
