// AudioBuffer storage management and the view-level copy/mix/interleave helpers.
#include "resound/core/audio_buffer.hpp"

#include <algorithm>
#include <utility>

namespace resound {

AudioBuffer::AudioBuffer(std::size_t channel_count, std::size_t frame_count) { resize(channel_count, frame_count); }

AudioBuffer::AudioBuffer(const AudioBuffer& other)
    : samples_(other.samples_), channel_pointers_(other.channel_count()), frame_count_(other.frame_count_) {
  rebuild_pointers();
}

AudioBuffer& AudioBuffer::operator=(const AudioBuffer& other) {
  if (this != &other) {
    samples_ = other.samples_;
    channel_pointers_.resize(other.channel_count());
    frame_count_ = other.frame_count_;
    rebuild_pointers();
  }
  return *this;
}

// Moving a std::vector keeps its heap block, so the channel pointers stay valid.
AudioBuffer::AudioBuffer(AudioBuffer&& other) noexcept
    : samples_(std::move(other.samples_)),
      channel_pointers_(std::move(other.channel_pointers_)),
      const_pointers_(std::move(other.const_pointers_)),
      frame_count_(std::exchange(other.frame_count_, 0)) {}

AudioBuffer& AudioBuffer::operator=(AudioBuffer&& other) noexcept {
  samples_ = std::move(other.samples_);
  channel_pointers_ = std::move(other.channel_pointers_);
  const_pointers_ = std::move(other.const_pointers_);
  frame_count_ = std::exchange(other.frame_count_, 0);
  return *this;
}

void AudioBuffer::resize(std::size_t channel_count, std::size_t frame_count) {
  samples_.assign(channel_count * frame_count, 0.0f);
  channel_pointers_.resize(channel_count);
  frame_count_ = frame_count;
  rebuild_pointers();
}

void AudioBuffer::rebuild_pointers() {
  const_pointers_.resize(channel_pointers_.size());
  for (std::size_t c = 0; c < channel_pointers_.size(); ++c) {
    channel_pointers_[c] = samples_.data() + c * frame_count_;
    const_pointers_[c] = channel_pointers_[c];
  }
}

void copy_audio(ConstAudioView source, AudioView destination) noexcept {
  const std::size_t channels = std::min(source.channel_count(), destination.channel_count());
  const std::size_t frames = std::min(source.frame_count(), destination.frame_count());
  for (std::size_t c = 0; c < channels; ++c)
    std::copy_n(source.channel(c).data(), frames, destination.channel(c).data());
}

void mix_audio(ConstAudioView source, AudioView destination, float gain) noexcept {
  const std::size_t channels = std::min(source.channel_count(), destination.channel_count());
  const std::size_t frames = std::min(source.frame_count(), destination.frame_count());
  for (std::size_t c = 0; c < channels; ++c) {
    const float* in = source.channel(c).data();
    float* out = destination.channel(c).data();
    for (std::size_t i = 0; i < frames; ++i) out[i] += gain * in[i];
  }
}

void interleave(ConstAudioView source, std::span<float> interleaved) noexcept {
  const std::size_t channels = source.channel_count();
  const std::size_t frames = std::min(source.frame_count(), channels ? interleaved.size() / channels : 0);
  for (std::size_t c = 0; c < channels; ++c) {
    const float* in = source.channel(c).data();
    for (std::size_t i = 0; i < frames; ++i) interleaved[i * channels + c] = in[i];
  }
}

void deinterleave(std::span<const float> interleaved, AudioView destination) noexcept {
  const std::size_t channels = destination.channel_count();
  const std::size_t frames = std::min(destination.frame_count(), channels ? interleaved.size() / channels : 0);
  for (std::size_t c = 0; c < channels; ++c) {
    float* out = destination.channel(c).data();
    for (std::size_t i = 0; i < frames; ++i) out[i] = interleaved[i * channels + c];
  }
}

}  // namespace resound
