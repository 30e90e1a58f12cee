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
    const auto [base, fraction] = read_position(delay_frames, 1.0, 1);
    const float near = buffer_[base & mask_];
    const float far = buffer_[(base - 1) & mask_];
    return near + fraction * (far - near);
  }

  /// Cubic Hermite interpolation (needs delay >= 2): keeps the top octave when the delay sweeps,
  /// which a chorus's dry-sounding voices need.
  [[nodiscard]] float read_hermite(double delay_frames) const noexcept {
    const auto [base, t] = read_position(delay_frames, 2.0, 2);
    const float newer = buffer_[(base + 1) & mask_];
    const float at = buffer_[base & mask_];
    const float older = buffer_[(base - 1) & mask_];
    const float oldest = buffer_[(base - 2) & mask_];
    const float c1 = 0.5f * (older - newer);
    const float c2 = newer - 2.5f * at + 2.0f * older - 0.5f * oldest;
    const float c3 = 0.5f * (oldest - newer) + 1.5f * (at - older);
    return ((c3 * t + c2) * t + c1) * t + at;
  }

 private:
  struct ReadPosition {
    std::size_t base;  // buffer index (before masking) of the whole delay's sample
    float fraction;    // how far toward the next older sample
  };
  // Clamps the delay to [minimum, capacity − older_taps − 1] once, so no tap of the interpolator
  // needs a clamp of its own.
  [[nodiscard]] ReadPosition read_position(double delay_frames, double minimum, std::size_t older_taps) const noexcept {
    const auto maximum = static_cast<double>(buffer_.size() - 1 - older_taps);
    if (!(delay_frames >= minimum)) delay_frames = minimum;
    if (delay_frames > maximum) delay_frames = maximum;
    const auto whole = static_cast<std::size_t>(delay_frames);
    return {write_ - whole, static_cast<float>(delay_frames - static_cast<double>(whole))};
  }

  [[nodiscard]] std::size_t clamp_delay(std::size_t delay_frames) const noexcept {
    const std::size_t limit = buffer_.size() - 1;
    return delay_frames < 1 ? 1 : (delay_frames > limit ? limit : delay_frames);
  }

  std::vector<float> buffer_;
  std::size_t mask_ = 0;
  std::size_t write_ = 0;
};

}  // namespace resound::fx::detail
