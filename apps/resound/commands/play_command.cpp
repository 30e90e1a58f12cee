// `resound play FILE [--start S] [--latency-ms MS] [--soundfont SF]`: live playback with keyboard control.
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "resound/core/units.hpp"
#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"

namespace resound::cli {
namespace {

struct PlayOptions {
  std::string input;
  double start_s = 0.0;
  double latency_ms = 40.0;
  std::string soundfont;
  std::string device = "pulse";
  double duration_s = 0.0;  // 0: until the end (or q)
  double sample_rate_hz = 48000.0;
};

// Puts the terminal in non-canonical, no-echo mode while alive (only when stdin is a TTY), so
// single keys arrive at once; Ctrl-C still raises SIGINT. Restores the settings on every exit path.
class RawTerminal {
 public:
  RawTerminal() {
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  [[nodiscard]] bool active() const { return active_; }

 private:
  termios saved_{};
  bool active_ = false;
};

enum class Key { kNone, kTogglePause, kBack, kForward, kQuit };

// Waits up to `timeout_ms` for a key; arrow keys arrive as ESC [ C / ESC [ D.
Key read_key(int timeout_ms) {
  pollfd descriptor{STDIN_FILENO, POLLIN, 0};
  if (poll(&descriptor, 1, timeout_ms) <= 0) return Key::kNone;
  char bytes[8] = {};
  const ssize_t count = read(STDIN_FILENO, bytes, sizeof bytes);
  if (count <= 0) return Key::kNone;
  if (bytes[0] == ' ') return Key::kTogglePause;
  if (bytes[0] == 'q' || bytes[0] == 'Q') return Key::kQuit;
  if (count >= 3 && bytes[0] == '\x1b' && bytes[1] == '[') {
    if (bytes[2] == 'C') return Key::kForward;
    if (bytes[2] == 'D') return Key::kBack;
  }
  return Key::kNone;
}

void print_status(const host::Player& player, const std::vector<std::int64_t>& step_starts, bool final_line) {
  const double length_s = player.length_s();
  const float peak = player.peak_level();
  const double level_db = peak > 0.0f ? gain_to_db(peak) : -120.0;
  char length_text[32] = "";
  if (length_s >= 0.0) std::snprintf(length_text, sizeof length_text, " / %.1f s", length_s);
  char step_text[32] = "";
  if (!step_starts.empty())
    std::snprintf(step_text, sizeof step_text, "  step %d/%zu",
                  host::step_at(step_starts, std::llround(player.position_s() * player.options().sample_rate_hz)) + 1,
                  step_starts.size());
  std::fprintf(stderr, "\r%8.2f s%s%s  level %6.1f dBFS  xruns %llu  %s   %s", player.position_s(), length_text,
               step_text, level_db, static_cast<unsigned long long>(player.xruns()), player.paused() ? "[paused]" : "        ",
               final_line ? "\n" : "");
  std::fflush(stderr);
}

int run_play(const PlayOptions& options) {
  auto source = host::open_playback_source(options.input,
                                           {.sample_rate_hz = options.sample_rate_hz, .soundfont = options.soundfont});
  if (!source) return report_error(source.error());
  for (const auto& warning : source->warnings) std::fprintf(stderr, "resound: warning: %s\n", warning.c_str());
  const std::vector<std::int64_t> step_starts = source->step_start_frames;
  host::PlayerOptions player_options;
  player_options.output = options.device == "null" ? host::OutputKind::kNullPaced : host::OutputKind::kPulse;
  player_options.latency_ms = options.latency_ms;
  player_options.sample_rate_hz = options.sample_rate_hz;
  auto player = host::Player::create(std::move(source->source), player_options);
  if (!player) return report_error(player.error());
  host::Player& live = **player;
  if (options.start_s > 0.0) live.seek(options.start_s);
  if (auto started = live.play(); !started) return report_error(started.error());

  RawTerminal terminal;
  if (terminal.active()) std::fprintf(stderr, "space: pause/resume   \u2190/\u2192: seek \u00b110 s   q: quit\n");
  // Redraw the status line in place only on a terminal; logs get the final line alone.
  const bool status_on_terminal = isatty(STDERR_FILENO) != 0;
  const auto started_at = std::chrono::steady_clock::now();
  bool quit = false;
  while (!quit && !interrupt_requested() && !live.finished()) {
    const Key key = terminal.active() ? read_key(100) : (std::this_thread::sleep_for(std::chrono::milliseconds(100)), Key::kNone);
    switch (key) {
      case Key::kTogglePause: live.paused() ? live.resume() : live.pause(); break;
      case Key::kBack: live.seek(std::max(0.0, live.position_s() - 10.0)); break;
      case Key::kForward: live.seek(live.position_s() + 10.0); break;
      case Key::kQuit: quit = true; break;
      case Key::kNone: break;
    }
    if (options.duration_s > 0.0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count() >= options.duration_s)
      break;
    if (status_on_terminal) print_status(live, step_starts, false);
  }
  print_status(live, step_starts, true);  // before stop(): its fade-out would read as "paused"
  live.stop();
  return interrupt_requested() ? kExitInterrupted : kExitOk;
}

}  // namespace

void register_play_command(CommandRegistry& registry) {
  registry.add("play", "Play a track (.json), a MIDI file (.mid) or an audio file in real time",
               [](CLI::App& command) -> CommandAction {
                 auto options = std::make_shared<PlayOptions>();
                 command.add_option("FILE", options->input, "Track JSON, MIDI file or audio file")->required();
                 command.add_option("--start", options->start_s, "Start at this time in seconds")
                     ->check(CLI::NonNegativeNumber);
                 command.add_option("--latency-ms", options->latency_ms, "Output latency in ms (default 40)")
                     ->check(CLI::Range(1.0, 2000.0));
                 command.add_option("--soundfont", options->soundfont, "SoundFont for MIDI files");
                 command.add_option("--device", options->device, "pulse (default) or null (no sound, real-time pace)")
                     ->check(CLI::IsMember({"pulse", "null"}));
                 command.add_option("--duration", options->duration_s, "Stop after this many seconds")
                     ->check(CLI::NonNegativeNumber);
                 command.add_option("--rate", options->sample_rate_hz, "Output sample rate in Hz (default 48000)")
                     ->check(CLI::Range(8000.0, 192000.0));
                 return [options] { return run_play(*options); };
               });
}

}  // namespace resound::cli
