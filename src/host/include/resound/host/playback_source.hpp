// open_playback_source: turns what a user names (audio file, track JSON, MIDI file) into a Source.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"

namespace resound::host {

struct PlaybackSourceOptions {
  /// Rate the source will play at (tracks are planned at it, so no re-planning happens later);
  /// 0: the source's own (a track's `sample_rate`, a file's rate; 44.1 kHz for MIDI).
  double sample_rate_hz = 48000.0;
  /// SoundFont for MIDI files (empty: $RESOUND_SOUNDFONT or the first system SoundFont found).
  std::filesystem::path soundfont;
  /// Tracks: an overlay clip whose file cannot be read is streamed (track::TrackSource::push_clip_samples)
  /// instead of failing; the realtime_backend's behaviour.
  bool stream_unreadable_clips = false;
};

/// A source ready to play, with what a status display needs to know about it.
struct PlaybackSource {
  std::unique_ptr<Source> source;
  /// The rate the source is planned for (its natural rate when the options asked for 0).
  double sample_rate_hz = 0.0;
  /// Frame where each track step begins, in order (empty for files and MIDI).
  std::vector<std::int64_t> step_start_frames;
  /// Warnings from loading (ignored track keys, …).
  std::vector<std::string> warnings;
  /// Makes another source over the same immutable data (track plan, MIDI file + SoundFont, decoded
  /// clip) without loading or planning again: for offline references and repeated runs. CT.
  std::function<std::unique_ptr<Source>()> make_another;
};

/// Opens `path` by its extension: `.json` a track (TrackSource), `.mid`/`.midi` a MIDI file
/// (MidiSource, SF3 samples decoded up front so playback never waits), anything else an audio
/// file (StreamingFileSource: decoded by its own thread while it plays; `make_another` gives a
/// FileSource decoded up front, for offline references). Thread contract: CT (decodes and plans; can take a while for big inputs).
Expected<PlaybackSource> open_playback_source(const std::filesystem::path& path,
                                              const PlaybackSourceOptions& options = {});

/// Builds a track source from track JSON text (the realtime_backend calling convention); relative
/// paths in it resolve against the current directory. CT.
Expected<PlaybackSource> track_source_from_json(const std::string& track_json,
                                                const PlaybackSourceOptions& options = {});

/// Index of the step playing at `frame` (the last one started), or -1 before the first / none. Any thread.
int step_at(const std::vector<std::int64_t>& step_start_frames, std::int64_t frame) noexcept;

}  // namespace resound::host
