// NullDevice driving a Session: the live path yields exactly the offline render; pacing follows the clock.
#include "resound/audio_io/null_device.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "resound/core/audio_buffer.hpp"
#include "resound/engine/session.hpp"
#include "resound_test/test_sources.hpp"

namespace resound::audio_io {
namespace {

class SessionCallback final : public AudioCallback {
 public:
  explicit SessionCallback(engine::Session& session) : session_(session) {}
  void render(AudioView output) noexcept override { session_.process(output); }

 private:
  engine::Session& session_;
};

void wait_until_finished(const NullDevice& device) {
  for (int i = 0; i < 5000 && !device.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(NullDevice, UnpacedDeviceOutputEqualsTheOfflineRender) {
  constexpr std::int64_t kFrames = 48000;
  engine::Session live(std::make_unique<test::SineSource>(523.25, 0.5, 10 * 48000));
  live.prepare(48000.0, 300);
  NullDevice device({.sample_rate_hz = 48000.0, .max_block_frames = 300},
                    {.paced = false, .max_frames = kFrames, .capture_frames = kFrames});
  SessionCallback callback(live);
  ASSERT_TRUE(device.start(callback));
  wait_until_finished(device);
  device.stop();
  ASSERT_EQ(device.captured().frame_count(), static_cast<std::size_t>(kFrames));

  engine::Session offline(std::make_unique<test::SineSource>(523.25, 0.5, 10 * 48000));
  offline.prepare(48000.0, 4096);
  AudioBuffer reference(2, kFrames);
  for (std::size_t done = 0; done < kFrames; done += 4096)
    offline.process(reference.view().subview(done, 4096));
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < kFrames; ++i) ASSERT_EQ(device.captured().channel(c)[i], reference.channel(c)[i]);
  EXPECT_EQ(live.position_frames(), kFrames);
}

TEST(NullDevice, PacedDeviceRendersAtRealTimeRate) {
  engine::Session session(std::make_unique<test::SineSource>(440.0, 0.5, -1));
  session.prepare(48000.0, 480);
  NullDevice device({.sample_rate_hz = 48000.0, .max_block_frames = 480}, {.paced = true});
  SessionCallback callback(session);
  ASSERT_TRUE(device.start(callback));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  device.stop();
  // Frame count, not wall time, is asserted: at least a third of the nominal 14,400 and never
  // more than twice — an unpaced loop would have rendered millions.
  EXPECT_GT(device.frames_rendered(), 4800);
  EXPECT_LT(device.frames_rendered(), 2 * 14400 + 480);
}

}  // namespace
}  // namespace resound::audio_io
