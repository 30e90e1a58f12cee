// convert_audio_file / inspect_audio_file: rates, formats, levels, and no output on failure.
#include <gtest/gtest.h>

#include <cmath>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound/host/audio_file_conversion.hpp"
#include "resound/host/audio_file_report.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::host {
namespace {

void write_tone(const std::filesystem::path& path, double rate_hz, std::size_t frames, const char* format) {
  AudioBuffer buffer(2, frames);
  const auto tone = test::sine(1000.0, rate_hz, frames, 0.5);
  for (std::size_t c = 0; c < 2; ++c) std::copy(tone.begin(), tone.end(), buffer.channel(c).begin());
  ASSERT_TRUE(formats::write_audio_file(path, buffer, rate_hz, *formats::parse_audio_format(format)));
}

TEST(InspectAudioFile, MeasuresPeakAndRms) {
  test::TempDirectory folder;
  write_tone(folder / "tone.wav", 48000.0, 48000, "float");
  auto report = inspect_audio_file(folder / "tone.wav");
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->info.container, "WAV");
  EXPECT_EQ(report->info.encoding, "FLOAT");
  EXPECT_EQ(report->info.channel_count, 2u);
  EXPECT_NEAR(report->peak_dbfs, -6.0206, 0.01);
  EXPECT_NEAR(report->rms_dbfs, -9.0309, 0.01);
}

TEST(ConvertAudioFile, ResamplesAndKeepsTheTone) {
  test::TempDirectory folder;
  write_tone(folder / "in.wav", 48000.0, 96000, "wav24");
  auto result = convert_audio_file(folder / "in.wav", folder / "out.flac", {.sample_rate_hz = 44100.0});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->format.name(), "flac");  // 24-bit input -> 24-bit FLAC
  auto clip = formats::read_audio_file(folder / "out.flac");
  ASSERT_TRUE(clip);
  EXPECT_EQ(clip->sample_rate_hz, 44100.0);
  EXPECT_NEAR(static_cast<double>(clip->audio.frame_count()), 88200.0, 2.0);
  const auto middle = clip->audio.channel(1).subspan(4410, 44100);
  EXPECT_NEAR(test::measure_frequency_hz(middle, 44100.0), 1000.0, 0.1);
}

TEST(ConvertAudioFile, PicksAFormatThatKeepsPrecision) {
  EXPECT_EQ(choose_output_format("x.wav", "PCM_16").name(), "wav16");
  EXPECT_EQ(choose_output_format("x.wav", "FLOAT").name(), "float");
  EXPECT_EQ(choose_output_format("x.wav", "VORBIS").name(), "wav24");
  EXPECT_EQ(choose_output_format("x.flac", "PCM_16").name(), "flac16");
  EXPECT_EQ(choose_output_format("x.flac", "FLOAT").name(), "flac");
}

TEST(ConvertAudioFile, CancelLeavesNoOutput) {
  test::TempDirectory folder;
  write_tone(folder / "in.wav", 48000.0, 200000, "wav16");
  auto result = convert_audio_file(folder / "in.wav", folder / "out.wav", {}, [](double) { return false; });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kCancelled);
  EXPECT_EQ(folder.entries(), std::vector<std::string>{"in.wav"});
}

TEST(ConvertAudioFile, BadInputLeavesNoOutput) {
  test::TempDirectory folder;
  auto result = convert_audio_file(folder / "missing.wav", folder / "out.wav");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(folder.entries().empty());
}

}  // namespace
}  // namespace resound::host
