// How C++ errors become Python exceptions: resound.Error (a RuntimeError) with the C++ message.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include <pybind11/pybind11.h>

#include "resound/core/expected.hpp"

namespace resound::python {

/// Thrown by bindings; pybind11 translates it to `resound.Error`.
class ResoundError : public std::runtime_error {
 public:
  explicit ResoundError(const Error& error) : std::runtime_error(error.describe()) {}
  explicit ResoundError(const std::string& message) : std::runtime_error(message) {}
};

/// Registers `resound.Error` on the module.
void register_error_type(pybind11::module_& module);

/// The value of `result`, or a ResoundError with its message.
template <typename T>
T unwrap(Expected<T> result) {
  if (!result) throw ResoundError(result.error());
  return std::move(result).value();
}

inline void unwrap(Expected<void> result) {
  if (!result) throw ResoundError(result.error());
}

}  // namespace resound::python
