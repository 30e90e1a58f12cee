// SF2/SF3 reader: hydra parsing, sample bounds and loops, 24-bit samples, SF3 lazy decoding, bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "resound/formats/soundfont.hpp"
#include "resound_test/temp_directory.hpp"
#include "soundfont_builder.hpp"

namespace resound::formats {
namespace {

Expected<std::shared_ptr<const SoundFont>> load_bytes(const std::vector<std::uint8_t>& bytes) {
  return SoundFont::load_memory({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "test.sf2");
}

TEST(SoundFont, GeneratedBankRoundTrips) {
  auto sample = test::sine_sample(100.0, 20, 69);
  auto bytes = test::single_preset_soundfont({sample}, {{51, test::amount(-7)}, {54, 1}});
  auto font = load_bytes(bytes);
  ASSERT_TRUE(font) << font.error().describe();
  EXPECT_EQ((*font)->version(), "2.04");
  EXPECT_EQ((*font)->name(), "Test bank");
  ASSERT_EQ((*font)->presets().size(), 1u);
  ASSERT_EQ((*font)->instruments().size(), 1u);
  const auto& zone = (*font)->instruments()[0].zones.at(0);
  EXPECT_EQ(zone.link, 0);
  ASSERT_EQ(zone.generators.size(), 2u);
  EXPECT_EQ(zone.generators[0].type, 51);
  EXPECT_EQ(zone.generators[0].amount(), -7);
  const auto data = (*font)->sample_data(0);
  ASSERT_NE(data.frames, nullptr);
  EXPECT_EQ(data.frame_count, 2000u);
  EXPECT_EQ(data.loop_start, 1000u);
  EXPECT_EQ(data.loop_end, 2000u);
  EXPECT_EQ(data.frames[25], sample.frames[25]);
  EXPECT_EQ(data.frames[-1], 0);  // guard frames before the first sample
  EXPECT_NE((*font)->find_preset(0, 0), nullptr);
  EXPECT_EQ((*font)->find_preset(0, 1), nullptr);
}

TEST(SoundFont, FileLoadReadsTheSamplesInPlaceWithTheSameFramesAndGuards) {
  // Loading from a path maps the file and reads smpl in place; the frames around it (other
  // chunks' bytes in the file) must read as the zero guards of a copied pool.
  test::TempDirectory folder;
  const std::vector<test::TestSample> samples = {test::sine_sample(100.0, 20, 69), test::sine_sample(37.0, 30, 60, 0.9)};
  for (const std::uint8_t low_byte : {std::uint8_t{0}, std::uint8_t{0x40}}) {
    const auto bytes = test::single_preset_soundfont(samples, {}, low_byte);
    const auto path = folder / "bank.sf2";
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    auto from_file = SoundFont::load(path);
    auto from_memory = load_bytes(bytes);
    ASSERT_TRUE(from_file) << from_file.error().describe();
    ASSERT_TRUE(from_memory);
    ASSERT_EQ((*from_file)->samples().size(), samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto mapped = (*from_file)->sample_data(i), copied = (*from_memory)->sample_data(i);
      ASSERT_EQ(mapped.frame_count, copied.frame_count);
      const auto count = static_cast<std::ptrdiff_t>(mapped.frame_count);
      for (std::ptrdiff_t frame = -8; frame < count + 8; ++frame) ASSERT_EQ(mapped.frames[frame], copied.frames[frame]) << frame;
      ASSERT_EQ(mapped.low_bytes != nullptr, copied.low_bytes != nullptr);
      if (mapped.low_bytes != nullptr) {
        EXPECT_EQ(mapped.low_bytes[5], copied.low_bytes[5]);
      }
    }
    const auto first = (*from_file)->sample_data(0);
    for (int frame = -8; frame < 0; ++frame) EXPECT_EQ(first.frames[frame], 0);
    const auto last = (*from_file)->sample_data(samples.size() - 1);
    for (std::uint32_t frame = 0; frame < 8; ++frame) EXPECT_EQ(last.frames[last.frame_count + 46 + frame], 0) << "after smpl";
  }
}

TEST(SoundFont, TwentyFourBitSamplesKeepTheirLowByte) {
  auto sample = test::sine_sample(100.0, 20, 69);
  auto font = load_bytes(test::single_preset_soundfont({sample}, {}, 0x40));
  ASSERT_TRUE(font) << font.error().describe();
  EXPECT_TRUE((*font)->has_24_bit_samples());
  const auto data = (*font)->sample_data(0);
  ASSERT_NE(data.low_bytes, nullptr);
  EXPECT_EQ(data.low_bytes[10], 0x40);
  // 24-bit value = 16-bit value × 256 + low byte.
  EXPECT_EQ(data.frames[10] * 256 + data.low_bytes[10], sample.frames[10] * 256 + 0x40);
}

TEST(SoundFont, BadLoopIsRepairedAndReported) {
  auto sample = test::sine_sample(100.0, 4, 60);
  sample.loop_start = 300;
  sample.loop_end = 100;  // reversed
  auto font = load_bytes(test::single_preset_soundfont({sample}));
  ASSERT_TRUE(font) << font.error().describe();
  EXPECT_FALSE((*font)->sample_data(0).loop_valid);
}

TEST(SoundFont, TruncatedAndCorruptFilesGiveErrorsWithOffsets) {
  auto bytes = test::single_preset_soundfont({test::sine_sample(100.0, 4, 60)});
  for (std::size_t keep : {std::size_t{3}, std::size_t{40}, bytes.size() / 2, bytes.size() - 30}) {
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
    auto font = load_bytes(cut);
    ASSERT_FALSE(font) << "kept " << keep;
    EXPECT_EQ(font.error().code(), ErrorCode::kCorruptData) << font.error().describe();
    EXPECT_NE(font.error().describe().find("test.sf2"), std::string::npos);
  }
  auto missing = SoundFont::load("/nonexistent/bank.sf2");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST(SoundFont, InstalledBanksLoad) {
  for (const char* path : {"/usr/share/sounds/sf2/TimGM6mb.sf2", "/usr/share/sounds/sf2/FluidR3_GM.sf2"}) {
    if (!std::filesystem::exists(path)) continue;
    auto font = SoundFont::load(path);
    ASSERT_TRUE(font) << font.error().describe();
    EXPECT_GE((*font)->presets().size(), 128u) << path;
    EXPECT_NE((*font)->find_preset(0, 0), nullptr) << path;
    EXPECT_NE((*font)->find_preset(128, 0), nullptr) << path;  // the GM drum kit
  }
}

TEST(SoundFont, Sf3LoadsFastAndDecodesOnDemand) {
  const char* path = "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no SF3 installed";
  auto font = SoundFont::load(path);
  ASSERT_TRUE(font) << font.error().describe();
  EXPECT_EQ((*font)->version()[0], '3');
  const auto* piano = (*font)->find_preset(0, 0);
  ASSERT_NE(piano, nullptr);
  const auto& instrument = (*font)->instruments()[piano->zones.at(0).link];
  const auto sample_index = static_cast<std::size_t>(instrument.zones.at(0).link);
  EXPECT_EQ((*font)->sample_data(sample_index).frames, nullptr);  // not decoded yet
  ASSERT_TRUE((*font)->ensure_decoded(sample_index));
  const auto data = (*font)->sample_data(sample_index);
  ASSERT_NE(data.frames, nullptr);
  EXPECT_GT(data.frame_count, 1000u);
  int peak = 0;
  for (std::uint32_t i = 0; i < data.frame_count; ++i) peak = std::max(peak, std::abs(int{data.frames[i]}));
  EXPECT_GT(peak, 1000);  // real audio, not silence
}

}  // namespace
}  // namespace resound::formats
