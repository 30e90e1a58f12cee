// Send effects for MidiSource: the reverb and chorus processors of resound::fx.
#pragma once

#include <memory>

#include "resound/core/processor.hpp"

namespace resound::synth::detail {

/// A 100 %-wet stereo reverb for the reverb send bus.
std::unique_ptr<Processor> make_reverb();
/// A 100 %-wet stereo chorus for the chorus send bus.
std::unique_ptr<Processor> make_chorus();

}  // namespace resound::synth::detail
