// Volume envelopes (linear_fade, adsr, linen) and the default 10 ms de-click fade around a voice.
#pragma once

#include <optional>

#include "voices/voice.hpp"

namespace resound::track::voices {

/// Wraps `voice` with its envelope (unchanged when it has none). The envelopes apply as intended (the
/// original ignores them by a NameError and then also skips the de-click). Thread contract: OFF.
std::unique_ptr<Voice> apply_envelope(std::unique_ptr<Voice> voice, const std::optional<EnvelopeSpec>& envelope,
                                      double sample_rate_hz);

/// Wraps `voice` with the default 10 ms linear de-click fades (for voices without an envelope; applied
/// after the flanger, as generate_voice_audio does). Thread contract: OFF.
std::unique_ptr<Voice> apply_declick(std::unique_ptr<Voice> voice, double sample_rate_hz);

}  // namespace resound::track::voices
