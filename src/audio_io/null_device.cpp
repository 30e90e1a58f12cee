// NullDevice: ClockedThread with an optional capture buffer.
#include "resound/audio_io/null_device.hpp"

#include <algorithm>

#include "clocked_thread.hpp"

namespace resound::audio_io {

struct NullDevice::State {
  detail::ClockedThread clock;
  AudioBuffer capture;
  std::int64_t captured_frames = 0;
};

NullDevice::NullDevice(DeviceConfig config, NullDeviceOptions options)
    : config_(std::move(config)), options_(options), state_(std::make_unique<State>()) {}

NullDevice::~NullDevice() { stop(); }

Expected<void> NullDevice::start(AudioCallback& callback) {
  if (config_.sample_rate_hz <= 0.0 || config_.channel_count == 0 || config_.max_block_frames == 0)
    return Error{ErrorCode::kInvalidArgument, "null device: rate, channels and block size must be positive"};
  stop();
  State& state = *state_;
  state.capture.resize(config_.channel_count, static_cast<std::size_t>(std::max<std::int64_t>(0, options_.capture_frames)));
  state.captured_frames = 0;
  state.clock.start(callback, config_, options_.paced, options_.max_frames, [&state](ConstAudioView block) {
    const auto room = static_cast<std::int64_t>(state.capture.frame_count()) - state.captured_frames;
    if (room > 0) {
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(room, static_cast<std::int64_t>(block.frame_count())));
      copy_audio(block.subview(0, count),
                 state.capture.view().subview(static_cast<std::size_t>(state.captured_frames), count));
      state.captured_frames += static_cast<std::int64_t>(count);
    }
    return true;
  });
  return ok();
}

void NullDevice::stop(bool) { state_->clock.stop(); }
std::uint64_t NullDevice::xrun_count() const noexcept { return state_->clock.xrun_count(); }
double NullDevice::output_latency_s() const {
  return options_.paced ? static_cast<double>(config_.max_block_frames) / config_.sample_rate_hz : 0.0;
}
std::int64_t NullDevice::frames_rendered() const noexcept { return state_->clock.frames_rendered(); }
bool NullDevice::realtime_priority_granted() const noexcept { return state_->clock.realtime_priority_granted(); }
bool NullDevice::finished() const noexcept { return state_->clock.finished(); }
ConstAudioView NullDevice::captured() const noexcept {
  return state_->capture.view().subview(0, static_cast<std::size_t>(state_->captured_frames));
}

}  // namespace resound::audio_io
