// SF2 modulators (§8.2–8.4): source decoding and curves, the 10 default modulators, zone merging rules.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "resound/formats/soundfont.hpp"

namespace resound::synth {

/// What the modulator sources of one voice read: controllers, wheel, pressures, note values.
struct ModulatorInputs {
  const std::uint8_t* controllers = nullptr;  ///< 128 MIDI controller values of the channel
  int pitch_wheel = 8192;                     ///< 0…16383
  int pitch_wheel_sensitivity_semitones = 2;  ///< from RPN 0 (MSB; the LSB in cents is added as a fraction)
  float pitch_wheel_sensitivity_cents = 0.0f; ///< RPN 0 LSB
  int channel_pressure = 0;
  int poly_pressure = 0;
  int key = 60;
  int velocity = 100;
  // Not modulator sources, but channel state every voice reads together with them:
  float tuning_cents = 0.0f;  ///< RPN 1 fine + RPN 2 coarse tuning of the channel
  bool soft_pedal = false;    ///< CC 67 down
  const float* generator_offsets = nullptr;  ///< SF2 NRPN offsets of the channel (kGeneratorCount values) or null
};

/// A decoded modulator source (§8.2.1): controller index, CC flag, direction, polarity, curve.
struct ModulatorSource {
  std::uint16_t raw = 0;

  [[nodiscard]] int index() const noexcept { return raw & 0x7F; }
  [[nodiscard]] bool is_controller() const noexcept { return (raw & 0x80) != 0; }
  [[nodiscard]] bool is_none() const noexcept { return !is_controller() && index() == 0; }
  [[nodiscard]] bool is_link() const noexcept { return !is_controller() && index() == 127; }
  /// The source's value mapped through direction, polarity and curve: 0…1 (unipolar) or -1…1 (bipolar).
  [[nodiscard]] float map(float normalized) const noexcept;
  /// Reads the raw source value (0…1) from the inputs.
  [[nodiscard]] float read(const ModulatorInputs& inputs) const noexcept;
};

/// One modulator ready for evaluation.
struct Modulator {
  ModulatorSource source;
  ModulatorSource amount_source;
  std::uint16_t destination = 0;  ///< generator number, or 0x8000 | index of the modulator it links to
  float amount = 0.0f;
  bool absolute_value = false;    ///< transform 2: absolute value (§8.3)

  [[nodiscard]] bool links_to_modulator() const noexcept { return (destination & 0x8000) != 0; }
  /// Same sources, destination and transform: the identity rule of §9.5.1 (amounts may differ).
  [[nodiscard]] bool same_kind(const Modulator& other) const noexcept {
    return source.raw == other.source.raw && amount_source.raw == other.amount_source.raw &&
           destination == other.destination && absolute_value == other.absolute_value;
  }
  static Modulator from_file(const formats::SoundFontModulator& stored) noexcept;
};

/// The 10 default modulators of SF2 2.04 §8.4.
std::span<const Modulator> default_modulators() noexcept;

/// Most modulators one voice keeps (defaults + instrument + preset); extra file modulators are dropped.
inline constexpr std::size_t kMaxVoiceModulators = 64;

/// A voice's modulators, merged per §9.5: instrument-level modulators replace identical defaults
/// (local replacing global), preset-level ones add on top. Fixed capacity: no allocation.
struct ModulatorList {
  std::array<Modulator, kMaxVoiceModulators> items{};
  std::size_t count = 0;

  /// Adds `modulator`, replacing an identical one when `replace` (instrument level) or summing
  /// amounts with an identical one otherwise (preset level).
  void merge(const Modulator& modulator, bool replace) noexcept;
  /// Evaluates every modulator and adds its output to `generator_offsets` (indexed by generator).
  /// Linked modulators feed their output to the primary source of the modulator they point at.
  void evaluate(const ModulatorInputs& inputs, std::span<float> generator_offsets) const noexcept;
  /// The lowest total the modulators aimed at generator `destination` could still add while the
  /// note plays: sources fixed for a note (velocity, key number) keep their values from `inputs`,
  /// every other source (controllers, wheel, pressures) may take any value. A linked modulator
  /// into `destination` has no known range: the result is then -infinity.
  [[nodiscard]] float lowest_output(int destination, const ModulatorInputs& inputs) const noexcept;
};

}  // namespace resound::synth
