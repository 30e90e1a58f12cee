// One bind_* function per area of the API, each defined in its own bind_*.cpp file.
#pragma once

#include <pybind11/pybind11.h>

namespace resound::python {

void bind_audio_files(pybind11::module_& module);
void bind_player(pybind11::module_& module);
void bind_synth(pybind11::module_& module);
void bind_fx(pybind11::module_& module);
void bind_track(pybind11::module_& module);
void bind_analysis(pybind11::module_& module);

}  // namespace resound::python
