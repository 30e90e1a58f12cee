// resound.Track: load, inspect, check and render entrainment tracks from Python (GIL released while rendering).
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "numpy_audio.hpp"
#include "python_errors.hpp"
#include "resound/host/render_to_file.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_check.hpp"
#include "resound/track/track_source.hpp"

namespace resound::python {

namespace py = pybind11;

namespace {

/// A loaded track and, once needed, its analysed plan (built once per seed/target level).
class TrackHandle {
 public:
  explicit TrackHandle(track::LoadedTrack loaded) : loaded_(std::move(loaded)) {}

  const track::TrackPlan& plan(std::uint64_t seed, double target_level) {
    if (!plan_ || plan_->options.seed != seed || plan_->options.target_level != target_level) {
      track::TrackPlanOptions options;
      options.seed = seed;
      options.target_level = target_level;
      py::gil_scoped_release release;
      plan_ = unwrap(track::build_track_plan(loaded_.spec, options));
    }
    return *plan_;
  }

  [[nodiscard]] std::shared_ptr<const track::TrackPlan> plan_pointer() const { return plan_; }
  [[nodiscard]] const track::LoadedTrack& loaded() const { return loaded_; }

 private:
  track::LoadedTrack loaded_;
  std::shared_ptr<const track::TrackPlan> plan_;
};

py::tuple render(TrackHandle& handle, double start_s, std::optional<double> duration_s, std::uint64_t seed,
                 double target_level) {
  handle.plan(seed, target_level);
  track::TrackSource source(handle.plan_pointer());
  const double rate = source.sample_rate_hz();
  const auto start = std::clamp<std::int64_t>(static_cast<std::int64_t>(start_s * rate), 0, source.length_frames());
  std::int64_t frames = source.length_frames() - start;
  if (duration_s) frames = std::min(frames, static_cast<std::int64_t>(*duration_s * rate));
  AudioBuffer out(2, static_cast<std::size_t>(std::max<std::int64_t>(0, frames)));
  {
    py::gil_scoped_release release;
    constexpr std::size_t kBlock = 4096;
    source.prepare(rate, kBlock);
    source.seek(start);
    for (std::size_t done = 0; done < out.frame_count(); done += kBlock)
      source.process(out.view().subview(done, std::min(kBlock, out.frame_count() - done)));
  }
  return py::make_tuple(to_numpy(std::move(out)), static_cast<long long>(rate));
}

double render_to(TrackHandle& handle, const std::filesystem::path& path, double start_s,
                 std::optional<double> duration_s, const std::string& format, bool dither, std::uint64_t seed,
                 double target_level) {
  handle.plan(seed, target_level);
  track::TrackSource source(handle.plan_pointer());
  host::RenderToFileOptions options;
  options.sample_rate_hz = source.sample_rate_hz();
  options.format = format.empty() ? formats::default_format_for_path(path) : unwrap(formats::parse_audio_format(format));
  options.dither = dither;
  source.seek(static_cast<std::int64_t>(start_s * options.sample_rate_hz));
  if (duration_s) options.max_frames = static_cast<std::int64_t>(*duration_s * options.sample_rate_hz);
  py::gil_scoped_release release;
  return unwrap(host::render_to_file(source, path, options)).duration_s;
}

py::list steps(TrackHandle& handle, std::uint64_t seed, double target_level) {
  const track::TrackPlan& plan = handle.plan(seed, target_level);
  py::list result;
  for (const auto& placement : plan.steps) {
    const auto& spec = plan.spec.steps[placement.spec_index];
    py::dict step;
    step["index"] = placement.spec_index;
    step["start_s"] = static_cast<double>(placement.start_frame) / plan.sample_rate_hz;
    step["duration_s"] = static_cast<double>(placement.frames) / plan.sample_rate_hz;
    step["crossfade_s"] = static_cast<double>(placement.crossfade_frames) / plan.sample_rate_hz;
    step["alignment_shift_frames"] = placement.content_shift;
    step["gain"] = placement.gain;
    step["description"] = spec.description;
    py::list names;
    for (const auto& voice : spec.voices) names.append(voice.synth_function_name);
    step["voices"] = names;
    result.append(step);
  }
  return result;
}

}  // namespace

void bind_track(py::module_& module) {
  py::class_<TrackHandle>(module, "_Track", "A loaded entrainment track (use resound.Track.load).")
      .def_static("from_file", [](const std::filesystem::path& path) { return TrackHandle(unwrap(track::load_track_file(path))); },
                  py::arg("path"))
      .def_static("from_json", [](const std::string& text, const std::filesystem::path& base_folder) {
            return TrackHandle(unwrap(track::load_track_json(text, base_folder)));
          }, py::arg("text"), py::arg("base_folder") = std::filesystem::path("."))
      .def("sample_rate", [](const TrackHandle& h) { return h.loaded().spec.global.sample_rate_hz; })
      .def("duration_s", [](TrackHandle& h, std::uint64_t seed, double level) { return h.plan(seed, level).duration_s(); },
           py::arg("seed"), py::arg("target_level"))
      .def("steps", &steps, py::arg("seed"), py::arg("target_level"))
      .def("render", &render, py::arg("start_s"), py::arg("duration_s"), py::arg("seed"), py::arg("target_level"))
      .def("render_to", &render_to, py::arg("path"), py::arg("start_s"), py::arg("duration_s"), py::arg("format"),
           py::arg("dither"), py::arg("seed"), py::arg("target_level"))
      .def("check", [](const TrackHandle& h) { return unwrap(track::check_track(h.loaded())); });
}

}  // namespace resound::python
