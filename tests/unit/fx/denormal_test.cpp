// Denormals: every effect runs its process() with flush-to-zero / denormals-are-zero set (checked
// through the arithmetic, not wall time) and leaves the caller's floating-point mode as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "fx_test_support.hpp"
#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/chorus.hpp"
#include "resound/fx/compressor.hpp"
#include "resound/fx/convolution.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/fx/parametric_eq.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

std::vector<std::pair<const char*, std::shared_ptr<Processor>>> every_effect() {
  AudioBuffer response(1, 4000);
  for (std::size_t i = 0; i < 4000; ++i) response.channel(0)[i] = std::exp(-static_cast<float>(i) / 500.0f) * ((i % 7) ? 0.3f : -0.5f);
  Expected<ImpulseResponse> impulse_response = make_impulse_response(std::move(response), kRate, "decay.wav");
  return {
      {"reverb", std::make_shared<AlgorithmicReverb>(ReverbParameters{.decay_s = 0.5, .mix = 1.0})},
      {"chorus", std::make_shared<Chorus>(ChorusParameters{.feedback = 0.9, .mix = 1.0})},
      {"eq", std::make_shared<ParametricEq>(std::vector<EqBand>{{FilterType::kPeak, 100.0, 12.0, 8.0}, {FilterType::kLowPass, 60.0, 0.0, 4.0}})},
      {"compressor", std::make_shared<Compressor>(CompressorParameters{.threshold_db = -40.0})},
      {"limiter", std::make_shared<Limiter>(LimiterParameters{.ceiling_db = -1.0})},
      {"convolution", std::make_shared<Convolution>(std::move(*impulse_response), ConvolutionOptions{.mix = 1.0})},
  };
}

TEST(Denormals, EveryEffectFlushesSubnormalsAndRestoresTheCallersMode) {
  // A subnormal input is read as zero under denormals-are-zero; anything the effects compute from
  // a decaying tail is flushed under flush-to-zero. So no subnormal may reach the output, even
  // though the caller's own mode here lets subnormals through.
  constexpr float kSubnormal = std::numeric_limits<float>::denorm_min() * 1000.0f;
  ASSERT_EQ(std::fpclassify(kSubnormal), FP_SUBNORMAL);
#if defined(__x86_64__) || defined(__i386__)
  const unsigned caller_mode = _mm_getcsr() & ~(_MM_FLUSH_ZERO_ON | 0x0040u);  // FTZ and DAZ off
  _mm_setcsr(caller_mode);
  volatile float probe = kSubnormal;
  ASSERT_EQ(std::fpclassify(probe * 1.0f), FP_SUBNORMAL);  // the caller's mode keeps subnormals
#endif
  for (auto& [name, effect] : every_effect()) {
    effect->prepare(kRate, 512, 2);
    test::PlanarAudio audio(2, 48000 * 4);
    // A loud burst, 3.9 s of silence (its tail decays through the subnormal range), then subnormal input.
    const std::vector<float> burst = test::white_noise(4800, 0.8f, 5);
    std::copy(burst.begin(), burst.end(), audio.channels[0].begin());
    for (std::size_t i = audio.frames() - 4800; i < audio.frames(); ++i) audio.channels[0][i] = audio.channels[1][i] = kSubnormal;
    test::process_in_blocks(*effect, audio, std::vector<std::size_t>{512});
    for (std::size_t c = 0; c < 2; ++c) EXPECT_FALSE(test::contains_subnormal(audio.channels[c])) << name << " channel " << c;
#if defined(__x86_64__) || defined(__i386__)
    EXPECT_EQ(_mm_getcsr() & (_MM_FLUSH_ZERO_ON | 0x0040u), 0u) << name << " left flush-to-zero set for its caller";
#endif
  }
}

}  // namespace
}  // namespace resound::fx
