// Factories of the carrier-based voice families (binaural, isochronic, monaural, AM/waveshaping, QAM, SAM, subliminal).
#pragma once

#include "voices/voice.hpp"

namespace resound::track::voices {

Expected<std::unique_ptr<Voice>> create_binaural_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_isochronic_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_monaural_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_rhythmic_waveshaping_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_stereo_am_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_wave_shape_stereo_am_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_sam_monaural_voice(const VoiceContext& context, bool transition);

}  // namespace resound::track::voices

namespace resound::track::voices {

Expected<std::unique_ptr<Voice>> create_qam_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_hybrid_qam_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_spatial_angle_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_subliminal_voice(const VoiceContext& context, bool transition);
Expected<std::unique_ptr<Voice>> create_swept_notch_voice(const VoiceContext& context, bool transition);

}  // namespace resound::track::voices
