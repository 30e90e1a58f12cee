// BiquadPipeline: the lane-shifted direct-form-I cascade (see the header for the scheme and its latency).
#include "biquad_pipeline.hpp"

#include <algorithm>
#include <cstring>

#include "resound/dsp/vector_clones.hpp"

// The 4-lane helpers below are inlined into the AVX2 clone; the baseline clone splits them into SSE halves.
// GCC and clang warn that such vectors would pass differently without AVX, which never matters for inlined helpers.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace resound::track {
namespace {

using Lanes = double __attribute__((vector_size(32)));

inline Lanes load(const std::array<double, 4>& row) noexcept {
  Lanes v;
  std::memcpy(&v, row.data(), sizeof v);
  return v;
}
inline void store(std::array<double, 4>& row, Lanes v) noexcept { std::memcpy(row.data(), &v, sizeof v); }

/// Lanes 2, 3 of `before` followed by lanes 0, 1 of `value`: the two-lane shift from one stage to the next.
inline Lanes shift_in(Lanes before, Lanes value) noexcept {
  return __builtin_shufflevector(before, value, 2, 3, 4, 5);
}

}  // namespace

void BiquadPipeline::configure(int stages) noexcept {
  stages_ = std::clamp(stages, 1, kMaxStages);
  vector_count_ = (2 * stages_ + kLanes - 1) / kLanes;
  // Pass-through stages pad the front, so the last stage always sits in the last lanes: extracting the
  // output at a fixed lane keeps it in registers (a lane picked at run time goes through memory, and
  // that store-to-load round trip stalled every tick).
  first_stage_ = vector_count_ * kLanes / 2 - stages_;
  for (auto& v : vectors_) {
    v = Vector{};
    v.b0.fill(1.0f);
  }
}

void BiquadPipeline::set_stage(int stage, int channel, const BiquadCoefficients& c) noexcept {
  if (stage < 0 || stage >= stages_) return;
  const int lane_index = 2 * (first_stage_ + stage) + (channel != 0 ? 1 : 0);
  Vector& v = vectors_[static_cast<std::size_t>(lane_index / kLanes)];
  const auto lane = static_cast<std::size_t>(lane_index % kLanes);
  v.b0[lane] = c.b0;
  v.b1[lane] = c.b1;
  v.b2[lane] = c.b2;
  v.a1[lane] = c.a1;
  v.a2[lane] = c.a2;
}

void BiquadPipeline::reset() noexcept {
  for (auto& v : vectors_) {
    v.x1.fill(0.0f);
    v.x2.fill(0.0f);
    v.y1.fill(0.0f);
    v.y2.fill(0.0f);
    v.y3.fill(0.0f);
  }
}

template <int Vectors>
RESOUND_VECTOR_CLONES_AVX2 void BiquadPipeline::process_fixed(const float* in_left, const float* in_right,
                                                                     std::size_t count, float* out_left,
                                                                     float* out_right) noexcept {
  const int vector_count = Vectors > 0 ? Vectors : vector_count_;
  constexpr int kHeld = Vectors > 0 ? Vectors : 1;
  // The fixed sizes keep every state in registers; the general case works on the members.
  Lanes b0[kHeld], b1[kHeld], b2[kHeld], a1[kHeld], a2[kHeld], x1[kHeld], x2[kHeld], y1[kHeld], y2[kHeld], y3[kHeld];
  if constexpr (Vectors > 0) {
    for (int v = 0; v < Vectors; ++v) {
      const Vector& m = vectors_[static_cast<std::size_t>(v)];
      b0[v] = load(m.b0); b1[v] = load(m.b1); b2[v] = load(m.b2); a1[v] = load(m.a1); a2[v] = load(m.a2);
      x1[v] = load(m.x1); x2[v] = load(m.x2); y1[v] = load(m.y1); y2[v] = load(m.y2); y3[v] = load(m.y3);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    Lanes carry = Lanes{0, 0, in_left[i], in_right[i]};
    Lanes output{};
    for (int v = 0; v < vector_count; ++v) {
      Vector& m = vectors_[static_cast<std::size_t>(v)];
      const auto at = static_cast<std::size_t>(Vectors > 0 ? v : 0);
      if constexpr (Vectors <= 0) {
        b0[0] = load(m.b0); b1[0] = load(m.b1); b2[0] = load(m.b2); a1[0] = load(m.a1); a2[0] = load(m.a2);
        x1[0] = load(m.x1); x2[0] = load(m.x2); y1[0] = load(m.y1); y2[0] = load(m.y2); y3[0] = load(m.y3);
      }
      // Input: the stage to the left, three ticks ago (y3 before this tick's update). The sum is grouped so
      // that a value computed one tick ago goes through one multiply and one subtraction, one from two or
      // three ticks ago through at most a shuffle and three operations: a tick costs about one
      // multiply-subtract of latency, not the whole direct-form sum.
      const Lanes old_output = y3[at];
      const Lanes x = shift_in(carry, old_output);
      carry = old_output;
      const Lanes older = b1[at] * x1[at] + b2[at] * x2[at];
      const Lanes partial = (older - a2[at] * y2[at]) + b0[at] * x;
      const Lanes y = partial - a1[at] * y1[at];
      x2[at] = x1[at];
      x1[at] = x;
      y3[at] = y2[at];
      y2[at] = y1[at];
      y1[at] = y;
      output = y;
      if constexpr (Vectors <= 0) {
        store(m.x1, x1[0]); store(m.x2, x2[0]); store(m.y1, y1[0]); store(m.y2, y2[0]); store(m.y3, y3[0]);
      }
    }
    out_left[i] = static_cast<float>(output[kLanes - 2]);
    out_right[i] = static_cast<float>(output[kLanes - 1]);
  }
  if constexpr (Vectors > 0) {
    for (int v = 0; v < Vectors; ++v) {
      Vector& m = vectors_[static_cast<std::size_t>(v)];
      store(m.x1, x1[v]); store(m.x2, x2[v]); store(m.y1, y1[v]); store(m.y2, y2[v]); store(m.y3, y3[v]);
    }
  }
}

void BiquadPipeline::process(const float* in_left, const float* in_right, std::size_t count, float* out_left,
                             float* out_right) noexcept {
  switch (vector_count_) {
    case 1: process_fixed<1>(in_left, in_right, count, out_left, out_right); break;
    case 2: process_fixed<2>(in_left, in_right, count, out_left, out_right); break;
    case 3: process_fixed<3>(in_left, in_right, count, out_left, out_right); break;
    case 4: process_fixed<4>(in_left, in_right, count, out_left, out_right); break;
    case 5: process_fixed<5>(in_left, in_right, count, out_left, out_right); break;
    case 6: process_fixed<6>(in_left, in_right, count, out_left, out_right); break;
    default: process_fixed<0>(in_left, in_right, count, out_left, out_right); break;
  }
}

}  // namespace resound::track
