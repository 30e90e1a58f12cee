// resound.Player: live playback of a file, track or MIDI source, with pause/resume/seek/update.
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>

#include "bindings.hpp"
#include "python_errors.hpp"
#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"
#include "resound/host/render_to_file.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

// A path (str or os.PathLike) opens a file by extension; JSON text or a dict is a track.
std::unique_ptr<Source> source_from_python(const py::object& source, const std::string& soundfont, double rate_hz) {
  const host::PlaybackSourceOptions options{.sample_rate_hz = rate_hz, .soundfont = soundfont};
  std::string text;
  if (py::isinstance<py::dict>(source)) {
    text = py::module_::import("json").attr("dumps")(source).cast<std::string>();
  } else if (py::isinstance<py::str>(source)) {
    text = source.cast<std::string>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || text[first] != '{') {
      py::gil_scoped_release release;
      return unwrap(host::open_playback_source(text, options)).source;
    }
  } else {
    const std::string path = py::str(py::module_::import("os").attr("fspath")(source)).cast<std::string>();
    py::gil_scoped_release release;
    return unwrap(host::open_playback_source(path, options)).source;
  }
  py::gil_scoped_release release;
  return unwrap(host::track_source_from_json(text, options)).source;
}

host::OutputKind output_kind(const std::string& device) {
  if (device == "pulse") return host::OutputKind::kPulse;
  if (device == "null") return host::OutputKind::kNullPaced;
  throw py::value_error("device must be 'pulse' or 'null'");
}

class PyPlayer {
 public:
  PyPlayer(const py::object& source, double latency_ms, double sample_rate, const std::string& device,
           const std::string& soundfont)
      : soundfont_(soundfont), sample_rate_hz_(sample_rate) {
    host::PlayerOptions options;
    options.output = output_kind(device);
    options.latency_ms = latency_ms;
    options.sample_rate_hz = sample_rate;
    auto opened = source_from_python(source, soundfont_, sample_rate_hz_);
    py::gil_scoped_release release;  // connecting may wait up to the connect timeout
    player_ = unwrap(host::Player::create(std::move(opened), options));
  }

  host::Player& player() {
    if (!player_) throw ResoundError("the player is closed");
    return *player_;
  }

  void play() { unwrap(player().play()); }
  void update(const py::object& source) { unwrap(player().update(source_from_python(source, soundfont_, sample_rate_hz_))); }
  void stop() {
    if (!player_) return;
    py::gil_scoped_release release;  // fades out and drains: up to a latency plus a few ms
    player_->stop();
  }

 private:
  std::string soundfont_;
  double sample_rate_hz_;
  std::unique_ptr<host::Player> player_;
};

// Renders track JSON to a file (the realtime_backend render_* functions); max_s < 0: whole track.
void render_track(const std::string& track_json, const std::string& path, double max_s) {
  py::gil_scoped_release release;
  // A rate of 0 plans the track at its own `sample_rate`; it renders at that rate.
  auto source = unwrap(host::track_source_from_json(track_json, {.sample_rate_hz = 0.0}));
  host::RenderToFileOptions options;
  options.sample_rate_hz = source.sample_rate_hz;
  options.format = formats::default_format_for_path(path);
  if (max_s >= 0.0) options.max_frames = static_cast<std::int64_t>(max_s * options.sample_rate_hz);
  unwrap(host::render_to_file(*source.source, path, options));
}

}  // namespace

void bind_player(py::module_& module) {
  module.def("_render_track", &render_track, py::arg("track_json"), py::arg("path"), py::arg("max_s"));
  py::class_<PyPlayer>(module, "Player", R"doc(
Plays a source in real time through PulseAudio (or PipeWire's pulse server).

``source`` is a path (audio file, ``.json`` track, ``.mid`` file), track JSON text or a dict.
Control calls return at once; the audio runs on its own thread.

    with resound.Player("song.wav", latency_ms=40) as player:
        player.play(); player.seek(10.0); player.pause(); player.resume()
)doc")
      .def(py::init<const py::object&, double, double, const std::string&, const std::string&>(), py::arg("source"),
           py::arg("latency_ms") = 40.0, py::arg("sample_rate") = 48000.0, py::arg("device") = "pulse",
           py::arg("soundfont") = "")
      .def("play", &PyPlayer::play, "Start (or restart) playback from the current position.")
      .def("pause", [](PyPlayer& self) { self.player().pause(); }, "Fade out (5 ms) and hold the position.")
      .def("resume", [](PyPlayer& self) { self.player().resume(); }, "Fade back in where paused.")
      .def("seek", [](PyPlayer& self, double seconds) { self.player().seek(seconds); }, py::arg("seconds"),
           "Jump to a time in seconds (a 5 ms fade out and in).")
      .def("update", &PyPlayer::update, py::arg("track"),
           "Replace the source at the current position, with a 50 ms crossfade.")
      .def("stop", &PyPlayer::stop, "Fade out, stop and release the device (a later play() resumes).")
      .def_property_readonly("position_s", [](PyPlayer& self) { return self.player().position_s(); })
      .def_property_readonly("length_s", [](PyPlayer& self) { return self.player().length_s(); })
      .def_property_readonly("xruns", [](PyPlayer& self) { return self.player().xruns(); })
      .def_property_readonly("playing", [](PyPlayer& self) { return self.player().playing(); })
      .def_property_readonly("paused", [](PyPlayer& self) { return self.player().paused(); })
      .def_property_readonly("finished", [](PyPlayer& self) { return self.player().finished(); })
      .def_property_readonly("peak_level", [](PyPlayer& self) { return self.player().peak_level(); })
      .def_property_readonly("latency_ms", [](PyPlayer& self) { return self.player().granted_latency_ms(); })
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyPlayer& self, const py::args&) { self.stop(); });
}

}  // namespace resound::python
