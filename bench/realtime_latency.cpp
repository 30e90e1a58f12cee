// realtime_latency: plays a source through PulseAudio for N seconds at each latency given and prints
// the xruns per latency. Driven by realtime_latency.sh (idle and with CPU-bound processes beside it).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <thread>

#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"

namespace {

using namespace resound;

/// A generic many-voice load: `voices` sines with slow vibrato, computed sample by sample.
class VoicesSource final : public Source {
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
  void seek(std::int64_t frame) noexcept override { position_ = frame; }
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return kUnknownLength; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return 2; }

 private:
  int voices_;
  double rate_ = 48000.0;
  std::int64_t position_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: realtime_latency SOURCE(voices30|path) SECONDS START_S LATENCY_MS…\n");
    return 2;
  }
  const std::string source_name = argv[1];
  const double seconds = std::stod(argv[2]);
  const double start_s = std::stod(argv[3]);
  host::PlaybackSource opened;
  if (source_name == "voices30") {
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
    auto player = host::Player::create(opened.make_another(), options);
    if (!player) {
      std::fprintf(stderr, "realtime_latency: %s\n", player.error().describe().c_str());
      return 1;
    }
    (*player)->seek(start_s);
    if (auto started = (*player)->play(); !started) return 1;
    double latency_sum_s = 0.0;
    int samples = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end && !(*player)->finished()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      latency_sum_s += (*player)->output_latency_s();
      ++samples;
    }
    (*player)->stop();
    std::printf("latency_ms=%.2f granted_ms=%.2f measured_ms=%.2f xruns=%llu sched_rr=%d\n", options.latency_ms,
                (*player)->granted_latency_ms(), samples ? 1000.0 * latency_sum_s / samples : 0.0,
                static_cast<unsigned long long>((*player)->xruns()), (*player)->realtime_priority_granted() ? 1 : 0);
    std::fflush(stdout);
  }
  return 0;
}
