// resolve_zones: (preset, key, velocity) -> the voices to start, with generators summed and modulators merged (SF2 §9.4–9.5).
#pragma once

#include <span>

#include "resound/formats/soundfont.hpp"
#include "resound/synth/voice.hpp"

namespace resound::synth::detail {

/// Fills `out` with one VoiceSetup per matching (preset zone, instrument zone) pair and returns
/// how many; stops when `out` is full. `mod_wheel_depth_scale` scales the default mod-wheel →
/// vibrato modulator (RPN 5). Thread contract: RT-safe (no allocation).
std::size_t resolve_zones(const formats::SoundFont& font, const formats::SoundFontPreset& preset, int key, int velocity,
                          float mod_wheel_depth_scale, std::span<VoiceSetup> out) noexcept;

/// Sample indices every zone of `preset` can play (for decoding SF3 samples before playback).
/// Thread contract: CT/OFF.
void collect_preset_samples(const formats::SoundFont& font, const formats::SoundFontPreset& preset,
                            std::vector<std::size_t>& sample_indices);

}  // namespace resound::synth::detail
