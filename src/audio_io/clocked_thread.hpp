// ClockedThread (private): the audio thread of the null and file devices — renders blocks on a clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

#include "block_renderer.hpp"
#include "resound/audio_io/device.hpp"

namespace resound::audio_io::detail {

/// Calls an AudioCallback block after block on its own thread, either paced like a sound card
/// (one block per block duration) or as fast as the consumer takes blocks. Each rendered block goes
/// to `sink` (on the same thread, outside the real-time scope).
/// Thread contract: start/stop CT; the counters any thread.
class ClockedThread {
 public:
  /// Receives each block; returns false when it had to drop it (counted as an xrun).
  using BlockSink = std::function<bool(ConstAudioView)>;

  ~ClockedThread() { stop(); }

  /// `max_frames` >= 0 stops rendering after that many frames (the thread then idles until stop()).
  void start(AudioCallback& callback, const DeviceConfig& config, bool paced, std::int64_t max_frames,
             BlockSink sink);
  void stop();

  [[nodiscard]] std::uint64_t xrun_count() const noexcept { return xruns_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t frames_rendered() const noexcept { return frames_.load(std::memory_order_relaxed); }
  [[nodiscard]] bool realtime_priority_granted() const noexcept { return priority_.load(); }
  /// True once max_frames have been rendered.
  [[nodiscard]] bool finished() const noexcept { return finished_.load(); }

 private:
  void run(AudioCallback& callback, DeviceConfig config, bool paced, std::int64_t max_frames);

  BlockRenderer renderer_;
  BlockSink sink_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> finished_{false};
  std::atomic<bool> priority_{false};
  std::atomic<std::uint64_t> xruns_{0};
  std::atomic<std::int64_t> frames_{0};
};

}  // namespace resound::audio_io::detail
