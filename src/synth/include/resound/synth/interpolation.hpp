// Interpolation: how a voice reads its sample between frames (linear, 4-point cubic, 8-point windowed sinc).
#pragma once

#include <optional>
#include <string_view>

namespace resound::synth {

enum class Interpolation {
  kLinear,  ///< 2 points: cheapest, audible aliasing/droop on high notes
  kCubic,   ///< 4-point Catmull-Rom (the default; FluidSynth's default is also 4-point)
  kSinc,    ///< 8-point Blackman-windowed sinc: the highest quality, about twice the cost of cubic
};

/// "linear" | "cubic" | "sinc" -> Interpolation. Thread contract: any thread.
std::optional<Interpolation> parse_interpolation(std::string_view name) noexcept;

}  // namespace resound::synth
