// FFT wrapper against a direct double-precision DFT; alignment, in-place use and concurrent planning.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <thread>
#include <vector>

#include "resound/dsp/aligned_buffer.hpp"
#include "resound/dsp/fft.hpp"

namespace resound::dsp {
namespace {

using Complex = std::complex<double>;

std::vector<Complex> direct_dft(const std::vector<Complex>& input, int sign) {
  const std::size_t n = input.size();
  std::vector<Complex> output(n);
  for (std::size_t k = 0; k < n; ++k) {
    Complex sum = 0.0;
    for (std::size_t t = 0; t < n; ++t) {
      const double angle = sign * 2.0 * std::numbers::pi * static_cast<double>((k * t) % n) / static_cast<double>(n);
      sum += input[t] * Complex(std::cos(angle), std::sin(angle));
    }
    output[k] = sum;
  }
  return output;
}

// ||a - b|| / ||b|| over all bins.
template <typename A>
double relative_error(const A& actual, const std::vector<Complex>& reference, std::size_t count) {
  double error = 0.0;
  double norm = 0.0;
  for (std::size_t k = 0; k < count; ++k) {
    error += std::norm(Complex(actual[k]) - reference[k]);
    norm += std::norm(reference[k]);
  }
  return std::sqrt(error / norm);
}

std::vector<float> random_signal(std::size_t n, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-1.0f, 1.0f);
  std::vector<float> signal(n);
  for (float& sample : signal) sample = distribution(generator);
  return signal;
}

class RealFftSizes : public ::testing::TestWithParam<std::size_t> {};

TEST_P(RealFftSizes, ForwardMatchesDirectDftAndInverseRoundTrips) {
  const std::size_t n = GetParam();
  const std::vector<float> signal = random_signal(n, static_cast<unsigned>(n));
  std::vector<Complex> reference_input(signal.begin(), signal.end());
  const std::vector<Complex> reference = direct_dft(reference_input, -1);

  RealFft fft(n);
  AlignedBuffer<float> input(n);
  std::copy(signal.begin(), signal.end(), input.begin());
  AlignedBuffer<std::complex<float>> spectrum(fft.bin_count());
  fft.forward(input.span(), spectrum.span());
  EXPECT_LE(relative_error(spectrum, reference, fft.bin_count()), 1e-5);
  EXPECT_EQ(input[n / 3], signal[n / 3]) << "forward must not modify its input";

  AlignedBuffer<float> back(n);
  const auto spectrum_copy = std::vector<std::complex<float>>(spectrum.begin(), spectrum.end());
  fft.inverse(spectrum.span(), back.span());
  EXPECT_EQ(spectrum[1], spectrum_copy[1]) << "inverse must not modify its input";
  double worst = 0.0;
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(back[i] / static_cast<double>(n) - signal[i]));
  EXPECT_LE(worst, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(PowersOfTwoAndOdd, RealFftSizes, ::testing::Values(16, 256, 1000, 2048, 4410));

TEST(RealFft, UnalignedBuffersGiveTheSameResult) {
  constexpr std::size_t n = 512;
  const std::vector<float> signal = random_signal(n, 7);
  RealFft fft(n);
  AlignedBuffer<float> aligned(n);
  std::copy(signal.begin(), signal.end(), aligned.begin());
  AlignedBuffer<std::complex<float>> expected(fft.bin_count());
  fft.forward(aligned.span(), expected.span());

  std::vector<float> shifted_storage(n + 1);
  std::copy(signal.begin(), signal.end(), shifted_storage.begin() + 1);  // 4-byte offset: not SIMD aligned
  std::vector<std::complex<float>> unaligned_out(fft.bin_count() + 1);
  fft.forward(std::span<const float>(shifted_storage.data() + 1, n),
              std::span<std::complex<float>>(unaligned_out.data() + 1, fft.bin_count()));
  for (std::size_t k = 0; k < fft.bin_count(); ++k) EXPECT_LE(std::abs(unaligned_out[k + 1] - expected[k]), 1e-4f);
}

TEST(ComplexFft, ForwardInverseAndInPlace) {
  constexpr std::size_t n = 360;
  std::mt19937 generator(3);
  std::normal_distribution<float> distribution;
  std::vector<std::complex<float>> signal(n);
  for (auto& value : signal) value = {distribution(generator), distribution(generator)};
  const std::vector<Complex> reference = direct_dft(std::vector<Complex>(signal.begin(), signal.end()), -1);

  ComplexFft fft(n);
  std::vector<std::complex<float>> spectrum(n);
  fft.forward(signal, spectrum);
  EXPECT_LE(relative_error(spectrum, reference, n), 1e-5);

  std::vector<std::complex<float>> in_place = signal;
  fft.forward(in_place, in_place);
  EXPECT_LE(relative_error(in_place, reference, n), 1e-5);

  const std::vector<Complex> inverse_reference = direct_dft(std::vector<Complex>(spectrum.begin(), spectrum.end()), 1);
  std::vector<std::complex<float>> back(n);
  fft.inverse(spectrum, back);
  EXPECT_LE(relative_error(back, inverse_reference, n), 1e-5);
}

TEST(Fft, ThreadsCanPlanAndExecuteConcurrently) {
  std::vector<std::thread> threads;
  std::vector<double> errors(4, 1.0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &errors] {
      const std::size_t n = 1024 + 2 * static_cast<std::size_t>(t % 2);
      const std::vector<float> signal = random_signal(n, static_cast<unsigned>(t));
      double worst = 0.0;
      for (int round = 0; round < 20; ++round) {
        RealFft fft(n);  // planning from several threads at once goes through the cache's lock
        std::vector<std::complex<float>> spectrum(fft.bin_count());
        std::vector<float> back(n);
        fft.forward(signal, spectrum);
        fft.inverse(spectrum, back);
        for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(back[i] / static_cast<double>(n) - signal[i]));
      }
      errors[static_cast<std::size_t>(t)] = worst;
    });
  }
  for (auto& thread : threads) thread.join();
  for (double error : errors) EXPECT_LE(error, 1e-5);
}

}  // namespace
}  // namespace resound::dsp
