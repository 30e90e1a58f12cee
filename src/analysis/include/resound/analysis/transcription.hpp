// Monophonic transcription: a pitch track plus onsets turned into a list of notes.
#pragma once

#include <span>
#include <vector>

#include "resound/analysis/onsets.hpp"
#include "resound/analysis/pitch_track.hpp"

namespace resound::analysis {

/// A note: when it starts, how long it lasts, which equal-tempered MIDI note (A4 = 69).
struct Note {
  double onset_s = 0.0;
  double duration_s = 0.0;
  int midi_note = 0;
};

struct TranscriptionOptions {
  double min_duration_s = 0.04;        ///< shorter voiced stretches are dropped
  double pitch_change_s = 0.035;       ///< a new pitch must hold this long to start a new note
  double onset_snap_s = 0.06;          ///< a note start moves to a detected onset this close
  double pitch_lag_s = 0.06;           ///< pitch changes this soon after an onset belong to its note
  double repeat_peak_radius_s = 0.06;  ///< an envelope peak must be the maximum over ± this…
  double repeat_peak_ratio = 2.0;      ///< …and this many times the mean around it…
  float repeat_min_flux = 0.004f;      ///< …and above this to split a same-pitch stretch
  double repeat_latency_s = 0.02;      ///< as OnsetOptions::latency_s
};

/// Segments voiced stretches of `pitch` into notes: a new note starts where voicing begins, where
/// the rounded pitch changes and holds for `pitch_change_s` (unless an onset just before explains
/// it), at detected onsets, and at clear onset-envelope peaks inside a same-pitch stretch (a soft
/// repeated note). Each note's pitch is the note held longest in its last third. OFF/CT.
std::vector<Note> transcribe_notes(const PitchTrack& pitch, const OnsetResult& onsets, const TranscriptionOptions& options = {});

}  // namespace resound::analysis
