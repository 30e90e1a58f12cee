// `resound midi SONG.mid… [-s SF2] [-o OUT | -d DIR -j N] …`: render MIDI files with a SoundFont (batch on all cores).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "resound/formats/audio_format.hpp"
#include "resound/formats/midi_file.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/host/render_to_wav.hpp"
#include "resound/synth/midi_source.hpp"

namespace resound::cli {
namespace {

struct MidiOptions {
  std::vector<std::string> inputs;
  std::string soundfont;
  std::string output;
  std::string output_directory;
  unsigned jobs = 0;
  double rate_hz = 44100.0;
  std::string interpolation = "cubic";
  bool no_reverb = false;
  bool no_chorus = false;
  std::string tail = "silence:-60";
  float gain_db = synth::kDefaultGainDb;
  std::size_t max_voices = 256;
  bool emu_attenuation = false;
  std::string simd = "auto";
  std::string format;
};

struct RenderReport {
  double duration_s = 0.0;
  double seconds_taken = 0.0;
  synth::SynthesizerStatistics statistics;
};

Expected<RenderReport> render_one(const std::filesystem::path& input, const std::filesystem::path& output,
                                  const std::shared_ptr<const formats::SoundFont>& font, const synth::MidiSourceOptions& options,
                                  const host::RenderToFileOptions& render_options, const ProgressCallback& progress) {
  const auto started = std::chrono::steady_clock::now();
  auto midi = formats::read_midi_file(input);
  if (!midi) return std::move(midi).error();
  synth::MidiSource source(std::make_shared<const formats::MidiFile>(std::move(*midi)), font, options);
  auto result = host::render_to_file_fast(source, output, render_options, progress);
  if (!result) return std::move(result).error();
  RenderReport report;
  report.duration_s = result->duration_s;
  report.seconds_taken = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.statistics = source.statistics();
  return report;
}

void print_report(const std::string& output, const RenderReport& report) {
  std::printf(
      "wrote %s: %.3f s, peak %zu voices, %llu stolen, %llu culled, %llu voice-frames, rendered in %.2f s (%.0fx real "
      "time)\n",
      output.c_str(), report.duration_s, report.statistics.peak_voices,
      static_cast<unsigned long long>(report.statistics.voices_stolen),
      static_cast<unsigned long long>(report.statistics.voices_culled),
              static_cast<unsigned long long>(report.statistics.voice_frames), report.seconds_taken,
              report.seconds_taken > 0 ? report.duration_s / report.seconds_taken : 0.0);
}

int run_midi(const MidiOptions& options) {
  auto interpolation = synth::parse_interpolation(options.interpolation);
  auto tail = synth::TailPolicy::parse(options.tail);
  if (!tail) return report_error(tail.error());
  if (options.inputs.size() > 1 && !options.output.empty())
    return report_error(Error{ErrorCode::kInvalidArgument, "-o takes one input; use -d OUTDIR for several files"});
  std::filesystem::path soundfont_path = options.soundfont;
  if (soundfont_path.empty()) {
    auto found = formats::default_soundfont_path();
    if (!found) return report_error(found.error());
    soundfont_path = *found;
  }
  auto font = formats::SoundFont::load(soundfont_path);
  if (!font) return report_error(font.error());

  synth::MidiSourceOptions source_options;
  source_options.interpolation = *interpolation;
  source_options.reverb = !options.no_reverb;
  source_options.chorus = !options.no_chorus;
  source_options.tail = *tail;
  source_options.gain_db = options.gain_db;
  source_options.max_voices = options.max_voices;
  source_options.emu_attenuation = options.emu_attenuation;
  source_options.simd = synth::parse_simd_path(options.simd).value_or(synth::SimdPath::kAuto);
  source_options.offline_wait_for_samples = true;  // offline render: start at once, decode SF3 on the way
  host::RenderToFileOptions render_options;
  render_options.sample_rate_hz = options.rate_hz;

  auto output_for = [&](const std::filesystem::path& input) -> Expected<std::filesystem::path> {
    std::filesystem::path output;
    if (!options.output.empty()) {
      output = options.output;
    } else {
      output = input.filename();
      output.replace_extension(".wav");
      output = (options.output_directory.empty() ? input.parent_path() : std::filesystem::path(options.output_directory)) / output;
    }
    return output;
  };
  auto format_for = [&](const std::filesystem::path& output) -> Expected<formats::AudioFormat> {
    if (!options.format.empty()) return formats::parse_audio_format(options.format);
    return formats::default_format_for_path(output);
  };

  if (!options.output_directory.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.output_directory, error);
    if (error)
      return report_error(Error{ErrorCode::kIo, "cannot create output folder: " + error.message(), {.file = options.output_directory}});
  }

  if (options.inputs.size() == 1) {
    auto output = output_for(options.inputs[0]);
    auto format = format_for(*output);
    if (!format) return report_error(format.error());
    render_options.format = *format;
    ProgressBar progress("Rendering");
    auto report = render_one(options.inputs[0], *output, *font, source_options, render_options, progress.callback());
    progress.finish();
    if (!report) return report_error(report.error());
    print_report(output->string(), *report);
    return kExitOk;
  }

  // Batch: one SoundFont shared read-only by every worker; each file gets its own synthesizer.
  const unsigned workers = std::max(1u, std::min<unsigned>(options.jobs > 0 ? options.jobs : std::thread::hardware_concurrency(),
                                                          static_cast<unsigned>(options.inputs.size())));
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  std::mutex print_mutex;
  const auto started = std::chrono::steady_clock::now();
  double total_audio_s = 0.0;
  auto work = [&] {
    for (std::size_t i = next++; i < options.inputs.size(); i = next++) {
      if (interrupt_requested()) return;
      auto output = output_for(options.inputs[i]);
      auto format = format_for(*output);
      auto file_options = render_options;
      Expected<RenderReport> report = Error{ErrorCode::kInternal, ""};
      if (!format) {
        report = format.error();
      } else {
        file_options.format = *format;
        report = render_one(options.inputs[i], *output, *font, source_options, file_options,
                            [](double) { return !interrupt_requested(); });
      }
      std::lock_guard lock(print_mutex);
      if (!report) {
        report_error(report.error());
        ++failures;
      } else {
        total_audio_s += report->duration_s;
        print_report(output->string(), *report);
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < workers; ++t) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("rendered %zu file(s), %.1f s of audio in %.2f s with %u thread(s) (%.0fx real time)\n",
              options.inputs.size() - static_cast<std::size_t>(failures.load()), total_audio_s, elapsed, workers,
              elapsed > 0 ? total_audio_s / elapsed : 0.0);
  if (interrupt_requested()) return kExitInterrupted;
  return failures > 0 ? kExitRuntimeError : kExitOk;
}

}  // namespace

void register_midi_command(CommandRegistry& registry) {
  registry.add("midi", "Render MIDI files with a SoundFont (SF2/SF3) to WAV or FLAC", [](CLI::App& command) -> CommandAction {
    auto options = std::make_shared<MidiOptions>();
    command.add_option("SONG", options->inputs, "MIDI file(s) (.mid)")->required()->check(CLI::ExistingFile);
    command.add_option("-s,--soundfont", options->soundfont,
                       "SoundFont (.sf2/.sf3); default: $RESOUND_SOUNDFONT, else Debian's default-GM, TimGM6mb, FluidR3_GM");
    command.add_option("-o,--output", options->output, "Output file for one song (.wav or .flac; default SONG.wav)");
    command.add_option("-d,--output-dir", options->output_directory, "Output folder for batch renders (SONG.wav in it)");
    command.add_option("-j,--jobs", options->jobs, "Batch: songs rendered at once (default: all cores)");
    command.add_option("--rate", options->rate_hz, "Sample rate in Hz (default 44100)")->check(CLI::Range(8000.0, 192000.0));
    command.add_option("--interp", options->interpolation, "linear|cubic|sinc (default cubic)")
        ->check(CLI::IsMember({"linear", "cubic", "sinc"}));
    command.add_flag("--no-reverb", options->no_reverb, "Drop the reverb send");
    command.add_flag("--no-chorus", options->no_chorus, "Drop the chorus send");
    command.add_option("--tail", options->tail, "exact | SECONDS | silence:-60 (default): where the render ends");
    command.add_option("--gain", options->gain_db, "Master gain in dB (default -6)")->check(CLI::Range(-60.0, 24.0));
    command.add_option("--max-voices", options->max_voices, "Polyphony (default 256)")->check(CLI::Range(1, 65536));
    command.add_flag("--emu-attenuation", options->emu_attenuation,
                     "Scale SoundFont attenuation by 0.4 like EMU hardware and FluidSynth (default: SF2 spec)");
    command.add_option("--simd", options->simd, "Voice loop instruction set: auto|scalar|avx2|avx512 (default auto)")
        ->check(CLI::IsMember({"auto", "scalar", "avx2", "avx512"}));
    command.add_option("--format", options->format, "wav16|wav24|float|flac|flac16 (default from the extension)")
        ->check(CLI::IsMember({"wav16", "wav24", "float", "flac", "flac16", "flac24"}));
    return [options] { return run_midi(*options); };
  });
}

}  // namespace resound::cli
