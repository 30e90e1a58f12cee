// Performance scoring: a transcribed recording aligned to the expected notes, with per-note verdicts.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "resound/analysis/transcription.hpp"
#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

enum class NoteVerdictKind { kCorrect, kWrongPitch, kMissing, kExtra, kTimingError };
/// "correct" | "wrong_pitch" | "missing" | "extra" | "timing_error".
const char* verdict_name(NoteVerdictKind kind) noexcept;

/// One line of the verdict. Indices are −1 where there is no such note (missing / extra).
struct NoteVerdict {
  NoteVerdictKind kind = NoteVerdictKind::kCorrect;
  long expected_index = -1;
  long performed_index = -1;
  double expected_onset_s = 0.0;
  int expected_midi_note = 0;
  double performed_onset_s = 0.0;
  int performed_midi_note = 0;
  double timing_error_ms = 0.0;  ///< performed − expected after removing the global offset
};

struct ScoreOptions {
  double timing_tolerance_s = 0.12;  ///< |timing error| above this is a timing error
  double match_window_s = 0.25;      ///< notes further apart than this are never paired
  double skip_cost = 1.0;            ///< cost of calling a note missing or extra
  double wrong_pitch_cost = 0.7;     ///< cost of pairing notes of different pitch (< 2 skips)
  TranscriptionOptions transcription;
};

struct PerformanceScore {
  std::vector<NoteVerdict> verdicts;  ///< expected order, extras inserted where they were played
  std::vector<Note> performed_notes;  ///< the transcription
  double offset_s = 0.0;              ///< recording time − score time (start delay)
  double pitch_accuracy = 0.0;        ///< expected notes played at the right pitch / expected notes
  double rhythm_accuracy = 0.0;       ///< expected notes played within the timing tolerance / expected notes
  std::size_t correct = 0, wrong_pitch = 0, missing = 0, extra = 0, timing_errors = 0;
};

/// Aligns `performed` to `expected` (both sorted by onset) with dynamic time warping over the two
/// note sequences — steps match (cost: pitch distance + timing distance), skip an expected note
/// (missing) or skip a performed one (extra) — after estimating the global offset as the shift that
/// lines up the most onsets. OFF/CT.
PerformanceScore score_notes(std::span<const Note> performed, std::span<const Note> expected, const ScoreOptions& options = {});

/// Transcribes a mono/stereo recording (pYIN + onsets) and scores it against the expected notes
/// that start before the recording ends. Errors: bad rate. OFF/CT.
Expected<PerformanceScore> score_recording(ConstAudioView audio, double sample_rate_hz, std::span<const Note> expected,
                                           const ScoreOptions& options = {});

/// The notes of a Standard MIDI File (all channels except the drum channel 10), sorted by onset;
/// read with resound::formats' SMF reader. Errors: unreadable or corrupt file. OFF/CT.
Expected<std::vector<Note>> read_expected_notes(const std::filesystem::path& midi_path);

/// The score as JSON: {"pitch_accuracy", "rhythm_accuracy", "offset_s", "counts": {…}, "notes": […]}.
std::string score_to_json(const PerformanceScore& score);

}  // namespace resound::analysis
