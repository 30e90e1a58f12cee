// RealFft / ComplexFft: single-precision FFTs over FFTW3 with process-wide plan caching.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <span>

namespace resound::dsp {

namespace detail {
struct FftPlans;
}

/// How hard FFTW searches for a fast plan when a size is first used in the process.
enum class FftPlanning {
  kEstimate,  ///< instant, a good plan (default)
  kMeasure,   ///< times candidates once per size (tens of ms); fastest for long-running FFT-heavy work
};

/// Real-to-complex FFT of a fixed size N (any N; powers of two and small primes are fastest).
/// forward: N reals -> N/2+1 complex bins. inverse: N/2+1 bins -> N reals, **unscaled**
/// (inverse(forward(x)) == N * x), as in FFTW; fold 1/N into a gain you already apply.
/// Plans are created once per (size, planning) in a process-wide cache guarded by a mutex, so any
/// number of threads may construct transforms concurrently; executing uses FFTW's thread-safe
/// new-array interface.
/// Thread contract: constructor OFF/CT (may plan); forward/inverse RT-safe (no allocation, no lock)
/// and callable from several threads on different buffers.
class RealFft {
 public:
  explicit RealFft(std::size_t size, FftPlanning planning = FftPlanning::kEstimate);

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t bin_count() const noexcept { return size_ / 2 + 1; }

  /// input.size() == size(), output.size() == bin_count(). Input is not modified.
  void forward(std::span<const float> input, std::span<std::complex<float>> output) const noexcept;
  /// input.size() == bin_count(), output.size() == size(). Input is not modified.
  void inverse(std::span<const std::complex<float>> input, std::span<float> output) const noexcept;

 private:
  std::size_t size_;
  std::shared_ptr<const detail::FftPlans> plans_;
};

/// Complex FFT of a fixed size N. Both directions unscaled. Same thread contract as RealFft.
class ComplexFft {
 public:
  explicit ComplexFft(std::size_t size, FftPlanning planning = FftPlanning::kEstimate);

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// input.size() == output.size() == size(); input may equal output (in place).
  void forward(std::span<const std::complex<float>> input, std::span<std::complex<float>> output) const noexcept;
  void inverse(std::span<const std::complex<float>> input, std::span<std::complex<float>> output) const noexcept;

 private:
  std::size_t size_;
  std::shared_ptr<const detail::FftPlans> plans_;
};

}  // namespace resound::dsp
