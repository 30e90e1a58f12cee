// `resound fx IN -o OUT [--reverb IR[:MIX]] [--room SIZE[:MIX]] [--eq SPEC] [--compress SPEC] [--limit -1dBTP] [--chain FILE]`.
#include <cstdio>
#include <optional>
#include <string>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/convolution.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/host/fx_chain_description.hpp"
#include "resound/host/fx_file_processing.hpp"

namespace resound::cli {
namespace {

constexpr const char* kSpecHelp = R"(
Effects run in this order: --chain (if given), --eq, --compress, --reverb/--room, --limit.

  --reverb IR[:MIX]     convolution reverb with an impulse-response file (mono, stereo or
                        4-channel true stereo; any rate), MIX 0..1 (default 0.3), e.g. hall.wav:0.25
  --reverb-mode MODE    fixed (default: partitions sized for the render block, fastest) or
                        exact (bit-identical output for any block slicing, slower)
  --room SIZE[:MIX]     algorithmic reverb, SIZE 0..1 (default mix 0.25), e.g. 0.7:0.3
  --eq SPEC             bands TYPE:FREQ_HZ[:GAIN_DB[:Q]] separated by commas; TYPE is peak,
                        lowshelf, highshelf, lowpass, highpass, bandpass or notch,
                        e.g. "highpass:40,lowshelf:120:-3,peak:2500:2:1.5"
  --compress SPEC       KEY=VALUE pairs separated by commas: threshold (dB, -18), ratio (4),
                        knee (dB, 6), attack (ms, 10), release (ms, 100), makeup (dB, 0),
                        detector (peak|rms), e.g. "threshold=-20,ratio=3,attack=5"
  --limit CEILING       true-peak limiter ceiling, e.g. -1dBTP
  --chain FILE          a JSON chain (see docs/fx.md)
)";

struct FxOptions {
  std::string input;
  std::string output;
  std::string reverb;
  std::string reverb_mode = "fixed";
  std::string room;
  std::string eq;
  std::string compress;
  std::string limit;
  std::string chain;
  std::string format;
  double tail_s = -1.0;
};

// Splits "VALUE:NUMBER" at the last colon when what follows is a number (paths may hold colons).
std::pair<std::string, std::optional<double>> split_mix(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return {text, std::nullopt};
  try {
    std::size_t used = 0;
    const double mix = std::stod(text.substr(colon + 1), &used);
    if (used == text.size() - colon - 1) return {text.substr(0, colon), mix};
  } catch (const std::exception&) {
  }
  return {text, std::nullopt};
}

Error usage(const std::string& option, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, message, ErrorContext{.field = option});
}

int run_fx(const FxOptions& options) {
  auto chain = std::make_shared<fx::Chain>();
  double tail_s = 0.0;
  if (!options.chain.empty()) {
    auto described = host::read_fx_chain_file(options.chain);
    if (!described) return report_error(described.error());
    chain = described->chain;
    tail_s = described->tail_s;
  }
  if (!options.eq.empty()) {
    auto bands = host::parse_eq_spec(options.eq);
    if (!bands) return report_error(bands.error());
    chain->add(std::make_shared<fx::ParametricEq>(*bands));
  }
  if (!options.compress.empty()) {
    auto parameters = host::parse_compressor_spec(options.compress);
    if (!parameters) return report_error(parameters.error());
    chain->add(std::make_shared<fx::Compressor>(*parameters));
  }
  if (!options.reverb.empty()) {
    const auto [path, mix] = split_mix(options.reverb);
    if (mix && !(*mix >= 0.0 && *mix <= 1.0)) return report_error(usage("--reverb", "MIX must be between 0 and 1"));
    auto response = host::read_impulse_response_file(path);
    if (!response) return report_error(response.error());
    tail_s = std::max(tail_s, static_cast<double>(response->audio.frame_count()) / response->sample_rate_hz);
    chain->add(std::make_shared<fx::Convolution>(std::move(*response), fx::ConvolutionOptions{.mix = mix.value_or(0.3), .fixed_block = options.reverb_mode != "exact"}));
  }
  if (!options.room.empty()) {
    const auto [size_text, mix] = split_mix(options.room);
    double size = 0.0;
    try {
      size = std::stod(size_text);
    } catch (const std::exception&) {
      return report_error(usage("--room", "expected SIZE[:MIX], e.g. 0.6:0.3"));
    }
    if (!(size >= 0.0 && size <= 1.0) || (mix && !(*mix >= 0.0 && *mix <= 1.0)))
      return report_error(usage("--room", "SIZE and MIX must be between 0 and 1"));
    const fx::ReverbParameters parameters{.room_size = size, .mix = mix.value_or(0.25)};
    tail_s = std::max(tail_s, parameters.decay_s + parameters.predelay_s);
    chain->add(std::make_shared<fx::AlgorithmicReverb>(parameters));
  }
  if (!options.limit.empty()) {
    auto ceiling = host::parse_ceiling_spec(options.limit);
    if (!ceiling) return report_error(ceiling.error());
    chain->add(std::make_shared<fx::Limiter>(fx::LimiterParameters{.ceiling_db = *ceiling}));
  }
  if (chain->size() == 0) return report_error(usage("fx", "no effect given (use --reverb, --room, --eq, --compress, --limit or --chain)"));

  host::FxFileOptions file_options;
  file_options.tail_s = options.tail_s >= 0.0 ? options.tail_s : tail_s;
  if (!options.format.empty()) {
    auto format = formats::parse_audio_format(options.format);
    if (!format) return report_error(format.error());
    file_options.format = *format;
  }
  ProgressBar progress("Processing");
  auto result = host::process_audio_file_with_chain(options.input, options.output, *chain, file_options, progress.callback());
  progress.finish();
  if (!result) return report_error(result.error());
  std::printf("wrote %s: %.0f Hz, %zu channel(s), %.3f s (%zu effect(s), latency %zu frames compensated)\n",
              options.output.c_str(), result->sample_rate_hz, result->channel_count,
              static_cast<double>(result->frames_written) / result->sample_rate_hz, chain->size(), result->latency_frames);
  return kExitOk;
}

}  // namespace

void register_fx_command(CommandRegistry& registry) {
  registry.add("fx", "Apply effects (convolution or algorithmic reverb, EQ, compressor, limiter) to an audio file",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<FxOptions>();
                 command.footer(kSpecHelp);
                 command.add_option("IN", options->input, "Input audio file")->required();
                 command.add_option("-o,--output", options->output, "Output file (.wav or .flac)")->required();
                 command.add_option("--reverb", options->reverb, "Convolution reverb: IR file[:MIX]");
                 command.add_option("--reverb-mode", options->reverb_mode, "Convolution partitioning: fixed (default, fastest) or exact")
                     ->check(CLI::IsMember({"fixed", "exact"}));
                 command.add_option("--room", options->room, "Algorithmic reverb: SIZE[:MIX]");
                 command.add_option("--eq", options->eq, "Parametric EQ bands (see below)");
                 command.add_option("--compress", options->compress, "Compressor settings (see below)");
                 command.add_option("--limit", options->limit, "True-peak limiter ceiling, e.g. -1dBTP");
                 command.add_option("--chain", options->chain, "JSON chain file");
                 command.add_option("--tail", options->tail_s, "Seconds of reverb tail kept after the input (default: the reverb's length)")
                     ->check(CLI::Range(0.0, 120.0));
                 command.add_option("--format", options->format, "wav16|wav24|float|flac|flac16 (default: from OUT, keeping precision)")
                     ->check(CLI::IsMember({"wav16", "wav24", "float", "flac", "flac16", "flac24"}));
                 return [options] { return run_fx(*options); };
               });
}

}  // namespace resound::cli
