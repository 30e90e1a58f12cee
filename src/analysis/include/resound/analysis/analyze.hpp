// analyze_audio: every analysis of a recording in one pass over one shared STFT.
#pragma once

#include <cstddef>
#include <optional>

#include "resound/analysis/loudness.hpp"
#include "resound/analysis/onsets.hpp"
#include "resound/analysis/pitch_track.hpp"
#include "resound/analysis/tempo.hpp"
#include "resound/analysis/waveform.hpp"
#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

enum class PitchMethod { kNone, kYin, kPyin };

struct AnalysisOptions {
  PitchMethod pitch = PitchMethod::kPyin;
  bool onsets = true;
  bool tempo = true;        ///< implies the onset envelope
  bool loudness = true;
  bool waveform = true;     ///< min/max pyramid (base 256 samples per pixel)
  /// With a pitch track, add onsets where the pitch settles on a new note and the spectrum showed
  /// none (legato, slow bowed attacks); see pitch_onsets.hpp.
  bool pitch_change_onsets = true;
  PitchOptions pitch_options;
  OnsetOptions onset_options;
  TempoOptions tempo_options;
  std::size_t threads = 1;  ///< STFT frames split over this many threads
};

struct AnalysisReport {
  double sample_rate_hz = 0.0;
  double duration_s = 0.0;
  std::optional<PitchTrack> pitch;
  std::optional<OnsetResult> onsets;
  std::optional<BeatResult> beats;
  std::optional<LoudnessResult> loudness;
  std::optional<WaveformPyramid> waveform;
};

/// Runs the requested analyses. The mono analysis signal and the STFT are computed once; YIN and
/// the onset features are visitors of the same frames. Errors: bad rate or options. OFF/CT.
Expected<AnalysisReport> analyze_audio(ConstAudioView audio, double sample_rate_hz, const AnalysisOptions& options = {});

}  // namespace resound::analysis
