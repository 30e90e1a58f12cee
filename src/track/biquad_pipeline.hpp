// BiquadPipeline: a stereo cascade of biquads run as a lane-shifted pipeline, four filters per SIMD vector.
#pragma once

#include <array>
#include <cstddef>

namespace resound::track {

/// Coefficients of one biquad, normalised (a0 = 1): y = b0·x + b1·x1 + b2·x2 − a1·y1 − a2·y2.
struct BiquadCoefficients {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};

/// A cascade of up to kMaxStages biquad stages per channel (left and right, each stage with its own
/// coefficients per channel), in double precision: low notches and the 50 Hz high-pass amplify rounding
/// errors by 10^3–10^4, which in single precision made a seek (a different rounding history) differ from
/// the full render by 1e-4. Stage k of both channels sits in lanes 2k, 2k+1 of a row of 4-lane vectors, and every tick each lane takes its input from the lane two to its left as it was
/// three ticks earlier (so the shuffle and most of the sum stay off the tick-to-tick recursion). So all stages advance together, one vector operation per coefficient, and the only
/// recursion on the critical path is y1·a1 (direct form I): one multiply-add per tick per vector.
/// The price: stage k sees the signal 3k ticks late, so the cascade output is delayed by
/// latency_frames() (pass-through padding included) and a coefficient change reaches stage k 3k frames late (irrelevant for notches swept
/// over seconds). Thread contract: configure/set_stage OFF or RT (no allocation); process/reset RT.
class BiquadPipeline {
 public:
  static constexpr int kLanes = 4;
  static constexpr int kMaxVectors = 68;
  static constexpr int kMaxStages = kMaxVectors * kLanes / 2;

  /// Sets the number of stages (clamped to [1, kMaxStages]); every stage becomes a pass-through.
  void configure(int stages) noexcept;
  [[nodiscard]] int stages() const noexcept { return stages_; }
  /// Frames between an input and its output: 3·(physical stages − 1).
  [[nodiscard]] int latency_frames() const noexcept { return 3 * (vector_count_ * kLanes / 2 - 1); }
  /// Coefficients of `stage` for `channel` (0 left, 1 right); they apply from the next tick.
  void set_stage(int stage, int channel, const BiquadCoefficients& coefficients) noexcept;
  /// Clears the filter memory (coefficients stay).
  void reset() noexcept;
  /// One tick per frame: feeds in_left/in_right[i] and writes the cascade output of that tick to
  /// out_left/out_right[i] (in and out may alias).
  void process(const float* in_left, const float* in_right, std::size_t count, float* out_left, float* out_right) noexcept;

 private:
  template <int Vectors>
  void process_fixed(const float* in_left, const float* in_right, std::size_t count, float* out_left,
                     float* out_right) noexcept;

  using Row = std::array<double, kLanes>;
  struct alignas(32) Vector {
    Row b0{}, b1{}, b2{}, a1{}, a2{};
    Row x1{}, x2{}, y1{}, y2{}, y3{};
  };
  std::array<Vector, kMaxVectors> vectors_{};
  int stages_ = 1;
  int vector_count_ = 1;
  int first_stage_ = 3;  ///< physical index of stage 0 (pass-through stages pad the front)
};

}  // namespace resound::track
