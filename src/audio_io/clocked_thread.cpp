// ClockedThread: a software sound card clock for the null and file devices.
#include "clocked_thread.hpp"

#include <algorithm>
#include <chrono>

#include "realtime_priority.hpp"

namespace resound::audio_io::detail {

void ClockedThread::start(AudioCallback& callback, const DeviceConfig& config, bool paced, std::int64_t max_frames,
                          BlockSink sink) {
  stop();
  renderer_.prepare(config.channel_count, config.max_block_frames);
  sink_ = std::move(sink);
  xruns_ = 0;
  frames_ = 0;
  finished_ = false;
  running_ = true;
  thread_ = std::thread([this, &callback, config, paced, max_frames] { run(callback, config, paced, max_frames); });
}

void ClockedThread::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void ClockedThread::run(AudioCallback& callback, DeviceConfig config, bool paced, std::int64_t max_frames) {
  using Clock = std::chrono::steady_clock;
  if (paced && config.realtime_priority) priority_ = request_realtime_priority();
  const std::size_t block = std::max<std::size_t>(1, config.max_block_frames);
  const auto block_duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(block) / config.sample_rate_hz));
  auto deadline = Clock::now();
  while (running_.load(std::memory_order_relaxed)) {
    std::int64_t done = frames_.load(std::memory_order_relaxed);
    if (max_frames >= 0 && done >= max_frames) {
      finished_ = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    std::size_t frames = block;
    if (max_frames >= 0) frames = static_cast<std::size_t>(std::min<std::int64_t>(max_frames - done, block));
    const ConstAudioView view = renderer_.render_planar(callback, frames);
    if (sink_ && !sink_(view)) xruns_.fetch_add(1, std::memory_order_relaxed);
    frames_.fetch_add(static_cast<std::int64_t>(frames), std::memory_order_relaxed);
    if (paced) {
      deadline += block_duration;
      const auto now = Clock::now();
      if (now > deadline + block_duration) {  // more than a block late: a real card would have underrun
        xruns_.fetch_add(1, std::memory_order_relaxed);
        deadline = now;
      } else {
        std::this_thread::sleep_until(deadline);
      }
    }
  }
}

}  // namespace resound::audio_io::detail
