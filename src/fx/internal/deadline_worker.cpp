// DeadlineWorker: the state machine (idle → posted → running → done, or posted → cancelled) and the thread loop.
#include "deadline_worker.hpp"

#include "test_hooks.hpp"

namespace resound::fx::internal {

DeadlineWorker::DeadlineWorker(Job job, void* context) : job_(job), context_(context), thread_([this] { run(); }) {}

DeadlineWorker::~DeadlineWorker() {
  quit_.store(true, std::memory_order_release);
  wake_.release();
  thread_.join();
}

bool DeadlineWorker::post(std::uint64_t argument) noexcept {
  if (state_.load(std::memory_order_acquire) == kRunning) return false;  // a late job still reads its inputs
  argument_.store(argument, std::memory_order_relaxed);  // published by the release store below
  state_.store(kPosted, std::memory_order_release);
  outstanding_ = true;
  wake_.release();
  return true;
}

DeadlineWorker::Outcome DeadlineWorker::collect() noexcept {
  if (!outstanding_) return Outcome::kNothingPosted;
  outstanding_ = false;
  int state = kPosted;
  if (state_.compare_exchange_strong(state, kCancelled, std::memory_order_acq_rel)) return Outcome::kTakenBack;
  if (state == kDone) {
    state_.store(kIdle, std::memory_order_relaxed);
    return Outcome::kDoneByWorker;
  }
  return Outcome::kWorkerLate;  // kRunning: its result will be ignored
}

void DeadlineWorker::quiesce() noexcept {
  outstanding_ = false;
  int state = kPosted;
  state_.compare_exchange_strong(state, kCancelled, std::memory_order_acq_rel);
  while (state_.load(std::memory_order_acquire) == kRunning) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  state_.store(kIdle, std::memory_order_release);
}

bool DeadlineWorker::busy() const noexcept {
  const int state = state_.load(std::memory_order_acquire);
  return state == kPosted || state == kRunning;
}

void DeadlineWorker::run() noexcept {
  for (;;) {
    wake_.acquire();
    if (quit_.load(std::memory_order_acquire)) return;
    int state = kPosted;
    // Extra wakes (from cancelled jobs) find no posted job and go back to sleep.
    if (!state_.compare_exchange_strong(state, kRunning, std::memory_order_acq_rel)) continue;
    call_test_hook(HookPoint::kWorkerJobStarting);
    job_(context_, argument_.load(std::memory_order_relaxed));
    state_.store(kDone, std::memory_order_release);
    call_test_hook(HookPoint::kWorkerJobFinished);
  }
}

}  // namespace resound::fx::internal
