// Registration of resound.Error.
#include "python_errors.hpp"

namespace resound::python {

void register_error_type(pybind11::module_& module) {
  pybind11::register_exception<ResoundError>(module, "Error", PyExc_RuntimeError);
}

}  // namespace resound::python
