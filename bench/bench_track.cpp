// Whole-track render speed (× real time) for the issue's two reference tracks, on one and two threads.
// Usage: bench_track [--scale X] [--only session|preset] [--threads N]
//   (X < 1 renders shorter versions of the same tracks for quick runs; --threads N runs only N threads, default 1 then 2)
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_source.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// CPU seconds used by the whole process: on a shared, oversubscribed machine this is the honest cost.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

/// A 30-minute session: 4 steps of binaural + isochronic transitions over swept-notch transition noise.
std::string session_track(double scale) {
  std::string steps;
  const double duration = 450.0 * scale;
  const double bases[5] = {200, 180, 160, 150, 140};
  const double beats[5] = {12, 10, 7, 5, 4};
  for (int s = 0; s < 4; ++s) {
    if (s) steps += ",";
    char step[2048];
    std::snprintf(step, sizeof step, R"({"duration": %.3f, "voices": [
      {"synth_function_name": "binaural_beat", "is_transition": true, "params": {"ampL": 0.4, "ampR": 0.4,
        "startBaseFreq": %g, "endBaseFreq": %g, "startBeatFreq": %g, "endBeatFreq": %g}},
      {"synth_function_name": "isochronic_tone", "is_transition": true, "params": {"ampL": 0.3, "ampR": 0.3,
        "startBaseFreq": %g, "endBaseFreq": %g, "startBeatFreq": %g, "endBeatFreq": %g}}]})",
                  duration, bases[s], bases[s + 1], beats[s], beats[s + 1], bases[s] * 1.5, bases[s + 1] * 1.5,
                  beats[s], beats[s + 1]);
    steps += step;
  }
  return R"({"global": {"sample_rate": 44100, "crossfade_duration": 3.0},
    "progression": [)" + steps + R"(],
    "background_noise": {"gain": 0.3, "params": {"noise_type": "pink", "transition": true,
      "start_lfo_freq": 0.0833, "end_lfo_freq": 0.05, "duration_seconds": 1800,
      "sweeps": [{"start_min": 1000, "end_min": 600, "start_max": 10000, "end_max": 6000, "start_q": 30, "end_q": 20,
                  "start_casc": 10, "end_casc": 8},
                 {"start_min": 300, "end_min": 400, "start_max": 1200, "end_max": 1500, "start_q": 20, "end_q": 25,
                  "start_casc": 4, "end_casc": 6}]}}})";
}

/// A 1-hour single step with 14 static binaural voices (a Session-Builder "Focus" preset shape).
std::string preset_track(double scale) {
  std::string voices;
  for (int v = 0; v < 14; ++v) {
    if (v) voices += ",";
    char voice[512];
    std::snprintf(voice, sizeof voice,
                  R"({"synth_function_name": "binaural_beat", "params": {"ampL": 0.05, "ampR": 0.05, "baseFreq": %g, "beatFreq": %g}})",
                  100.0 + 37.0 * v, 1.5 + 0.5 * v);
    voices += voice;
  }
  char head[256];
  std::snprintf(head, sizeof head, R"({"global": {"sample_rate": 44100}, "progression": [{"duration": %.3f, "voices": [)",
                3600.0 * scale);
  return head + voices + "]}]}";
}

/// Renders [first, first+frames) through its own TrackSource (sources are independent, so threads can split a track).
void render_range(std::shared_ptr<const resound::track::TrackPlan> plan, std::int64_t first, std::int64_t frames,
                  double* peak) {
  resound::track::TrackSource source(std::move(plan));
  constexpr std::size_t kBlock = 4096;
  resound::AudioBuffer block(2, kBlock);
  source.prepare(source.sample_rate_hz(), kBlock);
  source.seek(first);
  double local = 0.0;
  for (std::int64_t done = 0; done < frames; done += kBlock) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kBlock, frames - done));
    source.process(block.view().subview(0, count));
    for (std::size_t i = 0; i < count; ++i) local = std::max(local, double(std::abs(block.channel(0)[i])));
  }
  *peak = local;
}

void run(const char* name, const std::string& json, const std::vector<int>& thread_counts) {
  auto loaded = resound::track::load_track_json(json, ".");
  if (!loaded) {
    std::fprintf(stderr, "%s: %s\n", name, loaded.error().describe().c_str());
    return;
  }
  for (int threads : thread_counts) {
    // Analysis (peak passes split over `threads` ranges), then the render split the same way.
    const auto start = Clock::now();
    const double start_cpu = cpu_seconds();
    resound::track::TrackPlanOptions options;
    options.threads = threads;
    auto plan = resound::track::build_track_plan(loaded->spec, options);
    const double plan_s = std::chrono::duration<double>(Clock::now() - start).count();
    const double plan_cpu = cpu_seconds() - start_cpu;
    if (!plan) return;
    const double audio_s = (*plan)->duration_s();
    const std::int64_t length = (*plan)->length_frames;
    const auto render_start = Clock::now();
    const double render_cpu_start = cpu_seconds();
    std::vector<std::thread> workers;
    std::vector<double> peaks(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      const std::int64_t first = length * t / threads;
      const std::int64_t last = length * (t + 1) / threads;
      workers.emplace_back(render_range, *plan, first, last - first, &peaks[static_cast<std::size_t>(t)]);
    }
    for (auto& worker : workers) worker.join();
    const double render_s = std::chrono::duration<double>(Clock::now() - render_start).count();
    const double render_cpu = cpu_seconds() - render_cpu_start;
    std::printf("%-36s %7.1f s audio | %d thread(s) | analysis wall %6.2f s cpu %6.2f s | render wall %6.2f s cpu %6.2f s "
                "(%5.0fx wall) | analysis+render %5.0fx wall, %5.0fx per cpu-s | gain %.9g\n",
                name, audio_s, threads, plan_s, plan_cpu, render_s, render_cpu, audio_s / render_s,
                audio_s / (plan_s + render_s), audio_s / (plan_cpu + render_cpu), (*plan)->final_gain);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  std::string only;
  std::vector<int> thread_counts{1, 2};
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--scale") == 0) scale = std::stod(argv[i + 1]);
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
    if (std::strcmp(argv[i], "--threads") == 0) thread_counts = {std::max(1, std::stoi(argv[i + 1]))};
  }
  if (only.empty() || only == "session") run("30-min session (4 transition steps)", session_track(scale), thread_counts);
  if (only.empty() || only == "preset") run("1-h preset (14 static binaural)", preset_track(scale), thread_counts);
  return 0;
}
