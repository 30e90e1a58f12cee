// Player: chooses the device, adapts Session::process to the device callback, forwards control.
#include "resound/host/player.hpp"

#include <chrono>
#include <cmath>
#include <thread>

#include "resound/audio_io/file_device.hpp"
#include "resound/audio_io/null_device.hpp"
#include "resound/audio_io/pulse_device.hpp"

namespace resound::host {

namespace {
// The device callback: exactly the Session::process an offline render pulls.
class SessionCallback final : public audio_io::AudioCallback {
 public:
  explicit SessionCallback(engine::Session& session) : session_(session) {}
  void render(AudioView output) noexcept override { session_.process(output); }

 private:
  engine::Session& session_;
};
}  // namespace

struct Player::Devices {
  std::unique_ptr<audio_io::Device> device;
  std::unique_ptr<SessionCallback> callback;
};

Player::Player(std::unique_ptr<engine::Session> session, PlayerOptions options, std::unique_ptr<Devices> devices)
    : session_(std::move(session)), options_(std::move(options)), devices_(std::move(devices)) {}

Player::~Player() { stop(); }

Expected<std::unique_ptr<Player>> Player::create(std::unique_ptr<Source> source, PlayerOptions options) {
  if (!source) return Error{ErrorCode::kInvalidArgument, "player: no source"};
  if (options.sample_rate_hz < 8000.0 || options.sample_rate_hz > 384000.0)
    return Error{ErrorCode::kInvalidArgument, "player: sample rate out of range", {.field = "sample_rate_hz"}};
  if (!(options.latency_ms >= 1.0 && options.latency_ms <= 2000.0))
    return Error{ErrorCode::kInvalidArgument, "player: latency must be 1..2000 ms", {.field = "latency_ms"}};
  audio_io::DeviceConfig config;
  config.sample_rate_hz = options.sample_rate_hz;
  config.channel_count = options.session.channel_count;
  config.latency_ms = options.latency_ms;
  config.max_block_frames = std::max<std::size_t>(16, options.max_block_frames);
  config.connect_timeout_s = options.connect_timeout_s;
  config.request_ms = options.request_ms;
  config.prebuffer_ms = options.prebuffer_ms;
  config.early_requests = options.early_requests;

  auto devices = std::make_unique<Devices>();
  switch (options.output) {
    case OutputKind::kPulse: {
      auto pulse = audio_io::PulseDevice::open(config);
      if (!pulse) return pulse.error();
      devices->device = std::move(*pulse);
      break;
    }
    case OutputKind::kNullPaced:
    case OutputKind::kNullFast:
      devices->device = std::make_unique<audio_io::NullDevice>(
          config, audio_io::NullDeviceOptions{.paced = options.output == OutputKind::kNullPaced});
      break;
    case OutputKind::kFile:
      if (options.output_path.empty())
        return Error{ErrorCode::kInvalidArgument, "player: file output needs a path", {.field = "output_path"}};
      devices->device = std::make_unique<audio_io::FileDevice>(
          config, audio_io::FileDeviceOptions{.path = options.output_path, .paced = false});
      break;
  }
  auto* streaming = dynamic_cast<engine::StreamingFileSource*>(source.get());
  auto session = std::make_unique<engine::Session>(std::move(source), options.session);
  session->prepare(config.sample_rate_hz, config.max_block_frames);
  devices->callback = std::make_unique<SessionCallback>(*session);
  auto player = std::unique_ptr<Player>(new Player(std::move(session), std::move(options), std::move(devices)));
  player->streaming_ = streaming;
  return player;
}

Expected<void> Player::play() {
  if (playing_) return ok();
  if (session_->finished()) session_->seek(0);  // replaying a finished source starts over
  session_->request_resume();
  session_->fade_in_from_silence();  // starting mid-track must not click
  // A file streamed from disk: give its decoder a moment to reach the start position, so playback
  // begins with the file rather than with the silence the audio thread plays while it waits.
  for (int waited_ms = 0; streaming_ && streaming_->buffered_frames() == 0 && waited_ms < 500; ++waited_ms)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  RESOUND_TRY_VOID(devices_->device->start(*devices_->callback));
  playing_ = true;
  return ok();
}

void Player::pause() { session_->request_pause(); }
void Player::resume() { session_->request_resume(); }

void Player::seek(double position_s) {
  const auto frame = static_cast<std::int64_t>(std::llround(std::max(0.0, position_s) * options_.sample_rate_hz));
  if (playing_) {
    session_->request_seek(frame);
  } else {
    session_->seek(frame);  // the audio thread is not running: jump directly
  }
  session_->collect_garbage();
}

Expected<void> Player::update(std::unique_ptr<Source> source) {
  // Playing or not, the swap happens at the start of the next block, so the position is kept.
  auto* streaming = dynamic_cast<engine::StreamingFileSource*>(source.get());
  RESOUND_TRY_VOID(session_->replace_source(std::move(source)));
  streaming_ = streaming;
  return ok();
}

void Player::stop() {
  if (!devices_ || !playing_) return;
  if (!session_->finished()) {
    // Fade out before cutting the stream, so stopping mid-track does not click either.
    session_->request_pause();
    const double wait_s = 0.2 + devices_->device->config().latency_ms / 1000.0;
    for (int waited_ms = 0; !session_->paused() && waited_ms < wait_s * 1000.0; ++waited_ms)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  devices_->device->stop(/*drain=*/true);
  xruns_before_ += devices_->device->xrun_count();
  playing_ = false;
  session_->collect_garbage();
}

double Player::position_s() const noexcept {
  return static_cast<double>(session_->position_frames()) / options_.sample_rate_hz;
}
double Player::length_s() const noexcept {
  const std::int64_t length = session_->length_frames();
  return length == kUnknownLength ? -1.0 : static_cast<double>(length) / options_.sample_rate_hz;
}
std::uint64_t Player::xruns() const noexcept {
  return xruns_before_ + (playing_ ? devices_->device->xrun_count() : 0);
}
double Player::output_latency_s() const { return playing_ ? devices_->device->output_latency_s() : 0.0; }
double Player::granted_latency_ms() const noexcept { return devices_->device->config().latency_ms; }
bool Player::realtime_priority_granted() const noexcept { return devices_->device->realtime_priority_granted(); }
audio_io::DeviceTimings Player::device_timings() const noexcept { return devices_->device->timings(); }
const audio_io::DeviceConfig& Player::device_config() const noexcept { return devices_->device->config(); }

}  // namespace resound::host
