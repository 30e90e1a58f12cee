// Streams a file through LevelStatistics.
#include "resound/host/audio_file_report.hpp"

#include "resound/dsp/level_statistics.hpp"

namespace resound::host {

Expected<AudioFileReport> inspect_audio_file(const std::filesystem::path& path, const ProgressCallback& progress) {
  auto reader = formats::AudioFileReader::open(path);
  if (!reader) return reader.error();
  const formats::AudioFileInfo& info = reader->info();
  constexpr std::size_t kBlockFrames = 16384;
  AudioBuffer block(info.channel_count, kBlockFrames);
  dsp::LevelStatistics levels(info.channel_count);
  std::int64_t done = 0;
  while (true) {
    auto frames = reader->read(block.view());
    if (!frames) return frames.error();
    if (*frames == 0) break;
    levels.add(block.view().subview(0, *frames));
    done += static_cast<std::int64_t>(*frames);
    if (info.frame_count > 0 && !report_progress(progress, static_cast<double>(done) / static_cast<double>(info.frame_count)))
      return Error{ErrorCode::kCancelled, "cancelled", {.file = path.string()}};
  }
  if (done < info.frame_count)
    return formats::truncated_file_error(path.string(), info.frame_count, done);
  return AudioFileReport{info, levels.peak_dbfs(), levels.rms_dbfs(), levels.non_finite_count()};
}

}  // namespace resound::host
