// NumberField tables: each effect's numeric settings (name, member, range) in one list, shared by clamping and chain descriptions.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>

namespace resound::fx {

/// One numeric setting of a parameter struct: its name in chain descriptions (JSON keys, Python
/// keywords), where it lives, and the range it is clamped to.
template <class Parameters>
struct NumberField {
  const char* name;
  double Parameters::*member;
  double low;
  double high;
};

/// `parameters` with every listed field clamped to its range; a non-finite value (NaN, ±inf) takes
/// the field's default from `Parameters{}`. Thread contract: any thread (no allocation).
template <class Parameters>
[[nodiscard]] Parameters clamp_fields(Parameters parameters, std::span<const NumberField<Parameters>> fields) noexcept {
  const Parameters defaults{};
  for (const NumberField<Parameters>& field : fields) {
    double& value = parameters.*field.member;
    value = std::isfinite(value) ? std::clamp(value, field.low, field.high) : defaults.*field.member;
  }
  return parameters;
}

}  // namespace resound::fx
