// Send effects: resound::fx's AlgorithmicReverb and Chorus, 100 % wet, tuned like a GM module's defaults.
#include "send_effects.hpp"

#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/chorus.hpp"

namespace resound::synth::detail {

std::unique_ptr<Processor> make_reverb() {
  fx::ReverbParameters parameters;
  // A medium hall: GM files set CC91 ≈ 40 expecting a module's default hall (≈ 2 s).
  parameters.room_size = 0.6;
  parameters.decay_s = 2.0;
  parameters.damping = 0.4;
  parameters.predelay_s = 0.01;
  parameters.width = 1.0;
  parameters.mix = 1.0;  // send effect: wet only, the dry signal is on the dry bus
  return std::make_unique<fx::AlgorithmicReverb>(parameters);
}

std::unique_ptr<Processor> make_chorus() {
  fx::ChorusParameters parameters;
  parameters.rate_hz = 0.3;
  parameters.depth_ms = 3.0;
  parameters.delay_ms = 12.0;
  parameters.voices = 3;
  parameters.mix = 1.0;
  return std::make_unique<fx::Chorus>(parameters);
}

}  // namespace resound::synth::detail
