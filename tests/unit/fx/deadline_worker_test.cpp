// DeadlineWorker: jobs done in time are reported done; jobs taken back never run; a late worker is reported late.
#include "internal/deadline_worker.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

namespace resound::fx::internal {
namespace {

struct Recorder {
  std::atomic<bool> gate_open{true};
  std::atomic<bool> running{false};
  std::array<std::atomic<int>, 512> runs{};  // how often each argument ran
  std::atomic<int> finished{0};
};

void record(void* context, std::uint64_t argument) noexcept {
  auto& recorder = *static_cast<Recorder*>(context);
  recorder.running.store(true);
  while (!recorder.gate_open.load()) std::this_thread::yield();
  recorder.runs[argument].fetch_add(1);
  recorder.running.store(false);
  recorder.finished.fetch_add(1);
}

TEST(DeadlineWorker, DoneTakenBackAndLateAreToldApart) {
  Recorder recorder;
  DeadlineWorker worker(&record, &recorder);
  using Outcome = DeadlineWorker::Outcome;
  EXPECT_EQ(worker.collect(), Outcome::kNothingPosted);

  // In time: the worker runs the job once and the result is reported done.
  ASSERT_TRUE(worker.post(1));
  while (recorder.finished.load() < 1) std::this_thread::yield();
  EXPECT_EQ(worker.collect(), Outcome::kDoneByWorker);
  EXPECT_EQ(recorder.runs[1].load(), 1);

  // Late: the job is running when its deadline comes; no new job is accepted until it finishes.
  recorder.gate_open.store(false);
  ASSERT_TRUE(worker.post(2));
  while (!recorder.running.load()) std::this_thread::yield();
  EXPECT_EQ(worker.collect(), Outcome::kWorkerLate);
  EXPECT_FALSE(worker.post(3));
  recorder.gate_open.store(true);
  while (recorder.finished.load() < 2) std::this_thread::yield();
  EXPECT_EQ(recorder.runs[3].load(), 0);
  worker.quiesce();  // the job's state turns done only after its last statement: let it, before posting again

  // Racing deadlines: whatever the outcome, a job taken back never runs and a done job ran exactly once.
  int taken_back = 0, done = 0;
  for (std::uint64_t argument = 10; argument < 500; ++argument) {
    ASSERT_TRUE(worker.post(argument));
    const Outcome outcome = worker.collect();
    if (outcome == Outcome::kWorkerLate) worker.quiesce();
    if (outcome == Outcome::kTakenBack) ++taken_back;
    if (outcome == Outcome::kDoneByWorker) ++done;
    worker.quiesce();  // settles a late job so the check below is final
    const int expected_runs = outcome == Outcome::kTakenBack ? 0 : 1;
    EXPECT_EQ(recorder.runs[argument].load(), expected_runs) << argument;
  }
  std::printf("490 immediate deadlines: %d taken back, %d done by the worker, %d late\n", taken_back, done, 490 - taken_back - done);
}

}  // namespace
}  // namespace resound::fx::internal
