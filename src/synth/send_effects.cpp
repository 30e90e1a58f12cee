// Send effects: none until resound::fx provides AlgorithmicReverb and Chorus; the send buses are then dropped.
#include "send_effects.hpp"

namespace resound::synth::detail {

std::unique_ptr<Processor> make_reverb() { return nullptr; }
std::unique_ptr<Processor> make_chorus() { return nullptr; }

}  // namespace resound::synth::detail
