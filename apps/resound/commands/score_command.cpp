// `resound score RECORDING EXPECTED.mid [--json]`: per-note verdicts of a performance against its score.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "resound/analysis/performance_score.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::cli {
namespace {

struct ScoreCommandOptions {
  std::string recording;
  std::string expected;
  bool json = false;
  double tolerance_ms = 120.0;
};

int run_score(const ScoreCommandOptions& options) {
  auto expected = analysis::read_expected_notes(options.expected);
  if (!expected) return report_error(expected.error().in_file(options.expected));
  auto clip = formats::read_audio_file(options.recording);
  if (!clip) return report_error(clip.error());
  analysis::ScoreOptions score_options;
  score_options.timing_tolerance_s = options.tolerance_ms / 1000.0;
  auto score = analysis::score_recording(clip->audio.view(), clip->sample_rate_hz, *expected, score_options);
  if (!score) return report_error(score.error().in_file(options.recording));
  if (options.json) {
    std::cout << analysis::score_to_json(*score) << '\n';
    return kExitOk;
  }
  for (const auto& verdict : score->verdicts) {
    std::printf("%-13s", analysis::verdict_name(verdict.kind));
    if (verdict.expected_index >= 0)
      std::printf(" expected %3d at %8.3f s", verdict.expected_midi_note, verdict.expected_onset_s);
    else
      std::printf("%26s", "");
    if (verdict.performed_index >= 0) std::printf("  played %3d at %8.3f s", verdict.performed_midi_note, verdict.performed_onset_s);
    if (verdict.expected_index >= 0 && verdict.performed_index >= 0) std::printf("  %+7.1f ms", verdict.timing_error_ms);
    std::printf("\n");
  }
  std::printf("\n%zu correct, %zu wrong pitch, %zu missing, %zu extra, %zu timing errors (start offset %.3f s)\n",
              score->correct, score->wrong_pitch, score->missing, score->extra, score->timing_errors, score->offset_s);
  std::printf("pitch accuracy %.1f %%, rhythm accuracy %.1f %%\n", 100.0 * score->pitch_accuracy, 100.0 * score->rhythm_accuracy);
  return kExitOk;
}

}  // namespace

void register_score_command(CommandRegistry& registry) {
  registry.add("score", "Score a monophonic recording against the expected MIDI: per-note verdicts, pitch and rhythm accuracy",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<ScoreCommandOptions>();
                 command.add_option("RECORDING", options->recording, "Audio file of the performance")->required();
                 command.add_option("EXPECTED", options->expected, "Standard MIDI File with the expected notes")->required();
                 command.add_flag("--json", options->json, "Print JSON");
                 command.add_option("--tolerance-ms", options->tolerance_ms, "Timing error tolerance (default 120 ms)")
                     ->check(CLI::Range(1.0, 1000.0));
                 return [options] { return run_score(*options); };
               });
}

}  // namespace resound::cli
