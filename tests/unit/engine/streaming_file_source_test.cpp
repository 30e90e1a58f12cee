// StreamingFileSource: a long file plays bit-exact in constant memory, seeks land on the right
// frame, a seek the decoder has not caught up with gives silence in step then a fade-in (no jump),
// resampling.
#include "resound/engine/streaming_file_source.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>
#include <thread>

#include "resound/formats/audio_file_writer.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::engine {
namespace {

// A pattern whose every frame is identifiable: a 997 Hz sine plus a slow ramp, exact in 16 bit.
float pattern(std::int64_t frame) {
  const double value = 0.4 * std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(frame) / 48000.0) +
                       0.4 * static_cast<double>(frame % 48000) / 48000.0;
  return static_cast<float>(std::round(value * 32767.0) / 32768.0);
}

void write_pattern_file(const std::filesystem::path& path, std::int64_t frames) {
  auto writer = formats::AudioFileWriter::create(
      path, {.sample_rate_hz = 48000.0, .channel_count = 1, .format = *formats::parse_audio_format("wav16")});
  ASSERT_TRUE(writer) << writer.error().describe();
  AudioBuffer chunk(1, 48000);
  for (std::int64_t start = 0; start < frames; start += 48000) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(48000, frames - start));
    for (std::size_t i = 0; i < count; ++i) chunk.channel(0)[i] = pattern(start + static_cast<std::int64_t>(i));
    ASSERT_TRUE(writer->write(chunk.view().subview(0, count)));
  }
  ASSERT_TRUE(writer->commit());
}

// What a paced audio thread sees when the decoder keeps up: wait until a block is buffered.
void wait_for_audio(const StreamingFileSource& source, std::int64_t frames) {
  for (int waited_ms = 0; waited_ms < 5000; ++waited_ms) {
    if (source.buffered_frames() >= frames || source.position_frames() + source.buffered_frames() >= source.length_frames())
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(StreamingFileSource, LongFilePlaysBitExactInConstantMemory) {
  test::TempDirectory directory;
  const auto path = directory.path() / "long.wav";
  constexpr std::int64_t kFrames = 48000 * 120;  // 2 minutes: 23 MB decoded as float
  write_pattern_file(path, kFrames);
  const long rss_before_kb = test::current_rss_kb();
  auto source = StreamingFileSource::open(path, {.read_ahead_s = 1.0});
  ASSERT_TRUE(source) << source.error().describe();
  (*source)->prepare(48000.0, 512);
  EXPECT_EQ((*source)->length_frames(), kFrames);
  EXPECT_LT((*source)->buffer_bytes(), 300'000u);  // ~1 s of mono float, whatever the file's length
  AudioBuffer block(1, 512);
  std::int64_t played = 0;
  std::int64_t mismatches = 0;
  long rss_peak_kb = rss_before_kb;
  while (true) {
    wait_for_audio(**source, 512);
    const std::size_t produced = (*source)->process(block.view());
    for (std::size_t i = 0; i < produced; ++i)
      if (block.channel(0)[i] != pattern(played + static_cast<std::int64_t>(i))) ++mismatches;
    played += static_cast<std::int64_t>(produced);
    if (played % (48000 * 10) < 512) rss_peak_kb = std::max(rss_peak_kb, test::current_rss_kb());
    if (produced < block.frame_count()) break;
  }
  EXPECT_EQ(played, kFrames);
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ((*source)->dropouts(), 0u);
  // Decoding up front would hold 23 MB; streaming holds its ring (and libsndfile's buffers).
  EXPECT_LT(rss_peak_kb - rss_before_kb, 8 * 1024) << "RSS grew while playing";
}

TEST(StreamingFileSource, SeeksLandOnTheRequestedFrame) {
  test::TempDirectory directory;
  const auto path = directory.path() / "seek.wav";
  write_pattern_file(path, 48000 * 20);
  auto source = StreamingFileSource::open(path);
  ASSERT_TRUE(source) << source.error().describe();
  (*source)->prepare(48000.0, 256);
  AudioBuffer block(1, 256);
  for (const std::int64_t target : {std::int64_t{700'001}, std::int64_t{12'345}, std::int64_t{959'000},
                                    std::int64_t{480'000}}) {
    (*source)->seek(target);
    EXPECT_EQ((*source)->position_frames(), target);
    wait_for_audio(**source, 256);
    const std::size_t produced = (*source)->process(block.view());
    ASSERT_EQ(produced, 256u);
    for (std::size_t i = 0; i < produced; ++i)
      ASSERT_EQ(block.channel(0)[i], pattern(target + static_cast<std::int64_t>(i))) << "after seek to " << target;
    EXPECT_EQ((*source)->position_frames(), target + static_cast<std::int64_t>(produced));
  }
  EXPECT_EQ((*source)->dropouts(), 0u);
}

TEST(StreamingFileSource, UnreadySeekGivesSilenceInStepThenFadesInWithoutAJump) {
  test::TempDirectory directory;
  const auto path = directory.path() / "gap.wav";
  write_pattern_file(path, 48000 * 20);
  auto source = StreamingFileSource::open(path, {.gap_fade_ms = 2.0});
  ASSERT_TRUE(source) << source.error().describe();
  (*source)->prepare(48000.0, 256);
  AudioBuffer block(1, 256);
  (*source)->seek(300'000);
  // The audio thread never waits: straight after the seek nothing is decoded yet (almost always),
  // so it plays silence in place of the file — and time goes on, as it would on a clock.
  std::size_t silent_blocks = 0;
  while ((*source)->buffered_frames() == 0 && silent_blocks < 3) {
    ASSERT_EQ((*source)->process(block.view()), 256u);
    for (const float sample : block.channel(0)) ASSERT_EQ(sample, 0.0f);
    ++silent_blocks;
    EXPECT_EQ((*source)->position_frames(), 300'000 + static_cast<std::int64_t>(256 * silent_blocks));
  }
  const std::int64_t resumed_at = 300'000 + static_cast<std::int64_t>(256 * silent_blocks);
  wait_for_audio(**source, 512);
  std::vector<float> resumed;
  for (int b = 0; b < 2; ++b) {
    (*source)->process(block.view());
    resumed.insert(resumed.end(), block.channel(0).begin(), block.channel(0).end());
  }
  EXPECT_EQ((*source)->position_frames(), resumed_at + 512);
  EXPECT_EQ((*source)->dropouts(), 0u) << "a seek's first wait is not a dropout";
  const std::size_t fade_frames = 96;  // 2 ms at 48 kHz
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    // In step: the audio that resumes is the file at the clock's position, not where the wait began.
    const float expected = pattern(resumed_at + static_cast<std::int64_t>(i));
    if (silent_blocks == 0 || i >= fade_frames) {
      ASSERT_EQ(resumed[i], expected) << i;
    } else {
      // Inside the fade-in: the file scaled by a ramp from 0, so no step out of silence.
      ASSERT_NEAR(resumed[i], expected * static_cast<float>(i) / fade_frames, 1e-6f) << i;
    }
  }
}

TEST(StreamingFileSource, ResamplesToTheSessionRateKeepingPitchAndLength) {
  test::TempDirectory directory;
  const auto path = directory.path() / "tone44.wav";
  const auto samples = test::sine(1000.0, 44100.0, 44100 * 2);
  AudioBuffer tone(1, samples.size());
  std::copy(samples.begin(), samples.end(), tone.channel(0).begin());
  ASSERT_TRUE(formats::write_audio_file(path, tone.view(), 44100.0, *formats::parse_audio_format("float")));
  auto source = StreamingFileSource::open(path);
  ASSERT_TRUE(source) << source.error().describe();
  (*source)->prepare(48000.0, 512);
  EXPECT_EQ((*source)->length_frames(), 96000);
  std::vector<float> played;
  AudioBuffer block(1, 512);
  while (true) {
    wait_for_audio(**source, 512);
    const std::size_t produced = (*source)->process(block.view());
    played.insert(played.end(), block.channel(0).begin(), block.channel(0).begin() + static_cast<long>(produced));
    if (produced < 512) break;
  }
  EXPECT_NEAR(static_cast<double>(played.size()), 96000.0, 64.0);
  EXPECT_NEAR(test::measure_frequency_hz(std::span<const float>(played).subspan(4800, 48000), 48000.0), 1000.0, 1.0);
  EXPECT_NEAR(test::rms(std::span<const float>(played).subspan(4800, 48000)), 0.5 / std::sqrt(2.0), 0.01);
}

TEST(StreamingFileSource, MissingFileIsAnErrorNamingIt) {
  auto source = StreamingFileSource::open("/nonexistent/long.wav");
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().describe().find("long.wav"), std::string::npos);
}

}  // namespace
}  // namespace resound::engine
