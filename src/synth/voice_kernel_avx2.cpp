// Voice kernel for AVX2 + FMA: 8 lanes in one 256-bit register.
#include "voice_kernel_impl.hpp"

namespace resound::synth::detail {

const VoiceKernel& avx2_voice_kernel() noexcept {
  static constexpr VoiceKernel kernel{SimdPath::kAvx2, 8, &KernelBody<8>::render_group, &KernelBody<8>::reduce,
                                      &KernelBody<8>::interpolate_cubic};
  return kernel;
}

}  // namespace resound::synth::detail
