// Runtime choice of the voice kernel: the widest instruction set this CPU supports, checked once.
#include <array>

#include "voice_kernel.hpp"

namespace resound::synth {
namespace {

bool cpu_supports(SimdPath path) noexcept {
#if defined(__x86_64__) || defined(__i386__)
  switch (path) {
    case SimdPath::kAvx512: return __builtin_cpu_supports("avx512f") != 0;
    case SimdPath::kAvx2: return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
    default: return true;
  }
#else
  return path == SimdPath::kScalar || path == SimdPath::kAuto;
#endif
}

}  // namespace

std::optional<SimdPath> parse_simd_path(std::string_view name) noexcept {
  if (name == "auto") return SimdPath::kAuto;
  if (name == "scalar") return SimdPath::kScalar;
  if (name == "avx2") return SimdPath::kAvx2;
  if (name == "avx512") return SimdPath::kAvx512;
  return std::nullopt;
}

std::string_view simd_path_name(SimdPath path) noexcept {
  switch (path) {
    case SimdPath::kScalar: return "scalar";
    case SimdPath::kAvx2: return "avx2";
    case SimdPath::kAvx512: return "avx512";
    default: return "auto";
  }
}

std::vector<SimdPath> available_simd_paths() {
  std::vector<SimdPath> paths;
  for (SimdPath path : {SimdPath::kScalar, SimdPath::kAvx2, SimdPath::kAvx512})
    if (detail::voice_kernel(path) != nullptr) paths.push_back(path);
  return paths;
}

SimdPath best_simd_path() noexcept { return detail::voice_kernel(SimdPath::kAuto)->path; }

namespace detail {

const VoiceKernel* voice_kernel(SimdPath path) noexcept {
#if defined(RESOUND_SYNTH_X86_KERNELS)
  if (path == SimdPath::kAuto) {
    static const VoiceKernel* const best = cpu_supports(SimdPath::kAvx512) ? &avx512_voice_kernel()
                                           : cpu_supports(SimdPath::kAvx2) ? &avx2_voice_kernel()
                                                                           : &scalar_voice_kernel();
    return best;
  }
  if (!cpu_supports(path)) return nullptr;
  if (path == SimdPath::kAvx512) return &avx512_voice_kernel();
  if (path == SimdPath::kAvx2) return &avx2_voice_kernel();
  return &scalar_voice_kernel();
#else
  (void)cpu_supports;
  return path == SimdPath::kAuto || path == SimdPath::kScalar ? &scalar_voice_kernel() : nullptr;
#endif
}

}  // namespace detail
}  // namespace resound::synth
