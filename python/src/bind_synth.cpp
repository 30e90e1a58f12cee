// resound.SoundFont / render_midi / render_midi_file / Synth: the SoundFont synthesizer for Python, GIL released while rendering.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <variant>

#include "bindings.hpp"
#include "numpy_audio.hpp"
#include "python_errors.hpp"
#include "resound/formats/audio_format.hpp"
#include "resound/formats/midi_file.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/host/render_to_wav.hpp"
#include "resound/synth/midi_source.hpp"
#include "resound/synth/synthesizer.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

/// A loaded SoundFont, shareable by any number of renders and Synth objects (and threads).
struct PySoundFont {
  std::shared_ptr<const formats::SoundFont> font;
};

PySoundFont load_soundfont(const std::filesystem::path& path) {
  py::gil_scoped_release release;
  return PySoundFont{unwrap(formats::SoundFont::load(path))};
}

// soundfont=None | str/Path | SoundFont -> a loaded SoundFont.
std::shared_ptr<const formats::SoundFont> resolve_soundfont(const py::object& soundfont) {
  if (soundfont.is_none()) return load_soundfont(unwrap(formats::default_soundfont_path())).font;
  if (py::isinstance<PySoundFont>(soundfont)) return soundfont.cast<PySoundFont&>().font;
  return load_soundfont(soundfont.cast<std::filesystem::path>()).font;
}

// midi = path or bytes -> a parsed MIDI file.
std::shared_ptr<const formats::MidiFile> resolve_midi(const py::object& midi) {
  if (py::isinstance<py::bytes>(midi)) {
    const std::string bytes = midi.cast<std::string>();
    py::gil_scoped_release release;
    return std::make_shared<const formats::MidiFile>(
        unwrap(formats::parse_midi({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "<bytes>")));
  }
  const auto path = midi.cast<std::filesystem::path>();
  py::gil_scoped_release release;
  return std::make_shared<const formats::MidiFile>(unwrap(formats::read_midi_file(path)));
}

synth::MidiSourceOptions source_options(bool reverb, bool chorus, const std::string& interpolation,
                                        const std::string& tail, float gain_db, std::size_t max_voices,
                                        bool emu_attenuation) {
  synth::MidiSourceOptions options;
  const auto parsed = synth::parse_interpolation(interpolation);
  if (!parsed) unwrap(Expected<void>(Error{ErrorCode::kInvalidArgument, "interpolation must be linear, cubic or sinc"}));
  options.interpolation = *parsed;
  options.reverb = reverb;
  options.chorus = chorus;
  options.tail = unwrap(synth::TailPolicy::parse(tail));
  options.gain_db = gain_db;
  options.max_voices = max_voices;
  options.emu_attenuation = emu_attenuation;
  options.offline_wait_for_samples = true;  // offline render: start at once, decode SF3 on the way
  return options;
}

py::tuple render_midi(const py::object& midi, const py::object& soundfont, double sample_rate, bool reverb, bool chorus,
                      const std::string& interpolation, const std::string& tail, float gain_db, std::size_t max_voices,
                      bool emu_attenuation) {
  auto options = source_options(reverb, chorus, interpolation, tail, gain_db, max_voices, emu_attenuation);
  auto font = resolve_soundfont(soundfont);
  auto file = resolve_midi(midi);
  AudioBuffer result = [&] {
    py::gil_scoped_release release;
    synth::MidiSource source(file, font, options);
    constexpr std::size_t kBlock = 4096;
    source.prepare(sample_rate, kBlock);
    std::vector<float> left, right;
    AudioBuffer block(2, kBlock);
    for (;;) {
      const std::size_t produced = source.process(block.view());
      left.insert(left.end(), block.channel(0).begin(), block.channel(0).begin() + static_cast<std::ptrdiff_t>(produced));
      right.insert(right.end(), block.channel(1).begin(), block.channel(1).begin() + static_cast<std::ptrdiff_t>(produced));
      if (produced < kBlock) break;
    }
    AudioBuffer audio(2, left.size());
    std::copy(left.begin(), left.end(), audio.channel(0).begin());
    std::copy(right.begin(), right.end(), audio.channel(1).begin());
    return audio;
  }();
  return py::make_tuple(to_numpy(std::move(result)), static_cast<long long>(sample_rate));
}

double render_midi_file(const py::object& midi, const std::filesystem::path& output, const py::object& soundfont,
                        double sample_rate, bool reverb, bool chorus, const std::string& interpolation,
                        const std::string& tail, float gain_db, std::size_t max_voices, bool emu_attenuation,
                        std::optional<std::string> format) {
  auto options = source_options(reverb, chorus, interpolation, tail, gain_db, max_voices, emu_attenuation);
  auto font = resolve_soundfont(soundfont);
  auto file = resolve_midi(midi);
  host::RenderToFileOptions render_options;
  render_options.sample_rate_hz = sample_rate;
  render_options.format = format ? unwrap(formats::parse_audio_format(*format)) : formats::default_format_for_path(output);
  py::gil_scoped_release release;
  synth::MidiSource source(file, font, options);
  return unwrap(host::render_to_file_fast(source, output, render_options)).duration_s;
}

/// resound.Synth: play notes programmatically and pull audio.
class PySynth {
 public:
  PySynth(const py::object& soundfont, double sample_rate, const std::string& interpolation, float gain_db,
          std::size_t max_voices, bool emu_attenuation)
      : font_(resolve_soundfont(soundfont)) {
    synth::SynthesizerOptions options;
    const auto parsed = synth::parse_interpolation(interpolation);
    if (!parsed) unwrap(Expected<void>(Error{ErrorCode::kInvalidArgument, "interpolation must be linear, cubic or sinc"}));
    options.sample_rate_hz = sample_rate;
    options.interpolation = *parsed;
    options.gain_db = gain_db;
    options.max_voices = max_voices;
    options.emu_attenuation = emu_attenuation;
    options.max_block_frames = kBlock;
    // Played interactively: measure every sample's peaks now, not at a note (RT rule, one path).
    options.prepare_for_real_time = true;
    py::gil_scoped_release release;  // one pass over the bank's samples (~45 ms for FluidR3_GM)
    synth_ = std::make_unique<synth::Synthesizer>(font_, options);
  }
  void note_on(int channel, int key, int velocity) {
    // SF3 samples are decoded here, on the calling (non-real-time) thread, before the note starts.
    if (const auto* preset = synth_->preset_for(channel)) synth_->prepare_preset_samples(*preset);
    synth_->note_on(channel, key, velocity);
  }
  void note_off(int channel, int key) { synth_->note_off(channel, key); }
  void control_change(int channel, int controller, int value) { synth_->control_change(channel, controller, value); }
  void program_change(int channel, int program) { synth_->program_change(channel, program); }
  void pitch_bend(int channel, int value) { synth_->pitch_bend(channel, value); }
  void channel_pressure(int channel, int value) { synth_->channel_pressure(channel, value); }
  py::array_t<float> render(std::size_t frames) {
    AudioBuffer audio(2, frames);
    {
      py::gil_scoped_release release;
      for (std::size_t done = 0; done < frames;) {
        const std::size_t count = std::min(kBlock, frames - done);
        synth_->render({audio.view().subview(done, count), {}, {}});
        done += count;
      }
    }
    return to_numpy(std::move(audio));
  }
  [[nodiscard]] std::size_t active_voices() const { return synth_->statistics().active_voices; }
  [[nodiscard]] std::uint64_t voices_stolen() const { return synth_->statistics().voices_stolen; }

 private:
  static constexpr std::size_t kBlock = 4096;
  std::shared_ptr<const formats::SoundFont> font_;
  std::unique_ptr<synth::Synthesizer> synth_;
};

}  // namespace

void bind_synth(py::module_& module) {
  py::class_<PySoundFont>(module, "SoundFont", "A loaded SF2/SF3 SoundFont; load once, render many (thread-safe).")
      .def(py::init(&load_soundfont), py::arg("path"))
      .def_property_readonly("name", [](const PySoundFont& self) { return self.font->name(); })
      .def_property_readonly("path", [](const PySoundFont& self) { return self.font->path(); })
      .def_property_readonly("version", [](const PySoundFont& self) { return self.font->version(); })
      .def_property_readonly("presets",
                             [](const PySoundFont& self) {
                               py::list presets;
                               for (const auto& preset : self.font->presets())
                                 presets.append(py::make_tuple(preset.bank, preset.program, preset.name));
                               return presets;
                             },
                             "List of (bank, program, name).")
      .def_property_readonly("warnings", [](const PySoundFont& self) { return self.font->warnings(); })
      .def("__repr__", [](const PySoundFont& self) {
        return "<resound.SoundFont '" + self.font->name() + "' (" + std::to_string(self.font->presets().size()) +
               " presets)>";
      });

  module.def("default_soundfont", [] { return unwrap(formats::default_soundfont_path()).string(); },
             "Path of the SoundFont used when none is given ($RESOUND_SOUNDFONT, default-GM, TimGM6mb, FluidR3_GM).");
  module.def("render_midi", &render_midi, py::arg("midi"), py::arg("soundfont") = py::none(),
             py::arg("sample_rate") = 44100.0, py::arg("reverb") = true, py::arg("chorus") = true,
             py::arg("interpolation") = "cubic", py::arg("tail") = "silence:-60", py::arg("gain_db") = synth::kDefaultGainDb,
             py::arg("max_voices") = 256, py::arg("emu_attenuation") = false,
             "Render a MIDI file (path or bytes) -> (float32 array (2, frames), sample_rate).");
  module.def("render_midi_file", &render_midi_file, py::arg("midi"), py::arg("output"), py::arg("soundfont") = py::none(),
             py::arg("sample_rate") = 44100.0, py::arg("reverb") = true, py::arg("chorus") = true,
             py::arg("interpolation") = "cubic", py::arg("tail") = "silence:-60", py::arg("gain_db") = synth::kDefaultGainDb,
             py::arg("max_voices") = 256, py::arg("emu_attenuation") = false, py::arg("format") = py::none(),
             "Render a MIDI file to WAV/FLAC in constant memory; returns the duration in seconds.");
  py::class_<PySynth>(module, "Synth", "A playable synthesizer: send notes and controllers, pull audio with render().")
      .def(py::init<const py::object&, double, const std::string&, float, std::size_t, bool>(),
           py::arg("soundfont") = py::none(), py::arg("sample_rate") = 44100.0, py::arg("interpolation") = "cubic",
           py::arg("gain_db") = synth::kDefaultGainDb, py::arg("max_voices") = 256, py::arg("emu_attenuation") = false)
      .def("note_on", &PySynth::note_on, py::arg("channel"), py::arg("key"), py::arg("velocity"))
      .def("note_off", &PySynth::note_off, py::arg("channel"), py::arg("key"))
      .def("control_change", &PySynth::control_change, py::arg("channel"), py::arg("controller"), py::arg("value"))
      .def("program_change", &PySynth::program_change, py::arg("channel"), py::arg("program"))
      .def("pitch_bend", &PySynth::pitch_bend, py::arg("channel"), py::arg("value"))
      .def("channel_pressure", &PySynth::channel_pressure, py::arg("channel"), py::arg("value"))
      .def("render", &PySynth::render, py::arg("frames"), "Render the next frames -> float32 array (2, frames).")
      .def_property_readonly("active_voices", &PySynth::active_voices)
      .def_property_readonly("voices_stolen", &PySynth::voices_stolen);
}

}  // namespace resound::python
