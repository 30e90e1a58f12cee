// PulseDevice: pa_threaded_mainloop + one playback stream; write and underflow callbacks.
#include "resound/audio_io/pulse_device.hpp"

#include <pulse/pulseaudio.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "block_renderer.hpp"
#include "realtime_priority.hpp"

namespace resound::audio_io {

struct PulseDevice::State {
  DeviceConfig config;
  pa_threaded_mainloop* mainloop = nullptr;
  pa_context* context = nullptr;
  pa_stream* stream = nullptr;
  AudioCallback* callback = nullptr;
  detail::BlockRenderer renderer;
  std::atomic<std::uint64_t> xruns{0};
  std::atomic<bool> counting_xruns{false};
  std::atomic<std::int64_t> frames{0};
  std::atomic<bool> priority_granted{false};
  bool priority_requested = false;  // touched only on the mainloop thread
  // Diagnostics: is an xrun our render being slow, our thread waking late, or the server?
  TimingHistogram render_time;
  TimingHistogram request_interval;
  TimingHistogram render_cpu;
  std::chrono::steady_clock::time_point last_request{};
  bool started = false;  // mainloop thread: playback began (prebuffer filled)
  std::atomic<std::uint64_t> underflows_before_start{0};

  ~State() {
    if (mainloop) pa_threaded_mainloop_stop(mainloop);
    if (stream) pa_stream_unref(stream);
    if (context) {
      pa_context_disconnect(context);
      pa_context_unref(context);
    }
    if (mainloop) pa_threaded_mainloop_free(mainloop);
  }
};

namespace {

using Clock = std::chrono::steady_clock;

// RAII lock of the threaded mainloop (every pa_* call outside callbacks needs it).
class MainloopLock {
 public:
  explicit MainloopLock(pa_threaded_mainloop* mainloop) : mainloop_(mainloop) { pa_threaded_mainloop_lock(mainloop_); }
  ~MainloopLock() { pa_threaded_mainloop_unlock(mainloop_); }
  MainloopLock(const MainloopLock&) = delete;
  MainloopLock& operator=(const MainloopLock&) = delete;

 private:
  pa_threaded_mainloop* mainloop_;
};

std::string server_name() {
  const char* server = std::getenv("PULSE_SERVER");
  return server ? std::string(server) : std::string("the default PulseAudio/PipeWire server");
}

Error unavailable(const std::string& what, pa_context* context) {
  std::string message = what + " (" + server_name() + ")";
  if (context) {
    const int code = pa_context_errno(context);
    if (code != 0) message += ": " + std::string(pa_strerror(code));
  }
  return Error{ErrorCode::kUnavailable, message};
}

// Polls `ready` under the lock until it says done, failed, or the deadline passes. Polling rather
// than pa_threaded_mainloop_wait so that a server that never answers cannot hang the caller.
template <typename Poll>
int wait_until(pa_threaded_mainloop* mainloop, double timeout_s, Poll poll) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  while (true) {
    int state = 0;
    {
      MainloopLock lock(mainloop);
      state = poll();
    }
    if (state != 0) return state;
    if (Clock::now() > deadline) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// CPU time of the calling thread (µs): clock_gettime never blocks or allocates.
double thread_cpu_time_us() noexcept {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// Write callback: the server wants `requested_bytes` more; render them straight into its buffer.
void on_write(pa_stream* stream, std::size_t requested_bytes, void* userdata) {
  auto& state = *static_cast<PulseDevice::State*>(userdata);
  if (!state.priority_requested) {
    state.priority_requested = true;
    if (state.config.realtime_priority) state.priority_granted = detail::request_realtime_priority();
  }
  const auto entered = Clock::now();
  const double cpu_entered_us = thread_cpu_time_us();
  if (state.last_request != Clock::time_point{})
    state.request_interval.record(std::chrono::duration<double, std::micro>(entered - state.last_request).count());
  state.last_request = entered;
  const std::size_t frame_bytes = state.config.channel_count * sizeof(float);
  while (requested_bytes >= frame_bytes && state.callback) {
    void* data = nullptr;
    std::size_t bytes = requested_bytes;
    if (pa_stream_begin_write(stream, &data, &bytes) < 0 || data == nullptr) return;
    bytes -= bytes % frame_bytes;
    if (bytes == 0) {
      pa_stream_cancel_write(stream);
      return;
    }
    const std::size_t frames = state.renderer.render_interleaved(
        *state.callback, std::span<float>(static_cast<float*>(data), bytes / sizeof(float)));
    pa_stream_write(stream, data, bytes, nullptr, 0, PA_SEEK_RELATIVE);
    state.frames.fetch_add(static_cast<std::int64_t>(frames), std::memory_order_relaxed);
    requested_bytes -= std::min(requested_bytes, bytes);
  }
  state.render_time.record(std::chrono::duration<double, std::micro>(Clock::now() - entered).count());
  state.render_cpu.record(thread_cpu_time_us() - cpu_entered_us);
}

// Playback began: the prebuffer is full. Underflows before this are the stream starting, not glitches.
void on_started(pa_stream*, void* userdata) { static_cast<PulseDevice::State*>(userdata)->started = true; }

void on_underflow(pa_stream*, void* userdata) {
  auto& state = *static_cast<PulseDevice::State*>(userdata);
  if (!state.counting_xruns.load(std::memory_order_relaxed)) return;
  if (!state.started) {
    state.underflows_before_start.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // A real underrun: the sink needed our audio and our queue on the server was empty.
  state.xruns.fetch_add(1, std::memory_order_relaxed);
}

void on_drained(pa_stream*, int, void* userdata) {
  pa_threaded_mainloop_signal(static_cast<pa_threaded_mainloop*>(userdata), 0);
}

}  // namespace

PulseDevice::PulseDevice(std::unique_ptr<State> state) : state_(std::move(state)) {}
PulseDevice::~PulseDevice() { stop(); }

Expected<std::unique_ptr<PulseDevice>> PulseDevice::open(DeviceConfig config) {
  if (config.sample_rate_hz <= 0.0 || config.channel_count == 0 || config.channel_count > PA_CHANNELS_MAX ||
      config.max_block_frames == 0)
    return Error{ErrorCode::kInvalidArgument, "pulse device: bad rate, channel count or block size"};
  auto state = std::make_unique<State>();
  state->config = std::move(config);
  state->mainloop = pa_threaded_mainloop_new();
  if (!state->mainloop) return Error{ErrorCode::kInternal, "pa_threaded_mainloop_new failed"};
  state->context = pa_context_new(pa_threaded_mainloop_get_api(state->mainloop), state->config.stream_name.c_str());
  if (!state->context) return Error{ErrorCode::kInternal, "pa_context_new failed"};
  if (pa_context_connect(state->context, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0)
    return unavailable("cannot connect to the sound server", state->context);
  if (pa_threaded_mainloop_start(state->mainloop) < 0) return Error{ErrorCode::kInternal, "mainloop start failed"};

  pa_context* context = state->context;
  const int outcome = wait_until(state->mainloop, state->config.connect_timeout_s, [context] {
    const pa_context_state_t context_state = pa_context_get_state(context);
    if (context_state == PA_CONTEXT_READY) return 1;
    if (!PA_CONTEXT_IS_GOOD(context_state)) return -1;
    return 0;
  });
  if (outcome == 0) return unavailable("no answer from the sound server within the connect timeout", nullptr);
  if (outcome < 0) return unavailable("cannot connect to the sound server", context);
  return std::unique_ptr<PulseDevice>(new PulseDevice(std::move(state)));
}

Expected<void> PulseDevice::start(AudioCallback& callback) {
  stop();
  State& state = *state_;
  state.renderer.prepare(state.config.channel_count, state.config.max_block_frames);
  state.callback = &callback;
  state.xruns = 0;
  state.frames = 0;
  state.priority_requested = false;
  state.render_time.reset();
  state.request_interval.reset();
  state.render_cpu.reset();
  state.last_request = {};
  state.started = state.config.prebuffer_ms == 0.0;  // no prebuffer: no "started" event comes
  state.underflows_before_start = 0;

  pa_sample_spec spec{};
  spec.format = PA_SAMPLE_FLOAT32NE;
  spec.rate = static_cast<std::uint32_t>(state.config.sample_rate_hz);
  spec.channels = static_cast<std::uint8_t>(state.config.channel_count);

  MainloopLock lock(state.mainloop);
  state.stream = pa_stream_new(state.context, state.config.stream_name.c_str(), &spec, nullptr);
  if (!state.stream) return unavailable("cannot create a playback stream", state.context);
  pa_stream_set_write_callback(state.stream, on_write, &state);
  pa_stream_set_underflow_callback(state.stream, on_underflow, &state);
  pa_stream_set_started_callback(state.stream, on_started, &state);

  pa_buffer_attr attributes{};
  attributes.maxlength = static_cast<std::uint32_t>(-1);
  attributes.tlength = static_cast<std::uint32_t>(
      pa_usec_to_bytes(static_cast<pa_usec_t>(state.config.latency_ms * 1000.0), &spec));
  const auto milliseconds_to_bytes = [&spec](double milliseconds) {
    return static_cast<std::uint32_t>(pa_usec_to_bytes(static_cast<pa_usec_t>(milliseconds * 1000.0), &spec));
  };
  attributes.prebuf = state.config.prebuffer_ms < 0.0 ? static_cast<std::uint32_t>(-1)
                                                      : milliseconds_to_bytes(state.config.prebuffer_ms);
  attributes.minreq = state.config.request_ms > 0.0 ? milliseconds_to_bytes(state.config.request_ms)
                                                    : static_cast<std::uint32_t>(-1);
  attributes.fragsize = static_cast<std::uint32_t>(-1);
  const auto flags = static_cast<pa_stream_flags_t>(
      (state.config.early_requests ? PA_STREAM_EARLY_REQUESTS : PA_STREAM_ADJUST_LATENCY) |
      PA_STREAM_AUTO_TIMING_UPDATE | PA_STREAM_INTERPOLATE_TIMING);
  if (pa_stream_connect_playback(state.stream, nullptr, &attributes, flags, nullptr, nullptr) < 0)
    return unavailable("cannot start the playback stream", state.context);
  state.counting_xruns = true;
  pa_stream* stream = state.stream;
  pa_threaded_mainloop_unlock(state.mainloop);
  const int outcome = wait_until(state.mainloop, state.config.connect_timeout_s, [stream] {
    const pa_stream_state_t stream_state = pa_stream_get_state(stream);
    if (stream_state == PA_STREAM_READY) return 1;
    if (!PA_STREAM_IS_GOOD(stream_state)) return -1;
    return 0;
  });
  pa_threaded_mainloop_lock(state.mainloop);
  if (outcome <= 0) return unavailable("the playback stream did not become ready", state.context);
  if (const pa_buffer_attr* granted = pa_stream_get_buffer_attr(state.stream))
  {
    state.config.latency_ms = static_cast<double>(pa_bytes_to_usec(granted->tlength, &spec)) / 1000.0;
    state.config.request_ms = static_cast<double>(pa_bytes_to_usec(granted->minreq, &spec)) / 1000.0;
    state.config.prebuffer_ms = static_cast<double>(pa_bytes_to_usec(granted->prebuf, &spec)) / 1000.0;
  }
  return ok();
}

void PulseDevice::stop(bool drain) {
  State& state = *state_;
  if (!state.stream) return;
  {
    MainloopLock lock(state.mainloop);
    state.counting_xruns = false;  // the end-of-stream underflow and teardown are not glitches
    // No new audio from here on: a drain must empty the buffer, not keep refilling it.
    pa_stream_set_write_callback(state.stream, nullptr, nullptr);
    if (drain && pa_stream_get_state(state.stream) == PA_STREAM_READY) {
      if (pa_operation* operation = pa_stream_drain(state.stream, on_drained, state.mainloop)) {
        // A null sink drains in one latency; cap the wait anyway so a stuck server cannot hang us.
        const auto deadline = Clock::now() + std::chrono::seconds(2);
        while (pa_operation_get_state(operation) == PA_OPERATION_RUNNING && Clock::now() < deadline) {
          pa_threaded_mainloop_unlock(state.mainloop);
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          pa_threaded_mainloop_lock(state.mainloop);
        }
        pa_operation_unref(operation);
      }
    }
    pa_stream_set_underflow_callback(state.stream, nullptr, nullptr);
    pa_stream_set_started_callback(state.stream, nullptr, nullptr);
    pa_stream_disconnect(state.stream);
    pa_stream_unref(state.stream);
    state.stream = nullptr;
    state.callback = nullptr;
  }
}

std::uint64_t PulseDevice::xrun_count() const noexcept { return state_->xruns.load(std::memory_order_relaxed); }

double PulseDevice::output_latency_s() const {
  State& state = *state_;
  if (!state.stream) return 0.0;
  MainloopLock lock(state.mainloop);
  pa_usec_t latency_us = 0;
  int negative = 0;
  if (pa_stream_get_latency(state.stream, &latency_us, &negative) < 0) return 0.0;
  return negative ? 0.0 : static_cast<double>(latency_us) / 1e6;
}

const DeviceConfig& PulseDevice::config() const noexcept { return state_->config; }
std::int64_t PulseDevice::frames_rendered() const noexcept { return state_->frames.load(std::memory_order_relaxed); }
bool PulseDevice::realtime_priority_granted() const noexcept { return state_->priority_granted.load(); }
DeviceTimings PulseDevice::timings() const noexcept {
  return {.render = &state_->render_time,
          .render_cpu = &state_->render_cpu,
          .request_interval = &state_->request_interval,
          .underflows_before_start = state_->underflows_before_start.load(std::memory_order_relaxed)};
}

}  // namespace resound::audio_io
