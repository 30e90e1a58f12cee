// The `resound._resound` extension module: registers the error type and every bind_* area.
#include "bindings.hpp"
#include "python_errors.hpp"

PYBIND11_MODULE(_resound, module) {
  module.doc() = "Resound audio engine (C++ core)";
  module.attr("__version__") = RESOUND_VERSION;
  resound::python::register_error_type(module);
  resound::python::bind_audio_files(module);
  resound::python::bind_player(module);
  resound::python::bind_synth(module);
  resound::python::bind_fx(module);
  resound::python::bind_track(module);
  resound::python::bind_analysis(module);
}
