// Per-voice flanger (fx_flanger.py, spec §2.14): settings read from a voice's flange* keys and the processor.
#pragma once

#include <memory>

#include "resound/core/expected.hpp"
#include "resound/track/param_value.hpp"
#include "voices/post_processed_voice.hpp"

namespace resound::track::voices {

/// The flanger of one voice, or nullptr when its keys do not enable one (`flangeEnable` must be truthy;
/// transition voices whose start and end settings differ get two flangers crossfaded by the voice's α).
/// Thread contract: OFF.
Expected<std::unique_ptr<StreamProcessor>> create_voice_flanger(const ParamMap& params, bool transition,
                                                                double sample_rate_hz, double duration_s,
                                                                std::int64_t frames);

}  // namespace resound::track::voices
