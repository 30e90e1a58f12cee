// ImpulseResponse: validation of channel layouts and sizes, and the resample/trim/normalise/pre-delay steps.
#include "resound/fx/impulse_response.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "resound/core/units.hpp"
#include "resound/dsp/resampler.hpp"

namespace resound::fx {
namespace {

constexpr double kMaxPredelayS = 1.0;
constexpr double kCutFadeS = 0.01;

Error response_error(ErrorCode code, const std::string& name, const std::string& message) {
  return Error(code, message, ErrorContext{.file = name});
}

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

float peak_of(ConstAudioView audio) {
  float peak = 0.0f;
  for (std::size_t c = 0; c < audio.channel_count(); ++c)
    for (const float sample : audio.channel(c)) peak = std::max(peak, std::abs(sample));
  return peak;
}

// Energy reaching each output channel: true stereo feeds output L from channels 0 and 2, R from 1 and 3.
double loudest_output_energy(ConstAudioView audio) {
  std::vector<double> energy(audio.channel_count(), 0.0);
  for (std::size_t c = 0; c < audio.channel_count(); ++c)
    for (const float sample : audio.channel(c)) energy[c] += static_cast<double>(sample) * sample;
  if (audio.channel_count() == 4) return std::max(energy[0] + energy[2], energy[1] + energy[3]);
  return *std::max_element(energy.begin(), energy.end());
}

}  // namespace

Expected<ImpulseResponse> make_impulse_response(AudioBuffer audio, double sample_rate_hz, std::string name) {
  const std::size_t channels = audio.channel_count();
  if (audio.frame_count() == 0 || channels == 0)
    return response_error(ErrorCode::kInvalidArgument, name, "impulse response is empty (no audio frames)");
  if (channels != 1 && channels != 2 && channels != 4)
    return response_error(ErrorCode::kUnsupported, name,
                          "impulse response has " + std::to_string(channels) +
                              " channels; use 1 (mono), 2 (stereo) or 4 (true stereo: LL, LR, RL, RR)");
  if (!(sample_rate_hz >= 1000.0 && sample_rate_hz <= 1.0e6))
    return response_error(ErrorCode::kInvalidArgument, name, "impulse response has an invalid sample rate");
  const double duration_s = static_cast<double>(audio.frame_count()) / sample_rate_hz;
  if (duration_s > kMaxImpulseResponseSeconds)
    return response_error(ErrorCode::kOutOfRange, name,
                          "impulse response is " + format_seconds(duration_s) + " long; at most " +
                              format_seconds(kMaxImpulseResponseSeconds) + " is supported (is it really an impulse response?)");
  for (std::size_t c = 0; c < channels; ++c)
    for (const float sample : audio.channel(c))
      if (!std::isfinite(sample))
        return response_error(ErrorCode::kCorruptData, name, "impulse response contains NaN or infinite samples");
  if (peak_of(audio.view()) == 0.0f) return response_error(ErrorCode::kInvalidArgument, name, "impulse response is all silence");
  return ImpulseResponse{std::move(audio), sample_rate_hz, std::move(name)};
}

Expected<AudioBuffer> condition_impulse_response(const ImpulseResponse& response, double session_rate_hz,
                                                 const ImpulseResponseOptions& options) {
  AudioBuffer audio = response.audio;
  if (std::abs(response.sample_rate_hz - session_rate_hz) > 1e-6) {
    Expected<AudioBuffer> resampled = dsp::resample(response.audio.view(), response.sample_rate_hz, session_rate_hz);
    if (!resampled) return resampled.error().in_file(response.name);
    audio = std::move(*resampled);
  }
  const std::size_t channels = audio.channel_count();
  std::size_t first = 0;
  std::size_t end = audio.frame_count();
  const float peak = peak_of(audio.view());
  const auto threshold = static_cast<float>(peak * db_to_gain(std::min(options.trim_threshold_db, 0.0)));
  auto frame_is_loud = [&](std::size_t frame) {
    for (std::size_t c = 0; c < channels; ++c)
      if (std::abs(audio.channel(c)[frame]) > threshold) return true;
    return false;
  };
  if (options.trim_leading_silence)
    while (first < end && !frame_is_loud(first)) ++first;
  if (options.trim_trailing_silence)
    while (end > first + 1 && !frame_is_loud(end - 1)) --end;
  std::size_t fade_frames = 0;
  if (options.max_length_s > 0.0) {
    const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(1, seconds_to_frames(options.max_length_s, session_rate_hz)));
    if (end - first > limit) {
      end = first + limit;
      fade_frames = std::min(limit, static_cast<std::size_t>(seconds_to_frames(kCutFadeS, session_rate_hz)));
    }
  }
  const auto predelay_frames = static_cast<std::size_t>(seconds_to_frames(std::clamp(options.predelay_s, 0.0, kMaxPredelayS), session_rate_hz));

  AudioBuffer result(channels, predelay_frames + (end - first));
  for (std::size_t c = 0; c < channels; ++c) {
    const std::span<const float> source = std::as_const(audio).channel(c).subspan(first, end - first);
    std::span<float> destination = result.channel(c).subspan(predelay_frames);
    std::copy(source.begin(), source.end(), destination.begin());
    // A raised-cosine fade where the response was cut short, so the cut does not click.
    for (std::size_t i = 0; i < fade_frames; ++i) {
      const double position = static_cast<double>(i + 1) / static_cast<double>(fade_frames + 1);
      destination[destination.size() - 1 - i] *= static_cast<float>(0.5 - 0.5 * std::cos(3.141592653589793 * position));
    }
  }
  double gain = 1.0;
  if (options.normalization == ImpulseResponseNormalization::kPeak) {
    const float result_peak = peak_of(result.view());
    gain = result_peak > 0.0f ? 1.0 / result_peak : 1.0;
  } else if (options.normalization == ImpulseResponseNormalization::kEnergy) {
    const double energy = loudest_output_energy(result.view());
    gain = energy > 0.0 ? 1.0 / std::sqrt(energy) : 1.0;
  }
  if (gain != 1.0)
    for (std::size_t c = 0; c < channels; ++c)
      for (float& sample : result.channel(c)) sample = static_cast<float>(sample * gain);
  return result;
}

}  // namespace resound::fx
