// FractionalDelayLine: a power-of-two circular buffer read at fractional delays (modulated effects).
#pragma once

#include <cstddef>
#include <vector>

namespace resound::fx::detail {

/// A delay line whose capacity is fixed by `allocate()`; `push()` writes one sample and the reads
/// look back `delay_frames` pushes (1 = the sample pushed last). Reads clamp to the capacity so a
/// bad delay never reads outside the buffer.
/// Thread contract: allocate OFF; everything else RT (no allocation).
class FractionalDelayLine {
 public:
  /// Room for delays up to `max_delay_frames` (plus the interpolators' extra taps).
  void allocate(std::size_t max_delay_frames) {
    std::size_t capacity = 4;
    while (capacity < max_delay_frames + 4) capacity *= 2;
    buffer_.assign(capacity, 0.0f);
    mask_ = capacity - 1;
    write_ = 0;
  }

  void clear() noexcept {
    for (float& sample : buffer_) sample = 0.0f;
    write_ = 0;
  }

  [[nodiscard]] std::size_t max_delay_frames() const noexcept { return buffer_.empty() ? 0 : buffer_.size() - 4; }

  void push(float sample) noexcept {
    buffer_[write_ & mask_] = sample;
    ++write_;
  }

  /// The sample pushed `delay_frames` pushes ago (>= 1).
  [[nodiscard]] float read(std::size_t delay_frames) const noexcept {
    return buffer_[(write_ - clamp_delay(delay_frames)) & mask_];
  }

  /// Linear interpolation between neighbouring delays: cheap, slightly low-passing when modulated —
  /// fine inside a reverb's feedback loop where damping follows anyway.
  [[nodiscard]] float read_linear(double delay_frames) const noexcept {
    if (!(delay_frames >= 1.0)) delay_frames = 1.0;
    const auto whole = static_cast<std::size_t>(delay_frames);
    const auto fraction = static_cast<float>(delay_frames - static_cast<double>(whole));
    const float near = read(whole);
    const float far = read(whole + 1);
    return near + fraction * (far - near);
  }

  /// Cubic Hermite interpolation (needs delay >= 2): keeps the top octave when the delay sweeps,
  /// which a chorus's dry-sounding voices need.
  [[nodiscard]] float read_hermite(double delay_frames) const noexcept {
    if (!(delay_frames >= 2.0)) delay_frames = 2.0;
    const auto whole = static_cast<std::size_t>(delay_frames);
    const auto t = static_cast<float>(delay_frames - static_cast<double>(whole));
    const float newer = read(whole - 1);
    const float at = read(whole);
    const float older = read(whole + 1);
    const float oldest = read(whole + 2);
    const float c1 = 0.5f * (older - newer);
    const float c2 = newer - 2.5f * at + 2.0f * older - 0.5f * oldest;
    const float c3 = 0.5f * (oldest - newer) + 1.5f * (at - older);
    return ((c3 * t + c2) * t + c1) * t + at;
  }

 private:
  [[nodiscard]] std::size_t clamp_delay(std::size_t delay_frames) const noexcept {
    const std::size_t limit = buffer_.size() - 1;
    return delay_frames < 1 ? 1 : (delay_frames > limit ? limit : delay_frames);
  }

  std::vector<float> buffer_;
  std::size_t mask_ = 0;
  std::size_t write_ = 0;
};

}  // namespace resound::fx::detail
