// Voice construction as generate_voice_audio: transition-name resolution, synth lookup, envelope or de-click.
#include <algorithm>
#include <array>
#include <string_view>

#include "voices/envelope_voice.hpp"
#include "voices/flanger.hpp"
#include "voices/post_processed_voice.hpp"
#include "voices/spatializer.hpp"
#include "voices/voice.hpp"
#include "voices/voice_families.hpp"
#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

using Factory = Expected<std::unique_ptr<Voice>> (*)(const VoiceContext&, bool);

struct SynthEntry {
  std::string_view base_name;
  Factory factory;
  bool has_transition;
};

constexpr std::array<SynthEntry, 12> kSynths = {{
    {"binaural_beat", create_binaural_voice, true},
    {"isochronic_tone", create_isochronic_voice, true},
    {"monaural_beat_stereo_amps", create_monaural_voice, true},
    {"rhythmic_waveshaping", create_rhythmic_waveshaping_voice, true},
    {"stereo_am_independent", create_stereo_am_voice, true},
    {"wave_shape_stereo_am", create_wave_shape_stereo_am_voice, true},
    {"qam_beat", create_qam_voice, true},
    {"hybrid_qam_monaural_beat", create_hybrid_qam_voice, true},
    {"spatial_angle_modulation", create_spatial_angle_voice, true},
    {"spatial_angle_modulation_monaural_beat", create_sam_monaural_voice, true},
    {"subliminal_encode", create_subliminal_voice, false},
    {"generate_swept_notch_pink_sound", create_swept_notch_voice, true},
}};

constexpr std::string_view kTransitionSuffix = "_transition";

bool ends_with_transition(std::string_view name) {
  return name.size() > kTransitionSuffix.size() && name.substr(name.size() - kTransitionSuffix.size()) == kTransitionSuffix;
}

const SynthEntry* find_entry(std::string_view name, bool& transition) {
  transition = ends_with_transition(name);
  const std::string_view base = transition ? name.substr(0, name.size() - kTransitionSuffix.size()) : name;
  for (const auto& entry : kSynths)
    if (entry.base_name == base && (!transition || entry.has_transition)) return &entry;
  return nullptr;
}

/// is_transition overrides the name when the other variant exists (spec §1.4).
std::string resolve_name(const VoiceSpec& spec) {
  const std::string& name = spec.synth_function_name;
  bool transition = false;
  if (spec.is_transition && !ends_with_transition(name)) {
    std::string candidate = name + std::string(kTransitionSuffix);
    if (find_entry(candidate, transition) != nullptr) return candidate;
  } else if (!spec.is_transition && ends_with_transition(name)) {
    std::string candidate = name.substr(0, name.size() - kTransitionSuffix.size());
    if (find_entry(candidate, transition) != nullptr) return candidate;
  }
  return name;
}

}  // namespace

bool is_known_synth(const std::string& name) {
  bool transition = false;
  return find_entry(name, transition) != nullptr;
}

void Voice::render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
  std::array<float, kChunkFrames> chunk_left, chunk_right;
  for (std::size_t done = 0; done < left.size(); done += kChunkFrames) {
    const std::size_t count = std::min(kChunkFrames, left.size() - done);
    render(first + static_cast<std::int64_t>(done), std::span<float>(chunk_left.data(), count),
           std::span<float>(chunk_right.data(), count));
    add_into(left.subspan(done, count), chunk_left.data());
    add_into(right.subspan(done, count), chunk_right.data());
  }
}

Expected<std::unique_ptr<Voice>> create_synth_voice(const std::string& name, const VoiceContext& context) {
  bool transition = false;
  const SynthEntry* entry = find_entry(name, transition);
  if (entry == nullptr) return std::unique_ptr<Voice>();
  auto voice = entry->factory(context, transition);
  if (!voice || !*voice) return voice;
  // spatialEnable is part of the binaural and isochronic synths (applied after synthesis, before the envelope).
  if (entry->base_name == "binaural_beat" || entry->base_name == "isochronic_tone")
    return make_post_processed_voice(std::move(*voice), create_voice_spatializer(context.params, context.sample_rate_hz,
                                                                                  context.duration_s, context.frames));
  return voice;
}

Expected<std::unique_ptr<Voice>> create_voice(const VoiceSpec& spec, double sample_rate_hz, double duration_s,
                                              std::uint64_t seed) {
  const auto frames = static_cast<std::int64_t>(duration_s * sample_rate_hz);
  VoiceContext context{spec.params, sample_rate_hz, duration_s, frames, seed};
  auto synth = create_synth_voice(resolve_name(spec), context);
  if (!synth) return synth.error();
  if (!*synth) return synth;
  // generate_voice_audio's order: synth, envelope, flanger, then the de-click when there is no envelope.
  auto voice = apply_envelope(std::move(*synth), spec.volume_envelope, sample_rate_hz);
  auto flanger = create_voice_flanger(spec.params, spec.is_transition, sample_rate_hz, duration_s, frames);
  if (!flanger) return flanger.error();
  voice = make_post_processed_voice(std::move(voice), std::move(*flanger));
  if (!spec.volume_envelope) voice = apply_declick(std::move(voice), sample_rate_hz);
  return voice;
}

}  // namespace resound::track::voices
