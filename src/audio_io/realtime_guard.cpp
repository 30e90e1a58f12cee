// Thread-local "inside the callback" flag and the violation counters of the real-time guard.
#include "resound/audio_io/realtime_guard.hpp"

#include <atomic>

namespace resound::audio_io {
namespace {
thread_local int g_scope_depth = 0;
std::atomic<std::uint64_t> g_allocations{0};
std::atomic<std::uint64_t> g_locks{0};
std::atomic<std::uint64_t> g_callbacks{0};
}  // namespace

RealtimeScope::RealtimeScope() noexcept {
  if (g_scope_depth++ == 0) g_callbacks.fetch_add(1, std::memory_order_relaxed);
}
RealtimeScope::~RealtimeScope() { --g_scope_depth; }

bool in_realtime_scope() noexcept { return g_scope_depth > 0; }
void note_realtime_allocation() noexcept { g_allocations.fetch_add(1, std::memory_order_relaxed); }
void note_realtime_lock() noexcept { g_locks.fetch_add(1, std::memory_order_relaxed); }

RealtimeViolations realtime_violations() noexcept {
  return {g_allocations.load(std::memory_order_relaxed), g_locks.load(std::memory_order_relaxed),
          g_callbacks.load(std::memory_order_relaxed)};
}

void reset_realtime_violations() noexcept {
  g_allocations.store(0, std::memory_order_relaxed);
  g_locks.store(0, std::memory_order_relaxed);
  g_callbacks.store(0, std::memory_order_relaxed);
}

}  // namespace resound::audio_io
