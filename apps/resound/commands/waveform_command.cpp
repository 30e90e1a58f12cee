// `resound waveform FILE -o OUT.png [--width --height …] | --peaks OUT.json`: waveform picture or peaks data.
#include <cstdio>
#include <cstring>
#include <cerrno>
#include <unistd.h>

#include "commands.hpp"
#include "resound/analysis/waveform.hpp"
#include "resound/analysis/waveform_image.hpp"
#include "resound/formats/atomic_file.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::cli {
namespace {

struct WaveformOptions {
  std::string path;
  std::string image;
  std::string peaks;
  std::size_t width = 1000;
  std::size_t height = 200;
  std::string background = "#ffffff";
  std::string colour = "#1f5fa8";
  bool mono = false;
  std::size_t samples_per_pixel = 256;
  int bits = 8;
};

Expected<void> write_text(const std::string& path, const std::string& text) {
  auto file = formats::AtomicOutputFile::create(path);
  if (!file) return std::move(file).error();
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t result = ::write(file->descriptor(), text.data() + written, text.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorCode::kIo, std::string("cannot write: ") + std::strerror(errno), {.file = path}};
    }
    written += static_cast<std::size_t>(result);
  }
  return file->commit();
}

int run_waveform(const WaveformOptions& options) {
  if (options.image.empty() && options.peaks.empty())
    return report_error(Error{ErrorCode::kInvalidArgument, "give -o OUT.png and/or --peaks OUT.json"});
  auto clip = formats::read_audio_file(options.path);
  if (!clip) return report_error(clip.error());
  auto pyramid = analysis::WaveformPyramid::build(clip->audio.view(), clip->sample_rate_hz, options.samples_per_pixel);
  if (!pyramid) return report_error(pyramid.error());
  if (!options.image.empty()) {
    analysis::WaveformImageOptions image;
    image.width = options.width;
    image.height = options.height;
    image.split_channels = !options.mono;
    auto background = analysis::parse_colour(options.background);
    if (!background) return report_error(background.error());
    auto colour = analysis::parse_colour(options.colour);
    if (!colour) return report_error(colour.error());
    image.background = *background;
    image.waveform = *colour;
    if (auto written = analysis::write_waveform_png(options.image, *pyramid, image); !written)
      return report_error(written.error());
    std::printf("wrote %s (%zux%zu)\n", options.image.c_str(), options.width, options.height);
  }
  if (!options.peaks.empty()) {
    auto json = analysis::waveform_json(pyramid->level(0), clip->sample_rate_hz, options.bits);
    if (!json) return report_error(json.error());
    if (auto written = write_text(options.peaks, *json); !written) return report_error(written.error());
    std::printf("wrote %s (%zu samples per pixel, %zu pixels)\n", options.peaks.c_str(), pyramid->level(0).samples_per_pixel,
                pyramid->level(0).pixel_count);
  }
  return kExitOk;
}

}  // namespace

void register_waveform_command(CommandRegistry& registry) {
  registry.add("waveform", "Draw a waveform PNG and/or write peaks.js/audiowaveform JSON of an audio file",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<WaveformOptions>();
                 command.add_option("FILE", options->path, "Audio file")->required();
                 command.add_option("-o,--output", options->image, "PNG picture to write");
                 command.add_option("--peaks", options->peaks, "audiowaveform/peaks.js JSON to write");
                 command.add_option("--width", options->width, "Picture width in pixels (default 1000)")->check(CLI::Range(1, 20000));
                 command.add_option("--height", options->height, "Picture height in pixels (default 200)")->check(CLI::Range(1, 20000));
                 command.add_option("--background", options->background, "Background colour #rrggbb[aa]");
                 command.add_option("--colour,--color", options->colour, "Waveform colour #rrggbb[aa]");
                 command.add_flag("--mono", options->mono, "One lane for all channels (default: one lane per channel)");
                 command.add_option("--samples-per-pixel", options->samples_per_pixel, "Peaks resolution (default 256)")
                     ->check(CLI::Range(1, 1 << 24));
                 command.add_option("--bits", options->bits, "Peaks JSON value bits: 8 or 16")->check(CLI::IsMember({8, 16}));
                 return [options] { return run_waveform(*options); };
               });
}

}  // namespace resound::cli
