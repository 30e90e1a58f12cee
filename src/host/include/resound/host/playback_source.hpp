// open_playback_source: turns what a user names (audio file, track JSON, MIDI file) into a Source.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"

namespace resound::host {

struct PlaybackSourceOptions {
  /// SoundFont for MIDI files (empty: the first system SoundFont found).
  std::filesystem::path soundfont;
};

/// Opens `path` by its extension: `.json` a track, `.mid`/`.midi` a MIDI file, anything else an
/// audio file (FileSource). Sources whose engine is not built in report kUnsupported.
/// Thread contract: CT (decodes and plans; can take a while for big inputs).
Expected<std::unique_ptr<Source>> open_playback_source(const std::filesystem::path& path,
                                                       const PlaybackSourceOptions& options = {});

/// Builds a track Source from track JSON text (the realtime_backend calling convention). CT.
Expected<std::unique_ptr<Source>> track_source_from_json(const std::string& track_json);

}  // namespace resound::host
