// Zone resolution: instrument generators are absolute, preset generators add to them; modulators merge per §9.5.
#include "zone_resolver.hpp"

#include <algorithm>

namespace resound::synth::detail {
namespace {

// Merges a zone's stored modulators into `list`, translating linked destinations (indices into the
// zone's own list) to positions in the merged list.
void merge_zone_modulators(ModulatorList& list, const std::vector<formats::SoundFontModulator>& stored, bool replace) {
  std::array<std::size_t, kMaxVoiceModulators> positions{};
  const std::size_t count = std::min(stored.size(), kMaxVoiceModulators);
  for (std::size_t k = 0; k < count; ++k) {
    const Modulator modulator = Modulator::from_file(stored[k]);
    list.merge(modulator, replace);
    positions[k] = list.count;
    for (std::size_t i = 0; i < list.count; ++i)
      if (list.items[i].same_kind(modulator)) positions[k] = i;
  }
  for (std::size_t k = 0; k < count; ++k) {
    auto& merged = list.items[positions[k] < list.count ? positions[k] : 0];
    if (!merged.links_to_modulator()) continue;
    const std::size_t target = merged.destination & 0x7FFF;
    merged.destination = static_cast<std::uint16_t>(0x8000 | (target < count ? positions[target] : 0x7FFF));
  }
}

void apply_generators(GeneratorValues& values, const std::vector<formats::SoundFontGenerator>& generators) {
  for (const auto& generator : generators)
    if (generator.type < kGeneratorCount) values[generator.type] = generator.amount();
}

}  // namespace

std::size_t resolve_zones(const formats::SoundFont& font, const formats::SoundFontPreset& preset, int key, int velocity,
                          float mod_wheel_depth_scale, std::span<VoiceSetup> out) noexcept {
  std::size_t produced = 0;
  const auto& table = generator_table();
  for (const auto& preset_zone : preset.zones) {
    if (!preset_zone.matches(key, velocity)) continue;
    const auto& instrument = font.instruments()[static_cast<std::size_t>(preset_zone.link)];
    // The preset level: global zone, then local zone replacing it, as offsets.
    GeneratorValues preset_offsets{};
    if (preset.global_zone) apply_generators(preset_offsets, preset.global_zone->generators);
    apply_generators(preset_offsets, preset_zone.generators);
    ModulatorList preset_modulators;
    if (preset.global_zone) merge_zone_modulators(preset_modulators, preset.global_zone->modulators, true);
    merge_zone_modulators(preset_modulators, preset_zone.modulators, true);
    // A preset's global zone may narrow the key range too.
    if (preset.global_zone && !preset.global_zone->matches(key, velocity)) continue;

    for (const auto& zone : instrument.zones) {
      if (!zone.matches(key, velocity)) continue;
      if (instrument.global_zone && !instrument.global_zone->matches(key, velocity)) continue;
      if (produced == out.size()) return produced;
      VoiceSetup& setup = out[produced];
      setup.generators = default_generator_values();
      if (instrument.global_zone) apply_generators(setup.generators, instrument.global_zone->generators);
      apply_generators(setup.generators, zone.generators);
      for (int i = 0; i < kGeneratorCount; ++i) {
        if (table[i].allowed_in_presets) setup.generators[i] += preset_offsets[i];
        // Only the summed base values are clamped here; modulated values are clamped where used,
        // because modulators (the pitch wheel on fine tune) legitimately leave the base range.
        if (i != kFineTune && i != kCoarseTune && table[i].allowed_in_presets)
          setup.generators[i] = std::clamp(setup.generators[i], static_cast<float>(table[i].minimum),
                                           static_cast<float>(table[i].maximum));
      }
      setup.modulators.count = 0;
      for (const auto& modulator : default_modulators()) {
        setup.modulators.merge(modulator, true);
        // RPN 5 (modulation depth range) scales the default mod wheel → vibrato modulator.
        if (modulator.source.raw == (1 | 0x80) && modulator.destination == kVibratoLfoToPitch)
          setup.modulators.items[setup.modulators.count - 1].amount *= mod_wheel_depth_scale;
      }
      if (instrument.global_zone) merge_zone_modulators(setup.modulators, instrument.global_zone->modulators, true);
      merge_zone_modulators(setup.modulators, zone.modulators, true);
      for (std::size_t m = 0; m < preset_modulators.count; ++m) setup.modulators.merge(preset_modulators.items[m], false);
      setup.sample_index = static_cast<std::size_t>(zone.link);
      ++produced;
    }
  }
  return produced;
}

void collect_preset_samples(const formats::SoundFont& font, const formats::SoundFontPreset& preset,
                            std::vector<std::size_t>& sample_indices) {
  for (const auto& preset_zone : preset.zones)
    for (const auto& zone : font.instruments()[static_cast<std::size_t>(preset_zone.link)].zones)
      sample_indices.push_back(static_cast<std::size_t>(zone.link));
}

}  // namespace resound::synth::detail
