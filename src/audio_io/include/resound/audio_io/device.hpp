// Device: the interface every audio output (PulseAudio, null, file) offers to the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "resound/core/audio_view.hpp"
#include "resound/core/expected.hpp"
#include "resound/audio_io/timing_histogram.hpp"

namespace resound::audio_io {

/// What a device pulls audio from. The device calls `render` on its audio thread with a planar
/// block of at most `DeviceConfig::max_block_frames` frames; the callee fills every sample.
/// Thread contract: render RT (never allocate, lock, log or throw).
class AudioCallback {
 public:
  virtual ~AudioCallback() = default;
  virtual void render(AudioView output) noexcept = 0;
};

/// How to open a device. Every field has a sensible default.
struct DeviceConfig {
  double sample_rate_hz = 48000.0;
  std::size_t channel_count = 2;
  /// Wanted output latency (the server's target buffer length). Servers may grant a bit less or more.
  double latency_ms = 40.0;
  /// Largest block handed to the callback; the device splits bigger requests.
  std::size_t max_block_frames = 1024;
  /// Name shown by the sound server (client and stream name).
  std::string stream_name = "resound";
  /// How long to wait for a sound server before reporting it absent.
  double connect_timeout_s = 3.0;
  /// Ask for SCHED_RR on the audio thread (granted to root or with RLIMIT_RTPRIO; ignored otherwise).
  bool realtime_priority = true;
  /// Size of each refill the server asks for (PulseAudio minreq), ms; 0 lets the server choose
  /// (about a quarter of the latency). Smaller requests leave more of the buffer queued when one
  /// is answered late.
  double request_ms = 0.0;
  /// Audio the server waits for before it starts playing, and again after an underrun (PulseAudio
  /// prebuf), ms; negative: the whole latency (the server's default).
  double prebuffer_ms = -1.0;
  /// PulseAudio timing model: false = ADJUST_LATENCY (the server sizes its own sink buffer so the
  /// total is latency_ms; the default), true = EARLY_REQUESTS (requests follow the sink's periods).
  bool early_requests = false;
};

/// An audio output: open with a config, start with a callback, stop. One stream per device.
/// Thread contract: every method CT unless marked; the callback runs on the device's own thread.
class Device {
 public:
  virtual ~Device() = default;

  /// Starts pulling audio from `callback`, which must outlive the running device.
  virtual Expected<void> start(AudioCallback& callback) = 0;

  /// Stops pulling; when `drain` is set, first waits until the audio already handed over has played.
  /// After stop() returns the callback is no longer called. Safe to call twice.
  virtual void stop(bool drain = false) = 0;

  /// Underruns while running (the device had nothing to play in time); the one at the end of a
  /// stream and those while stopping are not counted. Any thread.
  [[nodiscard]] virtual std::uint64_t xrun_count() const noexcept = 0;

  /// Current output latency: time until a frame rendered now is heard (0 where meaningless). CT.
  [[nodiscard]] virtual double output_latency_s() const = 0;

  /// The configuration actually in force (latency as granted by the server).
  [[nodiscard]] virtual const DeviceConfig& config() const noexcept = 0;

  /// Frames rendered through the callback since start. Any thread.
  [[nodiscard]] virtual std::int64_t frames_rendered() const noexcept = 0;

  /// True when the audio thread got the real-time scheduling asked for. Any thread.
  [[nodiscard]] virtual bool realtime_priority_granted() const noexcept = 0;

  /// Render-time and request-interval histograms of the current or last run (empty where the
  /// device does not measure them). Any thread; the pointers live as long as the device.
  [[nodiscard]] virtual DeviceTimings timings() const noexcept { return {}; }
};

}  // namespace resound::audio_io
