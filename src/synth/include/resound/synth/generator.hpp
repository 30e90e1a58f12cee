// SF2 2.04 generators (§8.1): operator numbers, defaults, legal ranges and which may appear in presets.
#pragma once

#include <array>
#include <cstdint>

namespace resound::synth {

/// Generator operators of SF2 2.04 §8.1.2 (numbers as stored in the file).
enum Generator : std::uint16_t {
  kStartAddressOffset = 0, kEndAddressOffset = 1, kStartLoopAddressOffset = 2, kEndLoopAddressOffset = 3,
  kStartAddressCoarseOffset = 4, kModLfoToPitch = 5, kVibratoLfoToPitch = 6, kModEnvToPitch = 7,
  kInitialFilterFc = 8, kInitialFilterQ = 9, kModLfoToFilterFc = 10, kModEnvToFilterFc = 11,
  kEndAddressCoarseOffset = 12, kModLfoToVolume = 13, kChorusSend = 15, kReverbSend = 16, kPan = 17,
  kDelayModLfo = 21, kFrequencyModLfo = 22, kDelayVibratoLfo = 23, kFrequencyVibratoLfo = 24,
  kDelayModEnv = 25, kAttackModEnv = 26, kHoldModEnv = 27, kDecayModEnv = 28, kSustainModEnv = 29,
  kReleaseModEnv = 30, kKeyToModEnvHold = 31, kKeyToModEnvDecay = 32,
  kDelayVolEnv = 33, kAttackVolEnv = 34, kHoldVolEnv = 35, kDecayVolEnv = 36, kSustainVolEnv = 37,
  kReleaseVolEnv = 38, kKeyToVolEnvHold = 39, kKeyToVolEnvDecay = 40,
  kInstrument = 41, kKeyRange = 43, kVelocityRange = 44, kStartLoopAddressCoarseOffset = 45,
  kKeyNumber = 46, kVelocity = 47, kInitialAttenuation = 48, kEndLoopAddressCoarseOffset = 50,
  kCoarseTune = 51, kFineTune = 52, kSampleId = 53, kSampleModes = 54, kScaleTuning = 56,
  kExclusiveClass = 57, kOverridingRootKey = 58,
};

inline constexpr int kGeneratorCount = 61;

/// Per-generator facts from SF2 2.04 §8.1.3.
struct GeneratorInfo {
  std::int16_t default_value = 0;
  std::int16_t minimum = -32768;
  std::int16_t maximum = 32767;
  bool allowed_in_presets = true;  ///< sample addresses, key/velocity overrides, modes… are instrument-only
};

/// The table of all 61 generators (unused numbers get neutral entries).
const std::array<GeneratorInfo, kGeneratorCount>& generator_table() noexcept;

/// Default generator values (SF2 §8.1.3) as floats, ready to be overwritten by zones.
using GeneratorValues = std::array<float, kGeneratorCount>;
GeneratorValues default_generator_values() noexcept;

}  // namespace resound::synth
