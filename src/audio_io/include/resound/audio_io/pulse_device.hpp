// PulseDevice: real-time output through libpulse's async API (PulseAudio, or PipeWire's pulse server).
#pragma once

#include <memory>

#include "resound/audio_io/device.hpp"

namespace resound::audio_io {

/// Plays through the sound server named by $PULSE_SERVER (or the default one), float32 samples,
/// with a target latency of config.latency_ms (ADJUST_LATENCY: the server keeps that much queued).
/// The audio thread is libpulse's threaded mainloop; its write callback pulls the AudioCallback.
/// Underflows reported by the server are counted as xruns, except while stopping or draining.
/// Thread contract: as Device.
class PulseDevice final : public Device {
 public:
  /// Connects to the server. Fails with kUnavailable (not a hang) when none answers within
  /// config.connect_timeout_s.
  static Expected<std::unique_ptr<PulseDevice>> open(DeviceConfig config);
  ~PulseDevice() override;

  Expected<void> start(AudioCallback& callback) override;
  void stop(bool drain = false) override;
  [[nodiscard]] std::uint64_t xrun_count() const noexcept override;
  [[nodiscard]] double output_latency_s() const override;
  [[nodiscard]] const DeviceConfig& config() const noexcept override;
  [[nodiscard]] std::int64_t frames_rendered() const noexcept override;
  [[nodiscard]] bool realtime_priority_granted() const noexcept override;
  [[nodiscard]] DeviceTimings timings() const noexcept override;

  struct State;

 private:
  explicit PulseDevice(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace resound::audio_io
