// Frame level envelopes and per-onset loudness with a velocity estimate.
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/dynamics.hpp"

#include <algorithm>
#include <cmath>

namespace resound::analysis {

namespace {
constexpr double kVelocityReferenceRms = 0.251;  // −12 dBFS: a full-velocity note in a typical mix
}

Expected<FrameLevels> frame_levels(std::span<const float> samples, double sample_rate_hz, std::size_t frame_frames,
                                   std::size_t hop_frames) {
  if (frame_frames == 0 || hop_frames == 0 || !(sample_rate_hz > 0.0))
    return Error{ErrorCode::kInvalidArgument, "frame size, hop and sample rate must be positive", {.field = "hop"}};
  FrameLevels levels;
  levels.frame_period_s = static_cast<double>(hop_frames) / sample_rate_hz;
  const std::size_t frames = samples.empty() ? 0 : 1 + (samples.size() - 1) / hop_frames;
  levels.times_s.resize(frames);
  levels.rms.resize(frames);
  levels.peak.resize(frames);
  // Prefix sums of squares make every frame O(1) whatever its length.
  std::vector<double> prefix(samples.size() + 1, 0.0);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double value = std::isfinite(samples[i]) ? samples[i] : 0.0;
    prefix[i + 1] = prefix[i] + value * value;
  }
  for (std::size_t f = 0; f < frames; ++f) {
    const std::size_t centre = f * hop_frames;
    const std::size_t first = centre >= frame_frames / 2 ? centre - frame_frames / 2 : 0;
    const std::size_t last = std::min(samples.size(), centre + frame_frames / 2);
    levels.times_s[f] = static_cast<double>(centre) / sample_rate_hz;
    levels.rms[f] = static_cast<float>(std::sqrt((prefix[last] - prefix[first]) / static_cast<double>(frame_frames)));
    float peak = 0.0f;
    for (std::size_t i = first; i < last; ++i)
      if (std::isfinite(samples[i])) peak = std::max(peak, std::abs(samples[i]));
    levels.peak[f] = peak;
  }
  return levels;
}

int velocity_from_rms(double rms) noexcept {
  if (!(rms > 0.0)) return 1;
  const double velocity = 127.0 * std::pow(rms / kVelocityReferenceRms, 0.5);
  return static_cast<int>(std::clamp(std::lround(velocity), 1L, 127L));
}

Expected<std::vector<OnsetDynamics>> onset_dynamics(std::span<const float> samples, double sample_rate_hz,
                                                    std::span<const double> onset_times_s) {
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz));
  std::vector<double> times;
  for (const double time : onset_times_s)
    if (std::isfinite(time)) times.push_back(time);
  std::sort(times.begin(), times.end());
  std::vector<OnsetDynamics> result;
  for (std::size_t i = 0; i < times.size(); ++i) {
    const auto clamp_index = [&](double time) {
      return static_cast<std::size_t>(std::clamp(std::llround(time * sample_rate_hz), 0LL, static_cast<long long>(samples.size())));
    };
    const std::size_t first = clamp_index(times[i]);
    const std::size_t last = i + 1 < times.size() ? clamp_index(times[i + 1]) : samples.size();
    double sum = 0.0;
    float peak = 0.0f;
    for (std::size_t s = first; s < last; ++s) {
      if (!std::isfinite(samples[s])) continue;
      sum += static_cast<double>(samples[s]) * samples[s];
      peak = std::max(peak, std::abs(samples[s]));
    }
    OnsetDynamics dynamics;
    dynamics.time_s = times[i];
    dynamics.rms = last > first ? static_cast<float>(std::sqrt(sum / static_cast<double>(last - first))) : 0.0f;
    dynamics.peak = peak;
    dynamics.db = static_cast<float>(dynamics.rms > 0.0f ? std::max(kDynamicsFloorDb, 20.0 * std::log10(dynamics.rms)) : kDynamicsFloorDb);
    dynamics.midi_velocity = velocity_from_rms(dynamics.rms);
    result.push_back(dynamics);
  }
  return result;
}

}  // namespace resound::analysis
