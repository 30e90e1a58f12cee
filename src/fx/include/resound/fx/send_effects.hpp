// SendReverb and SendChorus: light 100 %-wet send effects (the synthesizer's reverb and chorus buses).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "resound/core/processor.hpp"

namespace resound::fx {

/// A GM-module-style hall for the reverb send: 100 % wet, stereo, an 8-line feedback delay
/// network (Householder feedback, damped lines, ≈ 2 s decay). Built for the synthesizer, whose
/// send bus must cost little next to the voices: about 60 scalar operations per frame.
/// Thread contract: prepare OFF; process/reset RT.
class SendReverb final : public Processor {
 public:
  static constexpr int kLines = 8;
  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  static constexpr std::size_t kChunkFrames = 256;  // frames formed at once (scratch below)
  void process_chunk(float* left, float* right, std::size_t count) noexcept;
  void mix_chunk(float* const* lines, float* left, float* right, std::size_t count) noexcept;

  std::vector<float> buffer_;  // kLines lines of (mask_ + 1) frames each
  std::size_t mask_ = 0;
  std::size_t position_ = 0;
  std::array<std::size_t, kLines> lengths_{};
  std::array<float, kLines> feedback_gains_{};
  std::array<float, kLines> damping_state_{};
  std::vector<float> predelay_;  // mono input predelay
  std::size_t predelay_mask_ = 0, predelay_frames_ = 0;
  float damping_ = 0.4f;
  // Scratch of one chunk: the predelayed input, each line's damped output, the feedback sum.
  std::array<float, kChunkFrames> input_{};
  std::array<std::array<float, kChunkFrames>, kLines> outputs_{};
  std::array<float, kChunkFrames> reflection_{};
};

/// A stereo chorus for the chorus send: 100 % wet, two modulated delay taps per channel
/// (triangle LFOs in quadrature), linear interpolation. Thread contract: prepare OFF; process/reset RT.
class SendChorus final : public Processor {
 public:
  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;

 private:
  std::vector<float> buffer_;  // 2 channels of (mask_ + 1) frames
  std::size_t mask_ = 0;
  std::size_t position_ = 0;
  float base_delay_frames_ = 0.0f, depth_frames_ = 0.0f;
  float lfo_step_ = 0.0f;   // triangle phase increment per frame (cycles)
  float lfo_phase_ = 0.0f;  // cycles in [0, 1)
  static constexpr std::size_t kChunkFrames = 256;
  std::size_t chunk_frames_ = 1;  // frames processed at once (see process())
  std::array<float, kChunkFrames> phases_{};  // LFO phase of each frame of a chunk
  void read_taps(const float* line, float first_offset, float second_offset, float* out, std::size_t count) const noexcept;
};

}  // namespace resound::fx
