// Glitch bursts of binaural_beat_transition (spec §2.1): band-focused noise ramps added to both ears.
#pragma once

#include <memory>

#include "voices/voice.hpp"

namespace resound::track::voices {

/// Wraps `voice` with its glitch bursts, or returns it unchanged when glitchInterval, glitchDur or
/// glitchNoiseLevel (start/end averages) is not positive. The noise comes from the counter-based
/// generator keyed by (seed, burst), so renders are deterministic and seekable (the original uses the
/// unseeded global NumPy RNG); a non-integer focus exponent uses |f − fc| instead of giving NaN.
/// Thread contract: OFF.
std::unique_ptr<Voice> add_glitch_bursts(std::unique_ptr<Voice> voice, const VoiceContext& context);

}  // namespace resound::track::voices
