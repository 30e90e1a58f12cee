// Test hooks: points where a test can stall the audio thread or the convolution worker to force one interleaving.
#pragma once

#include <atomic>

namespace resound::fx::internal {

/// Where a hook is called. Null in normal use, so each point costs one relaxed load.
enum class HookPoint {
  kWorkerJobStarting,   ///< worker thread: a job was taken (state running), before it runs
  kWorkerJobFinished,   ///< worker thread: a job's result is published (state done)
  kTailFiring,          ///< audio thread: the largest stage fires, before its outstanding job is settled
  kAudioSummedTail,     ///< audio thread: it summed a tail itself, before adding partition 0
  kJobPosted,           ///< audio thread: a tail job was handed to the worker
  kWorkerReadingRows,   ///< worker thread: a job chose its delay-line rows, before it reads them
};

using TestHook = void (*)(HookPoint) noexcept;

/// The installed hook. Tests set it (OFF) before preparing a convolver and clear it after.
inline std::atomic<TestHook> test_hook{nullptr};

/// Calls the installed hook, if any. Any thread.
inline void call_test_hook(HookPoint point) noexcept {
  if (const TestHook hook = test_hook.load(std::memory_order_relaxed)) hook(point);
}

}  // namespace resound::fx::internal
