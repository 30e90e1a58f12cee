// SimdPath: which instruction set the voice loop uses (chosen at run time; selectable for tests and benchmarks).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace resound::synth {

enum class SimdPath {
  kAuto,    ///< the widest this CPU supports (checked once)
  kScalar,  ///< portable code (SSE2 on x86-64), runs everywhere
  kAvx2,    ///< AVX2 + FMA, 8 voices per group
  kAvx512,  ///< AVX-512F, 16 voices per group
};

/// "auto" | "scalar" | "avx2" | "avx512". Thread contract: any thread.
std::optional<SimdPath> parse_simd_path(std::string_view name) noexcept;
/// The option name of a path. Thread contract: any thread.
std::string_view simd_path_name(SimdPath path) noexcept;
/// The paths this CPU can run, scalar first. Thread contract: any thread (allocates).
std::vector<SimdPath> available_simd_paths();
/// The path kAuto picks on this CPU. Thread contract: any thread.
SimdPath best_simd_path() noexcept;

}  // namespace resound::synth
