// SMF reader: formats 0/1/2, running status, tempo map, SMPTE, sysex/meta, and errors with byte offsets.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "midi_builder.hpp"
#include "resound/formats/midi_file.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::formats {
namespace {

using test::build_midi;
using test::MidiTrackBuilder;

Expected<MidiFile> parse(const std::vector<std::uint8_t>& bytes) {
  return parse_midi({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "test.mid");
}

TEST(MidiFile, Format0WithRunningStatusAndTempoChange) {
  MidiTrackBuilder track;
  track.tempo(0, 500000)                   // 120 BPM: a quarter lasts 0.5 s
      .note_on(0, 0, 60, 100)
      .event(480, {62, 90})                // running status: note on 62
      .tempo(0, 250000)                    // 240 BPM from tick 480 (t = 0.5 s)
      .event(480, {0x80, 60, 0})           // t = 0.5 + 0.25
      .event(480, {62, 0})                 // running status note-off at t = 1.0
      .end(0);
  auto file = parse(build_midi(0, 480, {track}));
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_EQ(file->format, 0);
  EXPECT_EQ(file->ticks_per_quarter, 480);
  ASSERT_EQ(file->tempo_map.size(), 2u);
  EXPECT_NEAR(file->tempo_map[1].time_s, 0.5, 1e-12);
  std::vector<const MidiEvent*> channel_events;
  for (const auto& event : file->events)
    if (event.is_channel_message()) channel_events.push_back(&event);
  ASSERT_EQ(channel_events.size(), 4u);
  EXPECT_TRUE(channel_events[1]->is_note_on());
  EXPECT_EQ(channel_events[1]->data1, 62);
  EXPECT_NEAR(channel_events[1]->time_s, 0.5, 1e-12);
  EXPECT_NEAR(channel_events[2]->time_s, 0.75, 1e-12);
  EXPECT_TRUE(channel_events[3]->is_note_off());
  EXPECT_NEAR(channel_events[3]->time_s, 1.0, 1e-12);
  EXPECT_NEAR(file->duration_s, 1.0, 1e-12);
}

TEST(MidiFile, Format1MergesTracksWithTempoFromTheFirst) {
  MidiTrackBuilder conductor;
  conductor.tempo(0, 1000000).tempo(96, 500000).end(96);  // 60 BPM for a beat, then 120 BPM
  MidiTrackBuilder melody;
  melody.event(0, {0xFF, 0x03, 4, 'L', 'e', 'a', 'd'}).note_on(96, 1, 64, 80).note_off(96, 1, 64).end(0);
  auto file = parse(build_midi(1, 96, {conductor, melody}));
  ASSERT_TRUE(file) << file.error().describe();
  ASSERT_EQ(file->tracks.size(), 2u);
  EXPECT_EQ(file->tracks[1].name, "Lead");
  const MidiEvent* on = nullptr;
  const MidiEvent* off = nullptr;
  for (const auto& event : file->events) {
    if (event.is_note_on()) on = &event;
    if (event.is_note_off()) off = &event;
  }
  ASSERT_TRUE(on && off);
  EXPECT_EQ(on->track, 1u);
  EXPECT_EQ(on->channel(), 1);
  EXPECT_NEAR(on->time_s, 1.0, 1e-12);
  EXPECT_NEAR(off->time_s, 1.5, 1e-12);
  // Events on one tick: the tempo (track 0) comes before the note (track 1).
  for (std::size_t i = 1; i < file->events.size(); ++i) EXPECT_LE(file->events[i - 1].tick, file->events[i].tick);
}

TEST(MidiFile, Format2PlaysTracksOneAfterAnother) {
  MidiTrackBuilder first;
  first.note_on(0, 0, 60, 100).note_off(480, 0, 60).end(0);
  MidiTrackBuilder second;
  second.note_on(0, 0, 67, 100).note_off(480, 0, 67).end(0);
  auto file = parse(build_midi(2, 480, {first, second}));
  ASSERT_TRUE(file) << file.error().describe();
  double second_onset = -1.0;
  for (const auto& event : file->events)
    if (event.is_note_on() && event.data1 == 67) second_onset = event.time_s;
  EXPECT_NEAR(second_onset, 0.5, 1e-12);
  EXPECT_NEAR(file->duration_s, 1.0, 1e-12);
}

TEST(MidiFile, SmpteDivisionIgnoresTempo) {
  // 25 frames per second, 40 ticks per frame: 1000 ticks per second.
  const std::uint16_t division = static_cast<std::uint16_t>((static_cast<std::uint8_t>(-25) << 8) | 40);
  MidiTrackBuilder track;
  track.tempo(0, 250000).note_on(1500, 9, 36, 127).end(0);
  auto file = parse(build_midi(0, division, {track}));
  ASSERT_TRUE(file) << file.error().describe();
  EXPECT_EQ(file->smpte_frames_per_second, 25);
  EXPECT_EQ(file->ticks_per_quarter, 0);
  for (const auto& event : file->events) {
    if (event.is_note_on()) {
      EXPECT_NEAR(event.time_s, 1.5, 1e-12);
    }
  }
}

TEST(MidiFile, SysexAndMetaDataAreKept) {
  MidiTrackBuilder track;
  track.event(0, {0xF0, 5, 0x7E, 0x7F, 0x09, 0x01, 0xF7}).event(10, {0xFF, 0x58, 4, 4, 2, 24, 8}).end(0);
  auto file = parse(build_midi(0, 96, {track}));
  ASSERT_TRUE(file) << file.error().describe();
  ASSERT_EQ(file->events.size(), 2u);
  EXPECT_TRUE(file->events[0].is_sysex());
  const auto sysex = file->payload_of(file->events[0]);
  ASSERT_EQ(sysex.size(), 5u);
  EXPECT_EQ(sysex[0], 0x7E);
  EXPECT_EQ(sysex[4], 0xF7);
  EXPECT_TRUE(file->events[1].is_meta());
  EXPECT_EQ(file->events[1].data1, kMetaTimeSignature);
  EXPECT_EQ(file->payload_of(file->events[1]).size(), 4u);
}

TEST(MidiFile, TruncatedTrackNamesTheByteOffset) {
  MidiTrackBuilder track;
  track.note_on(0, 0, 60, 100).note_off(480, 0, 60).end(0);
  auto bytes = build_midi(0, 480, {track});
  bytes.resize(bytes.size() - 5);
  auto file = parse(bytes);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), ErrorCode::kCorruptData);
  ASSERT_TRUE(file.error().context().byte_offset.has_value());
  EXPECT_EQ(*file.error().context().byte_offset, 14u);  // the MTrk chunk header
  EXPECT_NE(file.error().describe().find("truncated"), std::string::npos) << file.error().describe();
}

TEST(MidiFile, RunningStatusWithoutStatusIsAnError) {
  MidiTrackBuilder track;
  track.event(0, {60, 100}).end(0);
  auto file = parse(build_midi(0, 480, {track}));
  ASSERT_FALSE(file);
  EXPECT_EQ(*file.error().context().byte_offset, 23u);
  EXPECT_NE(file.error().describe().find("running status"), std::string::npos);
}

TEST(MidiFile, HugeMetaLengthIsNotTrusted) {
  MidiTrackBuilder track;
  track.event(0, {0xFF, 0x01, 0x8F, 0xFF, 0xFF, 0x7F, 'x'});
  auto file = parse(build_midi(0, 480, {track}));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code(), ErrorCode::kCorruptData);
}

TEST(MidiFile, NotMidiAndMissingFile) {
  auto text = parse({'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!', '!', '!'});
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().describe().find("MThd"), std::string::npos);
  auto missing = read_midi_file("/nonexistent/song.mid");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST(MidiFile, SharedCorpusParsesWithPlausibleDurations) {
  const std::filesystem::path folder = std::filesystem::path(RESOUND_SHARED_DIR) / "data" / "midi";
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "shared MIDI corpus absent";
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".mid") continue;
    auto file = read_midi_file(entry.path());
    ASSERT_TRUE(file) << file.error().describe();
    EXPECT_GT(file->duration_s, 5.0) << entry.path();
    EXPECT_LT(file->duration_s, 1200.0) << entry.path();
    int notes = 0;
    for (const auto& event : file->events) notes += event.is_note_on();
    EXPECT_GT(notes, 10) << entry.path();
    ++parsed;
  }
  EXPECT_GE(parsed, 10);
}

}  // namespace
}  // namespace resound::formats

namespace resound::formats {
namespace {

// Found by the fuzzer: a RIFF/RMID chunk whose odd size reaches exactly the end of the file made
// the chunk walk step past the end (the pad byte) and read a tag out of bounds.
TEST(MidiFile, RmidChunkWithOddSizeAtTheEndIsRejectedNotOverrun) {
  const std::vector<std::uint8_t> bytes = {'R', 'I', 'F', 'F', 0, 0, 0, 0x26, 'R', 'M', 'I', 'D',
                                           'a', 'b', 'c', 'd', 7, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7};
  auto result = parse(bytes);
  ASSERT_FALSE(result);  // no MThd inside: a clear error, after a walk that stayed in bounds
  EXPECT_EQ(result.error().code(), ErrorCode::kCorruptData);
}

}  // namespace
}  // namespace resound::formats
