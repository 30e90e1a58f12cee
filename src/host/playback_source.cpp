// open_playback_source: extension dispatch to FileSource (and, where built, track and MIDI sources).
#include "resound/host/playback_source.hpp"

#include <algorithm>
#include <cctype>

#include "resound/engine/file_source.hpp"

namespace resound::host {

namespace {
std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return extension;
}
}  // namespace

Expected<std::unique_ptr<Source>> open_playback_source(const std::filesystem::path& path,
                                                       const PlaybackSourceOptions&) {
  const std::string extension = lower_extension(path);
  if (extension == ".json")
    return Error{ErrorCode::kUnsupported, "track playback needs the track engine, which this build lacks",
                 {.file = path.string()}};
  if (extension == ".mid" || extension == ".midi")
    return Error{ErrorCode::kUnsupported, "MIDI playback needs the synthesizer, which this build lacks",
                 {.file = path.string()}};
  auto file = engine::FileSource::open(path);
  if (!file) return file.error();
  return std::unique_ptr<Source>(std::move(*file));
}

Expected<std::unique_ptr<Source>> track_source_from_json(const std::string&) {
  return Error{ErrorCode::kUnsupported, "track playback needs the track engine, which this build lacks"};
}

}  // namespace resound::host
