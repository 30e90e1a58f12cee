// Voice loop cost: ns per voice per output sample of the synthesizer (cubic, filter, envelopes), per kernel.
#include <benchmark/benchmark.h>

#include <ctime>
#include <filesystem>
#include <memory>

#include "resound/core/audio_buffer.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/synth/synthesizer.hpp"

namespace {

using resound::synth::SimdPath;

// CPU time of this thread: on a shared machine wall time also counts other people's work.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

constexpr const char* kBank = "/usr/share/sounds/sf2/TimGM6mb.sf2";

std::shared_ptr<const resound::formats::SoundFont> bank() {
  static const auto font = []() -> std::shared_ptr<const resound::formats::SoundFont> {
    if (!std::filesystem::exists(kBank)) return nullptr;
    auto loaded = resound::formats::SoundFont::load(kBank);
    return loaded ? *loaded : nullptr;
  }();
  return font;
}

// Holds `notes` string-ensemble notes (program 48: looped, sustained, filtered by velocity; two
// voices per note where the bank layers stereo samples) and renders 4096-frame blocks, dry only.
// Reports ns per voice-sample (the render's CPU time over the voice-frames the synthesizer counted).
void BM_SustainedVoices(benchmark::State& state) {
  const auto font = bank();
  if (font == nullptr) {
    state.SkipWithError("TimGM6mb not installed");
    return;
  }
  resound::synth::SynthesizerOptions options;
  options.simd = static_cast<SimdPath>(state.range(1));
  options.cull_inaudible = false;
  resound::synth::Synthesizer synthesizer(font, options);
  if (synthesizer.simd_path() != options.simd) {
    state.SkipWithError("kernel not supported on this CPU");
    return;
  }
  const auto notes = static_cast<int>(state.range(0));
  for (int note = 0; note < notes; ++note) {
    const int channel = note % 8;
    synthesizer.program_change(channel, 48);
    synthesizer.note_on(channel, 36 + (note * 7) % 60, 70 + note % 50);
  }
  resound::AudioBuffer out(2, 4096);
  synthesizer.render({out.view(), {}, {}});  // past the attacks
  const auto before = synthesizer.statistics().voice_frames;
  double seconds = 0.0;
  for (auto _ : state) {
    const double started = thread_cpu_seconds();
    synthesizer.render({out.view(), {}, {}});
    benchmark::DoNotOptimize(out.channel(0).data());
    seconds += thread_cpu_seconds() - started;
  }
  const auto voice_frames = static_cast<double>(synthesizer.statistics().voice_frames - before);
  state.counters["voices"] = static_cast<double>(synthesizer.statistics().active_voices);
  state.counters["ns_per_voice_sample"] = voice_frames > 0.0 ? seconds * 1e9 / voice_frames : 0.0;
}
BENCHMARK(BM_SustainedVoices)
    ->ArgsProduct({{8, 32, 128}, {static_cast<int>(SimdPath::kScalar), static_cast<int>(SimdPath::kAvx2)}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
