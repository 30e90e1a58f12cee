// Synthetic Sources for engine and device tests: a sine and a counter, both computed from the frame index.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>

#include "resound/core/processor.hpp"

namespace resound::test {

/// A stereo sine whose sample at frame n is amplitude·sin(2π f n / rate): its output for any frame
/// range is known in closed form, so seek is exact and any discontinuity is the engine's fault.
class SineSource : public Source {
 public:
  SineSource(double frequency_hz, double amplitude, std::int64_t length_frames, std::size_t channels = 2)
      : frequency_hz_(frequency_hz), amplitude_(amplitude), length_(length_frames), channels_(channels) {
    ++alive;
  }
  ~SineSource() override { --alive; }

  void prepare(double sample_rate_hz, std::size_t) override { sample_rate_hz_ = sample_rate_hz; }
  std::size_t process(AudioView output) noexcept override {
    const std::int64_t available = length_ < 0 ? INT64_MAX : std::max<std::int64_t>(0, length_ - position_);
    const auto frames = static_cast<std::size_t>(std::min<std::int64_t>(available, static_cast<std::int64_t>(output.frame_count())));
    for (std::size_t c = 0; c < output.channel_count(); ++c) {
      auto samples = output.channel(c);
      for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = i < frames ? value_at(position_ + static_cast<std::int64_t>(i)) : 0.0f;
    }
    position_ += static_cast<std::int64_t>(frames);
    return frames;
  }
  void seek(std::int64_t frame) noexcept override {
    position_ = std::clamp<std::int64_t>(frame, 0, length_ < 0 ? INT64_MAX : length_);
  }
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return length_; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return channels_; }

  [[nodiscard]] float value_at(std::int64_t frame) const noexcept {
    return static_cast<float>(amplitude_ * std::sin(2.0 * std::numbers::pi * frequency_hz_ *
                                                    static_cast<double>(frame) / sample_rate_hz_));
  }

  /// Instances alive (to check who frees replaced sources).
  static inline std::atomic<int> alive{0};

 private:
  double frequency_hz_;
  double amplitude_;
  std::int64_t length_;
  std::size_t channels_;
  double sample_rate_hz_ = 48000.0;
  std::int64_t position_ = 0;
};

/// Outputs its own frame index (scaled): sample = scale · frame. Makes positions readable from audio.
class CounterSource : public Source {
 public:
  explicit CounterSource(std::int64_t length_frames, float scale = 1e-6f) : length_(length_frames), scale_(scale) {}
  void prepare(double, std::size_t) override {}
  std::size_t process(AudioView output) noexcept override {
    const auto frames = static_cast<std::size_t>(
        std::min<std::int64_t>(std::max<std::int64_t>(0, length_ - position_), static_cast<std::int64_t>(output.frame_count())));
    for (std::size_t c = 0; c < output.channel_count(); ++c) {
      auto samples = output.channel(c);
      for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = i < frames ? scale_ * static_cast<float>(position_ + static_cast<std::int64_t>(i)) : 0.0f;
    }
    position_ += static_cast<std::int64_t>(frames);
    return frames;
  }
  void seek(std::int64_t frame) noexcept override { position_ = std::clamp<std::int64_t>(frame, 0, length_); }
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return length_; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return 2; }

 private:
  std::int64_t length_;
  float scale_;
  std::int64_t position_ = 0;
};

/// Largest |second difference| of a signal: a click or jump shows up as a spike far above what a
/// smooth signal of this frequency and amplitude can produce (A·(2π f / rate)²).
inline float max_second_difference(std::span<const float> samples) {
  float worst = 0.0f;
  for (std::size_t i = 2; i < samples.size(); ++i)
    worst = std::max(worst, std::abs(samples[i] - 2.0f * samples[i - 1] + samples[i - 2]));
  return worst;
}

}  // namespace resound::test
