// Voice kernel for AVX-512F: 16 lanes in one 512-bit register.
#include "voice_kernel_impl.hpp"

namespace resound::synth::detail {

const VoiceKernel& avx512_voice_kernel() noexcept {
  static constexpr VoiceKernel kernel{SimdPath::kAvx512, 16, &KernelBody<16>::render_group, &KernelBody<16>::reduce,
                                      &KernelBody<16>::interpolate_cubic};
  return kernel;
}

}  // namespace resound::synth::detail
