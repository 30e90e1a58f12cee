// Voice culling removes only inaudible sound: renders with and without it differ by less than -90 dBFS.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "resound/formats/midi_file.hpp"
#include "resound/synth/generator.hpp"
#include "synth_test_support.hpp"

namespace resound::synth {
namespace {

using test::amount;

constexpr double kMinus90Dbfs = 3.1623e-5;  // 10^(-90/20)

struct Render {
  AudioBuffer audio;
  SynthesizerStatistics statistics;
};

Render render(const std::shared_ptr<const formats::MidiFile>& song, const std::shared_ptr<const formats::SoundFont>& font,
              bool cull, float gain_db = kDefaultGainDb) {
  MidiSourceOptions options;
  options.cull_inaudible = cull;
  options.reverb = options.chorus = false;
  options.tail = *TailPolicy::parse("exact");
  options.gain_db = gain_db;
  MidiSource source(song, font, options);
  Render result{test::render_source(source, 1000), {}};
  result.statistics = source.statistics();
  return result;
}

double peak_difference(const AudioBuffer& a, const AudioBuffer& b) {
  double worst = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < std::min(a.frame_count(), b.frame_count()); ++i)
      worst = std::max(worst, static_cast<double>(std::fabs(a.channel(c)[i] - b.channel(c)[i])));
  return worst;
}

// Real music on a real bank: culling ends many voices early and changes nothing audible.
TEST(VoiceCulling, RealSongsDifferByLessThanMinus90Dbfs) {
  const char* bank = "/usr/share/sounds/sf2/TimGM6mb.sf2";
  const auto folder = std::filesystem::path(RESOUND_SHARED_DIR) / "data" / "midi";
  if (!std::filesystem::exists(bank) || !std::filesystem::exists(folder)) GTEST_SKIP() << "bank or corpus absent";
  auto font = formats::SoundFont::load(bank);
  ASSERT_TRUE(font) << font.error().describe();
  for (const char* name : {"gm_tsf_venture.mid", "piano_debussy_clair_de_lune.mid"}) {
    auto midi = formats::read_midi_file(folder / name);
    ASSERT_TRUE(midi) << midi.error().describe();
    auto song = std::make_shared<const formats::MidiFile>(std::move(*midi));
    const Render culled = render(song, *font, true), full = render(song, *font, false);
    ASSERT_EQ(culled.audio.frame_count(), full.audio.frame_count());
    ASSERT_GT(test::rms_of(full.audio.channel(0)), 1e-3);
    const double difference = peak_difference(culled.audio, full.audio);
    EXPECT_LT(difference, kMinus90Dbfs) << name;
    EXPECT_GT(culled.statistics.voices_culled, 10u) << name;
    EXPECT_EQ(full.statistics.voices_culled, 0u);
    EXPECT_LT(culled.statistics.voice_frames, full.statistics.voice_frames * 9 / 10) << name;
    RecordProperty(std::string(name) + "_difference_dbfs", std::to_string(20.0 * std::log10(std::max(difference, 1e-12))));
    RecordProperty(std::string(name) + "_voice_frames_saved",
                   std::to_string(1.0 - static_cast<double>(culled.statistics.voice_frames) /
                                            static_cast<double>(full.statistics.voice_frames)));
  }
}

// A quiet release tail is culled; a note made silent by expression (CC 11 = 0) in its sustain is
// not, because the controller may bring it back — and it does, at full level.
TEST(VoiceCulling, EndsQuietTailsButKeepsNotesControllersCanRaise) {
  auto font = test::load_font(test::single_preset_soundfont(
      {test::sine_sample(100.0, 40, 69)}, {{kSampleModes, 1}, {kReleaseVolEnv, amount(1200)}}));  // 2 s release
  ASSERT_TRUE(font);
  test::MidiTrackBuilder track;
  // 96 ticks = 0.5 s. A quiet note released at 0.5 s; a second note muted from 0.75 s to 1.75 s.
  track.note_on(0, 0, 69, 20).note_off(96, 0, 69);
  track.note_on(0, 1, 72, 100).control(48, 1, 11, 0).control(192, 1, 11, 127);
  track.note_off(96, 1, 72).end(400);
  auto song = test::parse_song(test::build_midi(0, 96, {track}));
  ASSERT_TRUE(song);
  const Render culled = render(song, font, true, 0.0f), full = render(song, font, false, 0.0f);
  ASSERT_EQ(culled.audio.frame_count(), full.audio.frame_count());
  EXPECT_LT(peak_difference(culled.audio, full.audio), kMinus90Dbfs);
  EXPECT_GE(culled.statistics.voices_culled, 1u);  // the first note's tail
  EXPECT_LT(culled.statistics.voice_frames, full.statistics.voice_frames);
  // The second note is back after the expression swell.
  const auto back = culled.audio.channel(0).subspan(static_cast<std::size_t>(1.8 * 44100), 4410);
  EXPECT_GT(test::rms_of(back), 0.05);
}

}  // namespace
}  // namespace resound::synth
