// Modulator evaluation per SF2 2.04 §8.2–8.4, including linked modulators (§8.2.1 source 127).
#include "resound/synth/modulator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "resound/synth/generator.hpp"

namespace resound::synth {
namespace {

// SF2 concave curve: 40 dB per decade of velocity, as in §8.2.1 (-20/96 · log10(x²)).
float concave(float x) noexcept {
  if (x <= 0.0f) return 0.0f;
  if (x >= 1.0f) return 1.0f;
  return std::clamp(-(40.0f / 96.0f) * std::log10(1.0f - x), 0.0f, 1.0f);
}
float convex(float x) noexcept { return 1.0f - concave(1.0f - x); }

constexpr std::uint16_t source(int index, bool controller, bool negative, bool bipolar, int curve) {
  return static_cast<std::uint16_t>(index | (controller ? 0x80 : 0) | (negative ? 0x100 : 0) | (bipolar ? 0x200 : 0) |
                                    (curve << 10));
}
constexpr int kLinear = 0, kConcave = 1, kSwitch = 3;
constexpr int kVelocitySource = 2, kChannelPressureSource = 13, kPitchWheelSource = 14, kWheelSensitivitySource = 16;

Modulator make(std::uint16_t primary, std::uint16_t secondary, std::uint16_t destination, float amount) {
  Modulator modulator;
  modulator.source.raw = primary;
  modulator.amount_source.raw = secondary;
  modulator.destination = destination;
  modulator.amount = amount;
  return modulator;
}

const std::array<Modulator, 10> kDefaults = {
    make(source(kVelocitySource, false, true, false, kConcave), 0, kInitialAttenuation, 960.0f),
    make(source(kVelocitySource, false, true, false, kLinear), source(kVelocitySource, false, false, false, kSwitch),
         kInitialFilterFc, -2400.0f),
    make(source(kChannelPressureSource, false, false, false, kLinear), 0, kVibratoLfoToPitch, 50.0f),
    make(source(1, true, false, false, kLinear), 0, kVibratoLfoToPitch, 50.0f),
    make(source(7, true, true, false, kConcave), 0, kInitialAttenuation, 960.0f),
    // §8.4.6 says 1000, which would reach only half the pan range per side in 0.1 % units;
    // 500 maps CC10 0…127 onto the full -500…+500 range as every player does.
    make(source(10, true, false, true, kLinear), 0, kPan, 500.0f),
    make(source(11, true, true, false, kConcave), 0, kInitialAttenuation, 960.0f),
    make(source(91, true, false, false, kLinear), 0, kReverbSend, 200.0f),
    make(source(93, true, false, false, kLinear), 0, kChorusSend, 200.0f),
    make(source(kPitchWheelSource, false, false, true, kLinear),
         source(kWheelSensitivitySource, false, false, false, kLinear), kFineTune, 12700.0f),
};

}  // namespace

float ModulatorSource::map(float x) const noexcept {
  if (raw & 0x100) x = 1.0f - x;
  const int curve = (raw >> 10) & 0x3F;
  const bool bipolar = (raw & 0x200) != 0;
  if (!bipolar) {
    switch (curve) {
      case 1: return concave(x);
      case 2: return convex(x);
      case 3: return x >= 0.5f ? 1.0f : 0.0f;
      default: return x;
    }
  }
  // Bipolar curves are the unipolar ones mirrored around the centre (§8.2.1).
  const float centred = 2.0f * x - 1.0f;
  switch (curve) {
    case 1: return centred >= 0.0f ? concave(centred) : -concave(-centred);
    case 2: return centred >= 0.0f ? convex(centred) : -convex(-centred);
    case 3: return x >= 0.5f ? 1.0f : -1.0f;
    default: return centred;
  }
}

float ModulatorSource::read(const ModulatorInputs& inputs) const noexcept {
  if (is_controller()) return inputs.controllers ? inputs.controllers[index()] / 128.0f : 0.0f;
  switch (index()) {
    case 0: return 1.0f;  // "no controller" as amount source means full amount
    case 2: return inputs.velocity / 128.0f;
    case 3: return inputs.key / 128.0f;
    case 10: return inputs.poly_pressure / 128.0f;
    case 13: return inputs.channel_pressure / 128.0f;
    case 14: return inputs.pitch_wheel / 16384.0f;
    // Range 127 (not 128) so that amount 12700 gives exactly 100 cents per semitone of range.
    case 16: return (inputs.pitch_wheel_sensitivity_semitones + inputs.pitch_wheel_sensitivity_cents / 100.0f) / 127.0f;
    default: return 0.0f;
  }
}

Modulator Modulator::from_file(const formats::SoundFontModulator& stored) noexcept {
  Modulator modulator;
  modulator.source.raw = stored.source;
  modulator.amount_source.raw = stored.amount_source;
  modulator.destination = stored.destination;
  modulator.amount = stored.amount;
  modulator.absolute_value = stored.transform == 2;
  return modulator;
}

std::span<const Modulator> default_modulators() noexcept { return kDefaults; }

void ModulatorList::merge(const Modulator& modulator, bool replace) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (!items[i].same_kind(modulator)) continue;
    if (replace)
      items[i] = modulator;
    else
      items[i].amount += modulator.amount;
    return;
  }
  if (count < items.size()) items[count++] = modulator;
}

void ModulatorList::evaluate(const ModulatorInputs& inputs, std::span<float> generator_offsets) const noexcept {
  std::array<float, kMaxVoiceModulators> linked_input{};
  // Linked chains point forward or backward; evaluating in passes until stable would allow
  // cycles. One pass in list order, sources first, handles the chains real banks use (the link
  // target appears after its sources), and cycles simply see 0.
  for (std::size_t i = 0; i < count; ++i) {
    const Modulator& modulator = items[i];
    float primary;
    if (modulator.source.is_link()) {
      primary = linked_input[i];
    } else {
      if (modulator.source.is_none()) continue;  // no primary source: contributes nothing (§8.2.1)
      primary = modulator.source.map(modulator.source.read(inputs));
    }
    const float secondary = modulator.amount_source.is_none()
                                ? 1.0f
                                : modulator.amount_source.map(modulator.amount_source.read(inputs));
    float output = primary * secondary * modulator.amount;
    if (modulator.absolute_value) output = std::fabs(output);
    if (modulator.links_to_modulator()) {
      const std::size_t target = modulator.destination & 0x7FFF;
      if (target < count && target > i) linked_input[target] += output;
    } else if (modulator.destination < generator_offsets.size()) {
      generator_offsets[modulator.destination] += output;
    }
  }
}

namespace {

// The range of a mapped source: exact for note-fixed sources (none, velocity, key number), else
// the whole range its polarity allows.
std::pair<float, float> source_range(const ModulatorSource& source, const ModulatorInputs& inputs) noexcept {
  if (source.is_none()) return {1.0f, 1.0f};
  if (!source.is_controller() && (source.index() == kVelocitySource || source.index() == 3)) {
    const float value = source.map(source.read(inputs));
    return {value, value};
  }
  return (source.raw & 0x200) != 0 ? std::pair{-1.0f, 1.0f} : std::pair{0.0f, 1.0f};
}

}  // namespace

float ModulatorList::lowest_output(int destination, const ModulatorInputs& inputs) const noexcept {
  float lowest = 0.0f;
  for (std::size_t i = 0; i < count; ++i) {
    const Modulator& modulator = items[i];
    if (modulator.links_to_modulator() || modulator.destination != destination) continue;
    if (modulator.source.is_link()) return -std::numeric_limits<float>::infinity();
    if (modulator.source.is_none()) continue;
    const auto [primary_low, primary_high] = source_range(modulator.source, inputs);
    const auto [secondary_low, secondary_high] = source_range(modulator.amount_source, inputs);
    const float corners[4] = {primary_low * secondary_low, primary_low * secondary_high, primary_high * secondary_low,
                              primary_high * secondary_high};
    float low = modulator.amount * corners[0], high = low;
    for (float corner : corners) {
      low = std::min(low, modulator.amount * corner);
      high = std::max(high, modulator.amount * corner);
    }
    if (modulator.absolute_value) low = low <= 0.0f && high >= 0.0f ? 0.0f : std::min(std::fabs(low), std::fabs(high));
    lowest += low;
  }
  return lowest;
}

}  // namespace resound::synth
