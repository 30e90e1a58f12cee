// NullDevice: an output that plays into nothing — paced like a sound card, or as fast as possible.
#pragma once

#include <memory>

#include "resound/audio_io/device.hpp"
#include "resound/core/audio_buffer.hpp"

namespace resound::audio_io {

struct NullDeviceOptions {
  /// Paced: one block per block duration (a stand-in for a sound card, for CI without a server).
  /// Unpaced: blocks as fast as the callback renders them (deterministic tests, benchmarks).
  bool paced = true;
  /// Stop calling the callback after this many frames (-1: until stop()).
  std::int64_t max_frames = -1;
  /// Keep a copy of the first `capture_frames` frames rendered (preallocated at start), for tests.
  std::int64_t capture_frames = 0;
};

/// Thread contract: as Device; `captured()` CT after stop() (or once finished()).
class NullDevice final : public Device {
 public:
  explicit NullDevice(DeviceConfig config = {}, NullDeviceOptions options = {});
  ~NullDevice() override;

  Expected<void> start(AudioCallback& callback) override;
  void stop(bool drain = false) override;
  [[nodiscard]] std::uint64_t xrun_count() const noexcept override;
  [[nodiscard]] double output_latency_s() const override;
  [[nodiscard]] const DeviceConfig& config() const noexcept override { return config_; }
  [[nodiscard]] std::int64_t frames_rendered() const noexcept override;
  [[nodiscard]] bool realtime_priority_granted() const noexcept override;

  /// True once max_frames have been rendered. Any thread.
  [[nodiscard]] bool finished() const noexcept;
  /// The captured frames (up to capture_frames).
  [[nodiscard]] ConstAudioView captured() const noexcept;

 private:
  struct State;
  DeviceConfig config_;
  NullDeviceOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace resound::audio_io
