// Performance scoring: offset estimate, DTW alignment of note sequences, verdicts, accuracies, JSON.
#include "resound/analysis/performance_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "resound/analysis/analyze.hpp"
#include "resound/formats/midi_file.hpp"

namespace resound::analysis {

const char* verdict_name(NoteVerdictKind kind) noexcept {
  switch (kind) {
    case NoteVerdictKind::kCorrect: return "correct";
    case NoteVerdictKind::kWrongPitch: return "wrong_pitch";
    case NoteVerdictKind::kMissing: return "missing";
    case NoteVerdictKind::kExtra: return "extra";
    case NoteVerdictKind::kTimingError: return "timing_error";
  }
  return "correct";
}

namespace {

constexpr std::size_t kOffsetCandidateNotes = 24;
constexpr double kOffsetMatchWindowS = 0.06;

// The start delay that lines up the most same-pitch onsets (candidates: differences between the
// first notes of both sequences).
double estimate_offset(std::span<const Note> performed, std::span<const Note> expected) {
  double best_offset = 0.0;
  std::size_t best_count = 0;
  const std::size_t first_expected = std::min(expected.size(), kOffsetCandidateNotes);
  const std::size_t first_performed = std::min(performed.size(), kOffsetCandidateNotes);
  for (std::size_t i = 0; i < first_expected; ++i)
    for (std::size_t j = 0; j < first_performed; ++j) {
      if (performed[j].midi_note != expected[i].midi_note) continue;
      const double offset = performed[j].onset_s - expected[i].onset_s;
      std::size_t count = 0;
      std::size_t cursor = 0;
      for (const auto& note : expected) {
        const double target = note.onset_s + offset;
        while (cursor < performed.size() && performed[cursor].onset_s < target - kOffsetMatchWindowS) ++cursor;
        for (std::size_t k = cursor; k < performed.size() && performed[k].onset_s <= target + kOffsetMatchWindowS; ++k)
          if (performed[k].midi_note == note.midi_note) {
            ++count;
            break;
          }
      }
      if (count > best_count) {
        best_count = count;
        best_offset = offset;
      }
    }
  return best_offset;
}

}  // namespace

PerformanceScore score_notes(std::span<const Note> performed, std::span<const Note> expected, const ScoreOptions& options) {
  PerformanceScore score;
  score.performed_notes.assign(performed.begin(), performed.end());
  score.offset_s = estimate_offset(performed, expected);
  const std::size_t n = expected.size();
  const std::size_t m = performed.size();
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const auto match_cost = [&](std::size_t i, std::size_t j) {
    const double error = performed[j].onset_s - score.offset_s - expected[i].onset_s;
    if (std::abs(error) > options.match_window_s) return kInfinity;
    const double pitch = performed[j].midi_note == expected[i].midi_note ? 0.0 : options.wrong_pitch_cost;
    return pitch + 0.5 * std::abs(error) / options.match_window_s;
  };
  std::vector<double> cost((n + 1) * (m + 1), kInfinity);
  const auto at = [&](std::size_t i, std::size_t j) -> double& { return cost[i * (m + 1) + j]; };
  at(0, 0) = 0.0;
  for (std::size_t i = 0; i <= n; ++i)
    for (std::size_t j = 0; j <= m; ++j) {
      if (i == 0 && j == 0) continue;
      double best = kInfinity;
      if (i > 0 && j > 0) best = std::min(best, at(i - 1, j - 1) + match_cost(i - 1, j - 1));
      if (i > 0) best = std::min(best, at(i - 1, j) + options.skip_cost);
      if (j > 0) best = std::min(best, at(i, j - 1) + options.skip_cost);
      at(i, j) = best;
    }
  // Backtrack from the end, preferring matches on ties.
  std::vector<NoteVerdict> reversed;
  std::size_t i = n;
  std::size_t j = m;
  while (i > 0 || j > 0) {
    NoteVerdict verdict;
    if (i > 0 && j > 0 && at(i, j) == at(i - 1, j - 1) + match_cost(i - 1, j - 1)) {
      const Note& e = expected[i - 1];
      const Note& p = performed[j - 1];
      verdict.expected_index = static_cast<long>(i - 1);
      verdict.performed_index = static_cast<long>(j - 1);
      verdict.expected_onset_s = e.onset_s;
      verdict.expected_midi_note = e.midi_note;
      verdict.performed_onset_s = p.onset_s;
      verdict.performed_midi_note = p.midi_note;
      verdict.timing_error_ms = 1000.0 * (p.onset_s - score.offset_s - e.onset_s);
      if (p.midi_note != e.midi_note)
        verdict.kind = NoteVerdictKind::kWrongPitch;
      else if (std::abs(verdict.timing_error_ms) > 1000.0 * options.timing_tolerance_s)
        verdict.kind = NoteVerdictKind::kTimingError;
      else
        verdict.kind = NoteVerdictKind::kCorrect;
      --i;
      --j;
    } else if (i > 0 && at(i, j) == at(i - 1, j) + options.skip_cost) {
      verdict.kind = NoteVerdictKind::kMissing;
      verdict.expected_index = static_cast<long>(i - 1);
      verdict.expected_onset_s = expected[i - 1].onset_s;
      verdict.expected_midi_note = expected[i - 1].midi_note;
      --i;
    } else {
      verdict.kind = NoteVerdictKind::kExtra;
      verdict.performed_index = static_cast<long>(j - 1);
      verdict.performed_onset_s = performed[j - 1].onset_s;
      verdict.performed_midi_note = performed[j - 1].midi_note;
      --j;
    }
    reversed.push_back(verdict);
  }
  score.verdicts.assign(reversed.rbegin(), reversed.rend());
  for (const auto& verdict : score.verdicts) {
    switch (verdict.kind) {
      case NoteVerdictKind::kCorrect: ++score.correct; break;
      case NoteVerdictKind::kWrongPitch: ++score.wrong_pitch; break;
      case NoteVerdictKind::kMissing: ++score.missing; break;
      case NoteVerdictKind::kExtra: ++score.extra; break;
      case NoteVerdictKind::kTimingError: ++score.timing_errors; break;
    }
  }
  if (n > 0) {
    score.pitch_accuracy = static_cast<double>(score.correct + score.timing_errors) / static_cast<double>(n);
    score.rhythm_accuracy = static_cast<double>(score.correct + score.wrong_pitch) / static_cast<double>(n);
  }
  return score;
}

Expected<PerformanceScore> score_recording(ConstAudioView audio, double sample_rate_hz, std::span<const Note> expected,
                                           const ScoreOptions& options) {
  AnalysisOptions analysis_options;
  analysis_options.pitch = PitchMethod::kPyin;
  analysis_options.onsets = true;
  analysis_options.tempo = false;
  analysis_options.loudness = false;
  analysis_options.waveform = false;
  // The transcription segments at pitch changes itself; pitch-derived onsets would only duplicate them.
  analysis_options.pitch_change_onsets = false;
  auto report = analyze_audio(audio, sample_rate_hz, analysis_options);
  if (!report) return std::move(report).error();
  const std::vector<Note> performed = transcribe_notes(*report->pitch, *report->onsets, options.transcription);
  // A recording cut short is judged on what it covers: notes due after its end are not "missing".
  std::vector<Note> covered;
  for (const auto& note : expected)
    if (note.onset_s < report->duration_s) covered.push_back(note);
  return score_notes(performed, covered, options);
}

Expected<std::vector<Note>> read_expected_notes(const std::filesystem::path& midi_path) {
  auto file = formats::read_midi_file(midi_path);
  if (!file) return std::move(file).error();
  constexpr std::uint8_t kDrumChannel = 9;
  std::map<std::pair<int, int>, std::vector<std::pair<double, std::size_t>>> sounding;  // (channel, key) → starts
  std::vector<Note> notes;
  for (const auto& event : file->events) {
    if (!event.is_channel_message() || event.channel() == kDrumChannel) continue;
    const std::pair<int, int> key{event.channel(), event.data1};
    if (event.is_note_on()) {
      sounding[key].emplace_back(event.time_s, notes.size());
      notes.push_back({event.time_s, 0.0, event.data1});
    } else if (event.is_note_off()) {
      auto& starts = sounding[key];
      if (starts.empty()) continue;
      notes[starts.front().second].duration_s = event.time_s - starts.front().first;
      starts.erase(starts.begin());
    }
  }
  for (auto& note : notes)
    if (note.duration_s <= 0.0) note.duration_s = std::max(0.0, file->duration_s - note.onset_s);
  std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) { return a.onset_s < b.onset_s; });
  return notes;
}

std::string score_to_json(const PerformanceScore& score) {
  std::string json;
  char buffer[320];
  std::snprintf(buffer, sizeof buffer,
                "{\"pitch_accuracy\":%.4f,\"rhythm_accuracy\":%.4f,\"offset_s\":%.4f,\"counts\":{\"correct\":%zu,"
                "\"wrong_pitch\":%zu,\"missing\":%zu,\"extra\":%zu,\"timing_error\":%zu},\"notes\":[",
                score.pitch_accuracy, score.rhythm_accuracy, score.offset_s, score.correct, score.wrong_pitch, score.missing,
                score.extra, score.timing_errors);
  json += buffer;
  for (std::size_t k = 0; k < score.verdicts.size(); ++k) {
    const auto& v = score.verdicts[k];
    std::string expected = "null";
    std::string performed = "null";
    if (v.expected_index >= 0) {
      std::snprintf(buffer, sizeof buffer, "{\"index\":%ld,\"onset_s\":%.4f,\"midi_note\":%d}", v.expected_index,
                    v.expected_onset_s, v.expected_midi_note);
      expected = buffer;
    }
    if (v.performed_index >= 0) {
      std::snprintf(buffer, sizeof buffer, "{\"index\":%ld,\"onset_s\":%.4f,\"midi_note\":%d}", v.performed_index,
                    v.performed_onset_s, v.performed_midi_note);
      performed = buffer;
    }
    std::string timing = "null";
    if (v.expected_index >= 0 && v.performed_index >= 0) {
      std::snprintf(buffer, sizeof buffer, "%.1f", v.timing_error_ms);
      timing = buffer;
    }
    json += (k > 0 ? "," : "");
    json += "{\"verdict\":\"" + std::string(verdict_name(v.kind)) + "\",\"expected\":" + expected +
            ",\"performed\":" + performed + ",\"timing_error_ms\":" + timing + "}";
  }
  json += "]}";
  return json;
}

}  // namespace resound::analysis
