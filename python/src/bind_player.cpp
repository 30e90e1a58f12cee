// resound.Player: live playback of a file, track or MIDI source, with pause/resume/seek/update.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>

#include "bindings.hpp"
#include "python_errors.hpp"
#include "resound/host/playback_source.hpp"
#include "resound/host/player.hpp"
#include "resound/host/render_to_file.hpp"
#include "resound/track/track_source.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

// A path (str or os.PathLike) opens a file by extension; JSON text or a dict is a track.
std::unique_ptr<Source> source_from_python(const py::object& source, const host::PlaybackSourceOptions& options) {
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
           const std::string& soundfont, bool stream_unreadable_clips)
      : source_options_{.sample_rate_hz = sample_rate, .soundfont = soundfont,
                        .stream_unreadable_clips = stream_unreadable_clips} {
    host::PlayerOptions options;
    options.output = output_kind(device);
    options.latency_ms = latency_ms;
    options.sample_rate_hz = sample_rate;
    auto opened = source_from_python(source, source_options_);
    track_ = dynamic_cast<track::TrackSource*>(opened.get());
    py::gil_scoped_release release;  // connecting may wait up to the connect timeout
    player_ = unwrap(host::Player::create(std::move(opened), options));
  }

  host::Player& player() {
    if (!player_) throw ResoundError("the player is closed");
    return *player_;
  }

  void play() { unwrap(player().play()); }
  void update(const py::object& source) {
    auto opened = source_from_python(source, source_options_);
    auto* track = dynamic_cast<track::TrackSource*>(opened.get());
    unwrap(player().update(std::move(opened)));
    track_ = track;  // the player owns it now; the old one is freed by the player
  }
  void push_clip_samples(std::size_t index, const py::array_t<float, py::array::c_style | py::array::forcecast>& samples,
                         bool finished) {
    player();  // raises when closed
    if (track_ == nullptr) throw ResoundError("push_clip_samples: the player is not playing a track");
    const std::span<const float> interleaved(samples.data(), static_cast<std::size_t>(samples.size()));
    py::gil_scoped_release release;
    unwrap(track_->push_clip_samples(index, interleaved, finished));
  }
  void stop() {
    if (!player_) return;
    py::gil_scoped_release release;  // fades out and drains: up to a latency plus a few ms
    player_->stop();
  }

 private:
  host::PlaybackSourceOptions source_options_;
  std::unique_ptr<host::Player> player_;
  track::TrackSource* track_ = nullptr;  // the source playing, when it is a track (owned by player_)
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
      .def(py::init<const py::object&, double, double, const std::string&, const std::string&, bool>(), py::arg("source"),
           py::arg("latency_ms") = 40.0, py::arg("sample_rate") = 48000.0, py::arg("device") = "pulse",
           py::arg("soundfont") = "", py::arg("stream_unreadable_clips") = false)
      .def("play", &PyPlayer::play, "Start (or restart) playback from the current position.")
      .def("pause", [](PyPlayer& self) { self.player().pause(); }, "Fade out (5 ms) and hold the position.")
      .def("resume", [](PyPlayer& self) { self.player().resume(); }, "Fade back in where paused.")
      .def("seek", [](PyPlayer& self, double seconds) { self.player().seek(seconds); }, py::arg("seconds"),
           "Jump to a time in seconds (a 5 ms fade out and in).")
      .def("update", &PyPlayer::update, py::arg("track"),
           "Replace the source at the current position, with a 50 ms crossfade.")
      .def("push_clip_samples", &PyPlayer::push_clip_samples, py::arg("index"), py::arg("samples"),
           py::arg("finished") = false,
           "Append interleaved stereo float samples (at the player's rate) to streamed overlay clip ``index`` — a "
           "clip whose file could not be read, when the player was made with ``stream_unreadable_clips=True``. "
           "``finished=True`` marks its end (then it fades out as its ``fade_out`` asks).")
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
