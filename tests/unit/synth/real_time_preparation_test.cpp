// prepare_for_real_time: every sample's peaks are known before the first render, render never
// scans a sample, and the output is bit-identical to the offline (measure-on-first-note) path.
#include <gtest/gtest.h>

#include <filesystem>

#include "resound/synth/generator.hpp"
#include "resound_test/temp_directory.hpp"
#include "synth_test_support.hpp"

namespace resound::synth {
namespace {

using test::amount;

std::size_t playable_sample_count(const formats::SoundFont& font) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < font.samples().size(); ++i) count += font.sample_data(i).frames != nullptr;
  return count;
}

bool bit_identical(const AudioBuffer& a, const AudioBuffer& b) {
  if (a.frame_count() != b.frame_count() || a.channel_count() != b.channel_count()) return false;
  for (std::size_t c = 0; c < a.channel_count(); ++c)
    for (std::size_t i = 0; i < a.frame_count(); ++i)
      if (a.channel(c)[i] != b.channel(c)[i]) return false;
  return true;
}

// Two looped sines at -6 and -18 dBFS, layered on every key, with a 0.1 s release.
std::vector<std::uint8_t> layered_bank() {
  return test::single_preset_soundfont({test::sine_sample(100.0, 40, 69, 0.5), test::sine_sample(50.0, 80, 81, 0.125)},
                                       {{kSampleModes, 1}, {kReleaseVolEnv, amount(-3986)}});
}

// The same notes sent to a synthesizer: two chords, released, then silence long enough to cull the tails.
AudioBuffer play_notes(Synthesizer& synthesizer, const std::vector<std::pair<int, int>>& channel_programs) {
  for (const auto& [channel, program] : channel_programs) synthesizer.program_change(channel, program);
  AudioBuffer out(2, 3 * 44100);
  std::size_t done = 0;
  auto render = [&](std::size_t frames) {
    for (const std::size_t end = done + frames; done < end;) {
      const std::size_t count = std::min<std::size_t>(256, end - done);  // an audio-callback-sized block
      synthesizer.render({out.view().subview(done, count), {}, {}});
      done += count;
    }
  };
  for (const auto& [channel, program] : channel_programs) {
    for (int key : {60, 64, 67}) synthesizer.note_on(channel, key, 100);
  }
  render(22050);
  for (const auto& [channel, program] : channel_programs) {
    for (int key : {60, 64, 67}) synthesizer.note_off(channel, key);
    synthesizer.note_on(channel, 72, 40);
  }
  render(11025);
  for (const auto& [channel, program] : channel_programs) synthesizer.note_off(channel, 72);
  render(out.frame_count() - done);
  return out;
}

TEST(RealTimePreparation, PeaksKnownAtConstructionAndRenderIdenticalToOffline) {
  // Loaded from a path: the samples are read in place from the file's mapping (the live hazard).
  test::TempDirectory folder;
  test::write_bytes(folder / "layered.sf2", layered_bank());
  auto loaded = formats::SoundFont::load(folder / "layered.sf2");
  ASSERT_TRUE(loaded) << loaded.error().describe();
  const std::shared_ptr<const formats::SoundFont> font = *loaded;
  ASSERT_EQ(playable_sample_count(*font), 2u);

  SynthesizerOptions options;
  Synthesizer offline(font, options);
  options.prepare_for_real_time = true;
  Synthesizer live(font, options);
  EXPECT_EQ(offline.measured_sample_count(), 0u);  // offline measures lazily, at a sample's first note
  EXPECT_EQ(live.measured_sample_count(), 2u);     // live: all of them before any render

  const AudioBuffer live_audio = play_notes(live, {{0, 0}});
  const AudioBuffer offline_audio = play_notes(offline, {{0, 0}});
  EXPECT_EQ(live.measured_sample_count(), 2u);
  EXPECT_EQ(offline.measured_sample_count(), 2u);  // the offline path did scan, inside render/note_on
  EXPECT_TRUE(bit_identical(live_audio, offline_audio));
  EXPECT_GT(test::rms_of(live_audio.channel(0).subspan(0, 22050)), 0.05);
  // Culling works from the precomputed peaks: the released tails end early in both.
  EXPECT_GT(live.statistics().voices_culled, 0u);
  EXPECT_EQ(live.statistics().voices_culled, offline.statistics().voices_culled);
}

TEST(RealTimePreparation, MidiSourceLiveRenderIsBitIdenticalToOffline) {
  auto font = test::load_font(layered_bank());
  ASSERT_TRUE(font);
  test::MidiTrackBuilder track;
  track.note_on(0, 0, 60, 100).note_on(0, 0, 67, 90).note_off(96, 0, 60).note_off(48, 0, 67).end(200);
  auto song = test::parse_song(test::build_midi(0, 96, {track}));
  ASSERT_TRUE(song);
  MidiSourceOptions options;
  options.reverb = options.chorus = false;
  MidiSource offline(song, font, options);
  options.prepare_for_real_time = true;
  MidiSource live(song, font, options);
  const AudioBuffer offline_audio = test::render_source(offline, 128);
  const AudioBuffer live_audio = test::render_source(live, 128);
  EXPECT_GT(test::rms_of(live_audio.channel(0)), 0.01);
  EXPECT_TRUE(bit_identical(live_audio, offline_audio));
  EXPECT_EQ(live.statistics().voices_culled, offline.statistics().voices_culled);
}

// A real GM bank read in place from its file mapping: every sample measured at construction,
// melodic and drum notes render exactly as offline.
TEST(RealTimePreparation, RealBankPeaksKnownAtConstruction) {
  const std::filesystem::path bank = "/usr/share/sounds/sf2/TimGM6mb.sf2";
  if (!std::filesystem::exists(bank)) GTEST_SKIP() << "TimGM6mb.sf2 absent";
  auto loaded = formats::SoundFont::load(bank);
  ASSERT_TRUE(loaded) << loaded.error().describe();
  const std::shared_ptr<const formats::SoundFont> font = *loaded;
  SynthesizerOptions options;
  Synthesizer offline(font, options);
  options.prepare_for_real_time = true;
  Synthesizer live(font, options);
  const std::size_t playable = playable_sample_count(*font);
  ASSERT_GT(playable, 100u);
  EXPECT_EQ(live.measured_sample_count(), playable);
  const std::vector<std::pair<int, int>> parts = {{0, 0}, {1, 48}, {9, 0}};
  const AudioBuffer live_audio = play_notes(live, parts);
  const AudioBuffer offline_audio = play_notes(offline, parts);
  EXPECT_EQ(live.measured_sample_count(), playable);
  EXPECT_GT(offline.measured_sample_count(), 0u);
  EXPECT_LT(offline.measured_sample_count(), playable);  // offline read only what the notes played
  EXPECT_GT(test::rms_of(live_audio.channel(0)), 1e-3);
  EXPECT_TRUE(bit_identical(live_audio, offline_audio));
}

}  // namespace
}  // namespace resound::synth
