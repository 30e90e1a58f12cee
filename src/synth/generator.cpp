// The SF2 2.04 generator table: defaults and ranges (§8.1.3); ranges clamp values after modulation.
#include "resound/synth/generator.hpp"

namespace resound::synth {
namespace {

constexpr std::array<GeneratorInfo, kGeneratorCount> build_table() {
  std::array<GeneratorInfo, kGeneratorCount> table{};
  auto set = [&table](int index, int default_value, int minimum, int maximum, bool in_presets = true) {
    table[index] = {static_cast<std::int16_t>(default_value), static_cast<std::int16_t>(minimum),
                    static_cast<std::int16_t>(maximum), in_presets};
  };
  for (int address : {0, 1, 2, 3, 4, 12, 45, 50}) set(address, 0, -32768, 32767, false);
  set(kModLfoToPitch, 0, -12000, 12000);
  set(kVibratoLfoToPitch, 0, -12000, 12000);
  set(kModEnvToPitch, 0, -12000, 12000);
  set(kInitialFilterFc, 13500, 1500, 13500);
  set(kInitialFilterQ, 0, 0, 960);
  set(kModLfoToFilterFc, 0, -12000, 12000);
  set(kModEnvToFilterFc, 0, -12000, 12000);
  set(kModLfoToVolume, 0, -960, 960);
  set(kChorusSend, 0, 0, 1000);
  set(kReverbSend, 0, 0, 1000);
  set(kPan, 0, -500, 500);
  for (int delay : {kDelayModLfo, kDelayVibratoLfo, kDelayModEnv, kDelayVolEnv}) set(delay, -12000, -12000, 5000);
  set(kFrequencyModLfo, 0, -16000, 4500);
  set(kFrequencyVibratoLfo, 0, -16000, 4500);
  for (int time : {kAttackModEnv, kDecayModEnv, kReleaseModEnv, kAttackVolEnv, kDecayVolEnv, kReleaseVolEnv})
    set(time, -12000, -12000, 8000);
  set(kHoldModEnv, -12000, -12000, 5000);
  set(kHoldVolEnv, -12000, -12000, 5000);
  set(kSustainModEnv, 0, 0, 1000);
  set(kSustainVolEnv, 0, 0, 1440);
  for (int key_tracking : {kKeyToModEnvHold, kKeyToModEnvDecay, kKeyToVolEnvHold, kKeyToVolEnvDecay})
    set(key_tracking, 0, -1200, 1200);
  set(kKeyNumber, -1, -1, 127, false);
  set(kVelocity, -1, -1, 127, false);
  set(kInitialAttenuation, 0, 0, 1440);
  set(kCoarseTune, 0, -120, 120);
  set(kFineTune, 0, -99, 99);
  set(kSampleModes, 0, 0, 3, false);
  set(kScaleTuning, 100, 0, 1200);
  set(kExclusiveClass, 0, 0, 127, false);
  set(kOverridingRootKey, -1, -1, 127, false);
  return table;
}

constexpr auto kTable = build_table();

}  // namespace

const std::array<GeneratorInfo, kGeneratorCount>& generator_table() noexcept { return kTable; }

GeneratorValues default_generator_values() noexcept {
  GeneratorValues values{};
  for (int i = 0; i < kGeneratorCount; ++i) values[i] = kTable[i].default_value;
  return values;
}

}  // namespace resound::synth
