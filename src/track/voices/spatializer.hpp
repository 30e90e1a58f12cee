// spatialEnable (spec §2.13): azimuth/distance trajectories and the binaural-safe mid-only spatialiser.
#pragma once

#include <memory>

#include "resound/track/param_value.hpp"
#include "voices/post_processed_voice.hpp"

namespace resound::track::voices {

/// The spatialiser of a binaural_beat/isochronic_tone voice, or nullptr when `spatialEnable` is not truthy.
/// Only the mid signal (L+R)/√2 is placed (ITD head model or FOA cardioid decode), so the beat survives.
/// Thread contract: OFF.
std::unique_ptr<StreamProcessor> create_voice_spatializer(const ParamMap& params, double sample_rate_hz,
                                                         double duration_s, std::int64_t frames);

}  // namespace resound::track::voices
