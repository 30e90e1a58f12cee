// Resampler: streaming sample-rate conversion of planar float audio over libsoxr.
#pragma once

#include <cstddef>
#include <memory>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"

namespace resound::dsp {

enum class ResampleQuality {
  kQuick,     ///< cubic interpolation; for previews
  kMedium,    ///< 16-bit quality, linear phase
  kHigh,      ///< 20-bit quality (soxr HQ), linear phase — default
  kVeryHigh,  ///< 28-bit quality (soxr VHQ)
};

/// Converts a stream from `input_rate_hz` to `output_rate_hz`, block by block, with constant memory.
/// The converter's delay is compensated: the first output frame corresponds to input time 0, and
/// after `finish()` the total output is round(input_frames * ratio) frames.
/// Thread contract: OFF/CT (soxr may allocate while processing); one thread at a time.
class Resampler {
 public:
  static Expected<Resampler> create(std::size_t channel_count, double input_rate_hz, double output_rate_hz,
                                    ResampleQuality quality = ResampleQuality::kHigh);

  Resampler(Resampler&&) noexcept;
  Resampler& operator=(Resampler&&) noexcept;
  ~Resampler();

  [[nodiscard]] double ratio() const noexcept;
  [[nodiscard]] std::size_t channel_count() const noexcept;

  /// Output frames needed to hold everything produced from `input_frames` more input.
  [[nodiscard]] std::size_t max_output_frames(std::size_t input_frames) const noexcept;

  /// Consumes all of `input` and writes converted frames to `output` (which must hold at least
  /// max_output_frames(input.frame_count()) frames). Returns the frames written.
  Expected<std::size_t> process(ConstAudioView input, AudioView output);

  /// Signals the end of input and drains the converter's remaining frames into `output`
  /// (call repeatedly until it returns 0).
  Expected<std::size_t> finish(AudioView output);

 private:
  struct State;
  explicit Resampler(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Converts a whole buffer.
Expected<AudioBuffer> resample(ConstAudioView input, double input_rate_hz, double output_rate_hz,
                               ResampleQuality quality = ResampleQuality::kHigh);

}  // namespace resound::dsp
