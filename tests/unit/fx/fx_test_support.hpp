// Helpers shared by the fx tests: block-wise processing, planar buffers, decay and subnormal checks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "resound/core/processor.hpp"

namespace resound::fx::test {

/// Planar audio held in vectors, with a view over all of it.
struct PlanarAudio {
  std::vector<std::vector<float>> channels;
  std::vector<float*> pointers;

  PlanarAudio(std::size_t channel_count, std::size_t frame_count) : channels(channel_count, std::vector<float>(frame_count, 0.0f)) {}
  [[nodiscard]] std::size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
  /// A view of all channels; pointers are refreshed because tests assign whole channel vectors.
  [[nodiscard]] AudioView view() {
    pointers.clear();
    for (auto& channel : channels) pointers.push_back(channel.data());
    return AudioView(pointers.data(), pointers.size(), frames());
  }
};

/// Runs `audio` through `processor` in blocks whose sizes cycle through `block_sizes`.
inline void process_in_blocks(Processor& processor, PlanarAudio& audio, std::span<const std::size_t> block_sizes) {
  std::size_t position = 0;
  std::size_t index = 0;
  while (position < audio.frames()) {
    const std::size_t block = std::min(block_sizes[index++ % block_sizes.size()], audio.frames() - position);
    processor.process(audio.view().subview(position, block));
    position += block;
  }
}

inline std::vector<float> white_noise(std::size_t frames, float amplitude, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> distribution(-amplitude, amplitude);
  std::vector<float> samples(frames);
  for (float& sample : samples) sample = distribution(generator);
  return samples;
}

/// RT60 of an impulse response by Schroeder backward integration, extrapolated from the
/// -5 … -(5 + range_db) dB span of the energy decay curve (T20 / T30 as in ISO 3382).
inline double reverberation_time_s(std::span<const float> impulse_response, double sample_rate_hz, double range_db = 30.0) {
  std::vector<double> energy(impulse_response.size() + 1, 0.0);
  for (std::size_t i = impulse_response.size(); i-- > 0;)
    energy[i] = energy[i + 1] + static_cast<double>(impulse_response[i]) * impulse_response[i];
  const double total = energy[0];
  double start_s = -1.0;
  double end_s = -1.0;
  for (std::size_t i = 0; i < impulse_response.size(); ++i) {
    const double level_db = 10.0 * std::log10(energy[i] / total + 1e-30);
    if (start_s < 0.0 && level_db <= -5.0) start_s = static_cast<double>(i) / sample_rate_hz;
    if (end_s < 0.0 && level_db <= -5.0 - range_db) {
      end_s = static_cast<double>(i) / sample_rate_hz;
      break;
    }
  }
  if (start_s < 0.0 || end_s < 0.0) return -1.0;
  return (end_s - start_s) * 60.0 / range_db;
}

inline bool contains_subnormal(std::span<const float> samples) {
  return std::any_of(samples.begin(), samples.end(), [](float s) { return std::fpclassify(s) == FP_SUBNORMAL; });
}

inline double correlation(std::span<const float> a, std::span<const float> b) {
  double ab = 0.0, aa = 0.0, bb = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb + 1e-300);
}

}  // namespace resound::fx::test
