// Send effects: the synthesizer's light FDN hall and stereo chorus (send_reverb.hpp), 100 % wet.
#include "send_effects.hpp"

#include "send_reverb.hpp"

namespace resound::synth::detail {

// resound::fx's AlgorithmicReverb and Chorus sound richer but cost several times the whole voice
// loop per frame; a send bus of a synthesizer needs a GM module's hall and chorus, cheaply.
std::unique_ptr<Processor> make_reverb() { return std::make_unique<SendReverb>(); }

std::unique_ptr<Processor> make_chorus() { return std::make_unique<SendChorus>(); }

}  // namespace resound::synth::detail
