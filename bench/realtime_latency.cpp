// realtime_latency: plays a source through PulseAudio for N seconds at each latency given and prints
// the xruns per latency. Driven by realtime_latency.sh (idle and with CPU-bound processes beside it).
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <string>
#include <thread>

#include "resound/audio_io/timing_histogram.hpp"

#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"

namespace {

using namespace resound;

/// An endless stereo source: position bookkeeping shared by the bench's generated loads.
class EndlessStereoSource : public Source {
 public:
  void seek(std::int64_t frame) noexcept override { position_ = frame; }
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return kUnknownLength; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return 2; }

 protected:
  std::int64_t position_ = 0;
};

/// A generic many-voice load: `voices` sines with slow vibrato, computed sample by sample.
class VoicesSource final : public EndlessStereoSource {
 public:
  explicit VoicesSource(int voices) : voices_(voices) {}
  void prepare(double sample_rate_hz, std::size_t) override { rate_ = sample_rate_hz; }
  std::size_t process(AudioView output) noexcept override {
    for (std::size_t i = 0; i < output.frame_count(); ++i) {
      const double t = static_cast<double>(position_ + static_cast<std::int64_t>(i)) / rate_;
      double left = 0.0, right = 0.0;
      for (int v = 0; v < voices_; ++v) {
        const double frequency = 110.0 * (1.0 + 0.05 * v) * (1.0 + 0.002 * std::sin(2.0 * std::numbers::pi * 5.0 * t));
        (v % 2 ? right : left) += std::sin(2.0 * std::numbers::pi * frequency * t);
      }
      output.channel(0)[i] = static_cast<float>(0.5 * left / voices_);
      output.channel(1)[i] = static_cast<float>(0.5 * right / voices_);
    }
    position_ += static_cast<std::int64_t>(output.frame_count());
    return output.frame_count();
  }

 private:
  int voices_;
  double rate_ = 48000.0;
};

/// Silence at no cost: tells apart xruns caused by our render from those the server causes.
class SilenceSource final : public EndlessStereoSource {
 public:
  void prepare(double, std::size_t) override {}
  std::size_t process(AudioView output) noexcept override {
    output.clear();
    position_ += static_cast<std::int64_t>(output.frame_count());
    return output.frame_count();
  }
};

/// Wake-up probe: a SCHED_RR thread at the audio thread's priority sleeping to absolute 1 ms
/// deadlines; its lateness is the scheduler's wake-up jitter for a real-time thread on this machine.
class WakeupProbe {
 public:
  WakeupProbe() {
    thread_ = std::thread([this] {
      sched_param parameters{};
      parameters.sched_priority = 4;
      pthread_setschedparam(pthread_self(), SCHED_RR, &parameters);
      timespec next{};
      clock_gettime(CLOCK_MONOTONIC, &next);
      while (!stop_.load(std::memory_order_relaxed)) {
        next.tv_nsec += 1'000'000;
        if (next.tv_nsec >= 1'000'000'000) {
          next.tv_nsec -= 1'000'000'000;
          ++next.tv_sec;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        lateness_.record(static_cast<double>(now.tv_sec - next.tv_sec) * 1e6 +
                         static_cast<double>(now.tv_nsec - next.tv_nsec) / 1e3);
      }
    });
  }
  ~WakeupProbe() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] const audio_io::TimingHistogram& lateness() const { return lateness_; }

 private:
  audio_io::TimingHistogram lateness_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

double environment_number(const char* name, double fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::atof(value) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: realtime_latency SOURCE(voices30|silence|path) SECONDS START_S LATENCY_MS…\n"
                         "       realtime_latency wakeup-probe SECONDS 0 0\n"
                         "knobs (environment): RESOUND_BENCH_REQUEST_MS, RESOUND_BENCH_PREBUFFER_MS, RESOUND_BENCH_EARLY,\n"
                         "                     RESOUND_BENCH_MLOCK, RESOUND_BENCH_PROBE\n");
    return 2;
  }
  const std::string source_name = argv[1];
  const double seconds = std::stod(argv[2]);
  const double start_s = std::stod(argv[3]);
  host::PlaybackSource opened;
  // Experiment knobs (defaults = what a user gets): request size, prebuffer, mlockall, wake-up probe.
  const double request_ms = environment_number("RESOUND_BENCH_REQUEST_MS", 0.0);
  const double prebuffer_ms = environment_number("RESOUND_BENCH_PREBUFFER_MS", -1.0);
  if (environment_number("RESOUND_BENCH_MLOCK", 0.0) != 0.0) mlockall(MCL_CURRENT | MCL_FUTURE);
  const bool early_requests = environment_number("RESOUND_BENCH_EARLY", 0.0) != 0.0;
  const bool probe_wakeups = environment_number("RESOUND_BENCH_PROBE", 0.0) != 0.0;
  if (source_name == "wakeup-probe") {  // the machine's own floor: how late a SCHED_RR thread wakes
    WakeupProbe probe;
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const auto& lateness = probe.lateness();
    std::printf("wakeup_probe seconds=%.0f wakeups=%llu late_us(p50/p99/p99.9/max)=%.0f/%.0f/%.0f/%.0f over_2ms=%llu\n",
                seconds, static_cast<unsigned long long>(lateness.count()), lateness.percentile_us(0.5),
                lateness.percentile_us(0.99), lateness.percentile_us(0.999), lateness.max_us(),
                static_cast<unsigned long long>(lateness.count_above_us(2000.0)));
    return 0;
  }
  if (source_name == "silence") {
    opened.make_another = [] { return std::make_unique<SilenceSource>(); };
  } else if (source_name == "voices30") {
    opened.make_another = [] { return std::make_unique<VoicesSource>(30); };
  } else {
    auto loaded = host::open_playback_source(source_name);  // loaded and planned once for every latency
    if (!loaded) {
      std::fprintf(stderr, "realtime_latency: %s\n", loaded.error().describe().c_str());
      return 1;
    }
    opened = std::move(*loaded);
  }
  for (int argument = 4; argument < argc; ++argument) {
    host::PlayerOptions options;
    options.latency_ms = std::stod(argv[argument]);
    options.max_block_frames = 128;
    options.request_ms = request_ms;
    options.prebuffer_ms = prebuffer_ms;
    options.early_requests = early_requests;
    auto player = host::Player::create(opened.make_another(), options);
    if (!player) {
      std::fprintf(stderr, "realtime_latency: %s\n", player.error().describe().c_str());
      return 1;
    }
    (*player)->seek(start_s);
    if (auto started = (*player)->play(); !started) return 1;
    std::unique_ptr<WakeupProbe> probe = probe_wakeups ? std::make_unique<WakeupProbe>() : nullptr;
    double latency_sum_s = 0.0;
    int samples = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end && !(*player)->finished()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      latency_sum_s += (*player)->output_latency_s();
      ++samples;
    }
    (*player)->stop();
    const auto timings = (*player)->device_timings();
    const auto& granted = (*player)->device_config();
    std::printf("latency_ms=%.2f granted_ms=%.2f measured_ms=%.2f xruns=%llu sched_rr=%d", options.latency_ms,
                (*player)->granted_latency_ms(), samples ? 1000.0 * latency_sum_s / samples : 0.0,
                static_cast<unsigned long long>((*player)->xruns()), (*player)->realtime_priority_granted() ? 1 : 0);
    std::printf(" minreq_ms=%.2f prebuf_ms=%.2f start_underflows=%llu", granted.request_ms, granted.prebuffer_ms,
                static_cast<unsigned long long>(timings.underflows_before_start));
    if (timings.render && timings.request_interval)
      std::printf(" render_us(mean/p99.9/max)=%.0f/%.0f/%.0f interval_us(mean/p99.9/max)=%.0f/%.0f/%.0f",
                  timings.render->mean_us(), timings.render->percentile_us(0.999), timings.render->max_us(),
                  timings.request_interval->mean_us(), timings.request_interval->percentile_us(0.999),
                  timings.request_interval->max_us());
    if (timings.render_cpu)
      std::printf(" render_cpu_us(p99.9/max)=%.0f/%.0f", timings.render_cpu->percentile_us(0.999),
                  timings.render_cpu->max_us());
    if (probe)  // wake-ups of an idle RR thread later than the whole buffer: each one is an xrun in waiting
      std::printf(" wakeup_late_us(p99.9/max)=%.0f/%.0f wakeups_later_than_buffer=%llu",
                  probe->lateness().percentile_us(0.999), probe->lateness().max_us(),
                  static_cast<unsigned long long>(probe->lateness().count_above_us(1000.0 * (*player)->granted_latency_ms())));
    std::printf("\n");
    std::fflush(stdout);
  }
  return 0;
}
