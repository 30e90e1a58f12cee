// Tuning on real banks: every piano key and a sustained preset of TimGM6mb and FluidR3_GM play at the
// pitch the SoundFont specifies (root key, scale tuning, coarse/fine tune, sample correction) within 1 cent.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "resound/synth/channel_state.hpp"
#include "resound/synth/generator.hpp"
#include "resound/synth/voice.hpp"
#include "voice_kernel.hpp"
#include "zone_resolver.hpp"

namespace resound::synth {
namespace {

constexpr double kRate = 44100.0;

// Renders one voice (mono, before pan) for `frames` frames through the auto-selected kernel.
std::vector<float> render_voice(const VoiceSetup& setup, const formats::SoundFont& font, int key, std::size_t frames) {
  ChannelState channel;
  channel.reset(false);
  ModulatorInputs inputs;
  inputs.controllers = channel.controllers.data();
  inputs.key = key;
  inputs.velocity = 100;
  Voice voice;
  std::vector<float> out;
  if (!voice.start(setup, font, inputs, 0, key, kRate, Interpolation::kCubic, 0, 1)) return out;
  const detail::VoiceKernel& kernel = *detail::voice_kernel(SimdPath::kAuto);
  auto group = std::make_unique<detail::VoiceGroup>();
  auto sums = std::make_unique<detail::LaneSums>();
  for (int lane = 1; lane < kernel.lanes; ++lane) {
    group->gain_anchor[lane] = group->gain_step[lane] = 0.0f;
    group->b0[lane] = 1.0f;
  }
  float left[kControlFrames], right[kControlFrames];
  float* buses[2] = {left, right};
  for (std::int64_t now = 0; out.size() < frames && voice.is_active(); now += kControlFrames) {
    if (!voice.begin_segment(now, kControlFrames, *group, 0, kernel)) break;
    group->dry_left[0] = 1.0f;  // mono: pan is not under test
    kernel.render_group(*group, kControlFrames, 2, *sums, false);
    kernel.reduce(*sums, kControlFrames, 2, buses, 1.0f);
    voice.end_segment(*group, 0);
    out.insert(out.end(), left, left + kControlFrames);
  }
  return out;
}

double correlation_at(const std::vector<float>& x, std::size_t begin, std::size_t length, std::size_t lag) {
  double cross = 0.0, a = 0.0, b = 0.0;
  for (std::size_t i = begin; i < begin + length; ++i) {
    cross += static_cast<double>(x[i]) * x[i + lag];
    a += static_cast<double>(x[i]) * x[i];
    b += static_cast<double>(x[i + lag]) * x[i + lag];
  }
  return cross / std::sqrt(std::max(a * b, 1e-30));
}

struct Checked {
  int zones = 0;
  int skipped = 0;
  double worst_cents = 0.0;
};

// For each zone of (preset, key): once playback is inside the loop the output repeats every
// loop_length / ratio output frames exactly, whatever the waveform. The ratio the SoundFont
// specifies is (sample rate / output rate) × 2^(cents / 1200), cents = scale tuning × (key − root)
// + 100 × coarse + fine + sample correction. The test finds the repetition near many loop lengths
// (≈ 4000 frames, so a 1-cent error moves it by 2.3 frames), requires a true correlation maximum
// within ±1 frame of the expected lag, and refines it by a parabola.
void check_key(const formats::SoundFont& font, const formats::SoundFontPreset& preset, int key, Checked& checked) {
  std::vector<VoiceSetup> setups(32);
  const std::size_t count = detail::resolve_zones(font, preset, key, 100, 1.0f, 1.0f, setups);
  for (std::size_t z = 0; z < count; ++z) {
    VoiceSetup setup = setups[z];
    auto& g = setup.generators;
    const auto data = font.sample_data(setup.sample_index);
    const auto& header = font.samples()[setup.sample_index];
    const bool looped = (g[kSampleModes] == 1 || g[kSampleModes] == 3) && data.loop_valid &&
                        data.loop_end > data.loop_start + 32 && g[kStartLoopAddressOffset] == 0 &&
                        g[kEndLoopAddressOffset] == 0 && g[kStartLoopAddressCoarseOffset] == 0 &&
                        g[kEndLoopAddressCoarseOffset] == 0;
    if (!looped) {
      ++checked.skipped;
      continue;
    }
    // Pitch-only view of the zone: no vibrato/LFO/envelope pitch movement, a steady level and an
    // open filter (none of which changes the repetition period).
    g[kVibratoLfoToPitch] = g[kModLfoToPitch] = g[kModEnvToPitch] = 0.0f;
    g[kSustainVolEnv] = 0.0f;
    g[kInitialFilterFc] = 13500.0f;
    g[kInitialFilterQ] = 0.0f;
    const int root = g[kOverridingRootKey] >= 0 ? static_cast<int>(g[kOverridingRootKey]) : header.original_key;
    const int pitch_key = g[kKeyNumber] >= 0 ? static_cast<int>(g[kKeyNumber]) : key;
    const double cents = g[kScaleTuning] * (pitch_key - root) + 100.0 * g[kCoarseTune] + g[kFineTune] + header.pitch_correction_cents;
    const double ratio = header.sample_rate_hz / kRate * std::exp2(cents / 1200.0);
    const double loop_length = static_cast<double>(data.loop_end - data.loop_start);
    const double period = loop_length / ratio;
    const double repeats = std::max(1.0, std::ceil(4000.0 / period));
    const double expected_lag = repeats * period;
    const auto into_loop = static_cast<std::size_t>(static_cast<double>(data.loop_start) / ratio) + 2048;
    const std::size_t window = 4096;
    const auto lag = static_cast<std::size_t>(std::llround(expected_lag));
    auto audio = render_voice(setup, font, key, into_loop + window + lag + 4);
    ASSERT_GE(audio.size(), into_loop + window + lag + 2) << "key " << key;
    const double before = correlation_at(audio, into_loop, window, lag - 1);
    const double at = correlation_at(audio, into_loop, window, lag);
    const double after = correlation_at(audio, into_loop, window, lag + 1);
    EXPECT_TRUE(at >= before && at >= after) << "key " << key << ": no repetition within a frame of the expected lag";
    const double curvature = before - 2.0 * at + after;
    const double offset = curvature < 0.0 ? 0.5 * (before - after) / curvature : 0.0;
    const double error_cents = 1200.0 * std::log2((static_cast<double>(lag) + offset) / expected_lag);
    EXPECT_LT(std::fabs(error_cents), 1.0) << "key " << key << " sample " << header.name;
    checked.worst_cents = std::max(checked.worst_cents, std::fabs(error_cents));
    ++checked.zones;
  }
}

void check_bank(const char* path, int sustained_program) {
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not installed";
  auto font = formats::SoundFont::load(path);
  ASSERT_TRUE(font) << font.error().describe();
  const auto* piano = (*font)->find_preset(0, 0);
  const auto* sustained = (*font)->find_preset(0, sustained_program);
  ASSERT_TRUE(piano && sustained);
  Checked checked;
  for (int key = 21; key <= 108; ++key) check_key(**font, *piano, key, checked);
  for (int key = 36; key <= 96; key += 4) check_key(**font, *sustained, key, checked);
  EXPECT_GT(checked.zones, 88);
  ::testing::Test::RecordProperty("zones_checked", checked.zones);
  ::testing::Test::RecordProperty("worst_cents", std::to_string(checked.worst_cents));
  std::printf("%s: %d zones checked, %d unlooped skipped, worst %.4f cents\n", path, checked.zones, checked.skipped,
              checked.worst_cents);
}

TEST(RealBankTuning, TimGM6mbPianoKeysAndOrganWithinOneCent) { check_bank("/usr/share/sounds/sf2/TimGM6mb.sf2", 19); }

TEST(RealBankTuning, FluidR3PianoKeysAndOrganWithinOneCent) { check_bank("/usr/share/sounds/sf2/FluidR3_GM.sf2", 19); }

}  // namespace
}  // namespace resound::synth
