// The offline render loop: Source -> AudioFileWriter, with progress and cancellation.
#include "resound/host/render_to_file.hpp"

#include <algorithm>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/denormals.hpp"
#include "resound/formats/audio_file_writer.hpp"

namespace resound::host {

Expected<RenderResult> render_to_file(Source& source, const std::filesystem::path& path,
                                      const RenderToFileOptions& options, const ProgressCallback& progress) {
  if (options.block_frames == 0)
    return Error{ErrorCode::kInvalidArgument, "block size must be positive", {.field = "block_frames"}};
  source.prepare(options.sample_rate_hz, options.block_frames);
  const std::int64_t length = source.length_frames();
  // Frames to write: what remains of the source from its position, capped by max_frames.
  std::int64_t limit = length == kUnknownLength ? kUnknownLength
                                                : std::max<std::int64_t>(0, length - source.position_frames());
  if (options.max_frames != kUnknownLength)
    limit = limit == kUnknownLength ? options.max_frames : std::min(limit, options.max_frames);

  auto writer = formats::AudioFileWriter::create(path, {.sample_rate_hz = options.sample_rate_hz,
                                                        .channel_count = source.channel_count(),
                                                        .format = options.format,
                                                        .dither = options.dither,
                                                        .expected_frame_count = limit});
  if (!writer) return writer.error();

  ScopedDenormalGuard denormal_guard;
  AudioBuffer block(source.channel_count(), options.block_frames);
  std::int64_t written = 0;
  while (limit == kUnknownLength || written < limit) {
    std::size_t wanted = options.block_frames;
    if (limit != kUnknownLength) wanted = static_cast<std::size_t>(std::min<std::int64_t>(limit - written, wanted));
    const AudioView view = block.view().subview(0, wanted);
    const std::size_t produced = source.process(view);
    if (auto result = writer->write(view.subview(0, produced)); !result) return result.error();
    written += static_cast<std::int64_t>(produced);
    if (produced < wanted) break;
    const double fraction = limit > 0 ? static_cast<double>(written) / static_cast<double>(limit) : 0.0;
    if (!report_progress(progress, fraction))
      return Error{ErrorCode::kCancelled, "render cancelled", {.file = path.string()}};
  }
  if (auto committed = writer->commit(); !committed) return committed.error();
  return RenderResult{written, static_cast<double>(written) / options.sample_rate_hz};
}

}  // namespace resound::host
