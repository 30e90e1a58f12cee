// Test signals and measurements: sines, frequency by interpolated zero crossings, RMS, peak RSS.
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <span>
#include <string>
#include <vector>

namespace resound::test {

inline std::vector<float> sine(double frequency_hz, double sample_rate_hz, std::size_t frames, double amplitude = 0.5,
                               double phase = 0.0) {
  std::vector<float> samples(frames);
  for (std::size_t i = 0; i < frames; ++i)
    samples[i] = static_cast<float>(
        amplitude * std::sin(2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) / sample_rate_hz + phase));
  return samples;
}

/// Frequency of a clean periodic signal from its rising zero crossings (linearly interpolated),
/// averaged over the whole span: precise to millihertz for seconds of a clean tone.
inline double measure_frequency_hz(std::span<const float> samples, double sample_rate_hz) {
  double first = -1.0;
  double last = -1.0;
  int crossings = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if (samples[i - 1] < 0.0f && samples[i] >= 0.0f) {
      const double fraction = samples[i - 1] / (samples[i - 1] - samples[i]);
      const double position = static_cast<double>(i - 1) + fraction;
      if (first < 0.0) first = position;
      last = position;
      ++crossings;
    }
  }
  if (crossings < 2) return 0.0;
  return (crossings - 1) * sample_rate_hz / (last - first);
}

inline double rms(std::span<const float> samples) {
  double sum = 0.0;
  for (const float sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

/// The process's peak resident set size so far, in kB (VmHWM); -1 if unknown.
inline long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

/// The process's current resident set size in kB (VmRSS); -1 if unknown.
inline long current_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

}  // namespace resound::test
