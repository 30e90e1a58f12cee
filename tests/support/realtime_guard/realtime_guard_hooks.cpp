// Real-time guard hooks for test executables: interposes malloc & co. and pthread_mutex_lock so that
// any call made inside an audio callback (audio_io::RealtimeScope) is counted. Link as an OBJECT
// library so these definitions win over glibc's for the whole process.
#include <dlfcn.h>
#include <pthread.h>

#include <cstddef>

#include "resound/audio_io/realtime_guard.hpp"

extern "C" {
void* __libc_malloc(std::size_t size);
void __libc_free(void* pointer);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {
inline void note_allocation() noexcept {
  if (resound::audio_io::in_realtime_scope()) resound::audio_io::note_realtime_allocation();
}

using MutexLock = int (*)(pthread_mutex_t*);
MutexLock real_mutex_lock() noexcept {
  static MutexLock real = reinterpret_cast<MutexLock>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
  return real;
}
}  // namespace

extern "C" {
void* malloc(std::size_t size) {
  note_allocation();
  return __libc_malloc(size);
}
void free(void* pointer) {
  if (pointer) note_allocation();  // freeing on the audio thread is just as forbidden
  __libc_free(pointer);
}
void* calloc(std::size_t count, std::size_t size) {
  note_allocation();
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
  note_allocation();
  return __libc_realloc(pointer, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  note_allocation();
  return __libc_memalign(alignment, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
  note_allocation();
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** result, std::size_t alignment, std::size_t size) {
  note_allocation();
  void* pointer = __libc_memalign(alignment, size);
  if (!pointer) return 12;  // ENOMEM
  *result = pointer;
  return 0;
}
int pthread_mutex_lock(pthread_mutex_t* mutex) {
  if (resound::audio_io::in_realtime_scope()) resound::audio_io::note_realtime_lock();
  return real_mutex_lock()(mutex);
}
}
