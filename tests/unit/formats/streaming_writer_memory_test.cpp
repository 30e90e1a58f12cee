// The streaming writer keeps memory flat: a 2-hour file is written with a few MB of peak RSS growth.
#include <gtest/gtest.h>

#include <fstream>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::formats {
namespace {

// Linux resets the peak-RSS counter (VmHWM) when "5" is written to clear_refs.
bool reset_peak_rss() {
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  return static_cast<bool>(clear_refs);
}

TEST(StreamingWriter, TwoHourFileWithFlatMemory) {
  constexpr double kRate = 48000.0;
  constexpr std::size_t kBlockFrames = 4800;
  constexpr std::int64_t kTotalFrames = static_cast<std::int64_t>(2 * 3600 * kRate);
  test::TempDirectory folder;
  const auto path = folder / "two_hours.wav";

  AudioBuffer block(1, kBlockFrames);
  const std::vector<float> tone = test::sine(441.0, kRate, kBlockFrames, 0.25);  // whole periods per block
  std::copy(tone.begin(), tone.end(), block.channel(0).begin());

  auto writer = AudioFileWriter::create(path, {.sample_rate_hz = kRate, .channel_count = 1});
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->write(block));  // warm-up: first-time allocations happen here
  const bool can_reset = reset_peak_rss();
  const long baseline_kb = can_reset ? test::peak_rss_kb() : test::current_rss_kb();
  for (std::int64_t written = kBlockFrames; written < kTotalFrames; written += kBlockFrames)
    ASSERT_TRUE(writer->write(block));
  ASSERT_TRUE(writer->commit());
  const long growth_kb = test::peak_rss_kb() - baseline_kb;
  RecordProperty("peak_rss_growth_kb", std::to_string(growth_kb));
  std::printf("2-hour write: peak RSS growth %ld kB (file %.0f MB)\n", growth_kb,
              static_cast<double>(std::filesystem::file_size(path)) / 1e6);
  EXPECT_LT(growth_kb, 4096) << "memory grew while streaming";

  auto reader = AudioFileReader::open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().frame_count, kTotalFrames);
  EXPECT_NEAR(reader->info().duration_s(), 7200.0, 1e-9);
}

}  // namespace
}  // namespace resound::formats
