// Send effects: the synthesizer's reverb and chorus buses use fx's light SendReverb / SendChorus, 100 % wet.
#include "send_effects.hpp"

#include "resound/fx/send_effects.hpp"

namespace resound::synth::detail {

// resound::fx's AlgorithmicReverb and Chorus sound richer but cost several times the whole voice
// loop per frame; a send bus of a synthesizer needs a GM module's hall and chorus, cheaply.
std::unique_ptr<Processor> make_reverb() { return std::make_unique<fx::SendReverb>(); }

std::unique_ptr<Processor> make_chorus() { return std::make_unique<fx::SendChorus>(); }

}  // namespace resound::synth::detail
