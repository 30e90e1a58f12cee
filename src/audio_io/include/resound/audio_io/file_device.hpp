// FileDevice: an output that records what the callback renders into an audio file, off the audio thread.
#pragma once

#include <filesystem>
#include <memory>

#include "resound/audio_io/device.hpp"

namespace resound::audio_io {

struct FileDeviceOptions {
  std::filesystem::path path;
  /// "wav16|wav24|float|flac|flac16"; empty: from the path's extension.
  std::string format;
  /// Paced like a sound card (blocks the writer cannot take in time are dropped and counted as
  /// xruns) or unpaced (the audio thread waits for the writer: nothing is ever dropped).
  bool paced = false;
  /// Stop after this many frames (-1: until stop()).
  std::int64_t max_frames = -1;
  /// Blocks in flight between the audio thread and the writer thread.
  std::size_t queue_blocks = 64;
};

/// The audio thread copies each block into a preallocated slot and hands it to a writer thread
/// (formats::AudioFileWriter); the file appears, atomically, when stop() commits it.
/// Thread contract: as Device; `result()` CT after stop().
class FileDevice final : public Device {
 public:
  explicit FileDevice(DeviceConfig config, FileDeviceOptions options);
  ~FileDevice() override;

  Expected<void> start(AudioCallback& callback) override;
  /// Stops the audio thread, writes what is queued and commits the file.
  void stop(bool drain = false) override;
  [[nodiscard]] std::uint64_t xrun_count() const noexcept override;
  [[nodiscard]] double output_latency_s() const override { return 0.0; }
  [[nodiscard]] const DeviceConfig& config() const noexcept override { return config_; }
  [[nodiscard]] std::int64_t frames_rendered() const noexcept override;
  [[nodiscard]] bool realtime_priority_granted() const noexcept override;

  /// True once max_frames have been rendered. Any thread.
  [[nodiscard]] bool finished() const noexcept;
  /// Whether writing and committing the file succeeded (after stop()).
  [[nodiscard]] Expected<void> result() const;

 private:
  struct State;
  DeviceConfig config_;
  FileDeviceOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace resound::audio_io
