// FileSource: decoded file played at its own rate and resampled, exact seek, offline render via the Session.
#include "resound/engine/file_source.hpp"

#include <gtest/gtest.h>

#include "resound/engine/session.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound/host/render_to_file.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::engine {
namespace {

AudioClip sine_clip(double rate_hz, double seconds, double frequency_hz) {
  const auto frames = static_cast<std::size_t>(rate_hz * seconds);
  AudioClip clip{AudioBuffer(2, frames), rate_hz};
  const auto samples = test::sine(frequency_hz, rate_hz, frames);
  for (std::size_t c = 0; c < 2; ++c) std::copy(samples.begin(), samples.end(), clip.audio.channel(c).begin());
  return clip;
}

TEST(FileSource, PlaysAFileAndSeeksExactly) {
  test::TempDirectory directory;
  const auto path = directory.path() / "tone.wav";
  AudioClip clip = sine_clip(48000.0, 2.0, 1000.0);
  ASSERT_TRUE(formats::write_audio_file(path, clip.audio.view(), 48000.0, *formats::parse_audio_format("float")));
  auto source = FileSource::open(path);
  ASSERT_TRUE(source) << source.error().describe();
  (*source)->prepare(48000.0, 256);
  EXPECT_EQ((*source)->length_frames(), 96000);
  (*source)->seek(12345);
  AudioBuffer block(2, 256);
  EXPECT_EQ((*source)->process(block.view()), 256u);
  for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(block.channel(1)[i], clip.audio.channel(1)[12345 + i]);
}

TEST(FileSource, ResamplesToTheSessionRateKeepingPitch) {
  FileSource source(sine_clip(44100.0, 1.0, 1000.0));
  source.prepare(48000.0, 1024);
  EXPECT_NEAR(static_cast<double>(source.length_frames()), 48000.0, 2.0);
  AudioBuffer all(2, 48000);
  source.process(all.view());
  const auto middle = all.channel(0).subspan(4800, 38400);
  EXPECT_NEAR(test::measure_frequency_hz(middle, 48000.0), 1000.0, 0.05);
}

TEST(FileSource, MissingFileIsAnErrorNamingIt) {
  auto source = FileSource::open("/nonexistent/tone.wav");
  ASSERT_FALSE(source);
  EXPECT_NE(source.error().describe().find("tone.wav"), std::string::npos);
}

TEST(FileSource, SessionRendersAnExcerptOfflineThroughRenderToFile) {
  test::TempDirectory directory;
  AudioClip clip = sine_clip(48000.0, 3.0, 440.0);
  Session session(std::make_unique<FileSource>(clip));
  session.prepare(48000.0, 4096);
  session.seek(48000);
  const auto path = directory.path() / "excerpt.wav";
  auto rendered = host::render_to_file(session, path,
                                       {.sample_rate_hz = 48000.0, .format = *formats::parse_audio_format("float"),
                                        .block_frames = 333, .max_frames = 24000});
  ASSERT_TRUE(rendered) << rendered.error().describe();
  auto back = formats::read_audio_file(path);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->audio.frame_count(), 24000u);
  for (std::size_t i = 0; i < 24000; ++i) ASSERT_EQ(back->audio.channel(0)[i], clip.audio.channel(0)[48000 + i]);
}

}  // namespace
}  // namespace resound::engine
