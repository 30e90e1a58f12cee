// Voices not yet ported render silence (as unknown synth names do); listed in docs/track.md.
#include "voices/voice_families.hpp"

namespace resound::track::voices {

#define RESOUND_SILENT_VOICE(name) \
  Expected<std::unique_ptr<Voice>> name(const VoiceContext&, bool) { return std::unique_ptr<Voice>(); }

RESOUND_SILENT_VOICE(create_spatial_angle_voice)

}  // namespace resound::track::voices
