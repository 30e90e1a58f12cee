// FFT cross-correlation for crossfade phase alignment (replaces the original's O(n²) np.correlate).
#include "phase_alignment.hpp"

#include <complex>
#include <vector>

#include "resound/dsp/fft.hpp"

namespace resound::track {

std::int64_t best_alignment_lag(std::span<const float> outgoing_left, std::span<const float> outgoing_right,
                                std::span<const float> incoming_left, std::span<const float> incoming_right) {
  const std::size_t n = outgoing_left.size();
  if (n < 2) return 0;
  std::size_t size = 1;
  while (size < 2 * n) size <<= 1;
  dsp::RealFft fft(size);
  std::vector<float> padded(size, 0.0f);
  std::vector<std::complex<float>> a(fft.bin_count()), b(fft.bin_count()), sum(fft.bin_count());
  const std::span<const float> outgoing[2] = {outgoing_left, outgoing_right};
  const std::span<const float> incoming[2] = {incoming_left, incoming_right};
  for (int c = 0; c < 2; ++c) {
    std::fill(padded.begin(), padded.end(), 0.0f);
    std::copy(outgoing[c].begin(), outgoing[c].end(), padded.begin());
    fft.forward(padded, a);
    std::fill(padded.begin(), padded.end(), 0.0f);
    std::copy(incoming[c].begin(), incoming[c].end(), padded.begin());
    fft.forward(padded, b);
    for (std::size_t k = 0; k < a.size(); ++k) sum[k] += a[k] * std::conj(b[k]);
  }
  std::vector<float> correlation(size);
  fft.inverse(sum, correlation);
  // correlation[m] = Σ_i outgoing[i+m]·incoming[i] (circular; padding makes it linear for |m| < n).
  std::int64_t best_lag = 0;
  float best = 0.0f;
  bool found = false;
  for (std::int64_t lag = -static_cast<std::int64_t>(n - 1); lag <= static_cast<std::int64_t>(n - 1); ++lag) {
    const std::size_t index = lag >= 0 ? static_cast<std::size_t>(lag) : size - static_cast<std::size_t>(-lag);
    if (!found || correlation[index] > best) {
      best = correlation[index];
      best_lag = lag;
      found = true;
    }
  }
  return best_lag;
}

}  // namespace resound::track
