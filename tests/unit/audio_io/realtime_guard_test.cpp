// The real-time guard: its hooks do count allocations and locks inside a callback (positive control),
// and a Session under pause/seek/replace traffic from a NullDevice makes none.
#include "resound/audio_io/realtime_guard.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "resound/audio_io/null_device.hpp"
#include "resound/engine/session.hpp"
#include "resound_test/test_sources.hpp"

namespace resound::audio_io {
namespace {

class AllocatingCallback final : public AudioCallback {
 public:
  void render(AudioView output) noexcept override {
    std::vector<float>* garbage = new std::vector<float>(output.frame_count());  // the violation under test
    { std::lock_guard lock(mutex_); }
    delete garbage;
  }

 private:
  std::mutex mutex_;
};

class SessionCallback final : public AudioCallback {
 public:
  explicit SessionCallback(engine::Session& session) : session_(session) {}
  void render(AudioView output) noexcept override { session_.process(output); }

 private:
  engine::Session& session_;
};

TEST(RealtimeGuard, CountsAllocationsAndLocksInsideTheCallback) {
  reset_realtime_violations();
  AllocatingCallback callback;
  NullDevice device({.max_block_frames = 64}, {.paced = false, .max_frames = 640});
  ASSERT_TRUE(device.start(callback));
  for (int i = 0; i < 2000 && !device.finished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  device.stop();
  const RealtimeViolations violations = realtime_violations();
  EXPECT_EQ(violations.callbacks, 10u);
  EXPECT_GE(violations.allocations, 20u);  // a new and a delete (plus the vector's buffer) per callback
  EXPECT_GE(violations.locks, 10u);
}

TEST(RealtimeGuard, SessionUnderLiveControlNeverAllocatesOrLocks) {
  engine::Session session(std::make_unique<test::SineSource>(440.0, 0.5, 60 * 48000));
  session.prepare(48000.0, 256);
  SessionCallback callback(session);
  reset_realtime_violations();
  NullDevice device({.max_block_frames = 256}, {.paced = true});
  ASSERT_TRUE(device.start(callback));
  for (int round = 0; round < 10; ++round) {
    session.request_pause();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    session.request_resume();
    session.request_seek(48000 * round);
    ASSERT_TRUE(session.replace_source(std::make_unique<test::SineSource>(440.0 + round, 0.5, 60 * 48000)));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    session.collect_garbage();
  }
  device.stop();
  session.collect_garbage();
  const RealtimeViolations violations = realtime_violations();
  EXPECT_GT(violations.callbacks, 20u);
  EXPECT_EQ(violations.allocations, 0u);
  EXPECT_EQ(violations.locks, 0u);
}

}  // namespace
}  // namespace resound::audio_io
