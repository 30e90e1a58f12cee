// request_realtime_priority (private): asks the kernel for SCHED_RR on the calling thread.
#pragma once

namespace resound::audio_io::detail {

/// Switches the calling thread to SCHED_RR at a modest priority. True when granted (root, or an
/// RLIMIT_RTPRIO that allows it); false otherwise, leaving the thread as it was. Call once per thread.
bool request_realtime_priority() noexcept;

}  // namespace resound::audio_io::detail
