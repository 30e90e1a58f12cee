// Send effects for MidiSource: the reverb and chorus processors of resound::fx, when the build has them.
#pragma once

#include <memory>

#include "resound/core/processor.hpp"

namespace resound::synth::detail {

/// A 100 %-wet stereo reverb for the reverb send bus, or null when none is available.
std::unique_ptr<Processor> make_reverb();
/// A 100 %-wet stereo chorus for the chorus send bus, or null when none is available.
std::unique_ptr<Processor> make_chorus();

}  // namespace resound::synth::detail
