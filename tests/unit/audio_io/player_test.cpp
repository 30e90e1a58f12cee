// host::Player on the file output: live control path end to end, compared with the offline render.
#include "resound/host/player.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "resound/formats/audio_file_reader.hpp"
#include "resound_test/temp_directory.hpp"
#include "resound_test/test_sources.hpp"

namespace resound::host {
namespace {

TEST(Player, FileOutputFromAStartPositionMatchesTheSourceAfterTheFadeIn) {
  test::TempDirectory directory;
  const auto path = directory.path() / "played.wav";
  PlayerOptions options;
  options.output = OutputKind::kFile;
  options.output_path = path;
  auto player = Player::create(std::make_unique<test::SineSource>(440.0, 0.5, 3 * 48000), options);
  ASSERT_TRUE(player) << player.error().describe();
  (*player)->seek(1.0);
  ASSERT_TRUE((*player)->play());
  for (int i = 0; i < 5000 && !(*player)->finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE((*player)->finished());
  (*player)->stop();
  EXPECT_DOUBLE_EQ((*player)->position_s(), 3.0);
  auto clip = formats::read_audio_file(path);
  ASSERT_TRUE(clip) << clip.error().describe();
  test::SineSource reference(440.0, 0.5, -1);
  reference.prepare(48000.0, 512);
  // The file (16-bit WAV, the .wav default) holds the 2 s from 1 s on, then the silence the device
  // kept pulling; the first 5 ms fade in.
  ASSERT_GE(clip->audio.frame_count(), 2u * 48000u);
  for (std::size_t i = 240; i < 2 * 48000; ++i)
    ASSERT_NEAR(clip->audio.channel(0)[i], reference.value_at(48000 + static_cast<std::int64_t>(i)), 1.0f / 32768.0f) << i;
  EXPECT_LT(test::max_second_difference(clip->audio.channel(0).subspan(0, 2 * 48000)), 0.01f);
}

TEST(Player, RejectsBadOptionsWithTheFieldNamed) {
  PlayerOptions options;
  options.latency_ms = 0.0;
  auto player = Player::create(std::make_unique<test::SineSource>(440.0, 0.5, 48000), options);
  ASSERT_FALSE(player);
  EXPECT_EQ(player.error().context().field, "latency_ms");
}

}  // namespace
}  // namespace resound::host
