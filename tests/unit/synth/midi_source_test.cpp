// MidiSource: onsets on the exact frame at any block size, block-size-independent output, tail policies, seek.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "resound/synth/generator.hpp"
#include "synth_test_support.hpp"

namespace resound::synth {
namespace {

using test::amount;

constexpr double kRate = 44100.0;

// A constant (DC) looped sample: any onset is visible on its very first frame.
std::shared_ptr<const formats::SoundFont> step_font(std::vector<std::pair<std::uint16_t, std::uint16_t>> extra = {}) {
  test::TestSample sample;
  sample.frames.assign(2000, 16000);
  sample.loop_start = 500;
  sample.loop_end = 1500;
  // Defaults first: a later generator of the same type in the zone wins.
  std::vector<std::pair<std::uint16_t, std::uint16_t>> generators = {
      {kSampleModes, 1}, {kReleaseVolEnv, amount(-12000)}, {kInitialFilterFc, 13500}};
  generators.insert(generators.end(), extra.begin(), extra.end());
  return test::load_font(test::single_preset_soundfont({sample}, generators));
}

// Notes at irregular ticks under two tempi; returns the song and the exact onset times in seconds.
std::pair<std::shared_ptr<const formats::MidiFile>, std::vector<double>> irregular_song() {
  test::MidiTrackBuilder track;
  track.tempo(0, 500000);
  std::vector<double> onsets;
  double time_s = 0.0;
  double seconds_per_tick = 0.5 / 480.0;
  for (int note = 0; note < 12; ++note) {
    const std::uint32_t gap = 500 + 37 * static_cast<std::uint32_t>(note) + 13;
    time_s += gap * seconds_per_tick;
    track.note_on(gap, 0, 60 + note, 100);
    onsets.push_back(time_s);
    track.note_off(100, 0, 60 + note);
    time_s += 100 * seconds_per_tick;
    if (note == 5) {
      track.tempo(0, 437000);  // tempo change mid-song
      seconds_per_tick = 0.437 / 480.0;
    }
  }
  track.end(480);
  return {test::parse_song(test::build_midi(0, 480, {track})), onsets};
}

TEST(MidiSourceTiming, OnsetsLandOnTheirFrameAtAnyBlockSize) {
  auto font = step_font();
  auto [song, onsets] = irregular_song();
  ASSERT_TRUE(font && song);
  for (std::size_t block : {std::size_t{1}, std::size_t{64}, std::size_t{1000}, std::size_t{4096}}) {
    MidiSourceOptions options;
    options.reverb = options.chorus = false;
    options.tail = *TailPolicy::parse("exact");
    MidiSource source(song, font, options);
    auto audio = test::render_source(source, block);
    std::vector<std::int64_t> found;
    const auto left = audio.channel(0);
    for (std::size_t i = 0; i < left.size(); ++i)
      if (left[i] != 0.0f && (i == 0 || left[i - 1] == 0.0f)) found.push_back(static_cast<std::int64_t>(i));
    ASSERT_EQ(found.size(), onsets.size()) << "block " << block;
    for (std::size_t n = 0; n < onsets.size(); ++n)
      EXPECT_LE(std::llabs(found[n] - std::llround(onsets[n] * kRate)), 1) << "block " << block << " note " << n;
  }
}

TEST(MidiSourceTiming, OutputIsIdenticalForEveryBlockSize) {
  // Exercise the control grid: vibrato, a modulation envelope on the filter, bends and CCs mid-note.
  auto font = step_font({{kVibratoLfoToPitch, amount(40)}, {kModEnvToFilterFc, amount(-3000)},
                         {kInitialFilterFc, amount(9000)}, {kInitialFilterQ, amount(100)},
                         {kAttackModEnv, amount(-2000)}, {kDecayModEnv, amount(-1000)}});
  test::MidiTrackBuilder track;
  track.note_on(10, 0, 60, 100).note_on(77, 0, 67, 90).event(33, {0xE0, 0x00, 0x50}).control(29, 0, 7, 80)
      .control(5, 0, 10, 20).note_off(301, 0, 60).event(13, {0xE0, 0x00, 0x30}).note_off(200, 0, 67).end(100);
  auto song = test::parse_song(test::build_midi(0, 96, {track}));
  ASSERT_TRUE(font && song);
  std::vector<AudioBuffer> renders;
  for (std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1000}, std::size_t{4096}}) {
    MidiSourceOptions options;
    options.tail = *TailPolicy::parse("0.5");
    MidiSource source(song, font, options);
    renders.push_back(test::render_source(source, block));
  }
  for (std::size_t r = 1; r < renders.size(); ++r) {
    ASSERT_EQ(renders[r].frame_count(), renders[0].frame_count());
    std::size_t differences = 0;
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < renders[0].frame_count(); ++i) differences += renders[r].channel(c)[i] != renders[0].channel(c)[i];
    EXPECT_EQ(differences, 0u) << "render " << r;
  }
  EXPECT_GT(test::rms_of(renders[0].channel(0)), 0.01);
}

TEST(MidiSourceTail, ExactSecondsAndSilence) {
  auto font = step_font({{kReleaseVolEnv, amount(0)}});  // 1 s release: a tail to cut or keep
  test::MidiTrackBuilder track;
  track.note_on(0, 0, 60, 100).note_off(960, 0, 60).end(0);  // released at the end, 1.0 s (120 BPM)
  auto song = test::parse_song(test::build_midi(0, 480, {track}));
  auto render_with = [&](const char* tail) {
    MidiSourceOptions options;
    options.tail = *TailPolicy::parse(tail);
    MidiSource source(song, font, options);
    return test::render_source(source, 1024).frame_count();
  };
  EXPECT_EQ(render_with("exact"), 44100u);
  EXPECT_EQ(render_with("2.5"), 44100u + 110250u);
  const auto silent_end = render_with("silence:-60");
  // The release falls 100 dB per second from -12 dB·(note level): below -60 dBFS within ~0.6 s.
  EXPECT_GT(silent_end, 44100u + 4410u);
  EXPECT_LT(silent_end, 44100u + 44100u);
  EXPECT_EQ(silent_end % 512, 0u);  // ends on the absolute silence grid, whatever the block size
  EXPECT_FALSE(TailPolicy::parse("silence:+3"));
  EXPECT_FALSE(TailPolicy::parse("forever"));
}

TEST(MidiSourceSeek, ChasesControllersAndMatchesAFullRenderAfterNotesEnd) {
  auto font = step_font();
  test::MidiTrackBuilder track;
  track.control(0, 0, 7, 40).note_on(0, 0, 60, 100).note_off(240, 0, 60).note_on(480, 0, 62, 100).note_off(240, 0, 62).end(0);
  auto song = test::parse_song(test::build_midi(0, 480, {track}));
  MidiSourceOptions options;
  options.tail = *TailPolicy::parse("exact");
  MidiSource full(song, font, options);
  auto reference = test::render_source(full, 512);
  MidiSource seeking(song, font, options);
  seeking.prepare(kRate, 512);
  const std::int64_t start = 30000;  // after the first note, before the second (at 0.75 s = 33075)
  seeking.seek(start);
  EXPECT_EQ(seeking.position_frames(), start);
  AudioBuffer block(2, 512);
  double max_difference = 0.0;
  for (std::int64_t at = start; at < static_cast<std::int64_t>(reference.frame_count());) {
    const std::size_t produced = seeking.process(block.view());
    for (std::size_t i = 0; i < produced; ++i)
      max_difference = std::max<double>(max_difference, std::fabs(block.channel(0)[i] - reference.channel(0)[static_cast<std::size_t>(at) + i]));
    at += static_cast<std::int64_t>(produced);
    if (produced < 512) break;
  }
  // CC7 = 40 was chased: the second note has the same (quiet) level as in the full render.
  EXPECT_LT(max_difference, 1e-6);
}

}  // namespace
}  // namespace resound::synth
