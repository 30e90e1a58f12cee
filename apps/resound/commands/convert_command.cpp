// `resound convert IN OUT [--rate HZ] [--format …]`: re-encode and/or resample an audio file.
#include <cstdio>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "resound/host/audio_file_conversion.hpp"

namespace resound::cli {
namespace {

struct ConvertOptions {
  std::string input;
  std::string output;
  double rate_hz = 0.0;
  std::string format;
  bool dither = false;
};

int run_convert(const ConvertOptions& options) {
  host::ConversionOptions conversion;
  if (options.rate_hz > 0.0) conversion.sample_rate_hz = options.rate_hz;
  if (!options.format.empty()) {
    auto format = formats::parse_audio_format(options.format);
    if (!format) return report_error(format.error());
    conversion.format = *format;
  }
  conversion.dither = options.dither;
  ProgressBar progress("Converting");
  auto result = host::convert_audio_file(options.input, options.output, conversion, progress.callback());
  progress.finish();
  if (!result) return report_error(result.error());
  std::printf("wrote %s: %s, %.0f Hz, %zu channel(s), %.3f s\n", options.output.c_str(), result->format.name().c_str(),
              result->sample_rate_hz, result->channel_count,
              static_cast<double>(result->frames_written) / result->sample_rate_hz);
  return kExitOk;
}

}  // namespace

void register_convert_command(CommandRegistry& registry) {
  registry.add("convert", "Convert an audio file to WAV or FLAC, optionally at another sample rate",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<ConvertOptions>();
                 command.add_option("IN", options->input, "Input audio file")->required();
                 command.add_option("OUT", options->output, "Output file (.wav or .flac)")->required();
                 command.add_option("--rate", options->rate_hz, "Output sample rate in Hz (default: the input's)")
                     ->check(CLI::Range(1000.0, 768000.0));
                 command.add_option("--format", options->format,
                                    "wav16|wav24|float|flac|flac16 (default: from OUT's extension, keeping precision)")
                     ->check(CLI::IsMember({"wav16", "wav24", "float", "flac", "flac16", "flac24"}));
                 command.add_flag("--dither", options->dither, "TPDF dither when writing 16-bit");
                 return [options] { return run_convert(*options); };
               });
}

}  // namespace resound::cli
