// realtime_e2e_driver: plays a source through PulseAudio with scripted pause/resume/seek, then writes the
// offline renders the recording must match and a JSON report (positions, xruns, real-time guard counts).
// Built with the real-time guard hooks: every allocation or lock inside the audio callback is counted.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <thread>

#include "resound/audio_io/realtime_guard.hpp"
#include "resound/engine/file_source.hpp"
#include "resound/engine/session.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound/formats/audio_format.hpp"
#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"
#include "resound/host/render_to_file.hpp"

namespace {

using namespace resound;
constexpr double kRate = 48000.0;

// 60 s of two linear chirps (left 150 -> 750 Hz, right 300 -> 700 Hz): smooth (so a click stands out
// in the second difference) and never repeating (so a matched excerpt pins down its time exactly).
AudioClip chirp_clip() {
  const auto frames = static_cast<std::size_t>(60.0 * kRate);
  AudioClip clip{AudioBuffer(2, frames), kRate};
  for (std::size_t i = 0; i < frames; ++i) {
    const double t = static_cast<double>(i) / kRate;
    clip.audio.channel(0)[i] = static_cast<float>(0.45 * std::sin(2.0 * std::numbers::pi * (150.0 * t + 5.0 * t * t)));
    clip.audio.channel(1)[i] = static_cast<float>(0.45 * std::sin(2.0 * std::numbers::pi * (300.0 * t + 10.0 / 3.0 * t * t)));
  }
  return clip;
}

// "chirp": the test signal in memory; "chirp-file": the same written to a WAV in `scratch` and streamed
// from disk (StreamingFileSource); anything else: a track/MIDI/audio path.
Expected<host::PlaybackSource> open_source(const std::string& name, const std::filesystem::path& scratch) {
  if (name == "chirp-file") {
    const auto path = scratch / "chirp.wav";
    if (!std::filesystem::exists(path)) {
      const AudioClip clip = chirp_clip();
      if (auto written = formats::write_audio_file(path, clip.audio.view(), kRate, *formats::parse_audio_format("float"));
          !written)
        return written.error();
    }
    return host::open_playback_source(path, {.sample_rate_hz = kRate});
  }
  if (name != "chirp") return host::open_playback_source(name, {.sample_rate_hz = kRate});
  auto clip = std::make_shared<const AudioClip>(chirp_clip());
  host::PlaybackSource result;
  result.make_another = [clip] { return std::make_unique<engine::FileSource>(*clip); };
  result.source = result.make_another();
  return result;
}

void sleep_s(double seconds) { std::this_thread::sleep_for(std::chrono::duration<double>(seconds)); }

// The offline reference: a fresh Session over a fresh source, rendered from `from_s` by render_to_file.
bool render_reference(const host::PlaybackSource& opened, double from_s, double length_s,
                      const std::filesystem::path& path) {
  engine::Session session(opened.make_another());
  session.prepare(kRate, 4096);
  session.seek(std::llround(from_s * kRate));
  auto rendered = host::render_to_file(session, path,
                                       {.sample_rate_hz = kRate, .format = *formats::parse_audio_format("float"),
                                        .max_frames = std::llround(length_s * kRate)});
  if (!rendered) std::fprintf(stderr, "driver: %s\n", rendered.error().describe().c_str());
  return static_cast<bool>(rendered);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: realtime_e2e_driver SOURCE(chirp|chirp-file|path) LATENCY_MS OUT_DIR\n");
    return 2;
  }
  const std::string source_name = argv[1];
  const double latency_ms = std::stod(argv[2]);
  const std::filesystem::path out_dir = argv[3];
  constexpr double kStart_s = 10.0, kPlay_s = 3.0, kPause_s = 0.6, kResumed_s = 1.0, kSeekTarget_s = 30.0,
                   kBeforeUpdate_s = 0.5, kAfterSeek_s = 2.5, kHeavyUpdate_s = 0.4;

  auto opened = open_source(source_name, out_dir);
  if (!opened) {
    std::fprintf(stderr, "driver: %s\n", opened.error().describe().c_str());
    return 1;
  }
  host::PlayerOptions options;
  options.latency_ms = latency_ms;
  options.sample_rate_hz = kRate;
  auto player = host::Player::create(std::move(opened->source), options);
  if (!player) {
    std::fprintf(stderr, "driver: %s\n", player.error().describe().c_str());
    return 1;
  }
  host::Player& live = **player;
  audio_io::reset_realtime_violations();
  live.seek(kStart_s);
  if (auto started = live.play(); !started) {
    std::fprintf(stderr, "driver: %s\n", started.error().describe().c_str());
    return 1;
  }
  sleep_s(kPlay_s);
  live.pause();
  sleep_s(0.1);
  const double paused_at_s = live.position_s();
  sleep_s(kPause_s - 0.1);
  const double still_paused_at_s = live.position_s();
  live.resume();
  sleep_s(kResumed_s);
  const double before_seek_s = live.position_s();
  live.seek(kSeekTarget_s);
  const auto seek_time = std::chrono::steady_clock::now();
  sleep_s(kBeforeUpdate_s);
  // A heavy update while playing: the new source is loaded and planned here, on the control thread,
  // again and again for kHeavyUpdate_s (keeping the last), then handed over. The audio thread must not
  // notice: no xrun, and since the new source is the same audio at the same position, the crossfade
  // must leave the recording identical to the offline render across the swap.
  const std::uint64_t xruns_before_update = live.xruns();
  const auto update_begin = std::chrono::steady_clock::now();
  Expected<host::PlaybackSource> replacement = Error{ErrorCode::kInternal, "not planned"};
  int plans = 0;
  do {
    replacement = open_source(source_name, out_dir);
    ++plans;
  } while (replacement && std::chrono::steady_clock::now() - update_begin < std::chrono::duration<double>(kHeavyUpdate_s));
  if (!replacement) {
    std::fprintf(stderr, "driver: %s\n", replacement.error().describe().c_str());
    return 1;
  }
  const double update_at_s = live.position_s();
  if (auto updated = live.update(std::move(replacement->source)); !updated) {
    std::fprintf(stderr, "driver: %s\n", updated.error().describe().c_str());
    return 1;
  }
  const double update_plan_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - update_begin).count();
  // Play on for at least kAfterSeek_s after the seek, and 0.8 s past the update however long planning took.
  const double after_seek_wait_s =
      std::max(kAfterSeek_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - seek_time).count() + 0.8);
  std::this_thread::sleep_until(seek_time + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                std::chrono::duration<double>(after_seek_wait_s)));
  const double after_seek_s = live.position_s();
  const double granted_ms = live.granted_latency_ms();
  const double measured_latency_s = live.output_latency_s();
  live.stop();
  const std::uint64_t xruns = live.xruns();
  const bool priority = live.realtime_priority_granted();
  const audio_io::RealtimeViolations violations = audio_io::realtime_violations();

  // Offline references (after the live run, so they cannot disturb it).
  bool rendered = render_reference(*opened, kStart_s, kPlay_s, out_dir / "ref_start.wav") &&
                  render_reference(*opened, paused_at_s, kResumed_s, out_dir / "ref_resume.wav") &&
                  render_reference(*opened, kSeekTarget_s, after_seek_wait_s, out_dir / "ref_seek.wav");
  std::ofstream report(out_dir / "report.json");
  report << "{\n"
         << "  \"latency_ms_requested\": " << latency_ms << ",\n"
         << "  \"latency_ms_granted\": " << granted_ms << ",\n"
         << "  \"latency_s_measured\": " << measured_latency_s << ",\n"
         << "  \"xruns\": " << xruns << ",\n"
         << "  \"realtime_priority\": " << (priority ? "true" : "false") << ",\n"
         << "  \"callback_allocations\": " << violations.allocations << ",\n"
         << "  \"callback_locks\": " << violations.locks << ",\n"
         << "  \"callbacks\": " << violations.callbacks << ",\n"
         << "  \"start_s\": " << kStart_s << ",\n"
         << "  \"paused_at_s\": " << paused_at_s << ",\n"
         << "  \"still_paused_at_s\": " << still_paused_at_s << ",\n"
         << "  \"before_seek_s\": " << before_seek_s << ",\n"
         << "  \"seek_target_s\": " << kSeekTarget_s << ",\n"
         << "  \"after_seek_s\": " << after_seek_s << ",\n"
         << "  \"after_seek_wait_s\": " << after_seek_wait_s << ",\n"
         << "  \"update_at_s\": " << update_at_s << ",\n"
         << "  \"update_plan_s\": " << update_plan_s << ",\n"
         << "  \"update_plans\": " << plans << ",\n"
         << "  \"xruns_before_update\": " << xruns_before_update << "\n"
         << "}\n";
  return rendered ? 0 : 1;
}
