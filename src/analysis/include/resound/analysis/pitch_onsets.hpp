// Pitch-change onsets: note starts that the spectrum hides (legato, slow bowed attacks) found in the pitch track.
#pragma once

#include <vector>

#include "resound/analysis/onsets.hpp"
#include "resound/analysis/pitch_track.hpp"

namespace resound::analysis {

struct PitchOnsetOptions {
  std::size_t side_frames = 3;          ///< frames compared on each side of a candidate change
  double min_change_semitones = 0.6;    ///< the medians either side must differ by this much
  double max_spread_semitones = 0.5;    ///< … and both sides be this steady (glides, drums and noise are not notes)
  double min_gap_s = 0.08;              ///< between two pitch-change onsets
  double merge_window_s = 0.06;         ///< a spectral onset this close already marks the note
};

/// Times where the voiced pitch settles on a new note (both sides voiced), moved back by the
/// half YIN window it takes the new note to dominate the window (pitch_stft_options). OFF/CT.
std::vector<double> pitch_change_onsets(const PitchTrack& pitch, double analysis_rate_hz,
                                        const PitchOnsetOptions& options = {});

/// Adds the `extra` onset times to `onsets` where no onset lies within merge_window_s (strength 0,
/// frame = nearest envelope frame), keeping the lists sorted. OFF/CT.
void merge_onsets(OnsetResult& onsets, const std::vector<double>& extra, const PitchOnsetOptions& options = {});

}  // namespace resound::analysis
