// resound.read / write / info / convert: audio file I/O for Python, GIL released during I/O.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cmath>

#include "bindings.hpp"
#include "numpy_audio.hpp"
#include "python_errors.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound/host/audio_file_conversion.hpp"
#include "resound/host/audio_file_report.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

// 44100.0 -> 44100 (an int, as soundfile returns); fractional rates stay floats.
py::object rate_object(double sample_rate_hz) {
  if (std::floor(sample_rate_hz) == sample_rate_hz) return py::int_(static_cast<long long>(sample_rate_hz));
  return py::float_(sample_rate_hz);
}

py::tuple read(const std::filesystem::path& path) {
  AudioClip clip = [&] {
    py::gil_scoped_release release;
    return unwrap(formats::read_audio_file(path));
  }();
  const double rate = clip.sample_rate_hz;
  return py::make_tuple(to_numpy(std::move(clip.audio)), rate_object(rate));
}

void write(const std::filesystem::path& path, const FloatArray& audio, double sample_rate, const std::string& format,
           bool dither) {
  const formats::AudioFormat parsed = unwrap(formats::parse_audio_format(format));
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(audio, pointers);
  py::gil_scoped_release release;
  unwrap(formats::write_audio_file(path, view, sample_rate, parsed, dither));
}

py::dict info(const std::filesystem::path& path) {
  const host::AudioFileReport report = [&] {
    py::gil_scoped_release release;
    return unwrap(host::inspect_audio_file(path));
  }();
  py::dict result;
  result["path"] = path.string();
  result["container"] = report.info.container;
  result["encoding"] = report.info.encoding;
  result["sample_rate"] = rate_object(report.info.sample_rate_hz);
  result["channels"] = report.info.channel_count;
  result["frames"] = report.info.frame_count;
  result["duration_s"] = report.info.duration_s();
  result["peak_dbfs"] = report.peak_dbfs;
  result["rms_dbfs"] = report.rms_dbfs;
  result["non_finite_samples"] = report.non_finite_samples;
  return result;
}

double convert(const std::filesystem::path& input, const std::filesystem::path& output,
               std::optional<double> sample_rate, std::optional<std::string> format) {
  host::ConversionOptions options;
  options.sample_rate_hz = sample_rate;
  if (format) options.format = unwrap(formats::parse_audio_format(*format));
  py::gil_scoped_release release;
  const host::ConversionResult result = unwrap(host::convert_audio_file(input, output, options));
  return static_cast<double>(result.frames_written) / result.sample_rate_hz;
}

}  // namespace

void bind_audio_files(py::module_& module) {
  module.def("read", &read, py::arg("path"),
             "Read an audio file (WAV, FLAC, Ogg, MP3, AIFF…) -> (float32 array (channels, frames), sample_rate).");
  module.def("write", &write, py::arg("path"), py::arg("audio"), py::arg("sample_rate"), py::arg("format") = "wav16",
             py::arg("dither") = false,
             "Write audio shaped (channels, frames) or (frames,) atomically. format: wav16|wav24|float|flac|flac16.");
  module.def("info", &info, py::arg("path"),
             "Describe an audio file: container, encoding, sample_rate, channels, frames, duration_s, peak_dbfs, "
             "rms_dbfs.");
  module.def("convert", &convert, py::arg("input"), py::arg("output"), py::arg("sample_rate") = py::none(),
             py::arg("format") = py::none(),
             "Convert an audio file to WAV/FLAC (optionally resampling); returns the output duration in seconds.");
}

}  // namespace resound::python
