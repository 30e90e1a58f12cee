// Chorus: modulated cubic-interpolated delay voices with smoothed parameters.
#include "resound/fx/chorus.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/denormals.hpp"

namespace resound::fx {
namespace {

constexpr double kMaxDelayMs = 50.0;
constexpr double kMaxDepthMs = 20.0;
constexpr double kSmoothingTimeS = 0.03;

constexpr NumberField<ChorusParameters> kFields[] = {
    {"rate_hz", &ChorusParameters::rate_hz, 0.01, 10.0},   {"depth_ms", &ChorusParameters::depth_ms, 0.0, kMaxDepthMs},
    {"delay_ms", &ChorusParameters::delay_ms, 1.0, kMaxDelayMs}, {"feedback", &ChorusParameters::feedback, -0.95, 0.95},
    {"mix", &ChorusParameters::mix, 0.0, 1.0}};

ChorusParameters clamped(const ChorusParameters& parameters) {
  ChorusParameters result = clamp_fields(parameters, chorus_parameter_fields());
  result.delay_ms = std::max(result.delay_ms, result.depth_ms + 0.1);  // the swing must not reach "now"
  result.voices = std::clamp(parameters.voices, 1, Chorus::kMaxVoices);
  return result;
}

}  // namespace

std::span<const NumberField<ChorusParameters>> chorus_parameter_fields() noexcept { return kFields; }

Chorus::Chorus(const ChorusParameters& parameters) : parameters_(clamped(parameters)) {}

void Chorus::set_parameters(const ChorusParameters& parameters) noexcept {
  parameters_ = clamped(parameters);
  if (sample_rate_hz_ > 0.0) update_targets();
}

void Chorus::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t /*channel_count*/) {
  sample_rate_hz_ = sample_rate_hz > 0.0 ? sample_rate_hz : 48000.0;
  const auto capacity = static_cast<std::size_t>((kMaxDelayMs + kMaxDepthMs) * 1e-3 * sample_rate_hz_) + 8;
  for (ChannelState& channel : channels_) channel.line.allocate(capacity);
  for (detail::SmoothedValue& gain : voice_gains_) gain.configure(kSmoothingTimeS, sample_rate_hz_);
  detail::configure_smoothers({&delay_frames_, &depth_frames_, &feedback_}, kSmoothingTimeS, sample_rate_hz_);
  mix_gains_.configure(kSmoothingTimeS, sample_rate_hz_);
  update_targets();
  reset();
}

void Chorus::update_targets() noexcept {
  const auto voice_count = static_cast<std::size_t>(parameters_.voices);
  const double voice_gain = 1.0 / std::sqrt(static_cast<double>(voice_count));
  for (std::size_t v = 0; v < voice_gains_.size(); ++v) voice_gains_[v].set_target(v < voice_count ? voice_gain : 0.0);
  delay_frames_.set_target(parameters_.delay_ms * 1e-3 * sample_rate_hz_);
  depth_frames_.set_target(parameters_.depth_ms * 1e-3 * sample_rate_hz_);
  feedback_.set_target(parameters_.feedback);
  mix_gains_.set_mix(parameters_.mix);
  for (ChannelState& channel : channels_)
    for (detail::SlowOscillator& oscillator : channel.oscillators) oscillator.set_frequency(parameters_.rate_hz, sample_rate_hz_);
}

void Chorus::reset() noexcept {
  for (std::size_t c = 0; c < kStereo; ++c) {
    channels_[c].line.clear();
    channels_[c].feedback_sample = 0.0f;
    // Voices spread evenly over the cycle; the right channel runs a quarter cycle ahead.
    for (std::size_t v = 0; v < static_cast<std::size_t>(kMaxVoices); ++v)
      channels_[c].oscillators[v].set_phase(static_cast<double>(v) / static_cast<double>(parameters_.voices) + 0.25 * static_cast<double>(c));
  }
  for (detail::SmoothedValue& gain : voice_gains_) gain.snap_to_target();
  detail::snap_smoothers({&delay_frames_, &depth_frames_, &feedback_});
  mix_gains_.snap_to_target();
}

float Chorus::process_sample(ChannelState& channel, float input, double delay_frames, double depth_frames,
                             const std::array<float, kMaxVoices>& voice_gains) noexcept {
  channel.line.push(input + static_cast<float>(feedback_.current()) * channel.feedback_sample);
  float wet = 0.0f;
  float gain_sum = 0.0f;
  for (std::size_t v = 0; v < static_cast<std::size_t>(kMaxVoices); ++v) {
    const double lfo = channel.oscillators[v].next();
    if (voice_gains[v] == 0.0f) continue;
    // +1 because the current sample was already pushed (delay 1 = now).
    wet += voice_gains[v] * channel.line.read_hermite(delay_frames + depth_frames * lfo + 1.0);
    gain_sum += voice_gains[v];
  }
  // Feed back the voices' weighted mean, not their sum: coherent voices would otherwise add up to
  // sqrt(voices) and make any feedback above 1/sqrt(voices) unstable.
  channel.feedback_sample = gain_sum > 0.0f ? wet / gain_sum : 0.0f;
  return wet;
}

void Chorus::process(AudioView audio) noexcept {
  if (audio.empty() || sample_rate_hz_ <= 0.0) return;
  const ScopedDenormalGuard denormal_guard;
  const std::size_t stereo_channels = std::min<std::size_t>(audio.channel_count(), kStereo);
  const std::size_t frames = audio.frame_count();
  std::array<float, kMaxVoices> voice_gains{};
  for (std::size_t n = 0; n < frames; ++n) {
    for (std::size_t v = 0; v < voice_gains.size(); ++v) voice_gains[v] = static_cast<float>(voice_gains_[v].next());
    const double delay = delay_frames_.next();
    const double depth = depth_frames_.next();
    feedback_.next();
    const auto dry = static_cast<float>(mix_gains_.dry.next());
    const auto wet = static_cast<float>(mix_gains_.wet.next());
    for (std::size_t c = 0; c < stereo_channels; ++c) {
      float& sample = audio.channel(c)[n];
      sample = dry * sample + wet * process_sample(channels_[c], sample, delay, depth, voice_gains);
    }
  }
}

}  // namespace resound::fx
