// ns per stereo frame of the FDN reverb and the chorus at 48 kHz, 256-frame blocks (settled parameters).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/chorus.hpp"

namespace {

constexpr std::size_t kBlock = 256;

template <class Effect>
void run_effect(benchmark::State& state, Effect& effect) {
  effect.prepare(48000.0, kBlock, 2);
  std::mt19937 generator(1);
  std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
  std::vector<float> left(kBlock), right(kBlock);
  float* pointers[2] = {left.data(), right.data()};
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBlock; ++i) {
      left[i] = noise(generator);
      right[i] = noise(generator);
    }
    effect.process(resound::AudioView(pointers, 2, kBlock));
    benchmark::DoNotOptimize(left.data());
  }
  // Seconds per frame (shown with an SI prefix, e.g. "390n" = 390 ns per stereo frame).
  state.counters["per_frame"] = benchmark::Counter(static_cast<double>(kBlock), benchmark::Counter::kIsIterationInvariantRate |
                                                                                     benchmark::Counter::kInvert);
}

void BM_AlgorithmicReverb(benchmark::State& state) {
  resound::fx::AlgorithmicReverb reverb({.mix = 0.3});
  run_effect(state, reverb);
}
BENCHMARK(BM_AlgorithmicReverb);

void BM_Chorus(benchmark::State& state) {
  resound::fx::Chorus chorus({.mix = 0.5});
  run_effect(state, chorus);
}
BENCHMARK(BM_Chorus);

}  // namespace

BENCHMARK_MAIN();
