// Sample peaks: a min/max pass over 16-bit frames that the compiler turns into packed pmaxsw/pminsw.
#include "sample_peaks.hpp"

#include <algorithm>

namespace resound::synth::detail {

float peak_fraction(const std::int16_t* frames, std::uint32_t begin, std::uint32_t end) noexcept {
  // Max and min in int16 (no widening, no branches) vectorise to 16 or 32 frames per instruction;
  // |-32768| only fits once widened, hence the two extremes instead of std::abs per frame.
  std::int16_t highest = 0;
  std::int16_t lowest = 0;
  for (std::uint32_t i = begin; i < end; ++i) {
    highest = std::max(highest, frames[i]);
    lowest = std::min(lowest, frames[i]);
  }
  const int peak = std::max(static_cast<int>(highest), -static_cast<int>(lowest));
  return static_cast<float>(peak + 1) / 32768.0f;
}

std::array<float, 2> sample_and_loop_peaks(const formats::SoundFontSampleData& data) noexcept {
  const float sample_peak = peak_fraction(data.frames, 0, data.frame_count);
  const bool looped = data.loop_valid && data.loop_start < data.loop_end && data.loop_end <= data.frame_count;
  return {sample_peak, looped ? peak_fraction(data.frames, data.loop_start, data.loop_end) : sample_peak};
}

}  // namespace resound::synth::detail
