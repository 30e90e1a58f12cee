// parse_interpolation: option names of the interpolation modes (CLI, Python).
#include "resound/synth/interpolation.hpp"

namespace resound::synth {

std::optional<Interpolation> parse_interpolation(std::string_view name) noexcept {
  if (name == "linear") return Interpolation::kLinear;
  if (name == "cubic") return Interpolation::kCubic;
  if (name == "sinc") return Interpolation::kSinc;
  return std::nullopt;
}

}  // namespace resound::synth
