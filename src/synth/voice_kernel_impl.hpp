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
  using Vec8 = typename VectorTypes<8>::Float;  // the interpolator's chunk of output frames
  using Int8 = typename VectorTypes<8>::Int;

  static Vec load(const float* source) noexcept {
    Vec value;
    std::memcpy(&value, source, sizeof value);
    return value;
  }
  static void store(float* target, Vec value) noexcept { std::memcpy(target, &value, sizeof value); }
  static Vec splat(float value) noexcept { return Vec{} + value; }

  // 4-point Catmull-Rom through the taps at fraction t. Called from one place only (the
  // interpolator's loop), so every frame gets the same instructions and the same rounding.
  static Vec8 catmull_rom(Vec8 xm1, Vec8 x0, Vec8 x1, Vec8 x2, Vec8 t) noexcept {
    const Vec8 c1 = 0.5f * (x1 - xm1);
    const Vec8 c2 = xm1 - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
    const Vec8 c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
    return ((c3 * t + c2) * t + c1) * t + x0;
  }

  // Interpolates one voice across output frames, kInterpolationChunk (8) frames at a time. The
  // positions of a chunk rise monotonically, so with an increment below ~1.8 all 8 × 4 taps lie
  // in a 16-frame window: one load, widened to two float vectors, and four two-vector permutes
  // pick the taps (AVX2). Otherwise, or near the ends of the readable range, the taps are loaded
  // one by one; both ways feed the same arithmetic, so a frame's value does not depend on which
  // way its chunk took.
  // The taps (and fractions) of the first `count` frames of a chunk, loaded one by one (lanes past
  // `count`: 0). With AVX2 this is the rare path, kept out of line so the window loop stays small;
  // the portable kernel takes it for every chunk.
#if defined(__AVX2__)
  [[gnu::noinline]]
#endif
  static void load_taps(const std::int16_t* data, std::uint64_t position, std::uint64_t increment, int count,
                        float (&taps)[4][kInterpolationChunk], std::int32_t (&fraction_units)[kInterpolationChunk]) noexcept {
    for (int i = 0; i < kInterpolationChunk; ++i) {
      if (i < count) {
        const std::int16_t* tap = data + static_cast<std::int64_t>(position >> 32) - 1;
        for (int k = 0; k < 4; ++k) taps[k][i] = static_cast<float>(tap[k]);
      } else {
        for (int k = 0; k < 4; ++k) taps[k][i] = 0.0f;
      }
      fraction_units[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(position) >> 8);
      position += increment;
    }
  }

  static void interpolate_cubic(const std::int16_t* data, std::int64_t readable_frames, std::uint64_t position,
                                std::uint64_t increment, int frames, float* out) noexcept {
    // The window holds the taps of all 8 frames if the last frame's index is at most 12 past the
    // first's (then the pair at index + 1 is at most 14 past it: inside 16 frames).
    const bool window_fits = ((0xFFFFFFFFull + 7 * increment) >> 32) <= 12;
    const Vec8 fraction_unit = Vec8{} + 1.0f / 16777216.0f;
    (void)window_fits;  // the window path needs AVX2
    (void)readable_frames;
#if defined(__AVX2__)
    const __m256i offsets_low = _mm256_set_epi64x(static_cast<long long>(3 * increment), static_cast<long long>(2 * increment),
                                                  static_cast<long long>(increment), 0);
    const __m256i offsets_high = _mm256_add_epi64(offsets_low, _mm256_set1_epi64x(static_cast<long long>(4 * increment)));
    const __m256i one = _mm256_set1_epi32(1);
#endif
    for (int done = 0; done < frames; done += kInterpolationChunk) {
      Vec8 xm1, x0, x1, x2;
      Int8 fraction_units;
#if defined(__AVX2__)
      const auto first_index = static_cast<std::int64_t>(position >> 32);
      // Lane i: first fraction + i × increment as 64 bits; its high half is the index past the
      // first frame's, its low half the fraction.
      const __m256i base = _mm256_set1_epi64x(static_cast<long long>(static_cast<std::uint32_t>(position)));
      const __m256 sums_low = _mm256_castsi256_ps(_mm256_add_epi64(base, offsets_low));
      const __m256 sums_high = _mm256_castsi256_ps(_mm256_add_epi64(base, offsets_high));
      const __m256i relative = _mm256_permute4x64_epi64(
          _mm256_castps_si256(_mm256_shuffle_ps(sums_low, sums_high, _MM_SHUFFLE(3, 1, 3, 1))), _MM_SHUFFLE(3, 1, 2, 0));
      const __m256i fractions = _mm256_permute4x64_epi64(
          _mm256_castps_si256(_mm256_shuffle_ps(sums_low, sums_high, _MM_SHUFFLE(2, 0, 2, 0))), _MM_SHUFFLE(3, 1, 2, 0));
      const __m256i units = _mm256_srli_epi32(fractions, 8);
      std::memcpy(&fraction_units, &units, sizeof units);
      const std::int64_t window_start = first_index - 1;
      if (window_fits && window_start >= 0 && window_start + 17 <= readable_frames) {
        // Frame pairs as 32-bit lanes: `even` holds (w[2j], w[2j+1]), `odd` (w[2j+1], w[2j+2]) of
        // the window w. The pair starting at p is lane p/2 of `even` or `odd` by p's parity, so
        // two permutes and a blend fetch the taps (xm1, x0) at p = relative and (x1, x2) at p + 2.
        const __m256i even = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + window_start));
        const __m256i odd = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + window_start + 1));
        const __m256i half = _mm256_srli_epi32(relative, 1);
        const __m256 odd_lanes = _mm256_castsi256_ps(_mm256_slli_epi32(relative, 31));
        auto pair_at = [&](__m256i lane) noexcept {
          return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(_mm256_permutevar8x32_epi32(even, lane)),
                                                      _mm256_castsi256_ps(_mm256_permutevar8x32_epi32(odd, lane)),
                                                      odd_lanes));
        };
        const __m256i first_pair = pair_at(half), second_pair = pair_at(_mm256_add_epi32(half, one));
        auto low_half = [](__m256i pair) noexcept { return _mm256_srai_epi32(_mm256_slli_epi32(pair, 16), 16); };
        const __m256 taps[4] = {_mm256_cvtepi32_ps(low_half(first_pair)),
                                _mm256_cvtepi32_ps(_mm256_srai_epi32(first_pair, 16)),
                                _mm256_cvtepi32_ps(low_half(second_pair)),
                                _mm256_cvtepi32_ps(_mm256_srai_epi32(second_pair, 16))};
        std::memcpy(&xm1, &taps[0], sizeof xm1);
        std::memcpy(&x0, &taps[1], sizeof x0);
        std::memcpy(&x1, &taps[2], sizeof x1);
        std::memcpy(&x2, &taps[3], sizeof x2);
      } else
#endif
      {
        float taps[4][kInterpolationChunk];
        std::int32_t lane_units[kInterpolationChunk];
        const int count = frames - done < kInterpolationChunk ? frames - done : kInterpolationChunk;
        load_taps(data, position, increment, count, taps, lane_units);
#if !defined(__AVX2__)
        std::memcpy(&fraction_units, lane_units, sizeof lane_units);
#endif
        std::memcpy(&xm1, taps[0], sizeof xm1);
        std::memcpy(&x0, taps[1], sizeof x0);
        std::memcpy(&x1, taps[2], sizeof x1);
        std::memcpy(&x2, taps[3], sizeof x2);
      }
      const Vec8 t = __builtin_convertvector(fraction_units, Vec8) * fraction_unit;
      const Vec8 value = catmull_rom(xm1, x0, x1, x2, t);
      std::memcpy(out + done, &value, sizeof value);
      position += static_cast<std::uint64_t>(kInterpolationChunk) * increment;
    }
  }

  // Transposes every lane's input (lane-major) into `by_frame` (frame-major: by_frame[frame ×
  // kLanes + lane]), 8 frames at a time; may write up to 7 frames past `frames`.
  static void transpose_input(const VoiceGroup& group, int frames, float* by_frame) noexcept {
#if defined(__AVX__)
    if constexpr (kLanes == 8) {
      for (int frame = 0; frame < frames; frame += 8) {
        __m256 r[8];
        for (int lane = 0; lane < 8; ++lane) r[lane] = _mm256_loadu_ps(group.input[lane] + frame);
        // 8×8 transpose: unpack pairs, shuffle quads, swap 128-bit halves.
        const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
        const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
        const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
        const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
        const __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
        const __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
        const __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
        const __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
        const __m256 s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
        float* at = by_frame + frame * 8;
        _mm256_store_ps(at, _mm256_permute2f128_ps(s0, s4, 0x20));
        _mm256_store_ps(at + 8, _mm256_permute2f128_ps(s1, s5, 0x20));
        _mm256_store_ps(at + 16, _mm256_permute2f128_ps(s2, s6, 0x20));
        _mm256_store_ps(at + 24, _mm256_permute2f128_ps(s3, s7, 0x20));
        _mm256_store_ps(at + 32, _mm256_permute2f128_ps(s0, s4, 0x31));
        _mm256_store_ps(at + 40, _mm256_permute2f128_ps(s1, s5, 0x31));
        _mm256_store_ps(at + 48, _mm256_permute2f128_ps(s2, s6, 0x31));
        _mm256_store_ps(at + 56, _mm256_permute2f128_ps(s3, s7, 0x31));
      }
      return;
    }
#endif
    for (int frame = 0; frame < frames; ++frame)
      for (int lane = 0; lane < kLanes; ++lane) by_frame[frame * kLanes + lane] = group.input[lane][frame];
  }

  template <bool kFiltered, int kBuses, bool kAccumulate>
  static void render_frames(VoiceGroup& group, int frames, LaneSums& sums) noexcept {
    const Vec b0 = load(group.b0), b1 = load(group.b1), b2 = load(group.b2), a1 = load(group.a1), a2 = load(group.a2);
    Vec x1 = load(group.x1), x2 = load(group.x2), y1 = load(group.y1), y2 = load(group.y2);
    // The sample format's scale rides on the ramp's anchor and step (one multiply less per frame).
    const Vec scale = load(group.scale);
    const Vec anchor = load(group.gain_anchor) * scale, step = load(group.gain_step) * scale;
    Vec ramp = load(group.ramp);
    const float* const weight_arrays[6] = {group.dry_left,    group.dry_right,   group.reverb_left,
                                           group.reverb_right, group.chorus_left, group.chorus_right};
    Vec weights[kBuses];
    for (int bus = 0; bus < kBuses; ++bus) weights[bus] = load(weight_arrays[bus]);
    const Vec one = splat(1.0f);
    alignas(64) float by_frame[(kKernelFrames + 8) * kLanes];
    transpose_input(group, frames, by_frame);
    for (int frame = 0; frame < frames; ++frame) {
      const Vec x = load(by_frame + frame * kLanes);
      Vec y = x;
      if constexpr (kFiltered) {
        // Resonant low-pass, direct form I; lanes are independent voices, so the recursion's
        // latency is shared by kLanes voices instead of stalling one.
        y = b0 * x + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1;
        y2 = y1;
        y1 = y;
      }
      x2 = x1;
      x1 = x;
      const Vec sample = y * (anchor + step * ramp);
      ramp += one;
      for (int bus = 0; bus < kBuses; ++bus) {
        float* target = sums.sums[bus] + frame * kLanes;
        // The first group adds to zero instead of to cleared sums: the same bits (signed zeros too).
        store(target, (kAccumulate ? load(target) : Vec{}) + sample * weights[bus]);
      }
    }
    // Unfiltered: a pass-through filter's outputs are its inputs.
    if constexpr (!kFiltered) {
      y1 = x1;
      y2 = x2;
    }
    store(group.x1, x1);
    store(group.x2, x2);
    store(group.y1, y1);
    store(group.y2, y2);
  }

  template <bool kFiltered, bool kAccumulate>
  static void render_buses(VoiceGroup& group, int frames, int bus_count, LaneSums& sums) noexcept {
    if (bus_count == 2)
      render_frames<kFiltered, 2, kAccumulate>(group, frames, sums);
    else if (bus_count == 4)
      render_frames<kFiltered, 4, kAccumulate>(group, frames, sums);
    else
      render_frames<kFiltered, 6, kAccumulate>(group, frames, sums);
  }

  static void render_group(VoiceGroup& group, int frames, int bus_count, LaneSums& sums, bool accumulate) noexcept {
    if (group.filtered_lanes != 0)
      accumulate ? render_buses<true, true>(group, frames, bus_count, sums) : render_buses<true, false>(group, frames, bus_count, sums);
    else
      accumulate ? render_buses<false, true>(group, frames, bus_count, sums) : render_buses<false, false>(group, frames, bus_count, sums);
  }

  // Sum of lanes [first, first + count) as a balanced tree: ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))…
  static float tree_sum(const float* lanes, int count) noexcept {
    if (count == 1) return lanes[0];
    const int half_count = count / 2;
    return tree_sum(lanes, half_count) + tree_sum(lanes + half_count, count - half_count);
  }

  static void reduce(const LaneSums& sums, int frames, int bus_count, float* const* buses, float gain) noexcept {
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
          _mm256_storeu_ps(target + frame, _mm256_mul_ps(_mm256_add_ps(low, high), _mm256_set1_ps(gain)));
        }
      }
#endif
      for (; frame < frames; ++frame) target[frame] = tree_sum(lanes + frame * kLanes, kLanes) * gain;
    }
  }
};

}  // namespace
}  // namespace resound::synth::detail
