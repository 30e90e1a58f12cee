// resound.fx: effect processors and a list-like Chain, called Pedalboard-style on NumPy arrays.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>

#include "bindings.hpp"
#include "numpy_audio.hpp"
#include "python_errors.hpp"
#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/chain.hpp"
#include "resound/fx/chorus.hpp"
#include "resound/fx/compressor.hpp"
#include "resound/fx/convolution.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/fx/parametric_eq.hpp"
#include "resound/fx/utility.hpp"
#include "resound/host/fx_chain_description.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

// What a processor was last prepared for; kept as a Python attribute on the object so streaming
// calls (reset=False) continue where the previous call stopped.
constexpr const char* kPreparedAttribute = "_prepared_for";

py::array_t<float> process_array(const py::object& self, const FloatArray& audio, double sample_rate, std::size_t buffer_size,
                                 bool reset) {
  if (!(sample_rate > 0.0)) throw ResoundError("sample_rate must be positive");
  if (buffer_size == 0) throw ResoundError("buffer_size must be at least 1");
  auto& processor = self.cast<Processor&>();
  if (audio.size() == 0) return FloatArray(audio);  // nothing to process
  std::vector<const float*> pointers;
  const ConstAudioView input = view_of(audio, pointers);
  const std::size_t channels = input.channel_count();
  const py::tuple configuration = py::make_tuple(sample_rate, channels, buffer_size);
  bool prepared = false;
  if (py::hasattr(self, kPreparedAttribute)) {
    const py::object previous = self.attr(kPreparedAttribute);
    prepared = !previous.is_none() && previous.equal(configuration);
  }
  // reset=True: a fresh, latency-compensated render of this buffer alone (output aligned with input).
  // reset=False: streaming — state carries over and the output is delayed by latency_frames.
  const std::size_t frames = input.frame_count();
  AudioBuffer output;
  {
    py::gil_scoped_release release;
    if (!prepared) processor.prepare(sample_rate, buffer_size, channels);
    else if (reset) processor.reset();
    const std::size_t latency = reset ? processor.latency_frames() : 0;
    AudioBuffer work(channels, frames + latency);
    copy_audio(input, work.view());
    for (std::size_t position = 0; position < work.frame_count(); position += buffer_size)
      processor.process(work.view().subview(position, std::min(buffer_size, work.frame_count() - position)));
    output = AudioBuffer(channels, frames);
    copy_audio(work.view().subview(latency, frames), output.view());
  }
  self.attr(kPreparedAttribute) = configuration;
  py::array_t<float> result = to_numpy(std::move(output));
  if (audio.ndim() == 1) return result.reshape({static_cast<py::ssize_t>(frames)});
  return result;
}

void forget_preparation(const py::object& self) { self.attr(kPreparedAttribute) = py::none(); }

fx::FilterType filter_type_from(const std::string& name) {
  auto bands = host::parse_eq_spec(name + ":1000");
  if (!bands) throw ResoundError("unknown EQ band type '" + name + "' (peak, lowshelf, highshelf, lowpass, highpass, bandpass, notch)");
  return bands->front().type;
}

// Bands as an --eq spec string, a list of dicts {"type", "frequency_hz", "gain_db", "q"} or of
// tuples (type, frequency_hz[, gain_db[, q]]).
std::vector<fx::EqBand> bands_from(const py::object& bands) {
  if (py::isinstance<py::str>(bands)) return unwrap(host::parse_eq_spec(bands.cast<std::string>()));
  std::vector<fx::EqBand> result;
  for (const py::handle item : bands) {
    fx::EqBand band;
    if (py::isinstance<py::dict>(item)) {
      const auto entry = item.cast<py::dict>();
      for (const auto& [key, value] : entry) {
        const auto name = key.cast<std::string>();
        if (name == "type") band.type = filter_type_from(value.cast<std::string>());
        else if (name == "frequency_hz") band.frequency_hz = value.cast<double>();
        else if (name == "gain_db") band.gain_db = value.cast<double>();
        else if (name == "q") band.q = value.cast<double>();
        else if (name == "enabled") band.enabled = value.cast<bool>();
        else throw ResoundError("unknown EQ band field '" + name + "'");
      }
    } else {
      const auto entry = item.cast<py::sequence>();
      if (entry.size() < 2 || entry.size() > 4) throw ResoundError("an EQ band is (type, frequency_hz[, gain_db[, q]])");
      band.type = filter_type_from(entry[0].cast<std::string>());
      band.frequency_hz = entry[1].cast<double>();
      if (entry.size() > 2) band.gain_db = entry[2].cast<double>();
      if (entry.size() > 3) band.q = entry[3].cast<double>();
    }
    if (!(band.frequency_hz > 0.0)) throw ResoundError("EQ band frequency must be positive");
    result.push_back(band);
  }
  if (result.size() > fx::ParametricEq::kMaxBands) throw ResoundError("at most 16 EQ bands");
  return result;
}

fx::ImpulseResponseNormalization normalization_from(const std::string& name) {
  if (name == "none") return fx::ImpulseResponseNormalization::kNone;
  if (name == "peak") return fx::ImpulseResponseNormalization::kPeak;
  if (name == "energy") return fx::ImpulseResponseNormalization::kEnergy;
  throw ResoundError("normalize must be 'none', 'peak' or 'energy'");
}

std::shared_ptr<fx::Convolution> make_convolution(const py::object& impulse_response, std::optional<double> sample_rate, double mix,
                                                  const std::string& normalize, double predelay_s, bool trim_leading,
                                                  bool trim_trailing, double max_length_s, bool fixed_block, bool worker_thread) {
  fx::ConvolutionOptions options;
  options.mix = mix;
  options.fixed_block = fixed_block;
  options.worker_thread = worker_thread;
  options.response = {normalization_from(normalize), trim_leading, trim_trailing, -90.0, max_length_s, predelay_s};
  if (py::isinstance<py::str>(impulse_response) || py::hasattr(impulse_response, "__fspath__")) {
    const auto path = impulse_response.cast<std::filesystem::path>();
    py::gil_scoped_release release;
    return std::make_shared<fx::Convolution>(unwrap(host::read_impulse_response_file(path)), options);
  }
  if (!sample_rate) throw ResoundError("an impulse response given as an array needs sample_rate=");
  const FloatArray array = impulse_response.cast<FloatArray>();
  if (array.size() == 0) {  // let the validator word the refusal
    const std::size_t channels = array.ndim() == 2 ? static_cast<std::size_t>(array.shape(0)) : 1;
    unwrap(fx::make_impulse_response(AudioBuffer(channels, 0), *sample_rate, "<array>"));
  }
  std::vector<const float*> pointers;
  const ConstAudioView view = view_of(array, pointers);
  AudioBuffer audio(view.channel_count(), view.frame_count());
  copy_audio(view, audio.view());
  return std::make_shared<fx::Convolution>(unwrap(fx::make_impulse_response(std::move(audio), *sample_rate, "<array>")), options);
}

}  // namespace

void bind_fx(py::module_& module) {
  py::module_ fx_module = module.def_submodule("fx", "Effects: convolution and algorithmic reverb, EQ, dynamics, Chain");

  py::class_<Processor, std::shared_ptr<Processor>>(fx_module, "Processor", py::dynamic_attr(),
      "Base of every effect: call it on audio shaped (channels, frames) or (frames,).")
      .def("process", &process_array, py::arg("audio"), py::arg("sample_rate"), py::arg("buffer_size") = 8192,
           py::arg("reset") = true,
           "Processes `audio` and returns the result (same shape). reset=True (default) starts from silence and "
           "compensates latency; reset=False continues the previous call's state (streaming; output delayed by latency_frames).")
      .def("__call__", &process_array, py::arg("audio"), py::arg("sample_rate"), py::arg("buffer_size") = 8192,
           py::arg("reset") = true)
      .def("reset", [](const py::object& self) { self.cast<Processor&>().reset(); }, "Forgets all state (tails, envelopes).")
      .def_property_readonly("latency_frames", [](const Processor& self) { return self.latency_frames(); },
                             "Delay of the output in frames, once prepared (the first call).");

  py::class_<fx::Convolution, Processor, std::shared_ptr<fx::Convolution>>(fx_module, "Convolution", py::dynamic_attr(),
      "Zero-latency partitioned convolution with an impulse response (file path, or array + sample_rate).\n"
      "fixed_block=True (default): partitions sized for buffer_size (fastest; any call length works, equal to\n"
      "whole buffers within float rounding). fixed_block=False: bit-identical output for every slicing.\n"
      "worker_thread=True: the longest partitions' sums run on a worker thread (live use; same output).")
      .def(py::init(&make_convolution), py::arg("impulse_response"), py::arg("sample_rate") = py::none(), py::arg("mix") = 1.0,
           py::arg("normalize") = "energy", py::arg("predelay_s") = 0.0, py::arg("trim_leading") = false,
           py::arg("trim_trailing") = true, py::arg("max_length_s") = 0.0, py::arg("fixed_block") = true,
           py::arg("worker_thread") = false)
      .def_property("mix", &fx::Convolution::mix, &fx::Convolution::set_mix)
      .def_property_readonly("fixed_block", [](const fx::Convolution& self) { return self.options().fixed_block; })
      .def_property_readonly("worker_thread", [](const fx::Convolution& self) { return self.options().worker_thread; })
      .def_property_readonly("partition_sizes", [](const fx::Convolution& self) { return self.convolver().partition_sizes(); },
                             "FFT partition sizes in use (after the first call), smallest first.")
      .def_property_readonly("impulse_response_path", [](const fx::Convolution& self) { return self.response().name; });

  py::class_<fx::AlgorithmicReverb, Processor, std::shared_ptr<fx::AlgorithmicReverb>>(fx_module, "Reverb", py::dynamic_attr(),
      "Modulated 16-line feedback-delay-network reverb.")
      .def(py::init([](double room_size, double decay_s, double damping, double predelay_s, double width, double mix) {
             return std::make_shared<fx::AlgorithmicReverb>(fx::ReverbParameters{room_size, decay_s, damping, predelay_s, width, mix});
           }),
           py::arg("room_size") = 0.5, py::arg("decay_s") = 1.8, py::arg("damping") = 0.4, py::arg("predelay_s") = 0.01,
           py::arg("width") = 1.0, py::arg("mix") = 0.25)
      .def_property("mix", [](const fx::AlgorithmicReverb& self) { return self.parameters().mix; },
                    [](fx::AlgorithmicReverb& self, double mix) {
                      fx::ReverbParameters parameters = self.parameters();
                      parameters.mix = mix;
                      self.set_parameters(parameters);
                    });

  py::class_<fx::Chorus, Processor, std::shared_ptr<fx::Chorus>>(fx_module, "Chorus", py::dynamic_attr(), "Multi-voice stereo chorus.")
      .def(py::init([](double rate_hz, double depth_ms, double delay_ms, int voices, double feedback, double mix) {
             return std::make_shared<fx::Chorus>(fx::ChorusParameters{rate_hz, depth_ms, delay_ms, voices, feedback, mix});
           }),
           py::arg("rate_hz") = 0.3, py::arg("depth_ms") = 3.0, py::arg("delay_ms") = 12.0, py::arg("voices") = 3,
           py::arg("feedback") = 0.0, py::arg("mix") = 0.5);

  py::class_<fx::ParametricEq, Processor, std::shared_ptr<fx::ParametricEq>>(fx_module, "EQ", py::dynamic_attr(),
      "Parametric EQ: bands as a spec string 'peak:1000:3:1,highpass:40', dicts or (type, frequency_hz[, gain_db[, q]]) tuples.")
      .def(py::init([](const py::object& bands) { return std::make_shared<fx::ParametricEq>(bands_from(bands)); }),
           py::arg("bands"))
      .def("set_bands", [](fx::ParametricEq& self, const py::object& bands) { self.set_bands(bands_from(bands)); })
      .def("response_db", &fx::ParametricEq::response_db, py::arg("frequency_hz"), "The designed response at a frequency, in dB.");

  py::class_<fx::Compressor, Processor, std::shared_ptr<fx::Compressor>>(fx_module, "Compressor", py::dynamic_attr(),
      "Soft-knee compressor (peak or RMS detector).")
      .def(py::init([](double threshold_db, double ratio, double knee_db, double attack_s, double release_s, double makeup_db,
                       const std::string& detector) {
             if (detector != "peak" && detector != "rms") throw ResoundError("detector must be 'peak' or 'rms'");
             fx::CompressorParameters parameters{threshold_db, ratio, knee_db, attack_s, release_s, makeup_db,
                                                 detector == "rms" ? fx::LevelDetector::kRms : fx::LevelDetector::kPeak};
             return std::make_shared<fx::Compressor>(parameters);
           }),
           py::arg("threshold_db") = -18.0, py::arg("ratio") = 4.0, py::arg("knee_db") = 6.0, py::arg("attack_s") = 0.01,
           py::arg("release_s") = 0.1, py::arg("makeup_db") = 0.0, py::arg("detector") = "peak")
      .def("static_output_db", &fx::Compressor::static_output_db, py::arg("input_db"));

  py::class_<fx::Limiter, Processor, std::shared_ptr<fx::Limiter>>(fx_module, "Limiter", py::dynamic_attr(),
      "Look-ahead limiter with a true-peak (4x oversampled) ceiling.")
      .def(py::init([](double ceiling_db, double lookahead_s, double release_s) {
             return std::make_shared<fx::Limiter>(fx::LimiterParameters{ceiling_db, lookahead_s, release_s});
           }),
           py::arg("ceiling_db") = -1.0, py::arg("lookahead_s") = 0.005, py::arg("release_s") = 0.05);

  py::class_<fx::Gain, Processor, std::shared_ptr<fx::Gain>>(fx_module, "Gain", py::dynamic_attr())
      .def(py::init<double>(), py::arg("gain_db") = 0.0)
      .def_property("gain_db", &fx::Gain::gain_db, &fx::Gain::set_gain_db);

  py::class_<fx::Pan, Processor, std::shared_ptr<fx::Pan>>(fx_module, "Pan", py::dynamic_attr())
      .def(py::init<double>(), py::arg("position") = 0.0)
      .def_property("position", &fx::Pan::position, &fx::Pan::set_position);

  py::class_<fx::Chain, Processor, std::shared_ptr<fx::Chain>>(fx_module, "Chain", py::dynamic_attr(),
      "Processors in series, list-like: len(), [i], append, insert, del, iteration.")
      .def(py::init([](const std::vector<std::shared_ptr<Processor>>& processors) {
             for (const auto& processor : processors)
               if (!processor) throw ResoundError("Chain holds processors, not None");
             return std::make_shared<fx::Chain>(processors);
           }),
           py::arg("processors") = std::vector<std::shared_ptr<Processor>>{})
      .def("__len__", &fx::Chain::size)
      .def("__getitem__", [](const fx::Chain& self, py::ssize_t index) {
             const auto size = static_cast<py::ssize_t>(self.size());
             if (index < 0) index += size;
             if (index < 0 || index >= size) throw py::index_error("chain index out of range");
             return self.at(static_cast<std::size_t>(index));
           })
      .def("__setitem__", [](const py::object& self, py::ssize_t index, std::shared_ptr<Processor> processor) {
             auto& chain = self.cast<fx::Chain&>();
             const auto size = static_cast<py::ssize_t>(chain.size());
             if (index < 0) index += size;
             if (index < 0 || index >= size) throw py::index_error("chain index out of range");
             chain.remove(static_cast<std::size_t>(index));
             chain.insert(static_cast<std::size_t>(index), std::move(processor));
             forget_preparation(self);
           })
      .def("__delitem__", [](const py::object& self, py::ssize_t index) {
             auto& chain = self.cast<fx::Chain&>();
             const auto size = static_cast<py::ssize_t>(chain.size());
             if (index < 0) index += size;
             if (index < 0 || index >= size) throw py::index_error("chain index out of range");
             chain.remove(static_cast<std::size_t>(index));
             forget_preparation(self);
           })
      .def("__iter__", [](const fx::Chain& self) { return py::iter(py::cast(self.processors())); })
      .def("append", [](const py::object& self, std::shared_ptr<Processor> processor) {
             self.cast<fx::Chain&>().add(std::move(processor));
             forget_preparation(self);
           })
      .def("insert", [](const py::object& self, py::ssize_t index, std::shared_ptr<Processor> processor) {
             auto& chain = self.cast<fx::Chain&>();
             if (index < 0) index = std::max<py::ssize_t>(0, index + static_cast<py::ssize_t>(chain.size()));
             chain.insert(static_cast<std::size_t>(index), std::move(processor));
             forget_preparation(self);
           })
      .def("to_json", [](const fx::Chain& self) { return host::describe_fx_chain_json(self); },
           "The chain as JSON text (the format `resound fx --chain` reads).");

  fx_module.def("load_chain", [](const std::filesystem::path& path) { return unwrap(host::read_fx_chain_file(path)).chain; },
                py::arg("path"), "Builds a Chain from a JSON chain file.");
  fx_module.def("chain_from_json",
                [](const std::string& text) { return unwrap(host::parse_fx_chain_json(text, "<string>", ".")).chain; },
                py::arg("text"), "Builds a Chain from JSON text.");
}

}  // namespace resound::python
