// AudioBuffer: owning planar float audio, the storage behind AudioViews.
#pragma once

#include <cstddef>
#include <vector>

#include "resound/core/audio_view.hpp"

namespace resound {

/// Owning planar audio: one contiguous allocation, channel after channel.
/// Thread contract: OFF/CT for anything that (re)allocates (constructor, resize); `view()` and
/// sample access are RT-safe once sized. Not internally synchronised.
class AudioBuffer {
 public:
  AudioBuffer() = default;
  /// Allocates `channel_count` x `frame_count` zeroed samples.
  AudioBuffer(std::size_t channel_count, std::size_t frame_count);

  AudioBuffer(const AudioBuffer& other);
  AudioBuffer& operator=(const AudioBuffer& other);
  AudioBuffer(AudioBuffer&& other) noexcept;
  AudioBuffer& operator=(AudioBuffer&& other) noexcept;
  ~AudioBuffer() = default;

  /// Reallocates to the new shape; contents are zeroed. OFF/CT.
  void resize(std::size_t channel_count, std::size_t frame_count);

  [[nodiscard]] std::size_t channel_count() const noexcept { return channel_pointers_.size(); }
  [[nodiscard]] std::size_t frame_count() const noexcept { return frame_count_; }

  [[nodiscard]] AudioView view() noexcept { return {channel_pointers_.data(), channel_count(), frame_count_}; }
  [[nodiscard]] ConstAudioView view() const noexcept {
    return {const_pointers_.data(), channel_count(), frame_count_};
  }
  operator AudioView() noexcept { return view(); }              // NOLINT(google-explicit-constructor)
  operator ConstAudioView() const noexcept { return view(); }   // NOLINT(google-explicit-constructor)

  [[nodiscard]] std::span<float> channel(std::size_t index) noexcept { return view().channel(index); }
  [[nodiscard]] std::span<const float> channel(std::size_t index) const noexcept { return view().channel(index); }

 private:
  void rebuild_pointers();

  std::vector<float> samples_;
  std::vector<float*> channel_pointers_;
  std::vector<const float*> const_pointers_;
  std::size_t frame_count_ = 0;
};

/// A decoded piece of audio with its sample rate.
struct AudioClip {
  AudioBuffer audio;
  double sample_rate_hz = 0.0;
};

}  // namespace resound
