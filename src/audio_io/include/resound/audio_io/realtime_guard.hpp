// Real-time guard: marks "inside the audio callback" so test builds can count allocations and locks there.
#pragma once

#include <cstdint>

namespace resound::audio_io {

/// While alive, the current thread counts as being inside an audio callback. Devices wrap every
/// callback in one. Nests. Thread contract: RT (a thread-local flag, nothing else).
class RealtimeScope {
 public:
  RealtimeScope() noexcept;
  ~RealtimeScope();
  RealtimeScope(const RealtimeScope&) = delete;
  RealtimeScope& operator=(const RealtimeScope&) = delete;
};

/// True on a thread currently inside a RealtimeScope. RT.
[[nodiscard]] bool in_realtime_scope() noexcept;

/// Hooks for test executables that interpose malloc / pthread_mutex_lock: they report here when
/// called inside a RealtimeScope. Wait-free (relaxed atomics). RT.
void note_realtime_allocation() noexcept;
void note_realtime_lock() noexcept;

/// What the hooks counted since the last reset. Any thread.
struct RealtimeViolations {
  std::uint64_t allocations = 0;
  std::uint64_t locks = 0;
  std::uint64_t callbacks = 0;  ///< callbacks observed (so "0 violations" is not vacuous)
};
[[nodiscard]] RealtimeViolations realtime_violations() noexcept;
void reset_realtime_violations() noexcept;

}  // namespace resound::audio_io
