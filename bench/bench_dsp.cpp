// Kernel benchmarks for the dsp foundation: FFT sizes used by analysis/convolution, resampling.
#include <benchmark/benchmark.h>

#include <complex>
#include <random>

#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"
#include "resound/dsp/resampler.hpp"

namespace {

void BM_RealFftForward(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  resound::dsp::RealFft fft(size);
  resound::dsp::AlignedBuffer<float> input(size);
  resound::dsp::AlignedBuffer<std::complex<float>> output(fft.bin_count());
  std::mt19937 generator(1);
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  for (float& sample : input) sample = distribution(generator);
  for (auto _ : state) {
    fft.forward(input.span(), output.span());
    benchmark::DoNotOptimize(output.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(size));
}
BENCHMARK(BM_RealFftForward)->Arg(256)->Arg(1024)->Arg(2048)->Arg(4096)->Arg(65536);

void BM_Resample48kTo44k1(benchmark::State& state) {
  resound::AudioBuffer input(2, 48000);
  for (auto _ : state) {
    auto output = resound::dsp::resample(input, 48000.0, 44100.0);
    benchmark::DoNotOptimize(output);
  }
  state.SetItemsProcessed(state.iterations() * 48000);
}
BENCHMARK(BM_Resample48kTo44k1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
