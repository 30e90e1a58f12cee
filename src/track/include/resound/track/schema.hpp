// Track JSON reader: sound_creator's v2 and legacy layouts, GUI and renderer keys, .noise presets → TrackSpec.
#pragma once

#include <filesystem>
#include <string_view>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

/// Reads a track JSON file; relative noise/clip paths resolve against its folder.
/// Errors name the file and the JSON path (`progression[2].voices[0].params.baseFreq`).
/// Thread contract: OFF/CT (file I/O, allocates).
Expected<LoadedTrack> load_track_file(const std::filesystem::path& path);

/// Parses track JSON text; relative paths resolve against `base_folder`.
/// Thread contract: OFF/CT.
Expected<LoadedTrack> load_track_json(std::string_view json_text, const std::filesystem::path& base_folder);

/// Reads a `.noise` preset file (NoiseParams JSON). Thread contract: OFF/CT.
Expected<NoiseParams> load_noise_file(const std::filesystem::path& path);

}  // namespace resound::track
