// Voice kernels: every instruction set this CPU runs renders the same music, and each is block-size independent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "resound/synth/generator.hpp"
#include "resound/synth/simd_path.hpp"
#include "synth_test_support.hpp"

namespace resound::synth {
namespace {

using test::amount;

// 20 voices at once (more than one 8- or 16-lane group), a resonant filter swept by the
// modulation envelope, vibrato, a loop, pitch bend and controllers mid-note, a 24-bit bank.
std::pair<std::shared_ptr<const formats::SoundFont>, std::shared_ptr<const formats::MidiFile>> busy_song(int sm24_low_byte) {
  auto font = test::load_font(test::single_preset_soundfont(
      {test::sine_sample(100.0, 40, 69)},
      {{kSampleModes, 1}, {kVibratoLfoToPitch, amount(30)}, {kModEnvToFilterFc, amount(-2500)},
       {kInitialFilterFc, amount(8000)}, {kInitialFilterQ, amount(120)}, {kAttackModEnv, amount(-3000)},
       {kDecayModEnv, amount(-1500)}, {kReleaseVolEnv, amount(-3000)}},
      sm24_low_byte));
  test::MidiTrackBuilder track;
  for (int note = 0; note < 20; ++note) track.note_on(note == 0 ? 0 : 7 + note, note % 3, 40 + 3 * note, 60 + note);
  track.event(41, {0xE0, 0x00, 0x50}).control(23, 1, 7, 70).control(11, 2, 10, 100);
  for (int note = 0; note < 20; ++note) track.note_off(note == 0 ? 300 : 19, note % 3, 40 + 3 * note);
  track.end(200);
  return {font, test::parse_song(test::build_midi(0, 96, {track}))};
}

AudioBuffer render_with(SimdPath path, std::size_t block_frames, int sm24_low_byte) {
  auto [font, song] = busy_song(sm24_low_byte);
  MidiSourceOptions options;
  options.simd = path;
  options.tail = *TailPolicy::parse("0.3");
  options.reverb = options.chorus = false;
  MidiSource source(song, font, options);
  return test::render_source(source, block_frames);
}

double max_difference(const AudioBuffer& a, const AudioBuffer& b) {
  double worst = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < a.frame_count(); ++i)
      worst = std::max(worst, static_cast<double>(std::fabs(a.channel(c)[i] - b.channel(c)[i])));
  return worst;
}

TEST(SimdPaths, ScalarIsAlwaysAvailableAndAutoPicksOneOfThem) {
  const auto paths = available_simd_paths();
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), SimdPath::kScalar);
  EXPECT_NE(std::find(paths.begin(), paths.end(), best_simd_path()), paths.end());
  for (SimdPath path : paths) EXPECT_EQ(parse_simd_path(simd_path_name(path)), path);
  RecordProperty("best_path", std::string(simd_path_name(best_simd_path())));
}

TEST(SimdPaths, EveryAvailablePathMatchesScalarAndIsBlockSizeIndependent) {
  for (int sm24_low_byte : {-1, 0x5A}) {
    const AudioBuffer scalar = render_with(SimdPath::kScalar, 4096, sm24_low_byte);
    ASSERT_GT(test::rms_of(scalar.channel(0)), 0.01);
    for (SimdPath path : available_simd_paths()) {
      SCOPED_TRACE(std::string(simd_path_name(path)) + (sm24_low_byte >= 0 ? " sm24" : " 16-bit"));
      const AudioBuffer reference = render_with(path, 4096, sm24_low_byte);
      ASSERT_EQ(reference.frame_count(), scalar.frame_count());
      // Paths differ only in rounding (fused multiply-adds, amplified a little by the resonance):
      // a third of a 16-bit step (3e-5) at most.
      EXPECT_LT(max_difference(reference, scalar), 1e-5);
      for (std::size_t block : {std::size_t{1}, std::size_t{61}, std::size_t{1000}}) {
        const AudioBuffer split = render_with(path, block, sm24_low_byte);
        ASSERT_EQ(split.frame_count(), reference.frame_count());
        EXPECT_EQ(max_difference(split, reference), 0.0) << "block " << block;
      }
    }
  }
}

}  // namespace
}  // namespace resound::synth
