// ScopedDenormalGuard: flushes denormal floats to zero for the lifetime of a processing scope.
#pragma once

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <xmmintrin.h>
#define RESOUND_DENORMALS_X86 1
#endif

#include <cstdint>

namespace resound {

/// Sets flush-to-zero and denormals-are-zero on the calling thread and restores the previous mode
/// on destruction. Decaying filters and reverb tails otherwise crawl through denormal numbers,
/// which cost ~100x a normal float operation on x86.
/// Thread contract: RT-safe; affects only the calling thread. Put one at the top of each render loop
/// or audio callback.
class ScopedDenormalGuard {
 public:
  ScopedDenormalGuard() noexcept {
#if RESOUND_DENORMALS_X86
    previous_ = _mm_getcsr();
    _mm_setcsr(previous_ | kFlushToZero | kDenormalsAreZero);
#elif defined(__aarch64__)
    std::uint64_t fpcr;
    asm volatile("mrs %0, fpcr" : "=r"(fpcr));
    previous_ = fpcr;
    fpcr |= (1ull << 24);  // FZ bit
    asm volatile("msr fpcr, %0" : : "r"(fpcr));
#endif
  }
  ~ScopedDenormalGuard() {
#if RESOUND_DENORMALS_X86
    _mm_setcsr(static_cast<unsigned>(previous_));
#elif defined(__aarch64__)
    asm volatile("msr fpcr, %0" : : "r"(previous_));
#endif
  }
  ScopedDenormalGuard(const ScopedDenormalGuard&) = delete;
  ScopedDenormalGuard& operator=(const ScopedDenormalGuard&) = delete;

 private:
#if RESOUND_DENORMALS_X86
  static constexpr unsigned kFlushToZero = 0x8000;
  static constexpr unsigned kDenormalsAreZero = 0x0040;
#endif
  [[maybe_unused]] std::uint64_t previous_ = 0;
};

/// True when the calling thread currently flushes denormals to zero.
inline bool denormals_are_flushed() noexcept {
#if RESOUND_DENORMALS_X86
  return (_mm_getcsr() & 0x8040u) == 0x8040u;
#elif defined(__aarch64__)
  std::uint64_t fpcr;
  asm volatile("mrs %0, fpcr" : "=r"(fpcr));
  return (fpcr >> 24) & 1u;
#else
  return false;
#endif
}

}  // namespace resound
