// Races resound::fx::Convolution against zita-convolver (Debian libzita-convolver) on stereo reverbs.
//
// Both convolvers get the same 2-channel decaying-noise impulse response (3 s and 10 s at 48 kHz)
// and the same stereo noise, processed in blocks of 64, 256 and 1024 frames with zero latency
// (zita: quantum = minpart = block size, maxpart 8192, OPT_FFTW_MEASURE | OPT_VECTOR_MODE, process(sync = true); its longer
// partitions run on its own worker threads). Two costs, each as "× real time" (audio seconds per
// second spent): CPU = CPU time of the whole process, all threads (zita's included) — the fair
// measure of work; wall = elapsed time of the processing loop — what a caller waits, which favours
// whoever spreads work over threads. "ours/zita" ratios are given for both. Ours runs in two
// modes: "fixed" = the default (first FFT partition = the block, like zita's minpart; later sizes
// chosen for the block and response length) and "any" = fixed_block=false (direct head + 32-frame
// first partition whatever the block, bit-identical output for every slicing); both
// single-threaded, plus "fixed" with its worker thread (live mode) for wall time. The partition
// sizes of both are printed on stderr.
// Usage: bench_fx_convolution [audio_seconds] [ir_seconds…]
// Environment RESOUND_BENCH_ONLY=resound|any|fixed|zita runs one side (or one of our modes) (for `perf stat -e instructions`),
// RESOUND_BENCH_BLOCKS=64,256 picks block sizes, RESOUND_BENCH_REPEATS=3 the interleaved repeats
// (the best of each side is reported).
#include <zita-convolver.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "resound/fx/convolution.hpp"

namespace {

constexpr double kRate = 48000.0;
// zita at its best: measured FFTW plans and its SIMD multiply-accumulate (about twice as fast as no options here).
constexpr uint32_t kZitaOptions = Convproc::OPT_FFTW_MEASURE | Convproc::OPT_VECTOR_MODE;

double wall_s() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double process_cpu_s() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

std::vector<float> noise(std::size_t frames, unsigned seed, double decay_s) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-0.5f, 0.5f);
  std::vector<float> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    samples[i] = distribution(generator);
    if (decay_s > 0.0) samples[i] *= static_cast<float>(std::exp(-6.9 * static_cast<double>(i) / (decay_s * kRate)));
  }
  return samples;
}

struct Result {
  double realtime_factor = 0.0;  // per CPU second (all threads)
  double wall_realtime_factor = 0.0;
  float checksum = 0.0f;  // keeps the work observable, and shows both convolvers compute the same thing
  std::string partitions;  // our stages' partition sizes
  std::size_t late_blocks = 0;  // zita: blocks whose process() reported a late level
};

Result run_resound(const std::vector<std::vector<float>>& response, const std::vector<std::vector<float>>& input, std::size_t block,
                   bool worker_thread, bool fixed_block) {
  resound::AudioBuffer audio(2, response[0].size());
  for (std::size_t c = 0; c < 2; ++c) std::copy(response[c].begin(), response[c].end(), audio.channel(c).begin());
  auto ir = resound::fx::make_impulse_response(std::move(audio), kRate, "bench");
  Result result;
  resound::fx::Convolution convolution(
      std::move(*ir), {.response = {.normalization = resound::fx::ImpulseResponseNormalization::kNone, .trim_trailing_silence = false}, .mix = 1.0,
                   .worker_thread = worker_thread, .fixed_block = fixed_block});
  convolution.prepare(kRate, block, 2);
  for (const std::size_t size : convolution.convolver().partition_sizes()) {
    char text[24];
    std::snprintf(text, sizeof text, " %zu", size);
    result.partitions += text;
  }
  std::vector<float> left(block), right(block);
  float* pointers[2] = {left.data(), right.data()};
  const double start = process_cpu_s();
  const double start_wall = wall_s();
  for (std::size_t position = 0; position + block <= input[0].size(); position += block) {
    std::copy_n(input[0].begin() + static_cast<std::ptrdiff_t>(position), block, left.begin());
    std::copy_n(input[1].begin() + static_cast<std::ptrdiff_t>(position), block, right.begin());
    convolution.process(resound::AudioView(pointers, 2, block));
    result.checksum += left[block / 2] + right[block / 3];
  }
  result.wall_realtime_factor = static_cast<double>(input[0].size()) / kRate / (wall_s() - start_wall);
  result.realtime_factor = static_cast<double>(input[0].size()) / kRate / (process_cpu_s() - start);
  return result;
}

Result run_zita(const std::vector<std::vector<float>>& response, const std::vector<std::vector<float>>& input, std::size_t block) {
  Convproc convolver;
  // zita's options (OPT_FFTW_MEASURE = 1, OPT_VECTOR_MODE = 2): RESOUND_BENCH_ZITA_OPTIONS overrides the default.
  const char* options = std::getenv("RESOUND_BENCH_ZITA_OPTIONS");
  convolver.set_options(options != nullptr ? static_cast<uint32_t>(std::atoi(options)) : kZitaOptions);
  const auto length = static_cast<uint32_t>(response[0].size());
  if (convolver.configure(2, 2, length, static_cast<uint32_t>(block), static_cast<uint32_t>(block), Convproc::MAXPART, 0.0f) != 0) {
    std::fprintf(stderr, "zita configure failed\n");
    std::exit(1);
  }
  for (uint32_t c = 0; c < 2; ++c)
    convolver.impdata_create(c, c, 1, const_cast<float*>(response[c].data()), 0, static_cast<int32_t>(length));
  convolver.start_process(0, SCHED_OTHER);
  Result result;
  const double start = process_cpu_s();
  const double start_wall = wall_s();
  for (std::size_t position = 0; position + block <= input[0].size(); position += block) {
    std::copy_n(input[0].begin() + static_cast<std::ptrdiff_t>(position), block, convolver.inpdata(0));
    std::copy_n(input[1].begin() + static_cast<std::ptrdiff_t>(position), block, convolver.inpdata(1));
    // Non-zero flags: a level was late and its output skipped (zita then computed less than we do).
    if (convolver.process(true) != 0) ++result.late_blocks;
    result.checksum += convolver.outdata(0)[block / 2] + convolver.outdata(1)[block / 3];
  }
  result.wall_realtime_factor = static_cast<double>(input[0].size()) / kRate / (wall_s() - start_wall);
  result.realtime_factor = static_cast<double>(input[0].size()) / kRate / (process_cpu_s() - start);
  convolver.stop_process();
  while (!convolver.check_stop()) {
    const timespec pause{0, 1000000};
    nanosleep(&pause, nullptr);  // its worker threads stop asynchronously
  }
  convolver.cleanup();
  if (result.late_blocks > 0) std::fprintf(stderr, "zita: %zu blocks with a late level (output incomplete)\n", result.late_blocks);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const double audio_s = argc > 1 ? std::atof(argv[1]) : 20.0;
  std::vector<double> response_lengths_s;
  for (int i = 2; i < argc; ++i) response_lengths_s.push_back(std::atof(argv[i]));
  if (response_lengths_s.empty()) response_lengths_s = {3.0, 10.0};
  const int repeats = std::getenv("RESOUND_BENCH_REPEATS") ? std::atoi(std::getenv("RESOUND_BENCH_REPEATS")) : 3;
  const std::string only = std::getenv("RESOUND_BENCH_ONLY") ? std::getenv("RESOUND_BENCH_ONLY") : "";
  std::vector<std::size_t> blocks;
  for (const char* list = std::getenv("RESOUND_BENCH_BLOCKS"); list != nullptr && *list != '\0';) {
    char* end = nullptr;
    blocks.push_back(std::strtoul(list, &end, 10));
    list = *end == ',' ? end + 1 : end;
  }
  if (blocks.empty()) blocks = {64, 256, 1024};
  const auto frames = static_cast<std::size_t>(audio_s * kRate);
  const std::vector<std::vector<float>> input = {noise(frames, 1, 0.0), noise(frames, 2, 0.0)};
  std::printf("%-5s %-6s | %9s %9s %9s %9s %9s | %9s %9s %9s %9s | checksums\n", "IR s", "block", "any CPU", "fixed CPU",
              "zita CPU", "any/zita", "fixed/zita", "fixed wall", "+worker", "zita wall", "best/zita");
  std::printf("%-5s %-6s | %9s %9s %9s %9s %9s | %9s %9s %9s %9s | (any / fixed / zita)\n", "", "", "×RT", "×RT", "×RT", "CPU", "CPU",
              "×RT", "×RT", "×RT", "wall");
  for (const double response_s : response_lengths_s) {
    const auto response_frames = static_cast<std::size_t>(response_s * kRate);
    const std::vector<std::vector<float>> response = {noise(response_frames, 3, response_s), noise(response_frames, 4, response_s)};
    for (const std::size_t block : blocks) {
      // Interleaved repeats, best of each: the machine is shared, and the best run is the one
      // least disturbed by other work.
      Result any, fixed, theirs, threaded;
      // Best CPU and best wall figure of each, over the interleaved repeats.
      const auto keep_best = [](Result& best, const Result& run) {
        best.realtime_factor = std::max(best.realtime_factor, run.realtime_factor);
        best.wall_realtime_factor = std::max(best.wall_realtime_factor, run.wall_realtime_factor);
        best.checksum = run.checksum;
        best.partitions = run.partitions;
      };
      for (int repeat = 0; repeat < repeats; ++repeat) {
        if (only.empty() || only == "resound" || only == "any") keep_best(any, run_resound(response, input, block, false, false));
        if (only.empty() || only == "resound" || only == "fixed") keep_best(fixed, run_resound(response, input, block, false, true));
        if (only.empty() || only == "zita") keep_best(theirs, run_zita(response, input, block));
        if (only.empty()) keep_best(threaded, run_resound(response, input, block, true, true));
      }
      std::printf("%-5.1f %-6zu | %9.1f %9.1f %9.1f %9.2f %9.2f | %9.1f %9.1f %9.1f %9.2f | %.3f / %.3f / %.3f\n", response_s, block,
                  any.realtime_factor, fixed.realtime_factor, theirs.realtime_factor, any.realtime_factor / theirs.realtime_factor,
                  fixed.realtime_factor / theirs.realtime_factor, fixed.wall_realtime_factor, threaded.wall_realtime_factor,
                  theirs.wall_realtime_factor,
                  std::max(fixed.wall_realtime_factor, threaded.wall_realtime_factor) / theirs.wall_realtime_factor, any.checksum,
                  fixed.checksum, theirs.checksum);
      std::fprintf(stderr, "partitions (IR %.1f s, block %zu): any [32-tap head +%s], fixed [%s ]\n", response_s, block,
                   any.partitions.c_str(), fixed.partitions.c_str());
    }
  }
  return 0;
}
