// `resound analyze FILE [--pitch yin|pyin] [--onsets] [--tempo] [--loudness] [--json|--csv]`.
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "resound/analysis/analyze.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::cli {
namespace {

struct AnalyzeOptions {
  std::string path;
  std::string pitch;
  bool onsets = false;
  bool tempo = false;
  bool loudness = false;
  bool json = false;
  bool csv = false;
  std::string onset_function = "flux";
  double onset_delta = -1.0;
  std::size_t threads = 1;
};

// NaN/inf are not JSON: report "no value" as null.
nlohmann::json number_or_null(double value) {
  return std::isfinite(value) && value > analysis::kNoLoudnessLufs ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json report_to_json(const std::string& path, const analysis::AnalysisReport& report) {
  nlohmann::json json{{"path", path}, {"sample_rate_hz", report.sample_rate_hz}, {"duration_s", report.duration_s}};
  if (report.pitch) {
    const auto& pitch = *report.pitch;
    json["pitch"] = {{"frame_period_s", pitch.frame_period_s},
                     {"times_s", pitch.times_s},
                     {"frequency_hz", pitch.frequency_hz},
                     {"voiced", pitch.voiced},
                     {"voiced_probability", pitch.voiced_probability},
                     {"candidate_frequency_hz", pitch.candidate_frequency_hz}};
  }
  if (report.onsets)
    json["onsets"] = {{"times_s", report.onsets->onset_times_s},
                      {"strengths", report.onsets->strengths},
                      {"envelope_frame_period_s", report.onsets->frame_period_s},
                      {"envelope", report.onsets->envelope}};
  if (report.beats) json["beats"] = {{"tempo_bpm", report.beats->tempo_bpm}, {"times_s", report.beats->beat_times_s}};
  if (report.loudness) {
    const auto& loudness = *report.loudness;
    json["loudness"] = {{"integrated_lufs", number_or_null(loudness.integrated_lufs)},
                        {"loudness_range_lu", loudness.loudness_range_lu},
                        {"true_peak_dbtp", number_or_null(loudness.true_peak_dbtp)},
                        {"sample_peak_dbfs", number_or_null(loudness.sample_peak_dbfs)}};
  }
  return json;
}

void print_csv(const analysis::AnalysisReport& report) {
  bool first_section = true;
  const auto section = [&](const char* title) {
    if (!first_section) std::printf("\n");
    first_section = false;
    std::printf("# %s\n", title);
  };
  if (report.pitch) {
    section("pitch");
    std::printf("time_s,frequency_hz,voiced,voiced_probability\n");
    const auto& pitch = *report.pitch;
    for (std::size_t i = 0; i < pitch.size(); ++i)
      std::printf("%.6f,%.4f,%d,%.4f\n", pitch.times_s[i], pitch.frequency_hz[i], pitch.voiced[i], pitch.voiced_probability[i]);
  }
  if (report.onsets) {
    section("onsets");
    std::printf("time_s,strength\n");
    for (std::size_t i = 0; i < report.onsets->onset_times_s.size(); ++i)
      std::printf("%.6f,%.4f\n", report.onsets->onset_times_s[i], report.onsets->strengths[i]);
  }
  if (report.beats) {
    section("beats");
    std::printf("time_s\n");
    for (const double time : report.beats->beat_times_s) std::printf("%.6f\n", time);
  }
  if (report.loudness) {
    section("loudness");
    std::printf("integrated_lufs,loudness_range_lu,true_peak_dbtp,sample_peak_dbfs\n");
    std::printf("%.3f,%.3f,%.3f,%.3f\n", report.loudness->integrated_lufs, report.loudness->loudness_range_lu,
                report.loudness->true_peak_dbtp, report.loudness->sample_peak_dbfs);
  }
}

void print_text(const std::string& path, const analysis::AnalysisReport& report) {
  std::printf("file:        %s (%.3f s, %.0f Hz)\n", path.c_str(), report.duration_s, report.sample_rate_hz);
  if (report.pitch) {
    const auto& pitch = *report.pitch;
    std::size_t voiced = 0;
    double cents_sum = 0.0;
    for (std::size_t i = 0; i < pitch.size(); ++i)
      if (pitch.voiced[i]) {
        ++voiced;
        cents_sum += 1200.0 * std::log2(pitch.frequency_hz[i] / 440.0);
      }
    std::printf("pitch:       %zu frames, %zu voiced", pitch.size(), voiced);
    if (voiced > 0) std::printf(", mean %.1f Hz", 440.0 * std::exp2(cents_sum / static_cast<double>(voiced) / 1200.0));
    std::printf("\n");
  }
  if (report.onsets) std::printf("onsets:      %zu\n", report.onsets->onset_times_s.size());
  if (report.beats) std::printf("tempo:       %.1f bpm, %zu beats\n", report.beats->tempo_bpm, report.beats->beat_times_s.size());
  if (report.loudness) {
    const auto& loudness = *report.loudness;
    if (loudness.integrated_lufs > analysis::kNoLoudnessLufs)
      std::printf("loudness:    %.2f LUFS integrated, LRA %.2f LU\n", loudness.integrated_lufs, loudness.loudness_range_lu);
    else
      std::printf("loudness:    silent\n");
    std::printf("true peak:   %.2f dBTP (sample peak %.2f dBFS)\n", loudness.true_peak_dbtp, loudness.sample_peak_dbfs);
  }
}

int run_analyze(const AnalyzeOptions& options) {
  analysis::AnalysisOptions analysis_options;
  const bool any = !options.pitch.empty() || options.onsets || options.tempo || options.loudness;
  analysis_options.pitch = options.pitch == "yin"                    ? analysis::PitchMethod::kYin
                           : options.pitch == "pyin" || !any ? analysis::PitchMethod::kPyin
                                                                     : analysis::PitchMethod::kNone;
  analysis_options.onsets = options.onsets || !any;
  analysis_options.tempo = options.tempo || !any;
  analysis_options.loudness = options.loudness || !any;
  analysis_options.waveform = !any;  // the full analysis includes the overview pyramid
  analysis_options.threads = options.threads;
  auto function = analysis::parse_onset_function(options.onset_function);
  if (!function) return report_error(function.error());
  analysis_options.onset_options.function = *function;
  if (options.onset_delta >= 0.0) analysis_options.onset_options.delta = options.onset_delta;

  auto clip = formats::read_audio_file(options.path);
  if (!clip) return report_error(clip.error());
  const std::clock_t cpu_start = std::clock();
  const auto wall_start = std::chrono::steady_clock::now();
  auto report = analysis::analyze_audio(clip->audio.view(), clip->sample_rate_hz, analysis_options);
  const double cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!report) return report_error(report.error().in_file(options.path));
  if (options.json) {
    nlohmann::json json = report_to_json(options.path, *report);
    // Time spent analysing (decoding the file excluded), for benchmarks against other tools.
    json["timing"] = {{"analysis_cpu_s", cpu_s}, {"analysis_wall_s", wall_s}};
    if (report->waveform) json["waveform"] = {{"levels", report->waveform->level_count()}};
    std::cout << json.dump() << '\n';
  }
  else if (options.csv)
    print_csv(*report);
  else
    print_text(options.path, *report);
  return kExitOk;
}

}  // namespace

void register_analyze_command(CommandRegistry& registry) {
  registry.add("analyze", "Pitch, onsets, tempo/beats and loudness of an audio file (all when no analysis is named)",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<AnalyzeOptions>();
                 command.add_option("FILE", options->path, "Audio file")->required();
                 command.add_option("--pitch", options->pitch, "Pitch tracker: pyin (probabilistic YIN + HMM) or yin")
                     ->check(CLI::IsMember({"yin", "pyin"}));
                 command.add_flag("--onsets", options->onsets, "Detect note onsets");
                 command.add_flag("--tempo", options->tempo, "Estimate tempo and track beats");
                 command.add_flag("--loudness", options->loudness, "EBU R128 loudness, loudness range and true peak");
                 auto* json = command.add_flag("--json", options->json, "Print JSON");
                 command.add_flag("--csv", options->csv, "Print CSV tables (one section per analysis)")->excludes(json);
                 command.add_option("--onset-function", options->onset_function, "flux (default), complex, hfc or energy")
                     ->check(CLI::IsMember({"flux", "complex", "hfc", "energy"}));
                 command.add_option("--onset-delta", options->onset_delta, "Peak-picking threshold above the local mean");
                 command.add_option("--threads", options->threads, "Threads for the frame analysis (default 1)")
                     ->check(CLI::Range(1, 64));
                 return [options] { return run_analyze(*options); };
               });
}

}  // namespace resound::cli
