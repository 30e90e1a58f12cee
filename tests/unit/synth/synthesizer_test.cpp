// Synthesizer semantics measured on audio: tuning, velocity curve, pedals, exclusive class, drums, loops, pitch bend.
#include <gtest/gtest.h>

#include <cmath>

#include "resound/synth/generator.hpp"
#include "resound_test/signals.hpp"
#include "synth_test_support.hpp"

namespace resound::synth {
namespace {

using test::amount;
using test::sine_sample;

constexpr double kRate = 44100.0;
// A 100-frame period at 44.1 kHz: 441 Hz at the root key 69 (A4).
constexpr double kRootHz = 441.0;

SynthesizerOptions options_at(double rate = kRate) {
  SynthesizerOptions options;
  options.sample_rate_hz = rate;
  options.gain_db = 0.0f;
  return options;
}

double cents(double measured_hz, double expected_hz) { return 1200.0 * std::log2(measured_hz / expected_hz); }

// Pitch of `key` after 0.1 s of sustain, over 0.5 s.
double rendered_hz(Synthesizer& synthesizer, int key) {
  synthesizer.note_on(0, key, 100);
  auto audio = test::render_synth(synthesizer, static_cast<std::size_t>(0.6 * kRate));
  synthesizer.note_off(0, key);
  (void)test::render_synth(synthesizer, static_cast<std::size_t>(0.2 * kRate));
  const auto tone = audio.channel(0).subspan(static_cast<std::size_t>(0.1 * kRate));
  return test::measure_frequency_hz(tone, kRate);
}

TEST(SynthesizerTuning, EveryPianoKeyWithinOneCent) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  ASSERT_TRUE(font);
  Synthesizer synthesizer(font, options_at());
  double worst = 0.0;
  for (int key = 21; key <= 108; ++key) {
    const double expected = kRootHz * std::exp2((key - 69) / 12.0);
    const double error = std::fabs(cents(rendered_hz(synthesizer, key), expected));
    worst = std::max(worst, error);
    EXPECT_LT(error, 1.0) << "key " << key;
  }
  RecordProperty("worst_cents", std::to_string(worst));
}

TEST(SynthesizerTuning, RootKeyCoarseFineScaleTuningAndCorrection) {
  auto sample = sine_sample(100.0, 40, 60);  // root key 60 -> 441 Hz at key 60
  sample.correction_cents = -7;
  auto font = test::load_font(test::single_preset_soundfont(
      {sample}, {{kSampleModes, 1}, {kCoarseTune, amount(2)}, {kFineTune, amount(15)}, {kScaleTuning, 50}}));
  ASSERT_TRUE(font);
  Synthesizer synthesizer(font, options_at());
  for (int key : {48, 60, 72, 84}) {
    const double expected_cents = 50.0 * (key - 60) + 200.0 + 15.0 - 7.0;
    const double expected = kRootHz * std::exp2(expected_cents / 1200.0);
    EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, key), expected)), 1.0) << "key " << key;
  }
}

TEST(SynthesizerTuning, OtherOutputRateKeepsPitch) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  Synthesizer synthesizer(font, options_at(48000.0));
  synthesizer.note_on(0, 81, 100);
  auto audio = test::render_synth(synthesizer, 24000);
  EXPECT_LT(std::fabs(cents(test::measure_frequency_hz(audio.channel(0).subspan(4800), 48000.0), 2 * kRootHz)), 1.0);
}

TEST(SynthesizerPitchBend, FollowsRpn0Range) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  Synthesizer synthesizer(font, options_at());
  // Default range: 2 semitones; full bend up = +2 × 8191/8192 semitones.
  synthesizer.pitch_bend(0, 16383);
  EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, 69), kRootHz) - 200.0 * 8191.0 / 8192.0), 1.0);
  // RPN 0 = 12 semitones, then bend down fully (-12 semitones).
  synthesizer.control_change(0, 101, 0);
  synthesizer.control_change(0, 100, 0);
  synthesizer.control_change(0, 6, 12);
  synthesizer.control_change(0, 38, 0);
  synthesizer.pitch_bend(0, 0);
  EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, 69), kRootHz) + 1200.0), 1.0);
  // RPN 2 coarse tuning +3 semitones with the wheel centred.
  synthesizer.pitch_bend(0, 8192);
  synthesizer.control_change(0, 100, 2);
  synthesizer.control_change(0, 6, 67);
  EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, 69), kRootHz) - 300.0), 1.0);
}

void send_rpn(Synthesizer& synthesizer, int rpn, int msb, int lsb) {
  synthesizer.control_change(0, 101, rpn >> 7);
  synthesizer.control_change(0, 100, rpn & 0x7F);
  synthesizer.control_change(0, 6, msb);
  synthesizer.control_change(0, 38, lsb);
}

// Spread (max - min) of the pitch in cents over 20 ms windows of 1 s with the mod wheel full up.
double vibrato_spread_cents(Synthesizer& synthesizer) {
  synthesizer.control_change(0, 1, 127);
  synthesizer.note_on(0, 69, 100);
  auto audio = test::render_synth(synthesizer, static_cast<std::size_t>(1.2 * kRate));
  synthesizer.note_off(0, 69);
  synthesizer.control_change(0, 1, 0);
  (void)test::render_synth(synthesizer, static_cast<std::size_t>(0.2 * kRate));
  double low = 1e9, high = -1e9;
  const auto window = static_cast<std::size_t>(0.02 * kRate);
  for (std::size_t start = static_cast<std::size_t>(0.2 * kRate); start + window <= audio.frame_count(); start += window / 2) {
    const double pitch = cents(test::measure_frequency_hz(audio.channel(0).subspan(start, window), kRate), kRootHz);
    low = std::min(low, pitch);
    high = std::max(high, pitch);
  }
  return high - low;
}

TEST(SynthesizerRpn, FineTuningTuningProgramBankAndModulationDepth) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  Synthesizer synthesizer(font, options_at());
  // RPN 1: 14-bit fine tuning, 8192 = centre, ±8192 = ±100 cents: 12288 -> +50 cents.
  send_rpn(synthesizer, 1, 96, 0);
  EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, 69), kRootHz) - 50.0), 1.0);
  send_rpn(synthesizer, 1, 64, 0);
  EXPECT_LT(std::fabs(cents(rendered_hz(synthesizer, 69), kRootHz)), 1.0);
  // RPN 3 / 4: tuning program and bank select are recorded per channel (no tuning tables yet).
  send_rpn(synthesizer, 3, 5, 0);
  send_rpn(synthesizer, 4, 2, 0);
  EXPECT_EQ(synthesizer.channel(0).tuning_program, 5);
  EXPECT_EQ(synthesizer.channel(0).tuning_bank, 2);
  // RPN 5: modulation depth range scales the mod wheel's vibrato (default 50 cents): 200 cents
  // gives four times the pitch swing.
  const double default_spread = vibrato_spread_cents(synthesizer);
  send_rpn(synthesizer, 5, 2, 0);
  EXPECT_FLOAT_EQ(synthesizer.channel(0).modulation_depth_range_cents, 200.0f);
  const double wide_spread = vibrato_spread_cents(synthesizer);
  EXPECT_GT(default_spread, 40.0);
  EXPECT_NEAR(wide_spread / default_spread, 4.0, 0.6);
  RecordProperty("vibrato_spread_cents", std::to_string(default_spread) + " / " + std::to_string(wide_spread));
  // RPN null (127/127) deselects: data entry changes nothing.
  send_rpn(synthesizer, 0x3FFF, 10, 0);
  EXPECT_FLOAT_EQ(synthesizer.channel(0).modulation_depth_range_cents, 200.0f);
}

TEST(SynthesizerVelocity, FollowsTheDefaultConcaveCurve) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  Synthesizer synthesizer(font, options_at());
  auto level_at = [&](int velocity) {
    synthesizer.note_on(0, 69, velocity);
    auto audio = test::render_synth(synthesizer, 22050);
    synthesizer.note_off(0, 69);
    (void)test::render_synth(synthesizer, 22050);
    return test::rms_of(audio.channel(0).subspan(8000));
  };
  const double loud = level_at(127);
  for (int velocity : {100, 64, 32, 8}) {
    // SF2 default modulator: 960 cB × concave(1 - v/128) = 40 log10(v/128) dB.
    const double expected_db = 40.0 * std::log10(velocity / 128.0) - 40.0 * std::log10(127.0 / 128.0);
    EXPECT_NEAR(20.0 * std::log10(level_at(velocity) / loud), expected_db, 0.2) << "velocity " << velocity;
  }
}

TEST(SynthesizerPedals, SustainHoldsAndReleases) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)},
                                                            {{kSampleModes, 1}, {kReleaseVolEnv, amount(-2400)}}));
  Synthesizer synthesizer(font, options_at());
  synthesizer.control_change(0, 64, 127);
  synthesizer.note_on(0, 69, 100);
  (void)test::render_synth(synthesizer, 4410);
  synthesizer.note_off(0, 69);
  auto held = test::render_synth(synthesizer, 22050);
  EXPECT_GT(test::rms_of(held.channel(0).subspan(17640)), 0.05);  // still sounding 0.4 s after note-off
  synthesizer.control_change(0, 64, 0);
  auto released = test::render_synth(synthesizer, 22050);
  EXPECT_LT(test::rms_of(released.channel(0).subspan(17640)), 1e-4);  // gone after the 0.25 s release
  EXPECT_EQ(synthesizer.statistics().active_voices, 0u);
}

TEST(SynthesizerPedals, SostenutoHoldsOnlyNotesDownWhenPressed) {
  auto low = sine_sample(100.0, 40, 69);   // 441 Hz
  auto high = sine_sample(50.0, 80, 69);   // 882 Hz
  test::TestInstrument instrument;
  instrument.zones.push_back({{{kKeyRange, test::range(0, 63)}, {kOverridingRootKey, 60}, {kSampleModes, 1}}, {}, 0});
  instrument.zones.push_back({{{kKeyRange, test::range(64, 127)}, {kOverridingRootKey, 72}, {kSampleModes, 1}}, {}, 1});
  test::TestPreset preset;
  preset.zones.push_back({{}, {}, 0});
  auto font = test::load_font(test::build_soundfont({low, high}, {instrument}, {preset}));
  ASSERT_TRUE(font);
  Synthesizer synthesizer(font, options_at());
  synthesizer.note_on(0, 60, 100);        // 441 Hz, held when the pedal goes down
  (void)test::render_synth(synthesizer, 2205);
  synthesizer.control_change(0, 66, 127);
  synthesizer.note_on(0, 72, 100);        // 882 Hz, pressed after the pedal
  (void)test::render_synth(synthesizer, 2205);
  synthesizer.note_off(0, 60);
  synthesizer.note_off(0, 72);
  auto audio = test::render_synth(synthesizer, 44100);
  const auto late = audio.channel(0).subspan(22050, 8192);
  EXPECT_GT(test::tone_amplitude(late, 441.0, kRate), 0.05);
  EXPECT_LT(test::tone_amplitude(late, 882.0, kRate), 1e-3);
  synthesizer.control_change(0, 66, 0);
  auto after = test::render_synth(synthesizer, 44100);
  EXPECT_LT(test::tone_amplitude(after.channel(0).subspan(30000, 8192), 441.0, kRate), 1e-3);
}

// A drum kit (bank 128) where key 42 (closed hi-hat, 882 Hz) and 46 (open hi-hat, 441 Hz) share
// exclusive class 1, and a melodic preset at 1323 Hz.
std::shared_ptr<const formats::SoundFont> drum_font() {
  auto open_hat = sine_sample(100.0, 40, 46);
  auto closed_hat = sine_sample(50.0, 80, 42);
  auto melodic = sine_sample(100.0 / 3.0, 120, 60);
  test::TestInstrument kit;
  kit.zones.push_back({{{kKeyRange, test::range(46, 46)}, {kExclusiveClass, 1}, {kSampleModes, 1}}, {}, 0});
  kit.zones.push_back({{{kKeyRange, test::range(42, 42)}, {kExclusiveClass, 1}, {kSampleModes, 1}}, {}, 1});
  test::TestInstrument lead;
  lead.zones.push_back({{{kSampleModes, 1}}, {}, 2});
  test::TestPreset drums;
  drums.bank = 128;
  drums.zones.push_back({{}, {}, 0});
  test::TestPreset melody;
  melody.zones.push_back({{}, {}, 1});
  return test::load_font(test::build_soundfont({open_hat, closed_hat, melodic}, {kit, lead}, {melody, drums}));
}

TEST(SynthesizerDrums, ExclusiveClassClosedHatCutsOpenHat) {
  auto font = drum_font();
  ASSERT_TRUE(font);
  Synthesizer synthesizer(font, options_at());
  synthesizer.note_on(9, 46, 100);
  auto open = test::render_synth(synthesizer, 8820);
  EXPECT_GT(test::tone_amplitude(open.channel(0).subspan(4410, 4096), 441.0, kRate), 0.05);
  synthesizer.note_on(9, 42, 100);
  auto after = test::render_synth(synthesizer, 8820);
  const auto tail = after.channel(0).subspan(4410, 4096);  // 100 ms later
  EXPECT_LT(test::tone_amplitude(tail, 441.0, kRate), 1e-4);
  EXPECT_GT(test::tone_amplitude(tail, 882.0, kRate), 0.05);
}

TEST(SynthesizerDrums, ChannelTenPlaysTheDrumBank) {
  auto font = drum_font();
  Synthesizer synthesizer(font, options_at());
  synthesizer.note_on(9, 46, 100);   // drum bank: 441 Hz
  synthesizer.note_on(0, 60, 100);   // melodic bank 0: 1323 Hz
  auto audio = test::render_synth(synthesizer, 8820);
  const auto part = audio.channel(0).subspan(4410, 4096);
  EXPECT_GT(test::tone_amplitude(part, 441.0, kRate), 0.05);
  EXPECT_GT(test::tone_amplitude(part, 1323.0, kRate), 0.05);
  // A GS "use for rhythm part" message turns channel 1 into a drum channel too.
  const std::uint8_t rhythm[] = {0x41, 0x10, 0x42, 0x12, 0x40, 0x11, 0x15, 0x01, 0x19, 0xF7};
  synthesizer.system_exclusive(rhythm);
  EXPECT_TRUE(synthesizer.channel(0).is_drum);
  EXPECT_EQ(synthesizer.preset_for(0)->bank, 128);
}

TEST(SynthesizerLoops, LoopIsClickFree) {
  // Played a semitone above its root, read positions fall between frames and cross the loop join
  // at every fractional phase.
  auto sample = sine_sample(64.0, 50, 69);
  auto font = test::load_font(test::single_preset_soundfont({sample}, {{kSampleModes, 1}}));
  for (auto interpolation : {Interpolation::kLinear, Interpolation::kCubic, Interpolation::kSinc}) {
    auto options = options_at();
    options.interpolation = interpolation;
    Synthesizer synthesizer(font, options);
    synthesizer.note_on(0, 70, 127);  // a semitone up: positions fall between frames
    auto audio = test::render_synth(synthesizer, 88200);
    const auto tone = audio.channel(0).subspan(4410);
    float peak = 0.0f, worst = 0.0f;
    for (std::size_t i = 1; i + 1 < tone.size(); ++i) {
      peak = std::max(peak, std::fabs(tone[i]));
      worst = std::max(worst, std::fabs(tone[i + 1] - 2.0f * tone[i] + tone[i - 1]));
    }
    // For a sine the second difference is peak × (2π f / rate)²; a click would be many times that.
    const double frequency = 44100.0 / 64.0 * std::exp2(1.0 / 12.0);
    const double smooth = peak * std::pow(2.0 * std::numbers::pi * frequency / kRate, 2.0);
    EXPECT_LT(worst, 1.2 * smooth + 1e-4) << "interpolation " << static_cast<int>(interpolation);
  }
}

// Level (dB) of A4 after `controller` is set to `value`, relative to the controller at 0.
double level_change_db(const std::shared_ptr<const formats::SoundFont>& font, int controller, int value) {
  Synthesizer synthesizer(font, options_at());
  auto level = [&] {
    synthesizer.note_on(0, 69, 127);
    auto audio = test::render_synth(synthesizer, 22050);
    synthesizer.note_off(0, 69);
    (void)test::render_synth(synthesizer, 44100);
    return test::rms_of(audio.channel(0).subspan(8000));
  };
  const double reference = level();
  synthesizer.control_change(0, controller, value);
  return 20.0 * std::log10(level() / reference);
}

TEST(SynthesizerModulators, FileModulatorAndLinkedModulatorReachAttenuation) {
  // Modulator 0: CC21 (linear, unipolar) -> initial attenuation, 200 cB.
  // Modulator 1: CC22 -> linked into modulator 2 (destination 0x8000 | 2), amount 100.
  // Modulator 2: source = link (127) -> initial attenuation, amount 1: attenuation = mod 1's output.
  test::TestZone zone;
  zone.generators = {{kSampleModes, 1}};
  zone.modulators.push_back({static_cast<std::uint16_t>(0x80 | 21), kInitialAttenuation, 200, 0, 0});
  zone.modulators.push_back({static_cast<std::uint16_t>(0x80 | 22), 0x8002, 100, 0, 0});
  zone.modulators.push_back({127, kInitialAttenuation, 1, 0, 0});
  zone.link = 0;
  test::TestInstrument instrument;
  instrument.zones.push_back(zone);
  test::TestPreset preset;
  preset.zones.push_back({{}, {}, 0});
  auto font = test::load_font(test::build_soundfont({sine_sample(100.0, 40, 69)}, {instrument}, {preset}));
  ASSERT_TRUE(font);
  EXPECT_NEAR(level_change_db(font, 21, 127), -20.0 * 127.0 / 128.0, 0.1);
  EXPECT_NEAR(level_change_db(font, 21, 64), -10.0, 0.1);
  EXPECT_NEAR(level_change_db(font, 22, 127), -10.0 * 127.0 / 128.0, 0.1);
}

TEST(SynthesizerModulators, DefaultVolumeAndExpressionCurves) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  // CC7 and CC11 default modulators: 960 cB × concave: 40 log10(value/128) dB relative to 128.
  EXPECT_NEAR(level_change_db(font, 7, 50), 40.0 * std::log10(50.0 / 100.0), 0.2);   // from the default 100
  EXPECT_NEAR(level_change_db(font, 11, 64), 40.0 * std::log10(64.0 / 127.0), 0.2);  // from the default 127
}

TEST(SynthesizerVoices, StealingCountsAndKeepsPolyphonyLimit) {
  auto font = test::load_font(test::single_preset_soundfont({sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}}));
  auto options = options_at();
  options.max_voices = 8;
  Synthesizer synthesizer(font, options);
  for (int key = 40; key < 60; ++key) synthesizer.note_on(0, key, 100);
  (void)test::render_synth(synthesizer, 64);
  EXPECT_EQ(synthesizer.statistics().active_voices, 8u);
  EXPECT_EQ(synthesizer.statistics().voices_stolen, 12u);
}

}  // namespace
}  // namespace resound::synth
