// Note segmentation of a pYIN track, with onsets for repeated notes and for precise start times.
#include "resound/analysis/transcription.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace resound::analysis {

namespace {

double frame_midi(float frequency_hz) { return 69.0 + 12.0 * std::log2(static_cast<double>(frequency_hz) / 440.0); }

}  // namespace

std::vector<Note> transcribe_notes(const PitchTrack& pitch, const OnsetResult& onsets, const TranscriptionOptions& options) {
  std::vector<Note> notes;
  const std::size_t frames = pitch.size();
  if (frames == 0 || !(pitch.frame_period_s > 0.0)) return notes;
  const double period = pitch.frame_period_s;
  const auto hold_frames = static_cast<std::size_t>(std::max(1.0, std::round(options.pitch_change_s / period)));

  // Frames where a detected onset falls (nearest frame), for splitting repeated notes.
  std::vector<std::uint8_t> onset_at(frames, 0);
  for (const double time : onsets.onset_times_s) {
    const auto frame = static_cast<std::size_t>(std::clamp(std::lround(time / period), 0L, static_cast<long>(frames - 1)));
    onset_at[frame] = 1;
  }
  // Re-articulations of the same pitch are soft (a wind player's tongued repeat): inside a voiced
  // stretch, a clear local peak of the onset envelope also counts, even below the picker's threshold.
  if (onsets.envelope.size() == frames && onsets.frame_period_s == period) {
    const auto radius = static_cast<std::size_t>(std::max(1.0, std::round(options.repeat_peak_radius_s / period)));
    for (std::size_t i = radius; i + radius < frames; ++i) {
      const float value = onsets.envelope[i];
      if (!(value > options.repeat_min_flux) || !pitch.voiced[i]) continue;
      bool peak = true;
      float sum = 0.0f;
      for (std::size_t j = i - radius; j <= i + radius; ++j) {
        if (j != i && onsets.envelope[j] >= value) peak = false;
        sum += onsets.envelope[j];
      }
      const float mean = sum / static_cast<float>(2 * radius + 1);
      if (peak && value > options.repeat_peak_ratio * mean) {
        const auto shift = static_cast<std::size_t>(std::lround(options.repeat_latency_s / period));
        onset_at[i >= shift ? i - shift : 0] = 1;
      }
    }
  }

  // Boundaries: voicing changes, onsets inside voiced stretches, and pitch changes that hold —
  // except pitch changes within onset_snap_s of an onset: the pitch track lags the attack, so
  // those belong to the onset's note.
  const auto lag_frames = static_cast<std::size_t>(std::round(options.pitch_lag_s / period));
  const auto near_onset = [&](std::size_t frame) {
    const std::size_t first = frame >= lag_frames ? frame - lag_frames : 0;
    const std::size_t last = std::min(frames - 1, frame + 2);
    for (std::size_t i = first; i <= last; ++i)
      if (onset_at[i]) return true;
    return false;
  };
  std::vector<std::pair<std::size_t, std::size_t>> segments;  // [first, end) frames
  std::size_t start = frames;
  int current = 0;
  for (std::size_t i = 0; i <= frames; ++i) {
    const bool voiced = i < frames && pitch.voiced[i] && pitch.frequency_hz[i] > 0.0f;
    if (!voiced) {
      if (start < i) segments.emplace_back(start, i);
      start = frames;
      continue;
    }
    const int rounded = static_cast<int>(std::lround(frame_midi(pitch.frequency_hz[i])));
    if (start == frames) {
      start = i;
      current = rounded;
      continue;
    }
    bool split = false;
    if (onset_at[i] && i > start + hold_frames) {
      split = true;
    } else if (rounded != current) {
      // A pitch change counts once it holds (glides and vibrato peaks do not).
      std::size_t held = 0;
      for (std::size_t j = i; j < std::min(frames, i + hold_frames); ++j)
        if (pitch.voiced[j] && std::lround(frame_midi(pitch.frequency_hz[j])) == rounded) ++held;
      if (held == hold_frames) {
        split = !near_onset(i);
        current = rounded;
      }
    }
    if (split) {
      segments.emplace_back(start, i);
      start = i;
      current = rounded;
    }
  }

  for (const auto& [first, end] : segments) {
    const double duration = static_cast<double>(end - first) * period;
    if (duration < options.min_duration_s) continue;
    // The pitch of a note is the equal-tempered note held longest in its last third: the track
    // lags the attack and glides out of the previous note, so early frames and means mislead.
    const std::size_t skip = (end - first) * 2 / 3;
    std::array<std::size_t, 128> held{};
    for (std::size_t i = first + skip; i < end; ++i) {
      const long rounded = std::lround(frame_midi(pitch.frequency_hz[i]));
      if (rounded >= 0 && rounded < 128) ++held[static_cast<std::size_t>(rounded)];
    }
    Note note;
    note.onset_s = static_cast<double>(first) * period;
    note.duration_s = duration;
    note.midi_note = static_cast<int>(std::max_element(held.begin(), held.end()) - held.begin());
    // Onsets are timed better than the pitch track's voicing decisions: snap to the nearest.
    double best = options.onset_snap_s;
    double snapped = note.onset_s;
    for (const double time : onsets.onset_times_s) {
      const double distance = std::abs(time - note.onset_s);
      if (distance <= best) {
        best = distance;
        snapped = time;
      }
    }
    note.duration_s = std::max(period, note.duration_s + note.onset_s - snapped);
    note.onset_s = snapped;
    // Merge with the previous note when it is the same pitch and no onset separated them.
    if (!notes.empty() && notes.back().midi_note == note.midi_note &&
        std::abs(notes.back().onset_s + notes.back().duration_s - note.onset_s) < 1.5 * period && !onset_at[first]) {
      notes.back().duration_s = note.onset_s + note.duration_s - notes.back().onset_s;
      continue;
    }
    notes.push_back(note);
  }
  return notes;
}

}  // namespace resound::analysis
