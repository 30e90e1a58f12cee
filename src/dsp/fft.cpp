// FFTW3f plans behind RealFft/ComplexFft: a process-wide cache, aligned and unaligned variants.
#include "resound/dsp/fft.hpp"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

namespace resound::dsp {
namespace detail {

// FFTW's new-array execute functions require arrays with the same alignment (and in-place-ness)
// as at planning time, so each transform carries an aligned plan and an FFTW_UNALIGNED fallback.
struct FftPlans {
  fftwf_plan forward_aligned = nullptr;
  fftwf_plan forward_unaligned = nullptr;
  fftwf_plan inverse_aligned = nullptr;
  fftwf_plan inverse_unaligned = nullptr;
  // Complex transforms only: in-place variants (input == output).
  fftwf_plan forward_in_place = nullptr;
  fftwf_plan inverse_in_place = nullptr;
};

}  // namespace detail
namespace {

enum class TransformKind { kReal, kComplex };
using PlanKey = std::tuple<TransformKind, std::size_t, FftPlanning>;

// The FFTW planner is not thread-safe: every planner call happens under this mutex.
std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<PlanKey, std::shared_ptr<const detail::FftPlans>>& plan_cache() {
  static auto* cache = new std::map<PlanKey, std::shared_ptr<const detail::FftPlans>>();  // lives for the process
  return *cache;
}

unsigned planner_flags(FftPlanning planning) {
  return planning == FftPlanning::kMeasure ? FFTW_MEASURE : FFTW_ESTIMATE;
}

struct ScratchArrays {
  explicit ScratchArrays(std::size_t complex_count)
      : first(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * complex_count))),
        second(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * complex_count))) {
    if (first == nullptr || second == nullptr) throw std::bad_alloc();
  }
  ~ScratchArrays() {
    fftwf_free(first);
    fftwf_free(second);
  }
  ScratchArrays(const ScratchArrays&) = delete;
  ScratchArrays& operator=(const ScratchArrays&) = delete;
  fftwf_complex* first;
  fftwf_complex* second;
};

std::shared_ptr<const detail::FftPlans> make_real_plans(std::size_t size, FftPlanning planning) {
  const int n = static_cast<int>(size);
  const unsigned flags = planner_flags(planning);
  ScratchArrays scratch(size / 2 + 1 + 1);
  auto* real = reinterpret_cast<float*>(scratch.first);
  auto plans = std::make_shared<detail::FftPlans>();
  plans->forward_aligned = fftwf_plan_dft_r2c_1d(n, real, scratch.second, flags | FFTW_PRESERVE_INPUT);
  plans->forward_unaligned =
      fftwf_plan_dft_r2c_1d(n, real, scratch.second, flags | FFTW_PRESERVE_INPUT | FFTW_UNALIGNED);
  // c2r destroys its input by default; our API promises not to touch it.
  plans->inverse_aligned = fftwf_plan_dft_c2r_1d(n, scratch.second, real, flags | FFTW_PRESERVE_INPUT);
  plans->inverse_unaligned =
      fftwf_plan_dft_c2r_1d(n, scratch.second, real, flags | FFTW_PRESERVE_INPUT | FFTW_UNALIGNED);
  if (!plans->forward_aligned || !plans->forward_unaligned || !plans->inverse_aligned || !plans->inverse_unaligned)
    throw std::runtime_error("FFTW could not plan a real FFT of size " + std::to_string(size));
  return plans;
}

std::shared_ptr<const detail::FftPlans> make_complex_plans(std::size_t size, FftPlanning planning) {
  const int n = static_cast<int>(size);
  const unsigned flags = planner_flags(planning);
  ScratchArrays scratch(size);
  auto plans = std::make_shared<detail::FftPlans>();
  plans->forward_aligned = fftwf_plan_dft_1d(n, scratch.first, scratch.second, FFTW_FORWARD, flags | FFTW_PRESERVE_INPUT);
  plans->forward_unaligned =
      fftwf_plan_dft_1d(n, scratch.first, scratch.second, FFTW_FORWARD, flags | FFTW_PRESERVE_INPUT | FFTW_UNALIGNED);
  plans->inverse_aligned = fftwf_plan_dft_1d(n, scratch.first, scratch.second, FFTW_BACKWARD, flags | FFTW_PRESERVE_INPUT);
  plans->inverse_unaligned =
      fftwf_plan_dft_1d(n, scratch.first, scratch.second, FFTW_BACKWARD, flags | FFTW_PRESERVE_INPUT | FFTW_UNALIGNED);
  plans->forward_in_place = fftwf_plan_dft_1d(n, scratch.first, scratch.first, FFTW_FORWARD, flags | FFTW_UNALIGNED);
  plans->inverse_in_place = fftwf_plan_dft_1d(n, scratch.first, scratch.first, FFTW_BACKWARD, flags | FFTW_UNALIGNED);
  if (!plans->forward_aligned || !plans->forward_unaligned || !plans->inverse_aligned ||
      !plans->inverse_unaligned || !plans->forward_in_place || !plans->inverse_in_place)
    throw std::runtime_error("FFTW could not plan a complex FFT of size " + std::to_string(size));
  return plans;
}

std::shared_ptr<const detail::FftPlans> cached_plans(TransformKind kind, std::size_t size, FftPlanning planning) {
  if (size == 0) throw std::invalid_argument("FFT size must be positive");
  std::lock_guard lock(planner_mutex());
  auto& cache = plan_cache();
  const PlanKey key{kind, size, planning};
  if (auto found = cache.find(key); found != cache.end()) return found->second;
  auto plans = kind == TransformKind::kReal ? make_real_plans(size, planning) : make_complex_plans(size, planning);
  cache.emplace(key, plans);
  return plans;
}

bool simd_aligned(const void* first, const void* second) {
  return fftwf_alignment_of(static_cast<float*>(const_cast<void*>(first))) == 0 &&
         fftwf_alignment_of(static_cast<float*>(const_cast<void*>(second))) == 0;
}

fftwf_complex* as_fftw(std::complex<float>* data) { return reinterpret_cast<fftwf_complex*>(data); }
fftwf_complex* as_fftw(const std::complex<float>* data) {
  // FFTW's execute functions take non-const pointers; the plans preserve their input.
  return reinterpret_cast<fftwf_complex*>(const_cast<std::complex<float>*>(data));
}

}  // namespace

RealFft::RealFft(std::size_t size, FftPlanning planning)
    : size_(size), plans_(cached_plans(TransformKind::kReal, size, planning)) {}

void RealFft::forward(std::span<const float> input, std::span<std::complex<float>> output) const noexcept {
  auto* in = const_cast<float*>(input.data());
  const fftwf_plan plan = simd_aligned(in, output.data()) ? plans_->forward_aligned : plans_->forward_unaligned;
  fftwf_execute_dft_r2c(plan, in, as_fftw(output.data()));
}

void RealFft::inverse(std::span<const std::complex<float>> input, std::span<float> output) const noexcept {
  const fftwf_plan plan = simd_aligned(input.data(), output.data()) ? plans_->inverse_aligned : plans_->inverse_unaligned;
  fftwf_execute_dft_c2r(plan, as_fftw(input.data()), output.data());
}

ComplexFft::ComplexFft(std::size_t size, FftPlanning planning)
    : size_(size), plans_(cached_plans(TransformKind::kComplex, size, planning)) {}

namespace {
void execute_complex(const detail::FftPlans& plans, bool forward, const std::complex<float>* input,
                     std::complex<float>* output) noexcept {
  fftwf_plan plan;
  if (input == output) {
    plan = forward ? plans.forward_in_place : plans.inverse_in_place;
  } else if (simd_aligned(input, output)) {
    plan = forward ? plans.forward_aligned : plans.inverse_aligned;
  } else {
    plan = forward ? plans.forward_unaligned : plans.inverse_unaligned;
  }
  fftwf_execute_dft(plan, as_fftw(input), as_fftw(output));
}
}  // namespace

void ComplexFft::forward(std::span<const std::complex<float>> input,
                         std::span<std::complex<float>> output) const noexcept {
  execute_complex(*plans_, true, input.data(), output.data());
}

void ComplexFft::inverse(std::span<const std::complex<float>> input,
                         std::span<std::complex<float>> output) const noexcept {
  execute_complex(*plans_, false, input.data(), output.data());
}

}  // namespace resound::dsp
