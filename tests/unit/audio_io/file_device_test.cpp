// FileDevice: what the callback renders lands in the file, sample for sample, written off the audio thread.
#include "resound/audio_io/file_device.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "resound/formats/audio_file_reader.hpp"
#include "resound_test/temp_directory.hpp"
#include "resound_test/test_sources.hpp"

namespace resound::audio_io {
namespace {

class SourceCallback final : public AudioCallback {
 public:
  explicit SourceCallback(Source& source) : source_(source) {}
  void render(AudioView output) noexcept override { source_.process(output); }

 private:
  Source& source_;
};

TEST(FileDevice, WritesExactlyWhatTheCallbackRendered) {
  test::TempDirectory directory;
  const auto path = directory.path() / "out.wav";
  test::SineSource source(440.0, 0.5, -1);
  source.prepare(48000.0, 256);
  SourceCallback callback(source);
  FileDevice device({.sample_rate_hz = 48000.0, .max_block_frames = 256},
                    {.path = path, .format = "float", .max_frames = 100000, .queue_blocks = 8});
  ASSERT_TRUE(device.start(callback));
  for (int i = 0; i < 5000 && !device.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  device.stop();
  ASSERT_TRUE(device.result()) << device.result().error().describe();
  EXPECT_EQ(device.xrun_count(), 0u);
  auto clip = formats::read_audio_file(path);
  ASSERT_TRUE(clip);
  ASSERT_EQ(clip->audio.frame_count(), 100000u);
  for (std::size_t i = 0; i < 100000; ++i) ASSERT_EQ(clip->audio.channel(0)[i], source.value_at(static_cast<std::int64_t>(i)));
}

TEST(FileDevice, UnwritablePathIsReportedAtStart) {
  test::SineSource source(440.0, 0.5, -1);
  SourceCallback callback(source);
  FileDevice device({}, {.path = "/nonexistent-dir/out.wav"});
  EXPECT_FALSE(device.start(callback));
}

}  // namespace
}  // namespace resound::audio_io
