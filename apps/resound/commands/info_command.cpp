// `resound info FILE [--json]`: format, rate, channels, duration, peak and RMS of an audio file.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "resound/host/audio_file_report.hpp"

namespace resound::cli {
namespace {

struct InfoOptions {
  std::string path;
  bool json = false;
};

nlohmann::json report_to_json(const std::string& path, const host::AudioFileReport& report) {
  return {{"path", path},
          {"container", report.info.container},
          {"encoding", report.info.encoding},
          {"sample_rate_hz", report.info.sample_rate_hz},
          {"channels", report.info.channel_count},
          {"frames", report.info.frame_count},
          {"duration_s", report.info.duration_s()},
          {"peak_dbfs", report.peak_dbfs},
          {"rms_dbfs", report.rms_dbfs},
          {"non_finite_samples", report.non_finite_samples}};
}

int run_info(const InfoOptions& options) {
  ProgressBar progress("Measuring");
  auto report = host::inspect_audio_file(options.path, progress.callback());
  progress.finish();
  if (!report) return report_error(report.error());
  if (options.json) {
    std::cout << report_to_json(options.path, *report).dump(2) << '\n';
    return kExitOk;
  }
  const auto& info = report->info;
  std::printf("file:      %s\n", options.path.c_str());
  std::printf("format:    %s (%s)\n", info.container.c_str(), info.encoding.c_str());
  std::printf("rate:      %.0f Hz\n", info.sample_rate_hz);
  std::printf("channels:  %zu\n", info.channel_count);
  std::printf("duration:  %.3f s (%lld frames)\n", info.duration_s(), static_cast<long long>(info.frame_count));
  std::printf("peak:      %.2f dBFS\n", report->peak_dbfs);
  std::printf("rms:       %.2f dBFS\n", report->rms_dbfs);
  if (report->non_finite_samples > 0)
    std::printf("warning:   %lld NaN/inf samples\n", static_cast<long long>(report->non_finite_samples));
  return kExitOk;
}

}  // namespace

void register_info_command(CommandRegistry& registry) {
  registry.add("info", "Show an audio file's format, rate, channels, duration, peak and RMS level",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<InfoOptions>();
                 command.add_option("FILE", options->path, "Audio file (WAV, FLAC, Ogg, MP3, AIFF, …)")->required();
                 command.add_flag("--json", options->json, "Print JSON instead of text");
                 return [options] { return run_info(*options); };
               });
}

}  // namespace resound::cli
