// Worker-thread convolution under forced timings: however late the worker is, the output is bit-identical to offline.
// Test hooks stall the worker (or the audio thread) at chosen points, so each interleaving is reproduced deterministically.
#include "resound/fx/partitioned_convolver.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>

#include "fx_test_support.hpp"
#include "internal/test_hooks.hpp"

namespace resound::fx {
namespace {

using internal::HookPoint;

std::vector<float> decaying_noise(std::size_t frames, unsigned seed) {
  std::vector<float> response = test::white_noise(frames, 1.0f, seed);
  for (std::size_t i = 0; i < frames; ++i) response[i] *= static_cast<float>(std::exp(-3.0 * static_cast<double>(i) / static_cast<double>(frames)));
  return response;
}

struct StereoCase {
  std::vector<std::vector<float>> responses = {decaying_noise(60000, 41), decaying_noise(60000, 42)};
  std::vector<std::vector<float>> signal = {test::white_noise(120000, 0.5f, 43), test::white_noise(120000, 0.5f, 44)};
};

// Spins (yielding) until `done` says so or the scenario is being torn down.
std::atomic<bool> tearing_down{false};
template <typename Condition>
void wait_until(Condition done) noexcept {
  while (!done() && !tearing_down.load()) std::this_thread::yield();
}

// Convolves the case's stereo signal in blocks of `block` frames (the last one short).
std::vector<std::vector<float>> convolve(const StereoCase& input, bool worker_thread, std::size_t fixed_block, std::size_t block,
                                         PartitionedConvolver::TailStatistics* statistics = nullptr) {
  PartitionedConvolver convolver;
  const ConvolutionPath paths[] = {{0, 0, input.responses[0]}, {1, 1, input.responses[1]}};
  convolver.prepare(2, 2, paths, worker_thread, fixed_block);
  EXPECT_EQ(convolver.has_worker_thread(), worker_thread);
  test::PlanarAudio audio(2, input.signal[0].size());
  audio.channels = input.signal;
  for (std::size_t position = 0; position < audio.frames(); position += block) {
    const AudioView view = audio.view().subview(position, std::min(block, audio.frames() - position));
    convolver.process(view, view);
  }
  if (statistics != nullptr) *statistics = convolver.tail_statistics();
  tearing_down = true;  // releases a worker still held by a hook, so the convolver can stop it
  return audio.channels;
}

// Scenario 1: the first job the worker takes is held until the audio thread has summed two tails
// itself — the first while the job was late (its deadline passed), the second after it (the
// post that followed failed, so nothing was outstanding) — and is then let finish while the audio
// thread waits, so a late worker writes its result in the middle of the audio thread's firing.
namespace held_job {
std::atomic<bool> armed{false};
std::atomic<bool> holding{false};
std::atomic<bool> released{false};
std::atomic<int> audio_sums_while_held{0};
std::atomic<int> finished_jobs{0};

void hook(HookPoint point) noexcept {
  switch (point) {
    case HookPoint::kJobPosted:  // make sure the worker, not a taken-back deadline, gets the first job
      if (armed.load()) wait_until([] { return holding.load(); });
      break;
    case HookPoint::kWorkerJobStarting:
      if (armed.exchange(false)) {
        holding.store(true);
        wait_until([] { return released.load(); });
      }
      break;
    case HookPoint::kAudioSummedTail:
      if (holding.load() && !released.load() && audio_sums_while_held.fetch_add(1) + 1 == 2) {
        const int finished = finished_jobs.load();
        released.store(true);
        wait_until([finished] { return finished_jobs.load() > finished; });
      }
      break;
    case HookPoint::kWorkerJobFinished:
      finished_jobs.fetch_add(1);
      break;
    case HookPoint::kTailFiring:
    case HookPoint::kWorkerReadingRows:
      break;
  }
}
}  // namespace held_job

TEST(ConvolutionWorkerTiming, AWorkerLateByTwoPeriodsDoesNotChangeTheOutput) {
  const StereoCase input;
  for (const std::size_t fixed_block : {std::size_t{0}, std::size_t{256}}) {
    const auto offline = convolve(input, false, fixed_block, 256);
    held_job::armed = true;
    held_job::holding = false;
    held_job::released = false;
    held_job::audio_sums_while_held = 0;
    tearing_down = false;
    internal::test_hook.store(&held_job::hook);
    PartitionedConvolver::TailStatistics statistics;
    const auto live = convolve(input, true, fixed_block, 256, &statistics);
    internal::test_hook.store(nullptr);
    EXPECT_TRUE(held_job::released.load()) << "the scenario did not play out";
    EXPECT_EQ(held_job::audio_sums_while_held.load(), 2);
    EXPECT_GE(statistics.on_audio_thread, 2u);
    for (std::size_t c = 0; c < 2; ++c) EXPECT_EQ(live[c], offline[c]) << "channel " << c << ", fixed block " << fixed_block;
  }
}

// Scenario 2: every job the worker takes starts only after the audio thread has fired the stage
// 0, 1, 2 … 5 more times (cycling): in time, late, late past a failed post, and late enough to
// give up — every mixture of outcomes, in blocks of several sizes. The signal is twice as long
// as in scenario 1 so each delay occurs several times.
namespace delayed_jobs {
std::atomic<std::uint64_t> tail_firings{0};
std::atomic<std::uint64_t> jobs_started{0};
std::atomic<std::uint64_t> jobs_posted{0};
std::atomic<bool> in_time_job_running{false};

void hook(HookPoint point) noexcept {
  switch (point) {
    case HookPoint::kJobPosted: {  // the worker takes every job (none is taken back unstarted)
      const std::uint64_t posted = jobs_posted.fetch_add(1) + 1;
      wait_until([posted] { return jobs_started.load() >= posted; });
      break;
    }
    case HookPoint::kWorkerJobStarting: {
      const std::uint64_t index = jobs_started.load();
      const std::uint64_t delay = index % 6;
      if (delay == 0) in_time_job_running.store(true);  // the deadline waits for it: done by the worker
      const std::uint64_t until = tail_firings.load() + delay;
      jobs_started.store(index + 1);
      wait_until([until] { return tail_firings.load() >= until; });
      break;
    }
    case HookPoint::kWorkerJobFinished:
      in_time_job_running.store(false);
      break;
    case HookPoint::kTailFiring:
      tail_firings.fetch_add(1);
      wait_until([] { return !in_time_job_running.load(); });
      break;
    case HookPoint::kAudioSummedTail:
    case HookPoint::kWorkerReadingRows:
      break;
  }
}
}  // namespace delayed_jobs

TEST(ConvolutionWorkerTiming, AnyWorkerDelayGivesTheOfflineOutput) {
  StereoCase input;
  input.signal = {test::white_noise(240000, 0.5f, 45), test::white_noise(240000, 0.5f, 46)};
  for (const auto& [fixed_block, block] : {std::pair<std::size_t, std::size_t>{0, 37}, {0, 256}, {256, 256}, {64, 64}}) {
    const auto offline = convolve(input, false, fixed_block, block);
    delayed_jobs::tail_firings = 0;
    delayed_jobs::jobs_started = 0;
    delayed_jobs::jobs_posted = 0;
    delayed_jobs::in_time_job_running = false;
    tearing_down = false;
    internal::test_hook.store(&delayed_jobs::hook);
    PartitionedConvolver::TailStatistics statistics;
    const auto live = convolve(input, true, fixed_block, block, &statistics);
    internal::test_hook.store(nullptr);
    std::printf("fixed block %zu, calls of %zu: %llu tail sums by the worker, %llu on the audio thread, %llu jobs started\n", fixed_block,
                block, static_cast<unsigned long long>(statistics.by_worker), static_cast<unsigned long long>(statistics.on_audio_thread),
                static_cast<unsigned long long>(delayed_jobs::jobs_started.load()));
    EXPECT_GT(statistics.on_audio_thread, 0u);
    EXPECT_GT(statistics.by_worker, 0u);
    for (std::size_t c = 0; c < 2; ++c) EXPECT_EQ(live[c], offline[c]) << "channel " << c << ", fixed block " << fixed_block;
  }
}

// Scenario 3: the first job is held between two passes of reads (the first output's rows read, the
// second's chosen and its give-up check passed) while the audio thread fires the stage more times
// than the delay line has rows; then it reads on. The audio thread must not overwrite rows the job
// has read or will read meanwhile: either would be a data race, even though the late result is
// dropped (the hooks add no audio→worker ordering, so a race detector is not blinded by them).
// The output stays offline's.
namespace held_reads {
std::atomic<std::uint64_t> tail_firings{0};
std::atomic<std::uint64_t> hold_firings{0};
std::atomic<bool> armed{false};
std::atomic<bool> holding{false};
std::atomic<bool> released{false};
std::atomic<int> reading_passes{0};

void hook(HookPoint point) noexcept {
  switch (point) {
    case HookPoint::kJobPosted:  // the first job is the one held (none taken back unstarted); a worker→audio edge only
      if (armed.load(std::memory_order_relaxed)) wait_until([] { return holding.load(std::memory_order_acquire); });
      break;
    case HookPoint::kWorkerReadingRows:  // the second pass of the first job: the first one's rows were read
      if (armed.load(std::memory_order_relaxed) && reading_passes.fetch_add(1, std::memory_order_relaxed) + 1 == 2) {
        armed.store(false, std::memory_order_relaxed);
        holding.store(true, std::memory_order_release);
        const std::uint64_t until = tail_firings.load(std::memory_order_relaxed) + hold_firings.load(std::memory_order_relaxed);
        wait_until([until] { return tail_firings.load(std::memory_order_relaxed) >= until; });
        released.store(tail_firings.load(std::memory_order_relaxed) >= until, std::memory_order_relaxed);
      }
      break;
    case HookPoint::kTailFiring:
      tail_firings.fetch_add(1, std::memory_order_relaxed);
      break;
    case HookPoint::kWorkerJobStarting:
    case HookPoint::kWorkerJobFinished:
    case HookPoint::kAudioSummedTail:
      break;
  }
}
}  // namespace held_reads

TEST(ConvolutionWorkerTiming, AWorkerHeldInItsReadsFindsItsRowsUnchanged) {
  StereoCase input;
  input.signal = {test::white_noise(240000, 0.5f, 47), test::white_noise(240000, 0.5f, 48)};
  PartitionedConvolver probe;
  const ConvolutionPath paths[] = {{0, 0, input.responses[0]}, {1, 1, input.responses[1]}};
  probe.prepare(2, 2, paths, false, 256);
  const std::size_t largest = probe.partition_sizes().back();
  const std::size_t partitions = (input.responses[0].size() - largest + largest - 1) / largest;
  const auto offline = convolve(input, false, 256, 256);
  held_reads::tail_firings = 0;
  held_reads::hold_firings = partitions + 4;  // every row the job reads comes up for reuse (the old design had J + 3 rows)
  held_reads::armed = true;
  held_reads::holding = false;
  held_reads::released = false;
  held_reads::reading_passes = 0;
  tearing_down = false;
  internal::test_hook.store(&held_reads::hook);
  PartitionedConvolver::TailStatistics statistics;
  const auto live = convolve(input, true, 256, 256, &statistics);
  internal::test_hook.store(nullptr);
  EXPECT_TRUE(held_reads::released.load()) << "the scenario did not play out (" << held_reads::tail_firings.load() << " firings)";
  EXPECT_GE(statistics.on_audio_thread, partitions + 3);
  for (std::size_t c = 0; c < 2; ++c) EXPECT_EQ(live[c], offline[c]) << "channel " << c;
}

}  // namespace
}  // namespace resound::fx
