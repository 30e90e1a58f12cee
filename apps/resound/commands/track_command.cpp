// `resound track TRACK.json [-o OUT] [--start S] [--duration S] [--seed N] [--check] [--target-level X] [--threads N]`.
#include <cstdio>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "resound/host/render_to_file.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_check.hpp"
#include "resound/track/track_source.hpp"

namespace resound::cli {
namespace {

struct TrackOptions {
  std::string input;
  std::string output;
  double start_s = 0.0;
  double duration_s = -1.0;
  std::uint64_t seed = 0;
  bool check = false;
  double target_level = 0.25;
  std::string format;
  bool dither = false;
  int threads = 1;
};

int run_check(const track::LoadedTrack& loaded, const std::string& input) {
  auto warnings = track::check_track(loaded);
  if (!warnings) return report_error(warnings.error().in_file(input));
  for (const auto& warning : *warnings) std::printf("%s: warning: %s\n", input.c_str(), warning.c_str());
  double end_s = 0.0;
  for (const auto& step : loaded.spec.steps) end_s = std::max(end_s, step.start_s + step.duration_s);
  std::printf("%s: ok: %zu step(s), about %.1f s at %.0f Hz, %zu warning(s)\n", input.c_str(),
              loaded.spec.steps.size(), end_s, loaded.spec.global.sample_rate_hz, warnings->size());
  return kExitOk;
}

int run_track(const TrackOptions& options) {
  auto loaded = track::load_track_file(options.input);
  if (!loaded) return report_error(loaded.error());
  if (options.check) return run_check(*loaded, options.input);

  std::string output = options.output;
  if (output.empty()) output = loaded->spec.global.output_filename.empty() ? "track.wav" : loaded->spec.global.output_filename;
  host::RenderToFileOptions render;
  render.format = formats::default_format_for_path(output);
  if (!options.format.empty()) {
    auto format = formats::parse_audio_format(options.format);
    if (!format) return report_error(format.error());
    render.format = *format;
  }
  render.dither = options.dither;

  track::TrackPlanOptions plan_options;
  plan_options.seed = options.seed;
  plan_options.target_level = options.target_level;
  plan_options.threads = options.threads;
  ProgressBar analysing("Analysing");
  auto source = track::make_track_source(loaded->spec, plan_options, analysing.callback());
  analysing.finish();
  if (!source) return report_error(source.error().in_file(options.input));
  const double rate = (*source)->sample_rate_hz();
  render.sample_rate_hz = rate;
  (*source)->seek(static_cast<std::int64_t>(options.start_s * rate));
  if (options.duration_s >= 0.0) render.max_frames = static_cast<std::int64_t>(options.duration_s * rate);
  ProgressBar rendering("Rendering");
  auto result = host::render_to_file(**source, output, render, rendering.callback());
  rendering.finish();
  if (!result) return report_error(result.error());
  std::printf("wrote %s: %s, %.0f Hz, %.3f s (track %.3f s, peak %.4f scaled to %.4f)\n", output.c_str(),
              render.format.name().c_str(), rate, result->duration_s, (*source)->plan().duration_s(),
              (*source)->plan().measured_peak, (*source)->plan().measured_peak * (*source)->plan().final_gain);
  return kExitOk;
}

}  // namespace

void register_track_command(CommandRegistry& registry) {
  registry.add("track", "Render an entrainment track (sound_creator JSON) to WAV or FLAC",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<TrackOptions>();
                 command.add_option("TRACK", options->input, "Track JSON file")->required();
                 command.add_option("-o,--output", options->output,
                                    "Output file (.wav or .flac; default: the track's output_filename or track.wav)");
                 command.add_option("--start", options->start_s, "Start time in seconds")->check(CLI::NonNegativeNumber);
                 command.add_option("--duration", options->duration_s, "Seconds to render (default: to the end)")
                     ->check(CLI::NonNegativeNumber);
                 command.add_option("--seed", options->seed, "Noise seed (same seed, same output)");
                 command.add_flag("--check", options->check, "Validate the track and list warnings; render nothing");
                 command.add_option("--target-level", options->target_level,
                                    "Peak of the whole track after normalisation (0.25 as the original; 0 = off)")
                     ->check(CLI::Range(0.0, 1.0));
                 command.add_option("--format", options->format, "wav16|wav24|float|flac|flac16 (default: from OUT)")
                     ->check(CLI::IsMember({"wav16", "wav24", "float", "flac", "flac16", "flac24"}));
                 command.add_option("--threads", options->threads,
                                    "Threads for the analysis (peak) pass; the output does not depend on it")
                     ->check(CLI::Range(1, 64));
                 command.add_flag("--dither", options->dither,
                                  "TPDF dither when writing 16-bit (the original truncated without dither)");
                 return [options] { return run_track(*options); };
               });
}

}  // namespace resound::cli
