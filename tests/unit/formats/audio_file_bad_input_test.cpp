// Bad input: truncated files, text posing as audio, missing files, unwritable paths, cancelled writes.
#include <gtest/gtest.h>

#include <fstream>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::formats {
namespace {

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

AudioBuffer ramp(std::size_t channels, std::size_t frames) {
  AudioBuffer buffer(channels, frames);
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t i = 0; i < frames; ++i) buffer.channel(c)[i] = static_cast<float>(i % 100) / 200.0f;
  return buffer;
}

TEST(AudioFileBadInput, MissingFileIsNotFound) {
  auto result = read_audio_file("/nonexistent/nothing.wav");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(result.error().describe(), "/nonexistent/nothing.wav: file not found");
}

TEST(AudioFileBadInput, TextFileNamedWavIsRejectedWithItsName) {
  test::TempDirectory folder;
  write_text(folder / "notes.wav", "this is not audio, just some text\n");
  auto result = read_audio_file(folder / "notes.wav");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kCorruptData);
  EXPECT_NE(result.error().describe().find("notes.wav"), std::string::npos);
  EXPECT_NE(result.error().describe().find("not a readable audio file"), std::string::npos);
}

TEST(AudioFileBadInput, TruncatedWavReportsTheDataChunk) {
  test::TempDirectory folder;
  ASSERT_TRUE(write_audio_file(folder / "full.wav", ramp(2, 10000), 44100.0, *parse_audio_format("wav16")));
  const auto size = std::filesystem::file_size(folder / "full.wav");
  std::filesystem::copy_file(folder / "full.wav", folder / "cut.wav");
  std::filesystem::resize_file(folder / "cut.wav", size / 2);

  auto result = read_audio_file(folder / "cut.wav");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kCorruptData);
  EXPECT_TRUE(result.error().context().byte_offset.has_value());
  EXPECT_NE(result.error().describe().find("truncated"), std::string::npos) << result.error().describe();

  // Asked to, the reader recovers what is there.
  auto salvaged = read_audio_file(folder / "cut.wav", {.allow_truncated = true});
  ASSERT_TRUE(salvaged) << salvaged.error().describe();
  EXPECT_GT(salvaged->audio.frame_count(), 4000u);
  EXPECT_LT(salvaged->audio.frame_count(), 5000u);
}

TEST(AudioFileBadInput, HeaderOnlyFragmentIsRejected) {
  test::TempDirectory folder;
  ASSERT_TRUE(write_audio_file(folder / "full.wav", ramp(1, 1000), 44100.0, *parse_audio_format("wav16")));
  std::filesystem::copy_file(folder / "full.wav", folder / "tiny.wav");
  std::filesystem::resize_file(folder / "tiny.wav", 20);
  EXPECT_FALSE(read_audio_file(folder / "tiny.wav"));
}

TEST(AudioFileBadInput, DirectoryIsNotAnAudioFile) {
  test::TempDirectory folder;
  auto result = read_audio_file(folder.path());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
}

TEST(AudioFileBadInput, UnwritablePathFailsCleanly) {
  auto result = write_audio_file("/nonexistent-folder/out.wav", ramp(1, 10), 44100.0, *parse_audio_format("wav16"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kIo);
  EXPECT_NE(result.error().describe().find("/nonexistent-folder/out.wav"), std::string::npos);
}

TEST(AudioFileBadInput, FlacCannotHoldFloat) {
  test::TempDirectory folder;
  auto result = AudioFileWriter::create(folder / "x.flac",
                                        {.format = {AudioContainer::kFlac, SampleEncoding::kFloat32}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(folder.entries().empty());
}

TEST(AtomicOutput, CancelledWriteLeavesNothingAndKeepsTheOldFile) {
  test::TempDirectory folder;
  const auto target = folder / "song.wav";
  ASSERT_TRUE(write_audio_file(target, ramp(1, 100), 44100.0, *parse_audio_format("wav16")));
  const auto old_size = std::filesystem::file_size(target);
  {
    auto writer = AudioFileWriter::create(target, {.sample_rate_hz = 44100.0, .channel_count = 1});
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->write(ramp(1, 50000)));
    EXPECT_EQ(folder.entries().size(), 2u);  // the old file and the hidden temp file
    // Destroyed without commit: the temp file goes, the old file stays.
  }
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"song.wav"});
  EXPECT_EQ(std::filesystem::file_size(target), old_size);
}

TEST(AtomicOutput, CommitReplacesTheTargetInOneStep) {
  test::TempDirectory folder;
  const auto target = folder / "song.wav";
  ASSERT_TRUE(write_audio_file(target, ramp(1, 100), 44100.0, *parse_audio_format("wav16")));
  auto writer = AudioFileWriter::create(target, {.sample_rate_hz = 44100.0, .channel_count = 1});
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->write(ramp(1, 5000)));
  EXPECT_EQ(read_audio_file(target)->audio.frame_count(), 100u);  // still the old file until commit
  ASSERT_TRUE(writer->commit());
  EXPECT_EQ(read_audio_file(target)->audio.frame_count(), 5000u);
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"song.wav"});
}

TEST(AtomicOutput, ChannelMismatchIsAnError) {
  test::TempDirectory folder;
  auto writer = AudioFileWriter::create(folder / "x.wav", {.channel_count = 2});
  ASSERT_TRUE(writer);
  auto written = writer->write(ramp(1, 10));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace resound::formats
