// Voice kernel body, written once with GCC/Clang vector extensions and compiled per instruction set.
// Included only by voice_kernel_{scalar,avx2,avx512}.cpp, each built with its own -m flags, so
// the same source becomes SSE2, AVX2+FMA or AVX-512 code. Within one build of a kernel every
// frame takes the same instructions, so output never depends on how blocks are split.
#pragma once

#include <cstring>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "voice_kernel.hpp"

// The vectors are internal to one translation unit, passed between inlined helpers: the ABI
// note about 32/64-byte vector arguments without AVX does not concern us.
#pragma GCC diagnostic ignored "-Wpsabi"  // GCC and Clang both name it so

namespace resound::synth::detail {
namespace {

// GCC/Clang vector types of 8 and 16 floats (and int32 lanes for the fractions).
template <int kLanes>
struct VectorTypes;
template <>
struct VectorTypes<8> {
  typedef float Float __attribute__((vector_size(32)));
  typedef std::int32_t Int __attribute__((vector_size(32)));
};
template <>
struct VectorTypes<16> {
  typedef float Float __attribute__((vector_size(64)));
  typedef std::int32_t Int __attribute__((vector_size(64)));
};

template <int kLanes>
struct KernelBody {
  using Vec = typename VectorTypes<kLanes>::Float;
  using IntVec = typename VectorTypes<kLanes>::Int;

  static Vec load(const float* source) noexcept {
    Vec value;
    std::memcpy(&value, source, sizeof value);
    return value;
  }
  static void store(float* target, Vec value) noexcept { std::memcpy(target, &value, sizeof value); }
  static Vec splat(float value) noexcept { return Vec{} + value; }

  // The four taps of every lane at one frame, from lane-major storage (lane, then tap) into one
  // vector per tap.
  static void load_taps(const float* source, Vec& xm1, Vec& x0, Vec& x1, Vec& x2) noexcept {
#if defined(__AVX__)
    if constexpr (kLanes == 8) {
      // 8×4 transpose: pair lane l with lane l+4 in 128-bit halves, then 4×4 transposes per half.
      const __m256 lanes01 = _mm256_loadu_ps(source), lanes23 = _mm256_loadu_ps(source + 8);
      const __m256 lanes45 = _mm256_loadu_ps(source + 16), lanes67 = _mm256_loadu_ps(source + 24);
      const __m256 a = _mm256_permute2f128_ps(lanes01, lanes45, 0x20), b = _mm256_permute2f128_ps(lanes01, lanes45, 0x31);
      const __m256 c = _mm256_permute2f128_ps(lanes23, lanes67, 0x20), d = _mm256_permute2f128_ps(lanes23, lanes67, 0x31);
      const __m256 ab_low = _mm256_unpacklo_ps(a, b), ab_high = _mm256_unpackhi_ps(a, b);
      const __m256 cd_low = _mm256_unpacklo_ps(c, d), cd_high = _mm256_unpackhi_ps(c, d);
      xm1 = _mm256_shuffle_ps(ab_low, cd_low, 0x44);
      x0 = _mm256_shuffle_ps(ab_low, cd_low, 0xEE);
      x1 = _mm256_shuffle_ps(ab_high, cd_high, 0x44);
      x2 = _mm256_shuffle_ps(ab_high, cd_high, 0xEE);
      return;
    }
#endif
    for (int lane = 0; lane < kLanes; ++lane) {
      xm1[lane] = source[lane * 4];
      x0[lane] = source[lane * 4 + 1];
      x1[lane] = source[lane * 4 + 2];
      x2[lane] = source[lane * 4 + 3];
    }
  }

  static void render_group(VoiceGroup& group, int frames, int bus_count, LaneSums& sums) noexcept {
    const Vec b0 = load(group.b0), b1 = load(group.b1), b2 = load(group.b2), a1 = load(group.a1), a2 = load(group.a2);
    Vec x1 = load(group.x1), x2 = load(group.x2), y1 = load(group.y1), y2 = load(group.y2);
    const Vec anchor = load(group.gain_anchor), step = load(group.gain_step), scale = load(group.scale);
    Vec ramp = load(group.ramp);
    const Vec weights[6] = {load(group.dry_left),    load(group.dry_right),   load(group.reverb_left),
                            load(group.reverb_right), load(group.chorus_left), load(group.chorus_right)};
    const Vec half = splat(0.5f), two_and_half = splat(2.5f), two = splat(2.0f), one_and_half = splat(1.5f);
    const Vec fraction_unit = splat(1.0f / 16777216.0f), one = splat(1.0f);
    for (int frame = 0; frame < frames; ++frame) {
      Vec xm1_tap, x0_tap, x1_tap, x2_tap;
      load_taps(group.taps + frame * kLanes * 4, xm1_tap, x0_tap, x1_tap, x2_tap);
      IntVec fraction_units;
      std::memcpy(&fraction_units, group.fractions + frame * kLanes, sizeof fraction_units);
      const Vec t = __builtin_convertvector(fraction_units, Vec) * fraction_unit;
      // 4-point Catmull-Rom.
      const Vec c1 = half * (x1_tap - xm1_tap);
      const Vec c2 = xm1_tap - two_and_half * x0_tap + two * x1_tap - half * x2_tap;
      const Vec c3 = half * (x2_tap - xm1_tap) + one_and_half * (x0_tap - x1_tap);
      const Vec x = ((c3 * t + c2) * t + c1) * t + x0_tap;
      // Resonant low-pass, direct form I; lanes are independent voices, so the recursion's
      // latency is shared by kLanes voices instead of stalling one.
      const Vec y = b0 * x + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      const Vec sample = y * ((anchor + step * ramp) * scale);
      ramp += one;
      for (int bus = 0; bus < bus_count; ++bus) {
        float* target = sums.sums[bus] + frame * kLanes;
        store(target, load(target) + sample * weights[bus]);
      }
    }
    store(group.x1, x1);
    store(group.x2, x2);
    store(group.y1, y1);
    store(group.y2, y2);
  }

  // Sum of lanes [first, first + count) as a balanced tree: ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))…
  static float tree_sum(const float* lanes, int count) noexcept {
    if (count == 1) return lanes[0];
    const int half_count = count / 2;
    return tree_sum(lanes, half_count) + tree_sum(lanes + half_count, count - half_count);
  }

  static void reduce(const LaneSums& sums, int frames, int bus_count, float* const* buses) noexcept {
    for (int bus = 0; bus < bus_count; ++bus) {
      const float* lanes = sums.sums[bus];
      float* target = buses[bus];
      int frame = 0;
#if defined(__AVX__)
      if constexpr (kLanes == 8) {
        // Eight frames at once with horizontal adds, in exactly tree_sum's order.
        for (; frame + 8 <= frames; frame += 8) {
          const float* at = lanes + frame * 8;
          const __m256 h01 = _mm256_hadd_ps(_mm256_loadu_ps(at), _mm256_loadu_ps(at + 8));
          const __m256 h23 = _mm256_hadd_ps(_mm256_loadu_ps(at + 16), _mm256_loadu_ps(at + 24));
          const __m256 h45 = _mm256_hadd_ps(_mm256_loadu_ps(at + 32), _mm256_loadu_ps(at + 40));
          const __m256 h67 = _mm256_hadd_ps(_mm256_loadu_ps(at + 48), _mm256_loadu_ps(at + 56));
          const __m256 q0123 = _mm256_hadd_ps(h01, h23), q4567 = _mm256_hadd_ps(h45, h67);
          const __m256 low = _mm256_permute2f128_ps(q0123, q4567, 0x20);
          const __m256 high = _mm256_permute2f128_ps(q0123, q4567, 0x31);
          _mm256_storeu_ps(target + frame, _mm256_add_ps(low, high));
        }
      }
#endif
      for (; frame < frames; ++frame) target[frame] = tree_sum(lanes + frame * kLanes, kLanes);
    }
  }
};

}  // namespace
}  // namespace resound::synth::detail
