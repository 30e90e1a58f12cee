// process_audio_file_with_chain: a file-reading Source with the chain applied, rendered by render_to_file.
#include "resound/host/fx_file_processing.hpp"

#include <algorithm>

#include "resound/core/audio_buffer.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "resound/host/audio_file_conversion.hpp"
#include "resound/host/render_to_file.hpp"

namespace resound::host {
namespace {

// Decodes the input, feeds it (then silence for latency + tail) through the chain, and drops the
// first `latency` output frames so the result lines up with the input. Offline only: process()
// reads the file, which no real-time source may do.
class ChainedFileSource final : public Source {
 public:
  ChainedFileSource(formats::AudioFileReader reader, fx::Chain& chain, std::int64_t tail_frames)
      : reader_(std::move(reader)), chain_(chain), tail_frames_(tail_frames) {}

  void prepare(double sample_rate_hz, std::size_t max_block_frames) override {
    block_frames_ = max_block_frames;
    chain_.prepare(sample_rate_hz, max_block_frames, channel_count());
    latency_frames_ = static_cast<std::int64_t>(chain_.latency_frames());
    scratch_ = AudioBuffer(channel_count(), max_block_frames);
    read_error_.reset();
  }

  std::size_t process(AudioView output) noexcept override {
    const std::int64_t length = length_frames();
    std::size_t produced = 0;
    while (produced < output.frame_count() && position_ < length) {
      // Frames still to skip (latency) come first, out of the scratch block.
      const std::size_t want = std::min<std::size_t>(block_frames_, output.frame_count() - produced + static_cast<std::size_t>(to_skip()));
      const AudioView block = scratch_.view().subview(0, want);
      const std::size_t read = read_input(block);
      if (read < want) block.subview(read, want - read).clear();
      chain_.process(block);
      const std::size_t skip = std::min<std::size_t>(static_cast<std::size_t>(to_skip()), want);
      skipped_ += static_cast<std::int64_t>(skip);
      const std::size_t keep = std::min<std::size_t>({want - skip, output.frame_count() - produced,
                                                      static_cast<std::size_t>(length - position_)});
      copy_audio(block.subview(skip, keep), output.subview(produced, keep));
      produced += keep;
      position_ += static_cast<std::int64_t>(keep);
    }
    if (produced < output.frame_count()) output.subview(produced, output.frame_count() - produced).clear();
    return produced;
  }

  void seek(std::int64_t) noexcept override {}  // renders always start at 0 here
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return reader_.info().frame_count + tail_frames_; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return reader_.info().channel_count; }
  [[nodiscard]] const std::optional<Error>& read_error() const noexcept { return read_error_; }

 private:
  [[nodiscard]] std::int64_t to_skip() const noexcept { return latency_frames_ - skipped_; }

  std::size_t read_input(AudioView block) noexcept {
    if (input_done_) return 0;
    std::size_t total = 0;
    while (total < block.frame_count()) {
      auto frames = reader_.read(block.subview(total, block.frame_count() - total));
      if (!frames) {
        read_error_ = frames.error();
        input_done_ = true;
        break;
      }
      if (*frames == 0) {
        input_done_ = true;
        break;
      }
      total += *frames;
    }
    return total;
  }

  formats::AudioFileReader reader_;
  fx::Chain& chain_;
  std::int64_t tail_frames_ = 0;
  std::int64_t latency_frames_ = 0;
  std::int64_t skipped_ = 0;
  std::int64_t position_ = 0;
  std::size_t block_frames_ = 4096;
  bool input_done_ = false;
  AudioBuffer scratch_;
  std::optional<Error> read_error_;
};

}  // namespace

Expected<FxFileResult> process_audio_file_with_chain(const std::filesystem::path& input, const std::filesystem::path& output,
                                                     fx::Chain& chain, const FxFileOptions& options, const ProgressCallback& progress) {
  auto reader = formats::AudioFileReader::open(input);
  if (!reader) return reader.error();
  const formats::AudioFileInfo info = reader->info();
  const auto tail_frames = static_cast<std::int64_t>(std::max(0.0, options.tail_s) * info.sample_rate_hz);
  ChainedFileSource source(std::move(*reader), chain, tail_frames);
  RenderToFileOptions render;
  render.sample_rate_hz = info.sample_rate_hz;
  render.format = options.format.value_or(choose_output_format(output, info.encoding));
  render.block_frames = std::max<std::size_t>(64, options.block_frames);
  auto rendered = render_to_file(source, output, render, progress);
  if (!rendered) return rendered.error();
  if (source.read_error()) {
    // The render committed what was decoded before the failure; a partial result must not stay.
    std::error_code ignored;
    std::filesystem::remove(output, ignored);
    return source.read_error()->in_file(input.string());
  }
  return FxFileResult{info.sample_rate_hz, info.channel_count, rendered->frames_written, chain.latency_frames()};
}

}  // namespace resound::host
