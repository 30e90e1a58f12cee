// Volume envelopes (linear_fade, adsr, linen) and the default 10 ms de-click fade around a voice.
#pragma once

#include <optional>

#include "voices/voice.hpp"

namespace resound::track::voices {

/// Wraps `voice` with its envelope, or with the 10 ms de-click fades when it has none. The envelopes
/// apply as intended (the original ignores them by a NameError and then also skips the de-click).
/// Thread contract: OFF.
std::unique_ptr<Voice> wrap_with_envelope(std::unique_ptr<Voice> voice, const std::optional<EnvelopeSpec>& envelope,
                                          double sample_rate_hz, double duration_s);

}  // namespace resound::track::voices
