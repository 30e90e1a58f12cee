// Voice kernel: the per-sample voice loop across a group of voices (structure of arrays), one per instruction set.
#pragma once

#include <cstdint>

// Only declarations here: the AVX translation units include this, and inline code they emitted
// could be picked by the linker for callers on CPUs without AVX.
#include "resound/synth/simd_path.hpp"

namespace resound::synth::detail {

/// Frames per segment at most (= kControlFrames of voice.hpp, checked there).
inline constexpr int kKernelFrames = 64;
/// Widest group any kernel uses (AVX-512: 16 float lanes).
inline constexpr int kMaxLanes = 16;
/// Output frames the interpolator computes at once (one 8-float vector).
inline constexpr int kInterpolationChunk = 8;
/// Room per lane in VoiceGroup::input: a segment plus one chunk of overrun, rounded to 64 bytes.
inline constexpr int kInputRowFrames = kKernelFrames + 16;

/// Per-lane parameters and state of one group of voices for one segment (≤ kKernelFrames frames,
/// never crossing the control grid). Lane l of every array belongs to the same voice. Unused
/// lanes have zero gain and a pass-through filter, so they add exact zeros.
struct alignas(64) VoiceGroup {
  // Resonant low-pass (direct form I): coefficients, constant over the segment, and state.
  float b0[kMaxLanes], b1[kMaxLanes], b2[kMaxLanes], a1[kMaxLanes], a2[kMaxLanes];
  float x1[kMaxLanes], x2[kMaxLanes], y1[kMaxLanes], y2[kMaxLanes];
  // Gain ramp: frame i of the segment has gain anchor × scale + step × scale × (ramp + i).
  float gain_anchor[kMaxLanes], gain_step[kMaxLanes], ramp[kMaxLanes], scale[kMaxLanes];
  // Output weights: pan, and pan × send level for the reverb and chorus buses.
  float dry_left[kMaxLanes], dry_right[kMaxLanes];
  float reverb_left[kMaxLanes], reverb_right[kMaxLanes], chorus_left[kMaxLanes], chorus_right[kMaxLanes];
  // Lanes whose filter is on (bit l = lane l), set by each voice: when none is, the kernel skips
  // the filter (a pass-through filter is exact, so the output is the same either way).
  std::uint32_t filtered_lanes;
  // Interpolation output, written by each voice (Voice::begin_segment): the unscaled sample value
  // of every frame, lane-major (input[lane][frame]). Rows are longer than a segment because the
  // interpolator works in chunks of kInterpolationChunk frames and may write past the last frame.
  alignas(64) float input[kMaxLanes][kInputRowFrames];
};

/// Lane-wise partial sums of the six output buses for one segment:
/// sums[bus][frame × lanes + lane], bus 0/1 dry L/R, 2/3 reverb L/R, 4/5 chorus L/R.
struct alignas(64) LaneSums {
  float sums[6][kKernelFrames * kMaxLanes];
};

/// One instruction set's kernel. All functions are RT-safe.
struct VoiceKernel {
  SimdPath path;
  int lanes;  ///< voices per group (≤ kMaxLanes)
  /// Filters, applies the gain ramp to and pans every lane of `group` for `frames` frames
  /// (interpolated input in group.input), adding into `sums` (bus_count = 2 dry only, 4 + reverb,
  /// 6 + chorus) — or, for the first group of a segment (accumulate = false), writing 0 + each
  /// value, the same bits as adding to zeroed sums without clearing them first. Updates the
  /// filter state in `group`.
  void (*render_group)(VoiceGroup& group, int frames, int bus_count, LaneSums& sums, bool accumulate) noexcept;
  /// Adds the lanes of `sums` for each frame (fixed order) and writes bus[b][frame] = that sum × gain
  /// (the master gain, applied here rather than in another pass over the buses).
  void (*reduce)(const LaneSums& sums, int frames, int bus_count, float* const* buses, float gain) noexcept;
  /// 4-point cubic (Catmull-Rom) interpolation of 16-bit data: out[i] = the unscaled value at
  /// 32.32 fixed-point position `position + i × increment` for i < frames. The caller guarantees
  /// that the four taps (index − 1 … index + 2) of every frame lie in [0, readable_frames); the
  /// interpolator may read further inside that range and may write up to out[frames +
  /// kInterpolationChunk − 2]. The value of a frame depends only on its position, never on where a
  /// call starts (block-size independence).
  void (*interpolate_cubic)(const std::int16_t* data, std::int64_t readable_frames, std::uint64_t position,
                            std::uint64_t increment, int frames, float* out) noexcept;
};

/// The kernel for `path` (kAuto: the best this CPU supports); nullptr if this CPU cannot run it.
const VoiceKernel* voice_kernel(SimdPath path) noexcept;

// Per-instruction-set kernels (separate translation units compiled with their own flags).
const VoiceKernel& scalar_voice_kernel() noexcept;
const VoiceKernel& avx2_voice_kernel() noexcept;
const VoiceKernel& avx512_voice_kernel() noexcept;

}  // namespace resound::synth::detail
