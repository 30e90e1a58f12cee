// TransitionVoice: base of voices whose parameters are lerped by a TransitionAlpha (α ≡ 0 for static voices).
#pragma once

#include <optional>

#include "voices/transition_alpha.hpp"
#include "voices/voice.hpp"
#include "voices/voice_math.hpp"

namespace resound::track::voices {

/// Holds α and the time step, and renders in chunks: subclasses implement render_chunk for at most
/// kChunkFrames frames, as a pure function of the frame index (so seeking is exact).
class TransitionVoice : public Voice {
 public:
  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    for_each_chunk(first, left.size(), [&](std::int64_t chunk_first, std::size_t offset, std::size_t count) {
      render_chunk(chunk_first, left.subspan(offset, count), right.subspan(offset, count));
    });
  }
  void render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    for_each_chunk(first, left.size(), [&](std::int64_t chunk_first, std::size_t offset, std::size_t count) {
      render_chunk_add(chunk_first, left.subspan(offset, count), right.subspan(offset, count));
    });
  }

  /// Creates α for transition voices (from the voice's initial_offset/transition_duration/curve).
  static Expected<std::optional<TransitionAlpha>> make_alpha(const VoiceContext& context, bool transition) {
    if (!transition) return std::optional<TransitionAlpha>{};
    auto created = TransitionAlpha::create(context.params, context.duration_s, context.frames);
    if (!created) return created.error();
    return std::optional<TransitionAlpha>{std::move(*created)};
  }

 protected:
  TransitionVoice(const VoiceContext& context, std::optional<TransitionAlpha> alpha)
      : Voice(context.frames), alpha_(std::move(alpha)),
        dt_s_(context.frames > 0 ? context.duration_s / static_cast<double>(context.frames) : 0.0) {}

  virtual void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept = 0;
  /// Adds the chunk instead of overwriting (default: render_chunk into a stack chunk, then add).
  virtual void render_chunk_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    std::array<float, kChunkFrames> chunk_left, chunk_right;
    const std::size_t count = left.size();
    render_chunk(first, std::span<float>(chunk_left.data(), count), std::span<float>(chunk_right.data(), count));
    add_into(left, chunk_left.data());
    add_into(right, chunk_right.data());
  }

  [[nodiscard]] bool transition() const noexcept { return alpha_.has_value(); }
  [[nodiscard]] double alpha_at(std::int64_t k) const noexcept { return alpha_ ? alpha_->at(k) : 0.0; }
  /// Σ_{j≤k} α_j.
  [[nodiscard]] double alpha_sum(std::int64_t k) const noexcept { return alpha_ ? alpha_->cumulative(k) : 0.0; }
  /// Fills α_k and Σ_{j≤k} α_j for the chunk starting at `first`.
  void fill_alpha(std::int64_t first, std::size_t count, Chunk& alpha, Chunk& sums) const noexcept {
    if (!alpha_) {
      std::fill_n(alpha.begin(), count, 0.0);
      std::fill_n(sums.begin(), count, 0.0);
      return;
    }
    alpha_->fill(first, std::span<double>(alpha.data(), count));
    double sum = alpha_->cumulative(first - 1);
    // Four at a time: the partial sums of a group do not wait for the running total, so the only chain
    // from group to group is one addition (a plain running sum is one addition of latency per frame).
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
      const double p1 = alpha[i] + alpha[i + 1];
      const double p2 = p1 + alpha[i + 2];
      const double p3 = p2 + alpha[i + 3];
      sums[i] = sum + alpha[i];
      sums[i + 1] = sum + p1;
      sums[i + 2] = sum + p2;
      sums[i + 3] = sum + p3;
      sum += p3;
    }
    for (; i < count; ++i) {
      sum += alpha[i];
      sums[i] = sum;
    }
  }
  /// Σ_{j≤k} lerp(pair, α_j) in closed form, given Σ_{j≤k} α_j.
  [[nodiscard]] static double lerp_sum(const StartEnd& pair, std::int64_t k, double alpha_sum_k) noexcept {
    return static_cast<double>(k + 1) * pair.start + (pair.end - pair.start) * alpha_sum_k;
  }
  /// lerp_sum with the frame count k + 1 given as a double (see frame_index): the same value, vectorisable.
  [[nodiscard]] static double lerp_sum_through(const StartEnd& pair, double frames_through_k, double alpha_sum_k) noexcept {
    return frames_through_k * pair.start + (pair.end - pair.start) * alpha_sum_k;
  }
  /// Inclusive accumulated phase 2π·dt·Σ_{j≤k} f_j of a lerped frequency.
  [[nodiscard]] double inclusive_phase(const StartEnd& hz, std::int64_t k, double alpha_sum_k) const noexcept {
    return kTwoPi * dt_s_ * lerp_sum(hz, k, alpha_sum_k);
  }
  /// sine_wave_varying's phase: 2π·dt·Σ_{1≤j≤k} f_j (sample 0 has phase 0; each step uses the current f).
  [[nodiscard]] double varying_phase(const StartEnd& hz, std::int64_t k, double alpha_sum_k) const noexcept {
    return kTwoPi * dt_s_ * (lerp_sum(hz, k, alpha_sum_k) - hz.start);
  }
  [[nodiscard]] double time_s(std::int64_t k) const noexcept { return static_cast<double>(k) * dt_s_; }
  [[nodiscard]] double dt_s() const noexcept { return dt_s_; }

 private:
  std::optional<TransitionAlpha> alpha_;
  double dt_s_;
};

/// Builds a TransitionVoice subclass `V(context, transition, alpha)` with its α.
template <typename V>
Expected<std::unique_ptr<Voice>> make_transition_voice(const VoiceContext& context, bool transition) {
  auto alpha = TransitionVoice::make_alpha(context, transition);
  if (!alpha) return alpha.error();
  return std::unique_ptr<Voice>(std::make_unique<V>(context, transition, std::move(*alpha)));
}

}  // namespace resound::track::voices
