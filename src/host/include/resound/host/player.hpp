// Player: a live engine Session wired to an audio Device, with play/pause/resume/seek/update/stop.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "resound/audio_io/device.hpp"
#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"
#include "resound/engine/session.hpp"
#include "resound/engine/streaming_file_source.hpp"

namespace resound::host {

/// Where a Player sends its audio.
enum class OutputKind {
  kPulse,      ///< the PulseAudio / PipeWire server ($PULSE_SERVER or the default)
  kNullPaced,  ///< nowhere, at real-time pace (CI without a server)
  kNullFast,   ///< nowhere, as fast as the CPU renders
  kFile,       ///< into `output_path`, as fast as the CPU renders
};

struct PlayerOptions {
  OutputKind output = OutputKind::kPulse;
  double sample_rate_hz = 48000.0;
  /// Target device latency (PulseAudio tlength). 40 ms is glitch-free on a busy 2-core machine.
  double latency_ms = 40.0;
  /// Server request size and prebuffer (DeviceConfig::request_ms / prebuffer_ms; 0 / -1: server default).
  double request_ms = 0.0;
  double prebuffer_ms = -1.0;
  /// DeviceConfig::early_requests (PulseAudio timing model; false = ADJUST_LATENCY, the default).
  bool early_requests = false;
  /// Largest block the session renders per callback.
  std::size_t max_block_frames = 512;
  /// Give up on a sound server that does not answer within this time.
  double connect_timeout_s = 3.0;
  std::filesystem::path output_path;  ///< for OutputKind::kFile
  engine::SessionOptions session{};
};

/// Owns a Session and a Device. Control methods post commands to the audio thread and return at
/// once; old sources are freed here, on the calling thread.
/// Thread contract: every method CT (one control thread); position_s/xruns/levels any thread.
class Player {
 public:
  /// Opens the output (connecting to the sound server, with a timeout) and prepares the session.
  /// Errors: kUnavailable when no server answers.
  static Expected<std::unique_ptr<Player>> create(std::unique_ptr<Source> source, PlayerOptions options = {});
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  /// Starts (or restarts after stop) pulling audio from the current position.
  Expected<void> play();
  void pause();
  void resume();
  /// Jumps to `position_s` (clamped to the source): a few-ms fade out/in when playing.
  void seek(double position_s);
  /// Replaces the source at the current position with a crossfade.
  Expected<void> update(std::unique_ptr<Source> source);
  /// Fades out (unless the source already ended), lets the device play out what it holds (at
  /// most one latency), and releases the stream. Safe to call when stopped.
  void stop();

  [[nodiscard]] bool playing() const noexcept { return playing_; }
  [[nodiscard]] bool paused() const noexcept { return session_->paused(); }
  [[nodiscard]] bool finished() const noexcept { return session_->finished(); }
  [[nodiscard]] double position_s() const noexcept;
  [[nodiscard]] double length_s() const noexcept;
  [[nodiscard]] std::uint64_t xruns() const noexcept;
  [[nodiscard]] float peak_level() const noexcept { return session_->peak_level(); }
  [[nodiscard]] float rms_level() const noexcept { return session_->rms_level(); }
  /// Output latency the device reports now (s).
  [[nodiscard]] double output_latency_s() const;
  /// Latency the device granted (ms).
  [[nodiscard]] double granted_latency_ms() const noexcept;
  [[nodiscard]] bool realtime_priority_granted() const noexcept;
  /// The device's render-time and request-interval histograms (diagnostics; see audio_io::DeviceTimings).
  [[nodiscard]] audio_io::DeviceTimings device_timings() const noexcept;
  /// The device configuration in force (latency, request size and prebuffer as granted).
  [[nodiscard]] const audio_io::DeviceConfig& device_config() const noexcept;
  [[nodiscard]] const PlayerOptions& options() const noexcept { return options_; }

  /// The session (for meters; do not call its OFF/RT methods while playing).
  [[nodiscard]] engine::Session& session() noexcept { return *session_; }

 private:
  struct Devices;
  Player(std::unique_ptr<engine::Session> session, PlayerOptions options, std::unique_ptr<Devices> devices);

  std::unique_ptr<engine::Session> session_;
  PlayerOptions options_;
  std::unique_ptr<Devices> devices_;
  engine::StreamingFileSource* streaming_ = nullptr;  // the source, when it streams from disk (CT only)
  bool playing_ = false;
  std::uint64_t xruns_before_ = 0;  // from earlier play() runs
};

}  // namespace resound::host
