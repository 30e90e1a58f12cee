// resound.analysis: pitch, onsets, beats, dynamics, loudness, waveforms, scoring and streaming analyzers.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cmath>
#include <limits>

#include "bindings.hpp"
#include "numpy_audio.hpp"
#include "python_errors.hpp"
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/dynamics.hpp"
#include "resound/analysis/loudness.hpp"
#include "resound/analysis/onsets.hpp"
#include "resound/analysis/performance_score.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/streaming.hpp"
#include "resound/analysis/tempo.hpp"
#include "resound/analysis/waveform.hpp"
#include "resound/analysis/waveform_image.hpp"
#include "resound/analysis/yin.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::python {

namespace py = pybind11;
namespace an = resound::analysis;

namespace {

template <typename T>
py::array_t<T> array_of(const std::vector<T>& values) {
  py::array_t<T> result(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), result.mutable_data());
  return result;
}

// f0 with NaN for unvoiced frames, as librosa.pyin returns it.
py::array_t<double> f0_with_nan(const std::vector<float>& frequency) {
  py::array_t<double> result(static_cast<py::ssize_t>(frequency.size()));
  auto* out = result.mutable_data();
  for (std::size_t i = 0; i < frequency.size(); ++i)
    out[i] = frequency[i] > 0.0f ? frequency[i] : std::numeric_limits<double>::quiet_NaN();
  return result;
}

void check_rate(double sample_rate) {
  if (!(sample_rate > 0.0) || !std::isfinite(sample_rate)) throw ResoundError("sr must be a positive sample rate in Hz");
}

an::AnalysisSignal signal_of(const FloatArray& audio, double sample_rate) {
  check_rate(sample_rate);
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(audio, pointers);
  py::gil_scoped_release release;
  return unwrap(an::make_analysis_signal(view, sample_rate));
}

an::PitchOptions pitch_options(double fmin, double fmax) {
  an::PitchOptions options;
  options.min_frequency_hz = fmin;
  options.max_frequency_hz = fmax;
  unwrap(an::validate(options));
  return options;
}

py::tuple pyin(const FloatArray& y, double sr, double fmin, double fmax, std::size_t threads) {
  an::PitchOptions options = pitch_options(fmin, fmax);
  options.threads = std::max<std::size_t>(1, threads);
  const an::AnalysisSignal signal = signal_of(y, sr);
  an::PitchTrack track;
  {
    py::gil_scoped_release release;
    track = an::pyin(signal, options);
  }
  py::array_t<bool> voiced(static_cast<py::ssize_t>(track.size()));
  for (std::size_t i = 0; i < track.size(); ++i) voiced.mutable_data()[i] = track.voiced[i] != 0;
  return py::make_tuple(array_of(track.times_s), f0_with_nan(track.frequency_hz), voiced, array_of(track.voiced_probability));
}

py::tuple yin(const FloatArray& y, double sr, double fmin, double fmax, double threshold) {
  an::PitchOptions options = pitch_options(fmin, fmax);
  options.yin_threshold = threshold;
  unwrap(an::validate(options));
  const an::AnalysisSignal signal = signal_of(y, sr);
  an::PitchTrack track;
  {
    py::gil_scoped_release release;
    track = an::yin(signal, options);
  }
  return py::make_tuple(array_of(track.times_s), f0_with_nan(track.frequency_hz));
}

an::OnsetOptions onset_options(const std::string& function, double delta) {
  an::OnsetOptions options;
  options.function = unwrap(an::parse_onset_function(function));
  options.delta = delta;
  unwrap(an::validate(options));
  return options;
}

an::OnsetResult run_onsets(const FloatArray& y, double sr, const an::OnsetOptions& options) {
  const an::AnalysisSignal signal = signal_of(y, sr);
  py::gil_scoped_release release;
  return an::detect_onsets(signal, options);
}

py::array_t<double> onsets(const FloatArray& y, double sr, const std::string& function, double delta) {
  return array_of(run_onsets(y, sr, onset_options(function, delta)).onset_times_s);
}

py::tuple onset_strength(const FloatArray& y, double sr, const std::string& function) {
  const an::OnsetResult result = run_onsets(y, sr, onset_options(function, an::OnsetOptions{}.delta));
  return py::make_tuple(array_of(result.envelope_times_s), array_of(result.envelope));
}

py::tuple beats(const FloatArray& y, double sr, double start_bpm) {
  const an::OnsetOptions options;
  const an::OnsetResult result = run_onsets(y, sr, options);
  an::TempoOptions tempo;
  tempo.start_bpm = start_bpm;
  an::BeatResult beat;
  {
    py::gil_scoped_release release;
    beat = an::track_beats(result.envelope, result.frame_period_s, options.latency_s, tempo, result.accent);
  }
  return py::make_tuple(beat.tempo_bpm, array_of(beat.beat_times_s));
}

py::dict loudness(const FloatArray& y, double sr) {
  check_rate(sr);
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(y, pointers);
  an::LoudnessResult result;
  {
    py::gil_scoped_release release;
    result = unwrap(an::measure_loudness(view, sr));
  }
  const auto lufs_or_nan = [](double value) {
    return value > an::kNoLoudnessLufs ? value : -std::numeric_limits<double>::infinity();
  };
  py::dict out;
  out["integrated_lufs"] = lufs_or_nan(result.integrated_lufs);
  out["loudness_range_lu"] = result.loudness_range_lu;
  out["true_peak_dbtp"] = result.true_peak_dbtp;
  out["sample_peak_dbfs"] = result.sample_peak_dbfs;
  out["times"] = array_of(result.times_s);
  std::vector<double> momentary(result.momentary_lufs.size());
  std::vector<double> short_term(result.short_term_lufs.size());
  std::transform(result.momentary_lufs.begin(), result.momentary_lufs.end(), momentary.begin(), lufs_or_nan);
  std::transform(result.short_term_lufs.begin(), result.short_term_lufs.end(), short_term.begin(), lufs_or_nan);
  out["momentary_lufs"] = array_of(momentary);
  out["short_term_lufs"] = array_of(short_term);
  return out;
}

py::dict dynamics(const FloatArray& y, double sr, std::optional<std::vector<double>> onset_times, std::size_t frame_length,
                  std::size_t hop_length) {
  check_rate(sr);
  std::vector<float> mono(static_cast<std::size_t>(y.ndim() == 1 ? y.shape(0) : (y.ndim() == 2 ? y.shape(1) : 0)));
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(y, pointers);
  py::dict out;
  py::gil_scoped_release release;
  an::mix_to_mono(view, mono);
  if (!onset_times) {
    const an::FrameLevels levels = unwrap(an::frame_levels(mono, sr, frame_length, hop_length));
    py::gil_scoped_acquire acquire;
    out["times"] = array_of(levels.times_s);
    out["rms"] = array_of(levels.rms);
    out["peak"] = array_of(levels.peak);
    return out;
  }
  const auto per_onset = unwrap(an::onset_dynamics(mono, sr, *onset_times));
  py::gil_scoped_acquire acquire;
  std::vector<double> times;
  std::vector<float> rms, peak, db;
  std::vector<int> velocity;
  for (const auto& item : per_onset) {
    times.push_back(item.time_s);
    rms.push_back(item.rms);
    peak.push_back(item.peak);
    db.push_back(item.db);
    velocity.push_back(item.midi_velocity);
  }
  out["times"] = array_of(times);
  out["rms"] = array_of(rms);
  out["peak"] = array_of(peak);
  out["db"] = array_of(db);
  out["velocity"] = array_of(velocity);
  return out;
}

an::WaveformPyramid pyramid_of(const py::object& audio, std::optional<double> sr, std::size_t samples_per_pixel) {
  if (py::isinstance<py::str>(audio) || py::hasattr(audio, "__fspath__")) {
    const std::filesystem::path path = py::cast<std::filesystem::path>(audio);
    py::gil_scoped_release release;
    const AudioClip clip = unwrap(formats::read_audio_file(path));
    return unwrap(an::WaveformPyramid::build(clip.audio.view(), clip.sample_rate_hz, samples_per_pixel));
  }
  if (!sr) throw ResoundError("sr is required when the audio is an array");
  check_rate(*sr);
  const FloatArray array = py::cast<FloatArray>(audio);
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(array, pointers);
  py::gil_scoped_release release;
  return unwrap(an::WaveformPyramid::build(view, *sr, samples_per_pixel));
}

py::bytes waveform_png(const py::object& audio, std::optional<double> sr, std::size_t width, std::size_t height,
                       const std::string& background, const std::string& colour, bool split_channels) {
  an::WaveformImageOptions options;
  options.width = width;
  options.height = height;
  options.background = unwrap(an::parse_colour(background));
  options.waveform = unwrap(an::parse_colour(colour));
  options.split_channels = split_channels;
  const an::WaveformPyramid pyramid = pyramid_of(audio, sr, 256);
  std::vector<std::uint8_t> png;
  {
    py::gil_scoped_release release;
    png = unwrap(an::render_waveform_png(pyramid, options));
  }
  return py::bytes(reinterpret_cast<const char*>(png.data()), png.size());
}

std::string waveform_peaks(const py::object& audio, std::optional<double> sr, std::size_t samples_per_pixel, int bits) {
  const an::WaveformPyramid pyramid = pyramid_of(audio, sr, samples_per_pixel);
  return unwrap(an::waveform_json(pyramid.level(0), pyramid.sample_rate_hz(), bits));
}

std::string score_performance(const py::object& recording, const std::filesystem::path& expected_midi, std::optional<double> sr) {
  std::vector<an::Note> expected;
  {
    py::gil_scoped_release release;
    expected = unwrap(an::read_expected_notes(expected_midi));
  }
  AudioClip clip;
  if (py::isinstance<py::str>(recording) || py::hasattr(recording, "__fspath__")) {
    const std::filesystem::path path = py::cast<std::filesystem::path>(recording);
    py::gil_scoped_release release;
    clip = unwrap(formats::read_audio_file(path));
  } else {
    if (!sr) throw ResoundError("sr is required when the recording is an array");
    check_rate(*sr);
    const FloatArray array = py::cast<FloatArray>(recording);
    std::vector<const float*> pointers;
    const ConstAudioView view = view_of(array, pointers);
    clip.audio.resize(view.channel_count(), view.frame_count());
    for (std::size_t c = 0; c < view.channel_count(); ++c)
      std::copy(view.channel(c).begin(), view.channel(c).end(), clip.audio.channel(c).begin());
    clip.sample_rate_hz = *sr;
  }
  py::gil_scoped_release release;
  const an::PerformanceScore score = unwrap(an::score_recording(clip.audio.view(), clip.sample_rate_hz, expected));
  return an::score_to_json(score);
}

std::vector<float> mono_of(const FloatArray& block) {
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(block, pointers);
  std::vector<float> mono(view.frame_count());
  an::mix_to_mono(view, mono);
  return mono;
}

py::tuple pitch_frames_to_arrays(const std::vector<an::PitchFrame>& frames) {
  std::vector<double> times;
  std::vector<float> frequency, probability;
  for (const auto& frame : frames) {
    times.push_back(frame.time_s);
    frequency.push_back(frame.frequency_hz);
    probability.push_back(frame.voiced_probability);
  }
  return py::make_tuple(array_of(times), f0_with_nan(frequency), array_of(probability));
}

}  // namespace

void bind_analysis(py::module_& parent) {
  py::module_ module = parent.def_submodule("analysis", "Pitch, onsets, beats, dynamics, loudness, waveforms, scoring");
  module.def("pyin", &pyin, py::arg("y"), py::arg("sr"), py::arg("fmin") = 27.5, py::arg("fmax") = 4186.01,
             py::arg("threads") = 1,
             "Probabilistic YIN + HMM -> (times, f0 [Hz, NaN where unvoiced], voiced_flag, voiced_prob).");
  module.def("yin", &yin, py::arg("y"), py::arg("sr"), py::arg("fmin") = 27.5, py::arg("fmax") = 4186.01,
             py::arg("threshold") = 0.15, "YIN (FFT difference function) -> (times, f0 [Hz, NaN where unvoiced]).");
  module.def("onsets", &onsets, py::arg("y"), py::arg("sr"), py::arg("function") = "flux",
             py::arg("delta") = an::OnsetOptions{}.delta, "Onset times in seconds (function: flux, complex, hfc, energy).");
  module.def("onset_strength", &onset_strength, py::arg("y"), py::arg("sr"), py::arg("function") = "flux",
             "Onset detection function -> (times, values).");
  module.def("beats", &beats, py::arg("y"), py::arg("sr"), py::arg("start_bpm") = 120.0,
             "Tempo and beats -> (tempo_bpm, beat_times).");
  module.def("loudness", &loudness, py::arg("y"), py::arg("sr"),
             "EBU R128: integrated, range, true/sample peak and the 100 ms momentary/short-term series.");
  module.def("dynamics", &dynamics, py::arg("y"), py::arg("sr"), py::arg("onsets") = py::none(),
             py::arg("frame_length") = 2048, py::arg("hop_length") = 512,
             "Frame RMS/peak, or per-onset rms/peak/db/velocity when onset times are given.");
  module.def("waveform_png", &waveform_png, py::arg("audio"), py::arg("sr") = py::none(), py::arg("width") = 1000,
             py::arg("height") = 200, py::arg("background") = "#ffffff", py::arg("colour") = "#1f5fa8",
             py::arg("split_channels") = true, "PNG bytes of the waveform of a file path or an array.");
  module.def("waveform_peaks_json", &waveform_peaks, py::arg("audio"), py::arg("sr") = py::none(),
             py::arg("samples_per_pixel") = 256, py::arg("bits") = 8, "audiowaveform/peaks.js JSON text.");
  module.def("score_performance_json", &score_performance, py::arg("recording"), py::arg("expected_midi"),
             py::arg("sr") = py::none(), "Per-note verdicts of a recording against a MIDI file, as JSON text.");

  py::class_<an::StreamingPitchTracker>(module, "StreamingPitch", "Fixed-lag pYIN over pushed blocks")
      .def(py::init([](double sr, double lag_s, double fmin, double fmax) {
             return unwrap(an::StreamingPitchTracker::create(sr, pitch_options(fmin, fmax), lag_s));
           }),
           py::arg("sr"), py::arg("lag_s") = 0.3, py::arg("fmin") = 27.5, py::arg("fmax") = 4186.01)
      .def("push", [](an::StreamingPitchTracker& self, const FloatArray& block) {
             const std::vector<float> mono = mono_of(block);
             std::vector<an::PitchFrame> frames;
             {
               py::gil_scoped_release release;
               frames = self.push(mono);
             }
             return pitch_frames_to_arrays(frames);
           }, py::arg("block"), "Push samples -> (times, f0, voiced_prob) of the frames decided now.")
      .def("flush", [](an::StreamingPitchTracker& self) { return pitch_frames_to_arrays(self.flush()); })
      .def_property_readonly("latency_s", &an::StreamingPitchTracker::latency_s);

  py::class_<an::StreamingOnsetDetector>(module, "StreamingOnsets", "Onset detection over pushed blocks")
      .def(py::init([](double sr, const std::string& function, double delta) {
             return unwrap(an::StreamingOnsetDetector::create(sr, onset_options(function, delta)));
           }),
           py::arg("sr"), py::arg("function") = "flux", py::arg("delta") = an::OnsetOptions{}.delta)
      .def("push", [](an::StreamingOnsetDetector& self, const FloatArray& block) {
             const std::vector<float> mono = mono_of(block);
             std::vector<double> times;
             {
               py::gil_scoped_release release;
               times = self.push(mono);
             }
             return array_of(times);
           }, py::arg("block"))
      .def("flush", [](an::StreamingOnsetDetector& self) { return array_of(self.flush()); });

  py::class_<an::LoudnessMeter>(module, "LoudnessMeter", "Streaming EBU R128 meter")
      .def(py::init([](double sr, std::size_t channels) {
             auto meter = std::make_unique<an::LoudnessMeter>();
             unwrap(meter->prepare(sr, channels));
             return meter;
           }),
           py::arg("sr"), py::arg("channels") = 1)
      .def("process", [](an::LoudnessMeter& self, const FloatArray& block) {
             std::vector<const float*> pointers;
             const ConstAudioView view = view_of(block, pointers);
             py::gil_scoped_release release;
             self.process(view);
           }, py::arg("block"))
      .def_property_readonly("momentary_lufs", &an::LoudnessMeter::momentary_lufs)
      .def_property_readonly("short_term_lufs", &an::LoudnessMeter::short_term_lufs)
      .def_property_readonly("integrated_lufs", &an::LoudnessMeter::integrated_lufs)
      .def_property_readonly("loudness_range_lu", &an::LoudnessMeter::loudness_range_lu);
}

}  // namespace resound::python
