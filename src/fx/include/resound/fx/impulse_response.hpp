// ImpulseResponse: a validated impulse response and its conditioning (resample, trim, normalise, pre-delay).
#pragma once

#include <string>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"

namespace resound::fx {

/// Longest response accepted: 60 s is beyond any real hall; longer files are mistakes (a song
/// passed as an IR) that would take gigabytes of spectra.
inline constexpr double kMaxImpulseResponseSeconds = 60.0;

/// How the response's level is set before use.
enum class ImpulseResponseNormalization {
  kNone,    ///< as recorded (an impulse in gives exactly the file out)
  kPeak,    ///< loudest sample at 1.0
  kEnergy,  ///< unit energy per output channel: white noise keeps its level, so reverbs sit at the dry level
};

/// Conditioning applied when a Convolution is prepared for a session rate.
struct ImpulseResponseOptions {
  ImpulseResponseNormalization normalization = ImpulseResponseNormalization::kEnergy;
  bool trim_leading_silence = false;  ///< drop samples before the first one above the threshold (removes recorded pre-delay)
  bool trim_trailing_silence = true;  ///< drop the tail below the threshold (noise floor) — saves work, inaudible
  double trim_threshold_db = -90.0;   ///< relative to the response's peak
  double max_length_s = 0.0;          ///< > 0: cut the response there with a 10 ms fade-out
  double predelay_s = 0.0;            ///< silence inserted before the response, 0 … 1 s
};

/// A response with 1 (mono), 2 (stereo: left→left, right→right) or 4 (true stereo: L→L, L→R,
/// R→L, R→R) channels, non-empty, finite and at most kMaxImpulseResponseSeconds long, at its own
/// sample rate. Build it with make_impulse_response() so those checks have run.
struct ImpulseResponse {
  AudioBuffer audio;
  double sample_rate_hz = 0.0;
  std::string name;  ///< file name (or "<memory>") for messages
};

/// Validates `audio` as an impulse response; errors name `name` as the file.
/// Thread contract: OFF/CT.
Expected<ImpulseResponse> make_impulse_response(AudioBuffer audio, double sample_rate_hz, std::string name);

/// The response resampled to `session_rate_hz`, trimmed, normalised and pre-delayed as `options` say.
/// Thread contract: OFF/CT (allocates).
Expected<AudioBuffer> condition_impulse_response(const ImpulseResponse& response, double session_rate_hz,
                                                 const ImpulseResponseOptions& options);

}  // namespace resound::fx
