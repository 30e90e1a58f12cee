// SCHED_RR for audio threads: below PulseAudio's own sink thread (5 on the CI recipe) is enough
// to win against ordinary CPU-bound processes, which is what glitches a shared machine.
#include "realtime_priority.hpp"

#include <pthread.h>
#include <sched.h>

namespace resound::audio_io::detail {

bool request_realtime_priority() noexcept {
  constexpr int kAudioThreadPriority = 4;
  sched_param parameters{};
  parameters.sched_priority = kAudioThreadPriority;
  return pthread_setschedparam(pthread_self(), SCHED_RR, &parameters) == 0;
}

}  // namespace resound::audio_io::detail
