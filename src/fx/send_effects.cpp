// SendReverb / SendChorus: the synthesizer's light send effects (8-line FDN hall, two-tap stereo chorus).
#include "resound/fx/send_effects.hpp"

#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "resound/dsp/vector_clones.hpp"

namespace resound::fx {
namespace {

std::size_t power_of_two_at_least(std::size_t value) noexcept {
  std::size_t size = 1;
  while (size < value) size <<= 1;
  return size;
}

// Mutually prime line lengths at 44.1 kHz (33–59 ms): dense echoes without flutter.
constexpr std::array<double, SendReverb::kLines> kLineFrames44k = {1447, 1601, 1733, 1867, 2053, 2251, 2399, 2617};
constexpr double kDecaySeconds = 2.0;  // RT60 of a GM module's default hall
constexpr double kPredelaySeconds = 0.01;

// Triangle in [-1, 1] of a phase in cycles [0, 1).
inline float triangle_of(float phase) noexcept { return phase < 0.5f ? 4.0f * phase - 1.0f : 3.0f - 4.0f * phase; }

}  // namespace

void SendReverb::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t /*channel_count*/) {
  const double scale = sample_rate_hz / 44100.0;
  std::size_t longest = 1;
  for (int line = 0; line < kLines; ++line) {
    lengths_[line] = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(kLineFrames44k[line] * scale)));
    longest = std::max(longest, lengths_[line]);
    // Loss per pass so that the level falls 60 dB in kDecaySeconds.
    feedback_gains_[line] = static_cast<float>(std::pow(10.0, -3.0 * static_cast<double>(lengths_[line]) / (kDecaySeconds * sample_rate_hz)));
  }
  mask_ = power_of_two_at_least(longest + 1) - 1;
  buffer_.assign(static_cast<std::size_t>(kLines) * (mask_ + 1), 0.0f);
  predelay_frames_ = static_cast<std::size_t>(std::lround(kPredelaySeconds * sample_rate_hz));
  predelay_mask_ = power_of_two_at_least(predelay_frames_ + 1) - 1;
  predelay_.assign(predelay_mask_ + 1, 0.0f);
  reset();
}

void SendReverb::reset() noexcept {
  std::fill(buffer_.begin(), buffer_.end(), 0.0f);
  std::fill(predelay_.begin(), predelay_.end(), 0.0f);
  damping_state_.fill(0.0f);
  position_ = 0;
}

void SendReverb::process(AudioView audio) noexcept {
  if (audio.channel_count() < 2 || buffer_.empty()) return;
  float* left = audio.channel(0).data();
  float* right = audio.channel(1).data();
  const std::size_t shortest = *std::min_element(lengths_.begin(), lengths_.end());
  // Chunks no longer than the shortest line read only what earlier chunks wrote, so a chunk's
  // feedback can be formed for all its frames at once; and a chunk never wraps the ring, so its
  // writes are contiguous. The per-frame arithmetic is the plain FDN's, operation for operation.
  for (std::size_t done = 0; done < audio.frame_count();) {
    const std::size_t to_wrap = mask_ + 1 - (position_ & mask_);
    const std::size_t count = std::min({audio.frame_count() - done, shortest, to_wrap, kChunkFrames});
    process_chunk(left + done, right + done, count);
    done += count;
    position_ += count;
  }
}

void SendReverb::process_chunk(float* left, float* right, std::size_t count) noexcept {
  const std::size_t stride = mask_ + 1;
  // The lines carry the mono send (outputs tap alternate lines per side: mix_chunk).
  constexpr float kInputGain = 0.35f;
  // Predelay, frame by frame (a read may see a write of this chunk).
  for (std::size_t i = 0; i < count; ++i) {
    predelay_[(position_ + i) & predelay_mask_] = (left[i] + right[i]) * kInputGain;
    input_[i] = predelay_[(position_ + i - predelay_frames_) & predelay_mask_];
  }
  // The damped line outputs: one recursion per line, the eight interleaved frame by frame (their
  // states in registers, so the eight dependency chains overlap; with SSE2, four lines per vector,
  // each lane doing exactly the scalar operations).
  const float* line_data[kLines];
  std::size_t read_start[kLines];
  alignas(16) float state[kLines];
  alignas(16) float gain[kLines];
  for (int line = 0; line < kLines; ++line) {
    line_data[line] = buffer_.data() + static_cast<std::size_t>(line) * stride;
    read_start[line] = position_ - lengths_[line];
    state[line] = damping_state_[line];
    gain[line] = feedback_gains_[line];
  }
  const float damping = damping_;
  const std::size_t mask = mask_;
  std::size_t i = 0;
#if defined(__SSE2__)
  static_assert(kLines == 8, "two vectors of four lines");
  __m128 state_low = _mm_load_ps(state), state_high = _mm_load_ps(state + 4);
  const __m128 gain_low = _mm_load_ps(gain), gain_high = _mm_load_ps(gain + 4), damping_vector = _mm_set1_ps(damping);
  for (; i < count; ++i) {
    auto delayed = [&](int line) noexcept { return line_data[line][(read_start[line] + i) & mask]; };
    const __m128 delayed_low = _mm_setr_ps(delayed(0), delayed(1), delayed(2), delayed(3));
    const __m128 delayed_high = _mm_setr_ps(delayed(4), delayed(5), delayed(6), delayed(7));
    state_low = _mm_add_ps(delayed_low, _mm_mul_ps(damping_vector, _mm_sub_ps(state_low, delayed_low)));
    state_high = _mm_add_ps(delayed_high, _mm_mul_ps(damping_vector, _mm_sub_ps(state_high, delayed_high)));
    alignas(16) float out[kLines];
    _mm_store_ps(out, _mm_mul_ps(state_low, gain_low));
    _mm_store_ps(out + 4, _mm_mul_ps(state_high, gain_high));
    for (int line = 0; line < kLines; ++line) outputs_[line][i] = out[line];
  }
  _mm_store_ps(state, state_low);
  _mm_store_ps(state + 4, state_high);
#endif
  for (; i < count; ++i) {
#pragma GCC unroll 8
    for (int line = 0; line < kLines; ++line) {
      const float delayed = line_data[line][(read_start[line] + i) & mask];
      // One-pole low-pass in the loop: highs die faster, as in a real hall.
      state[line] = delayed + damping * (state[line] - delayed);
      outputs_[line][i] = state[line] * gain[line];
    }
  }
  for (int line = 0; line < kLines; ++line) damping_state_[line] = state[line];
  float* lines[kLines];
  for (int line = 0; line < kLines; ++line)
    lines[line] = buffer_.data() + static_cast<std::size_t>(line) * stride + (position_ & mask_);
  mix_chunk(lines, left, right, count);
}

// Loops over the frames of one line at a time, which vectorise; each frame's operations and their
// order are those of the frame-by-frame network (the sums start from 0 and add lines 0…7).
RESOUND_VECTOR_CLONES_AVX2
void SendReverb::mix_chunk(float* const* lines, float* left, float* right, std::size_t count) noexcept {
  constexpr float kOutputGain = 0.5f;
  constexpr float kHouseholder = 2.0f / kLines;
  float* reflection = reflection_.data();
  const float* input = input_.data();
  for (std::size_t i = 0; i < count; ++i) reflection[i] = 0.0f + outputs_[0][i];
  for (int line = 1; line < kLines; ++line)
    for (std::size_t i = 0; i < count; ++i) reflection[i] += outputs_[line][i];
  for (std::size_t i = 0; i < count; ++i) reflection[i] *= kHouseholder;
  for (int line = 0; line < kLines; ++line) {
    // Householder feedback (I - 2/N·11ᵀ): lossless mixing at N operations instead of N².
    const float* output = outputs_[line].data();
    float* target = lines[line];
    if (line & 2) {
      for (std::size_t i = 0; i < count; ++i) target[i] = (output[i] - reflection[i]) + -input[i];
    } else {
      for (std::size_t i = 0; i < count; ++i) target[i] = (output[i] - reflection[i]) + input[i];
    }
  }
  // Even lines to the left, odd to the right.
  for (std::size_t i = 0; i < count; ++i)
    left[i] = ((((0.0f + outputs_[0][i]) + outputs_[2][i]) + outputs_[4][i]) + outputs_[6][i]) * kOutputGain;
  for (std::size_t i = 0; i < count; ++i)
    right[i] = ((((0.0f + outputs_[1][i]) + outputs_[3][i]) + outputs_[5][i]) + outputs_[7][i]) * kOutputGain;
}

void SendChorus::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t /*channel_count*/) {
  // A GM chorus: 12 ms around which the taps sweep ±3 ms at 0.3 Hz.
  base_delay_frames_ = static_cast<float>(0.012 * sample_rate_hz);
  depth_frames_ = static_cast<float>(0.003 * sample_rate_hz);
  lfo_step_ = static_cast<float>(0.3 / sample_rate_hz);
  mask_ = power_of_two_at_least(static_cast<std::size_t>(base_delay_frames_ + depth_frames_) + 4) - 1;
  buffer_.assign(2 * (mask_ + 1), 0.0f);
  // A chunk may not reach the frames its taps read (the shortest delay) nor wrap the ring onto
  // them (the longest delay); see process().
  const auto shortest_frames = static_cast<std::size_t>(base_delay_frames_ - depth_frames_);
  const std::size_t longest_frames = static_cast<std::size_t>(base_delay_frames_ + depth_frames_) + 2;
  const std::size_t ring_room = mask_ + 1 > longest_frames ? mask_ + 1 - longest_frames : 1;
  chunk_frames_ = std::clamp<std::size_t>(std::min({shortest_frames, ring_room, kChunkFrames}), 1, kChunkFrames);
  reset();
}

void SendChorus::reset() noexcept {
  std::fill(buffer_.begin(), buffer_.end(), 0.0f);
  position_ = 0;
  lfo_phase_ = 0.0f;
}

void SendChorus::process(AudioView audio) noexcept {
  if (audio.channel_count() < 2 || buffer_.empty()) return;
  const std::size_t stride = mask_ + 1;
  float* channels[2] = {audio.channel(0).data(), audio.channel(1).data()};
  // In chunks no longer than the shortest delay, the taps read only frames written before the
  // chunk: a chunk's input is written first, then its taps are read, frame by frame with the
  // arithmetic of a one-frame-at-a-time chorus.
  for (std::size_t done = 0; done < audio.frame_count();) {
    const std::size_t count = std::min(audio.frame_count() - done, chunk_frames_);
    for (std::size_t i = 0; i < count; ++i) {
      phases_[i] = lfo_phase_;
      lfo_phase_ += lfo_step_;
      lfo_phase_ -= lfo_phase_ >= 1.0f ? 1.0f : 0.0f;
    }
    for (int c = 0; c < 2; ++c) {
      float* line = buffer_.data() + static_cast<std::size_t>(c) * stride;
      float* audio_chunk = channels[c] + done;
      for (std::size_t i = 0; i < count; ++i) line[(position_ + i) & mask_] = audio_chunk[i];
      // Four taps from one LFO at quarter-cycle offsets: left 0°/180°, right 90°/270°.
      read_taps(line, c == 0 ? 0.0f : 0.25f, c == 0 ? 0.5f : 0.75f, audio_chunk, count);
    }
    position_ += count;
    done += count;
  }
}

// Four frames at a time with SSE2 where available (the x86-64 baseline), with exactly the scalar
// operations below lane by lane: no fused multiply-adds either way, so any chunk split and either
// path give the same bits. Indices are 32-bit: the ring is far smaller than 2^32, so masking the
// low 32 bits of a position gives the same slot.
void SendChorus::read_taps(const float* line, float first_offset, float second_offset, float* out,
                           std::size_t count) const noexcept {
  const auto mask = static_cast<std::uint32_t>(mask_);
  const auto start = static_cast<std::uint32_t>(position_);
  const float base = base_delay_frames_, depth = depth_frames_;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128 one = _mm_set1_ps(1.0f), half = _mm_set1_ps(0.5f), four = _mm_set1_ps(4.0f), three = _mm_set1_ps(3.0f);
  const __m128 base_vector = _mm_set1_ps(base), depth_vector = _mm_set1_ps(depth);
  const __m128i lane_offsets = _mm_set_epi32(3, 2, 1, 0);
  auto tap_pair = [&](__m128 phase, __m128i positions) noexcept {
    const __m128 wrapped = _mm_sub_ps(phase, one);
    const __m128 wraps = _mm_cmpge_ps(phase, one);
    phase = _mm_or_ps(_mm_and_ps(wraps, wrapped), _mm_andnot_ps(wraps, phase));
    const __m128 rising = _mm_sub_ps(_mm_mul_ps(four, phase), one), falling = _mm_sub_ps(three, _mm_mul_ps(four, phase));
    const __m128 rises = _mm_cmplt_ps(phase, half);
    const __m128 triangle = _mm_or_ps(_mm_and_ps(rises, rising), _mm_andnot_ps(rises, falling));
    const __m128 delay = _mm_add_ps(base_vector, _mm_mul_ps(depth_vector, triangle));
    const __m128i back = _mm_cvttps_epi32(delay);
    const __m128 fraction = _mm_sub_ps(delay, _mm_cvtepi32_ps(back));
    alignas(16) std::uint32_t at[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(at), _mm_sub_epi32(positions, back));
    alignas(16) float newer[4], older[4];
    for (int lane = 0; lane < 4; ++lane) {
      newer[lane] = line[at[lane] & mask];
      older[lane] = line[(at[lane] - 1) & mask];
    }
    const __m128 newer_vector = _mm_load_ps(newer);
    return _mm_add_ps(newer_vector, _mm_mul_ps(fraction, _mm_sub_ps(_mm_load_ps(older), newer_vector)));
  };
  for (; i + 4 <= count; i += 4) {
    const __m128 phase = _mm_loadu_ps(phases_.data() + i);
    const __m128i positions = _mm_add_epi32(_mm_set1_epi32(static_cast<int>(start + static_cast<std::uint32_t>(i))), lane_offsets);
    const __m128 first = tap_pair(_mm_add_ps(phase, _mm_set1_ps(first_offset)), positions);
    const __m128 second = tap_pair(_mm_add_ps(phase, _mm_set1_ps(second_offset)), positions);
    _mm_storeu_ps(out + i, _mm_mul_ps(half, _mm_add_ps(first, second)));
  }
#endif
  auto read = [line, mask](std::uint32_t position, float delay_frames) noexcept {
    // The delay is positive (the sweep stays inside the base delay): truncation is the floor,
    // without a libm call per tap.
    const auto back = static_cast<std::int32_t>(delay_frames);
    const float fraction = delay_frames - static_cast<float>(back);
    const std::uint32_t at = position - static_cast<std::uint32_t>(back);
    const float newer = line[at & mask];
    const float older = line[(at - 1) & mask];
    return newer + fraction * (older - newer);
  };
  for (; i < count; ++i) {
    float first_phase = phases_[i] + first_offset, second_phase = phases_[i] + second_offset;
    first_phase -= first_phase >= 1.0f ? 1.0f : 0.0f;
    second_phase -= second_phase >= 1.0f ? 1.0f : 0.0f;
    const auto position = start + static_cast<std::uint32_t>(i);
    const float first = read(position, base + depth * triangle_of(first_phase));
    const float second = read(position, base + depth * triangle_of(second_phase));
    out[i] = 0.5f * (first + second);
  }
}

}  // namespace resound::fx
