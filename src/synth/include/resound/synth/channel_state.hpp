// ChannelState: one MIDI channel's controllers, wheel, pressures, program/bank, RPN/NRPN and pedal state.
#pragma once

#include <array>
#include <cstdint>

#include "resound/synth/generator.hpp"

namespace resound::synth {

/// Which drum/bank conventions the synthesizer follows; set by GM/GS/XG reset sysex.
enum class BankMode : std::uint8_t { kGm, kGs, kXg };

/// Controller numbers the channel logic interprets itself (the rest act through modulators).
enum Controller : std::uint8_t {
  kBankSelectMsb = 0, kModulationWheel = 1, kDataEntryMsb = 6, kVolume = 7, kPanController = 10, kExpression = 11,
  kBankSelectLsb = 32, kDataEntryLsb = 38, kSustainPedal = 64, kSostenutoPedal = 66, kSoftPedal = 67,
  kDataIncrement = 96, kDataDecrement = 97, kNrpnLsb = 98, kNrpnMsb = 99, kRpnLsb = 100, kRpnMsb = 101,
  kAllSoundOff = 120, kResetAllControllers = 121, kAllNotesOff = 123, kOmniOff = 124, kOmniOn = 125, kMonoOn = 126,
  kPolyOn = 127,
};

/// A plain value: the Synthesizer owns 16 of them and changes them on the audio thread.
struct ChannelState {
  std::array<std::uint8_t, 128> controllers{};
  std::array<std::uint8_t, 128> poly_pressure{};
  int pitch_wheel = 8192;
  int channel_pressure = 0;
  int program = 0;
  int bank_msb = 0, bank_lsb = 0;
  bool is_drum = false;
  // RPN / NRPN: the selected parameter numbers (0x3FFF = none) and whether NRPN was selected last.
  int rpn = 0x3FFF, nrpn = 0x3FFF;
  bool nrpn_selected = false;
  int pitch_wheel_range_semitones = 2;  ///< RPN 0 MSB
  int pitch_wheel_range_cents = 0;      ///< RPN 0 LSB
  float fine_tuning_cents = 0.0f;       ///< RPN 1 (±100 cents)
  float coarse_tuning_semitones = 0.0f; ///< RPN 2
  int tuning_program = 0, tuning_bank = 0;  ///< RPN 3, 4 (recorded; Resound has no tuning tables yet)
  float modulation_depth_range_cents = 50.0f;  ///< RPN 5: mod wheel → vibrato depth (default 50 cents)
  /// SF2 NRPN (§9.6): offsets added to every generator of new and sounding voices.
  std::array<float, kGeneratorCount> nrpn_generator_offsets{};
  int nrpn_generator_base = 0;  ///< NRPN LSB 100/101/102 add 100/1000/10000 to the generator number

  /// Resets controllers as "Reset All Controllers" (CC 121) and GM recommend (volume, pan, expression kept by GM2… we follow GM1).
  void reset_controllers(bool drum) noexcept {
    controllers.fill(0);
    poly_pressure.fill(0);
    controllers[kVolume] = 100;
    controllers[kPanController] = 64;
    controllers[kExpression] = 127;
    pitch_wheel = 8192;
    channel_pressure = 0;
    rpn = nrpn = 0x3FFF;
    nrpn_selected = false;
    nrpn_generator_offsets.fill(0.0f);
    nrpn_generator_base = 0;
    is_drum = drum;
  }
  /// Full reset (power-on, GM/GS/XG reset sysex): controllers, program, bank, RPN values.
  void reset(bool drum) noexcept {
    reset_controllers(drum);
    program = 0;
    bank_msb = bank_lsb = 0;
    pitch_wheel_range_semitones = 2;
    pitch_wheel_range_cents = 0;
    fine_tuning_cents = coarse_tuning_semitones = 0.0f;
    tuning_program = tuning_bank = 0;
    modulation_depth_range_cents = 50.0f;
  }
};

}  // namespace resound::synth
