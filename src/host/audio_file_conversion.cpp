// Reader -> (Resampler) -> AudioFileWriter pipeline.
#include "resound/host/audio_file_conversion.hpp"

#include <optional>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"

namespace resound::host {

formats::AudioFormat choose_output_format(const std::filesystem::path& output, const std::string& input_encoding) {
  formats::AudioFormat format = formats::default_format_for_path(output);
  if (format.container == formats::AudioContainer::kFlac) {
    if (input_encoding == "PCM_16" || input_encoding == "PCM_S8" || input_encoding == "PCM_U8")
      format.encoding = formats::SampleEncoding::kPcm16;
    return format;
  }
  if (input_encoding == "PCM_16" || input_encoding == "PCM_S8" || input_encoding == "PCM_U8")
    format.encoding = formats::SampleEncoding::kPcm16;
  else if (input_encoding == "FLOAT" || input_encoding == "DOUBLE")
    format.encoding = formats::SampleEncoding::kFloat32;
  else
    format.encoding = formats::SampleEncoding::kPcm24;
  return format;
}

Expected<ConversionResult> convert_audio_file(const std::filesystem::path& input, const std::filesystem::path& output,
                                              const ConversionOptions& options, const ProgressCallback& progress) {
  auto reader = formats::AudioFileReader::open(input);
  if (!reader) return reader.error();
  const formats::AudioFileInfo info = reader->info();
  const double output_rate_hz = options.sample_rate_hz.value_or(info.sample_rate_hz);
  if (!(output_rate_hz >= 1.0 && output_rate_hz <= 768000.0))
    return Error{ErrorCode::kInvalidArgument, "output sample rate out of range", {.field = "rate"}};
  const formats::AudioFormat format = options.format.value_or(choose_output_format(output, info.encoding));

  auto writer = formats::AudioFileWriter::create(output, {.sample_rate_hz = output_rate_hz,
                                                          .channel_count = info.channel_count,
                                                          .format = format,
                                                          .dither = options.dither});
  if (!writer) return writer.error();

  std::optional<dsp::Resampler> resampler;
  if (output_rate_hz != info.sample_rate_hz) {
    auto created = dsp::Resampler::create(info.channel_count, info.sample_rate_hz, output_rate_hz, options.quality);
    if (!created) return created.error();
    resampler.emplace(std::move(created).value());
  }

  constexpr std::size_t kBlockFrames = 16384;
  AudioBuffer block(info.channel_count, kBlockFrames);
  AudioBuffer converted(info.channel_count, resampler ? resampler->max_output_frames(kBlockFrames) * 2 + 1024 : 0);
  std::int64_t frames_read = 0;
  while (true) {
    auto frames = reader->read(block.view());
    if (!frames) return frames.error();
    ConstAudioView chunk = block.view().subview(0, *frames);
    if (resampler) {
      auto produced = *frames > 0 ? resampler->process(chunk, converted.view()) : resampler->finish(converted.view());
      if (!produced) return produced.error();
      chunk = converted.view().subview(0, *produced);
    }
    if (auto written = writer->write(chunk); !written) return written.error();
    frames_read += static_cast<std::int64_t>(*frames);
    if (*frames == 0 && chunk.frame_count() == 0) break;
    if (info.frame_count > 0 && !report_progress(progress, static_cast<double>(frames_read) / static_cast<double>(info.frame_count)))
      return Error{ErrorCode::kCancelled, "cancelled", {.file = output.string()}};
  }
  if (frames_read < info.frame_count)
    return formats::truncated_file_error(input.string(), info.frame_count, frames_read);
  const std::int64_t frames_written = writer->frames_written();
  if (auto committed = writer->commit(); !committed) return committed.error();
  return ConversionResult{format, output_rate_hz, info.channel_count, frames_written};
}

}  // namespace resound::host
