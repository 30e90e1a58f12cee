// DeadlineWorker: hands one job at a time to a worker thread, lock-free, with the caller taking the job back when late.
#pragma once

#include <atomic>
#include <cstdint>
#include <semaphore>
#include <thread>

namespace resound::fx::internal {

/// A worker thread that runs `job(context, argument)` for arguments the audio thread posts, one job
/// in flight at most. The audio thread never blocks on it: at the job's deadline it either finds
/// the job done, takes it back (not started yet: the caller runs it itself), or learns that the
/// worker is late (running: the caller computes the result elsewhere and the worker's result is
/// dropped). Hand-over is an atomic state word plus a semaphore post (a futex wake, no lock, no
/// allocation).
///
/// Thread contract: constructor/destructor OFF (start and join the thread); post, collect, quiesce
/// RT on the one audio thread that owns the worker; the job runs on the worker thread.
class DeadlineWorker {
 public:
  using Job = void (*)(void* context, std::uint64_t argument) noexcept;

  enum class Outcome {
    kNothingPosted,  ///< no job was outstanding
    kDoneByWorker,   ///< the worker finished in time: its result is ready
    kTakenBack,      ///< the worker had not started: cancelled, the caller computes it (same buffers are free)
    kWorkerLate,     ///< the worker is still running: the caller computes it elsewhere
  };

  DeadlineWorker(Job job, void* context);
  ~DeadlineWorker();
  DeadlineWorker(const DeadlineWorker&) = delete;
  DeadlineWorker& operator=(const DeadlineWorker&) = delete;

  /// Hands a job over; false (nothing posted) while a late job still runs. RT.
  bool post(std::uint64_t argument) noexcept;
  /// Settles the outstanding job at its deadline (see Outcome). RT.
  Outcome collect() noexcept;
  /// Cancels a posted job and spins until a running one finishes (bounded by one job). RT-bounded.
  void quiesce() noexcept;
  /// Whether the last posted job may still read its inputs (posted and not cancelled, or running).
  /// False also orders the job's reads before what the caller does next (acquire), so the caller
  /// may then overwrite them and post() will succeed. RT, on the audio thread.
  [[nodiscard]] bool busy() const noexcept;

 private:
  enum State : int { kIdle, kPosted, kRunning, kDone, kCancelled };
  void run() noexcept;

  Job job_;
  void* context_;
  // Written by post() before the release store of kPosted (atomic: post() may run while a cancelled
  // wake is still in flight on the worker).
  std::atomic<std::uint64_t> argument_{0};
  std::atomic<int> state_{kIdle};
  std::atomic<bool> quit_{false};
  bool outstanding_ = false;  // audio thread only: a job was posted and not yet collected
  std::counting_semaphore<> wake_{0};
  std::thread thread_;
};

}  // namespace resound::fx::internal
