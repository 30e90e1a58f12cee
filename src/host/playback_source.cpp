// open_playback_source: extension dispatch to TrackSource, MidiSource or StreamingFileSource.
#include "resound/host/playback_source.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "resound/engine/file_source.hpp"
#include "resound/engine/streaming_file_source.hpp"
#include "resound/formats/midi_file.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/synth/midi_source.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_plan.hpp"
#include "resound/track/track_source.hpp"

namespace resound::host {

namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  return extension;
}

Expected<PlaybackSource> plan_track(Expected<track::LoadedTrack> loaded, const PlaybackSourceOptions& options) {
  if (!loaded) return loaded.error();
  auto plan = track::build_track_plan(
      loaded->spec, {.sample_rate_hz = options.sample_rate_hz, .stream_unreadable_clips = options.stream_unreadable_clips});
  if (!plan) return plan.error();
  PlaybackSource result;
  for (const auto& step : (*plan)->steps) result.step_start_frames.push_back(step.start_frame);
  result.sample_rate_hz = (*plan)->sample_rate_hz;
  std::shared_ptr<const track::TrackPlan> shared_plan = std::move(*plan);
  result.make_another = [shared_plan] { return std::make_unique<track::TrackSource>(shared_plan); };
  result.source = result.make_another();
  result.warnings = std::move(loaded->warnings);
  return result;
}

Expected<PlaybackSource> open_midi(const std::filesystem::path& path, const PlaybackSourceOptions& options) {
  std::filesystem::path soundfont_path = options.soundfont;
  if (soundfont_path.empty()) {
    auto found = formats::default_soundfont_path();
    if (!found) return found.error();
    soundfont_path = *found;
  }
  auto font = formats::SoundFont::load(soundfont_path);
  if (!font) return font.error();
  auto midi = formats::read_midi_file(path);
  if (!midi) return midi.error();
  PlaybackSource result;
  result.sample_rate_hz = options.sample_rate_hz > 0.0 ? options.sample_rate_hz : 44100.0;
  // Default options keep SF3 decoding inside prepare() (on the control thread): RT-safe playback.
  auto shared_midi = std::make_shared<const formats::MidiFile>(std::move(*midi));
  std::shared_ptr<const formats::SoundFont> shared_font = std::move(*font);
  // The source plays from an audio callback: bank resident and sample peaks measured in prepare().
  result.make_another = [shared_midi, shared_font] {
    return std::make_unique<synth::MidiSource>(shared_midi, shared_font, synth::MidiSourceOptions{.prepare_for_real_time = true});
  };
  result.source = result.make_another();
  return result;
}

}  // namespace

Expected<PlaybackSource> open_playback_source(const std::filesystem::path& path, const PlaybackSourceOptions& options) {
  const std::string extension = lower_extension(path);
  if (extension == ".json") return plan_track(track::load_track_file(path), options);
  if (extension == ".mid" || extension == ".midi") return open_midi(path, options);
  // Live playback streams from disk (constant memory, any length); see StreamingFileSource.
  auto file = engine::StreamingFileSource::open(path);
  if (!file) return file.error();
  PlaybackSource result;
  result.sample_rate_hz = options.sample_rate_hz > 0.0 ? options.sample_rate_hz : file.value()->info().sample_rate_hz;
  // Offline references pull faster than real time, which a streaming source answers with silence:
  // they get the file decoded up front instead (same samples, exact, never waiting).
  result.make_another = [path]() -> std::unique_ptr<Source> {
    auto decoded = engine::FileSource::open(path);
    if (!decoded) return nullptr;
    return std::move(*decoded);
  };
  result.source = std::move(*file);
  return result;
}

Expected<PlaybackSource> track_source_from_json(const std::string& track_json, const PlaybackSourceOptions& options) {
  return plan_track(track::load_track_json(track_json, std::filesystem::current_path()), options);
}

int step_at(const std::vector<std::int64_t>& step_start_frames, std::int64_t frame) noexcept {
  const auto after = std::upper_bound(step_start_frames.begin(), step_start_frames.end(), frame);
  return static_cast<int>(after - step_start_frames.begin()) - 1;
}

}  // namespace resound::host
