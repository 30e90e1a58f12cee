// Session semantics with synthetic sources: block-size independence, pause ramp, seek, update crossfade, queue.
#include "resound/engine/session.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound_test/test_sources.hpp"

namespace resound::engine {
namespace {

constexpr double kRate = 48000.0;
constexpr std::size_t kBlock = 512;

// Renders `frames` frames from `session` in blocks of `block` frames, channel 0 only.
std::vector<float> pull(Session& session, std::size_t frames, std::size_t block = kBlock) {
  AudioBuffer buffer(2, block);
  std::vector<float> out;
  while (out.size() < frames) {
    const std::size_t count = std::min(block, frames - out.size());
    const AudioView view = buffer.view().subview(0, count);
    session.process(view);
    out.insert(out.end(), view.channel(0).begin(), view.channel(0).end());
  }
  return out;
}

// A processor with state across blocks (a one-pole low-pass), to prove the chain is block-size independent.
class OnePole final : public Processor {
 public:
  void prepare(double, std::size_t, std::size_t channels) override { state_.assign(channels, 0.0f); }
  void process(AudioView audio) noexcept override {
    for (std::size_t c = 0; c < audio.channel_count(); ++c)
      for (float& sample : audio.channel(c)) sample = state_[c] = state_[c] + 0.2f * (sample - state_[c]);
  }
  void reset() noexcept override { std::fill(state_.begin(), state_.end(), 0.0f); }

 private:
  std::vector<float> state_;
};

std::unique_ptr<Session> sine_session(double frequency_hz = 440.0, double amplitude = 0.5,
                                      std::int64_t length = 10 * 48000, std::size_t max_block = kBlock) {
  auto session = std::make_unique<Session>(std::make_unique<test::SineSource>(frequency_hz, amplitude, length));
  session->prepare(kRate, max_block);
  return session;
}

// Second-difference ceiling for "no click": a 440 Hz sine of amplitude 0.5 has at most
// A·(2π·440/48000)² ≈ 0.0017, and the kink where a 5 ms linear fade starts adds up to A/240 ≈ 0.0021;
// a jump or a cut is of the order of the amplitude (0.1 … 1). 0.01 separates the two by far.
constexpr float kSmoothLimit = 0.01f;

TEST(Session, OfflineOutputDoesNotDependOnBlockSize) {
  std::vector<std::vector<float>> renders;
  for (const std::size_t block : {std::size_t{37}, std::size_t{512}, std::size_t{4096}}) {
    auto session = std::make_unique<Session>(std::make_unique<test::SineSource>(330.0, 0.5, 30000));
    session->add_effect(std::make_unique<OnePole>());
    session->prepare(kRate, block);
    renders.push_back(pull(*session, 30000, block));
  }
  EXPECT_EQ(renders[0], renders[1]);
  EXPECT_EQ(renders[1], renders[2]);
}

TEST(Session, EndsWithAShortBlockAndReportsFinished) {
  auto session = sine_session(440.0, 0.5, 1000);
  AudioBuffer buffer(2, kBlock);
  EXPECT_EQ(session->process(buffer.view()), kBlock);
  EXPECT_EQ(session->process(buffer.view()), 1000 - kBlock);
  EXPECT_TRUE(session->finished());
  EXPECT_EQ(session->position_frames(), 1000);
}

TEST(Session, PauseRampsToSilenceAndFreezesPosition) {
  auto session = sine_session();
  test::SineSource reference(440.0, 0.5, -1);
  reference.prepare(kRate, kBlock);
  auto before = pull(*session, 4 * kBlock);
  ASSERT_TRUE(session->request_pause());
  auto during = pull(*session, 4 * kBlock);
  const std::size_t ramp = 240;  // 5 ms at 48 kHz
  // The fade follows the source, gain falling linearly to 0 over `ramp` frames, then silence.
  for (std::size_t i = 0; i < ramp; ++i) {
    const float gain = 1.0f - static_cast<float>(i + 1) / ramp;
    ASSERT_NEAR(during[i], gain * reference.value_at(static_cast<std::int64_t>(4 * kBlock + i)), 1e-5f) << i;
  }
  for (std::size_t i = ramp; i < during.size(); ++i) ASSERT_EQ(during[i], 0.0f);
  EXPECT_TRUE(session->paused());
  EXPECT_EQ(session->position_frames(), static_cast<std::int64_t>(4 * kBlock + ramp));

  ASSERT_TRUE(session->request_resume());
  auto after = pull(*session, 4 * kBlock);
  EXPECT_FALSE(session->paused());
  // Resumes exactly where it stopped, fading in.
  for (std::size_t i = ramp; i < after.size(); ++i)
    ASSERT_NEAR(after[i], reference.value_at(static_cast<std::int64_t>(4 * kBlock + ramp + i)), 1e-6f);
  std::vector<float> all = before;
  all.insert(all.end(), during.begin(), during.end());
  all.insert(all.end(), after.begin(), after.end());
  EXPECT_LT(test::max_second_difference(all), kSmoothLimit);
}

TEST(Session, SeekLandsWithinOneBlockWithoutClick) {
  auto session = sine_session();
  test::SineSource reference(440.0, 0.5, -1);
  reference.prepare(kRate, kBlock);
  auto before = pull(*session, 2 * kBlock);
  const std::int64_t target = 5 * 48000 + 123;
  ASSERT_TRUE(session->request_seek(target));
  auto block = pull(*session, kBlock);
  const std::size_t ramp = 240;
  // First `ramp` frames: the old position fading out; then the new position fading in.
  EXPECT_EQ(session->position_frames(), target + static_cast<std::int64_t>(kBlock - ramp));
  auto next = pull(*session, kBlock);
  for (std::size_t i = 0; i < kBlock; ++i)
    ASSERT_NEAR(next[i], reference.value_at(target + static_cast<std::int64_t>(kBlock - ramp + i)), 1e-6f);
  std::vector<float> all = before;
  all.insert(all.end(), block.begin(), block.end());
  all.insert(all.end(), next.begin(), next.end());
  EXPECT_LT(test::max_second_difference(all), kSmoothLimit);
}

TEST(Session, SeekWhilePausedMovesSilently) {
  auto session = sine_session();
  session->request_pause();
  pull(*session, kBlock);
  session->request_seek(48000);
  auto silent = pull(*session, kBlock);
  for (const float sample : silent) ASSERT_EQ(sample, 0.0f);
  EXPECT_EQ(session->position_frames(), 48000);
}

TEST(Session, UpdateCrossfadesAtTheCurrentPosition) {
  auto session = sine_session(440.0, 0.5);
  test::SineSource old_reference(440.0, 0.5, -1), new_reference(440.0, 0.25, -1);
  old_reference.prepare(kRate, kBlock);
  new_reference.prepare(kRate, kBlock);
  auto before = pull(*session, 4 * kBlock);
  ASSERT_TRUE(session->replace_source(std::make_unique<test::SineSource>(440.0, 0.25, 10 * 48000)));
  const std::size_t crossfade = 2400;  // 50 ms
  auto after = pull(*session, 8 * kBlock);
  for (std::size_t i = 0; i < after.size(); ++i) {
    const auto frame = static_cast<std::int64_t>(4 * kBlock + i);
    const float incoming = i < crossfade ? static_cast<float>(i + 1) / crossfade : 1.0f;
    const float expected = incoming * new_reference.value_at(frame) + (1.0f - incoming) * old_reference.value_at(frame);
    ASSERT_NEAR(after[i], expected, 2e-5f) << i;
  }
  EXPECT_EQ(session->position_frames(), static_cast<std::int64_t>(12 * kBlock));
  std::vector<float> all = before;
  all.insert(all.end(), after.begin(), after.end());
  EXPECT_LT(test::max_second_difference(all), kSmoothLimit);
}

TEST(Session, ReplacedSourcesAreFreedOnTheControlThreadOnly) {
  const int alive_before = test::SineSource::alive.load();
  {
    auto session = sine_session();
    std::atomic<bool> running{true};
    std::thread audio([&] {
      AudioBuffer buffer(2, kBlock);
      while (running.load()) session->process(buffer.view());
    });
    for (int i = 0; i < 50; ++i) {
      auto replaced = session->replace_source(std::make_unique<test::SineSource>(440.0 + i, 0.5, 10 * 48000));
      ASSERT_TRUE(replaced) << replaced.error().describe();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      session->collect_garbage();
    }
    running = false;
    audio.join();
    // This thread is the audio thread now: one more block takes any replacement still queued.
    AudioBuffer buffer(2, kBlock);
    session->process(buffer.view());
    session->collect_garbage();
    EXPECT_LE(test::SineSource::alive.load() - alive_before, 2);  // the active (and perhaps a fading) one
  }
  EXPECT_EQ(test::SineSource::alive.load(), alive_before);
}

TEST(Session, CommandQueueRefusesWhenFullAndAppliesInOrder) {
  Session session(std::make_unique<test::SineSource>(440.0, 0.5, 48000), SessionOptions{.command_capacity = 4});
  session.prepare(kRate, kBlock);
  int accepted = 0;
  for (int i = 0; i < 100; ++i) accepted += session.request_seek(1000 * (i + 1)) ? 1 : 0;
  EXPECT_GE(accepted, 4);
  EXPECT_LT(accepted, 100);
  pull(session, kBlock);
  // The last accepted seek wins (later ones were refused, not reordered).
  EXPECT_EQ(session.position_frames(), 1000 * accepted + static_cast<std::int64_t>(kBlock - 240));
}

TEST(Session, MonoSourceIsSpreadOverBothChannelsAndMetersTrackLevel) {
  Session session(std::make_unique<test::SineSource>(1000.0, 0.5, 48000, 1));
  session.prepare(kRate, 4800);
  AudioBuffer buffer(2, 4800);
  session.process(buffer.view());
  EXPECT_EQ(std::vector<float>(buffer.channel(0).begin(), buffer.channel(0).end()),
            std::vector<float>(buffer.channel(1).begin(), buffer.channel(1).end()));
  EXPECT_NEAR(session.peak_level(), 0.5f, 1e-3f);
  EXPECT_NEAR(session.rms_level(), 0.5f / std::sqrt(2.0f), 1e-3f);
}

}  // namespace
}  // namespace resound::engine
