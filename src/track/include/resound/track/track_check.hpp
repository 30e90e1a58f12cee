// check_track: validates a loaded track without rendering it (voices, curves, noise and clip files).
#pragma once

#include <string>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

/// Builds every voice, the noise and the clips (reading clip files), and returns the loader's
/// warnings plus its own (unknown synth names, empty steps, …). An Error means the track cannot render.
/// Thread contract: OFF.
Expected<std::vector<std::string>> check_track(const LoadedTrack& track);

}  // namespace resound::track
