// Voice kernel for baseline x86-64 (SSE2) or any other target: 8 lanes, lowered by the compiler.
#include "voice_kernel_impl.hpp"

namespace resound::synth::detail {

const VoiceKernel& scalar_voice_kernel() noexcept {
  static constexpr VoiceKernel kernel{SimdPath::kScalar, 8, &KernelBody<8>::render_group, &KernelBody<8>::reduce,
                                      &KernelBody<8>::interpolate_cubic};
  return kernel;
}

}  // namespace resound::synth::detail
