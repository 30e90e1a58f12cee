// PartitionedConvolver: stage layout, frequency-domain delay lines and the sample-exact schedule.
#include "resound/fx/partitioned_convolver.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "internal/deadline_worker.hpp"
#include "internal/test_hooks.hpp"
#include "resound/dsp/vector_clones.hpp"

namespace resound::fx {
namespace {

// Cost model of one stage per sample, in instruction-equivalents (callgrind, AVX2 build): an FFT
// of 2P points with its packing costs about 22 + 2.4·log2 P per hop sample; the multiply-accumulate
// about 1.7 per bin and path while the stage's delay lines and response spectra fit in L1, and
// (calibrated by timing alternating runs on the loaded 2-core machine, where L2 misses cost far more
// than instructions) about 3 from L2 and 6 from L3. The partition sizes minimise the sum
// (choose_partition_sizes): long responses get few, large partitions at the end.
constexpr double kTransformCost = 22.0;
constexpr double kTransformCostPerOctave = 2.4;
constexpr double kMultiplyCostL1 = 1.7;
constexpr double kMultiplyCostL2 = 3.0;
constexpr double kMultiplyCostL3 = 6.0;
constexpr double kL1Bytes = 32.0 * 1024.0;
constexpr double kL2Bytes = 256.0 * 1024.0;
// Largest partition whose stage pairs channels in complex FFTs (about half the instructions of two
// real ones). Larger complex transforms (twice the data of a real one) no longer fit in the L2
// cache with their buffers and timed slower than two real ones, so those stages use real FFTs.
constexpr std::size_t kLargestPairedPartition = 4096;
// Only stages at least this large are worth a thread hand-over.
constexpr std::size_t kSmallestThreadedPartition = 2048;
// Spectrum rows are padded to whole cache lines so every row starts aligned.
constexpr std::size_t kRowAlignmentFloats = 16;

std::size_t padded(std::size_t count) { return (count + kRowAlignmentFloats - 1) / kRowAlignmentFloats * kRowAlignmentFloats; }

// The hot loops are compiled twice (see internal/multiversion.hpp). Fused multiply-adds are allowed
// here: both the vector loops and their scalar tails contract the same way, so block-size
// independence is kept.
#define RESOUND_FX_MULTIVERSION RESOUND_VECTOR_CLONES_HASWELL_FMA

// accumulator += input × response over `count` bins, split real/imaginary arrays.
RESOUND_FX_MULTIVERSION
void multiply_accumulate(float* __restrict accumulate_re, float* __restrict accumulate_im, const float* __restrict input_re,
                         const float* __restrict input_im, const float* __restrict response_re,
                         const float* __restrict response_im, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    accumulate_re[i] += input_re[i] * response_re[i] - input_im[i] * response_im[i];
    accumulate_im[i] += input_re[i] * response_im[i] + input_im[i] * response_re[i];
  }
}

// output[i] += Σ_k reversed_taps[k] · history[i + k], eight outputs at a time held in one vector
// register across all taps (two instructions per eight multiply-adds). Each output sums its taps
// in the same order whatever the block length, which keeps results independent of block sizes.
constexpr std::size_t kFirLanes = 8;
using FirVector = float __attribute__((vector_size(kFirLanes * sizeof(float))));

RESOUND_FX_MULTIVERSION
void direct_fir(float* __restrict output, const float* __restrict history, const float* __restrict reversed_taps,
                std::size_t tap_count, std::size_t frames) noexcept {
  std::size_t start = 0;
  // Four independent accumulators hide the multiply-add latency (one chain would stall on it).
  // memcpy is how an unaligned vector load/store is spelled portably; it compiles to one move.
  for (; start + 4 * kFirLanes <= frames; start += 4 * kFirLanes) {
    FirVector sums[4] = {};
    for (std::size_t k = 0; k < tap_count; ++k) {
      const float tap = reversed_taps[k];
      for (std::size_t part = 0; part < 4; ++part) {
        FirVector window;
        std::memcpy(&window, history + start + k + part * kFirLanes, sizeof window);
        sums[part] += tap * window;
      }
    }
    for (std::size_t part = 0; part < 4; ++part) {
      FirVector previous;
      std::memcpy(&previous, output + start + part * kFirLanes, sizeof previous);
      previous += sums[part];
      std::memcpy(output + start + part * kFirLanes, &previous, sizeof previous);
    }
  }
  for (; start + kFirLanes <= frames; start += kFirLanes) {
    FirVector sums = {};
    for (std::size_t k = 0; k < tap_count; ++k) {
      FirVector window;
      std::memcpy(&window, history + start + k, sizeof window);
      sums += reversed_taps[k] * window;
    }
    FirVector previous;
    std::memcpy(&previous, output + start, sizeof previous);
    previous += sums;
    std::memcpy(output + start, &previous, sizeof previous);
  }
  // The last outputs (fewer than eight) with the same vector arithmetic, keeping only the lanes
  // wanted: a scalar loop is vectorised by GCC as products summed in order (no fused multiply-add),
  // which gave different bits for the same output at another block size. Reads up to
  // kFirLanes − 1 floats past the window (the history is padded for it).
  if (start < frames) {
    FirVector sums = {};
    for (std::size_t k = 0; k < tap_count; ++k) {
      FirVector window;
      std::memcpy(&window, history + start + k, sizeof window);
      sums += reversed_taps[k] * window;
    }
    float lanes[kFirLanes];
    std::memcpy(lanes, &sums, sizeof lanes);
    for (std::size_t lane = 0; start + lane < frames; ++lane) output[start + lane] += lanes[lane];
  }
}

// Copies `count` samples into the ring (size mask + 1) from absolute frame `position` on: at most
// two contiguous copies (a per-sample masked loop does not vectorise).
void copy_into_ring(float* ring, std::size_t mask, std::uint64_t position, const float* samples, std::size_t count) noexcept {
  const std::size_t start = static_cast<std::size_t>(position & mask);
  const std::size_t before_wrap = std::min(count, mask + 1 - start);
  std::memcpy(ring + start, samples, before_wrap * sizeof(float));
  std::memcpy(ring, samples + before_wrap, (count - before_wrap) * sizeof(float));
}

void split_complex(std::span<const std::complex<float>> spectrum, float* re, float* im) noexcept {
  for (std::size_t i = 0; i < spectrum.size(); ++i) {
    re[i] = spectrum[i].real();
    im[i] = spectrum[i].imag();
  }
}

// Eight floats, for hand-shuffled loops the vectoriser does not find.
constexpr std::size_t kLanes = 8;
using FloatVector = float __attribute__((vector_size(kLanes * sizeof(float))));

// Σ over `row_count` partitions of input row × response row into the accumulator (onto it when
// `accumulate`). Thirty-two bins at a time stay in registers across all the rows, so the accumulator
// is loaded and stored once per pass instead of once per partition, and each row costs four loads
// and four fused multiply-adds per eight bins; the bins past the last whole pass (the Nyquist bin)
// are summed one by one. Rows are summed in their given order; a bin always takes the same branch.
constexpr std::size_t kMaxRowsPerPass = 16;
constexpr std::size_t kBinsPerPass = 4 * kLanes;

RESOUND_FX_MULTIVERSION
void multiply_accumulate_rows(float* __restrict accumulate_re, float* __restrict accumulate_im, const float* const* input_re,
                              const float* const* input_im, const float* const* response_re, const float* const* response_im,
                              std::size_t row_count, std::size_t bin_count, bool accumulate) noexcept {
  // Named accumulators, not arrays: arrays of vectors were kept on the stack (zeroed with
  // `rep stos` and copied out every pass), which cost as much as the products for short rows.
  // Vectors pass by reference only: lambdas are not cloned, and by value a vector would take the
  // baseline ABI (memory). memcpy: an unaligned vector move.
  const auto load = [](FloatVector& value, const float* source) { std::memcpy(&value, source, sizeof value); };
  const auto store = [](float* destination, const FloatVector& value) { std::memcpy(destination, &value, sizeof value); };
  const std::size_t vector_bins = bin_count / kBinsPerPass * kBinsPerPass;
  for (std::size_t k = 0; k < vector_bins; k += kBinsPerPass) {
    FloatVector re0 = {}, re1 = {}, re2 = {}, re3 = {}, im0 = {}, im1 = {}, im2 = {}, im3 = {};
    if (accumulate) {
      load(re0, accumulate_re + k), load(re1, accumulate_re + k + kLanes), load(re2, accumulate_re + k + 2 * kLanes),
          load(re3, accumulate_re + k + 3 * kLanes);
      load(im0, accumulate_im + k), load(im1, accumulate_im + k + kLanes), load(im2, accumulate_im + k + 2 * kLanes),
          load(im3, accumulate_im + k + 3 * kLanes);
    }
    for (std::size_t row = 0; row < row_count; ++row) {
      const float* x_re = input_re[row] + k;
      const float* x_im = input_im[row] + k;
      const float* h_re = response_re[row] + k;
      const float* h_im = response_im[row] + k;
      // One product term at a time: each line is one fused multiply-add; each input is loaded once.
      const auto part = [&](std::size_t offset, FloatVector& sum_re, FloatVector& sum_im) {
        FloatVector a_re, a_im, b_re, b_im;
        load(a_re, x_re + offset), load(a_im, x_im + offset), load(b_re, h_re + offset), load(b_im, h_im + offset);
        sum_re += a_re * b_re;
        sum_re -= a_im * b_im;
        sum_im += a_re * b_im;
        sum_im += a_im * b_re;
      };
      part(0, re0, im0);
      part(kLanes, re1, im1);
      part(2 * kLanes, re2, im2);
      part(3 * kLanes, re3, im3);
    }
    store(accumulate_re + k, re0), store(accumulate_re + k + kLanes, re1), store(accumulate_re + k + 2 * kLanes, re2),
        store(accumulate_re + k + 3 * kLanes, re3);
    store(accumulate_im + k, im0), store(accumulate_im + k + kLanes, im1), store(accumulate_im + k + 2 * kLanes, im2),
        store(accumulate_im + k + 3 * kLanes, im3);
  }
  for (std::size_t k = vector_bins; k < bin_count; ++k) {
    float sum_re = accumulate ? accumulate_re[k] : 0.0f, sum_im = accumulate ? accumulate_im[k] : 0.0f;
    for (std::size_t row = 0; row < row_count; ++row) {
      const float x_re = input_re[row][k], x_im = input_im[row][k], h_re = response_re[row][k], h_im = response_im[row][k];
      sum_re += x_re * h_re;
      sum_re -= x_im * h_im;
      sum_im += x_re * h_im;
      sum_im += x_im * h_re;
    }
    accumulate_re[k] = sum_re;
    accumulate_im[k] = sum_im;
  }
}

// Two real signals share one complex FFT (z = a + i·b): FFTW's complex transforms are SIMD codelets
// and cost about half of two real-to-complex ones. `second` is null for an unpaired channel.
RESOUND_FX_MULTIVERSION
void interleave_pair(const float* __restrict first, const float* __restrict second, std::size_t count,
                     std::complex<float>* __restrict packed) noexcept {
  auto* out = reinterpret_cast<float*>(packed);
  if (second == nullptr) {
    for (std::size_t i = 0; i < count; ++i) {
      out[2 * i] = first[i];
      out[2 * i + 1] = 0.0f;
    }
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    out[2 * i] = first[i];
    out[2 * i + 1] = second[i];
  }
}

// From Z = FFT(a + i·b) of size N = 2·half, the half spectra 2A = Z[k] + conj Z[N−k] and
// 2B = −i (Z[k] − conj Z[N−k]), k = 0…half, split real/imaginary (the factor 2 is folded into the
// response spectra). Bins 0 and half come out exactly real, as for a real transform.
template <bool kPaired>
RESOUND_FX_MULTIVERSION
void unpack_pair(const std::complex<float>* __restrict spectrum, std::size_t half, float* __restrict a_re, float* __restrict a_im,
                 float* __restrict b_re, float* __restrict b_im) noexcept {
  const auto* z = reinterpret_cast<const float*>(spectrum);
  const auto bin = [&](std::size_t k, std::size_t mirror) {
    const float zr = z[2 * k], zi = z[2 * k + 1], mr = z[2 * mirror], mi = z[2 * mirror + 1];
    a_re[k] = zr + mr;
    a_im[k] = zi - mi;
    if constexpr (kPaired) {
      b_re[k] = zi + mi;
      b_im[k] = mr - zr;
    }
  };
  bin(0, 0);
  // Eight bins k…k+7 at a time against their mirrors N−k…N−k−7, which lie backwards in memory:
  // two loads each, deinterleaved (and the mirrors reversed) by shuffles.
  std::size_t k = 1;
  for (; k + kLanes <= half; k += kLanes) {
    FloatVector near_low, near_high, far_low, far_high;  // memcpy: unaligned vector moves
    const float* far = z + 2 * (2 * half - k - (kLanes - 1));
    std::memcpy(&near_low, z + 2 * k, sizeof near_low);
    std::memcpy(&near_high, z + 2 * k + kLanes, sizeof near_high);
    std::memcpy(&far_low, far, sizeof far_low);
    std::memcpy(&far_high, far + kLanes, sizeof far_high);
    const FloatVector zr = __builtin_shufflevector(near_low, near_high, 0, 2, 4, 6, 8, 10, 12, 14);
    const FloatVector zi = __builtin_shufflevector(near_low, near_high, 1, 3, 5, 7, 9, 11, 13, 15);
    const FloatVector mr = __builtin_shufflevector(far_low, far_high, 14, 12, 10, 8, 6, 4, 2, 0);
    const FloatVector mi = __builtin_shufflevector(far_low, far_high, 15, 13, 11, 9, 7, 5, 3, 1);
    const FloatVector sums[4] = {zr + mr, zi - mi, zi + mi, mr - zr};
    std::memcpy(a_re + k, &sums[0], sizeof sums[0]);
    std::memcpy(a_im + k, &sums[1], sizeof sums[1]);
    if constexpr (kPaired) {
      std::memcpy(b_re + k, &sums[2], sizeof sums[2]);
      std::memcpy(b_im + k, &sums[3], sizeof sums[3]);
    }
  }
  for (; k < half; ++k) bin(k, 2 * half - k);
  bin(half, half);
}

// The inverse of unpack_pair for output spectra A, B (half + 1 bins each): W = A + i·B over all N
// bins (Hermitian symmetry gives the upper half), so the complex inverse FFT yields a + i·b.
template <bool kPaired>
RESOUND_FX_MULTIVERSION
void pack_pair(const float* __restrict a_re, const float* __restrict a_im, const float* __restrict b_re, const float* __restrict b_im,
               std::size_t half, std::complex<float>* __restrict packed) noexcept {
  auto* w = reinterpret_cast<float*>(packed);
  for (std::size_t k = 0; k <= half; ++k) {
    w[2 * k] = kPaired ? a_re[k] - b_im[k] : a_re[k];
    w[2 * k + 1] = kPaired ? a_im[k] + b_re[k] : a_im[k];
  }
  for (std::size_t k = half + 1; k < 2 * half; ++k) {
    const std::size_t mirror = 2 * half - k;
    w[2 * k] = kPaired ? a_re[mirror] + b_im[mirror] : a_re[mirror];
    w[2 * k + 1] = kPaired ? b_re[mirror] - a_im[mirror] : -a_im[mirror];
  }
}

// The work a stage does per hop: transforms (input pairs + output pairs), paths multiplied, and the
// spectra rows those read per partition (input channels + paths).
struct StageWorkload {
  std::size_t transforms = 0;
  std::size_t paths = 0;
  std::size_t rows_per_partition = 0;
};

double stage_cost(std::size_t partition, std::size_t count, const StageWorkload& workload) {
  const double transform = kTransformCost + kTransformCostPerOctave * std::log2(static_cast<double>(partition));
  const double bytes = static_cast<double>(count * partition * workload.rows_per_partition) * 2.0 * sizeof(float);
  const double multiply = bytes <= kL1Bytes ? kMultiplyCostL1 : bytes <= kL2Bytes ? kMultiplyCostL2 : kMultiplyCostL3;
  return transform * static_cast<double>(workload.transforms) + multiply * static_cast<double>(count * workload.paths);
}

// Stage i has partitions of sizes[i] from response frame start_i (first_start for the first stage,
// sizes[i] for the others: zero latency needs a partition to start at least its size in) up to the
// next stage's start, the last one to `length`. Tries every increasing run of powers of two above
// `first_partition` (at most 2^11 runs) and keeps the cheapest by stage_cost.
std::vector<std::size_t> choose_partition_sizes(std::size_t first_partition, std::size_t first_start, std::size_t length,
                                                const StageWorkload& workload) {
  if (length <= first_start) return {};
  std::vector<std::size_t> candidates;
  for (std::size_t size = 2 * first_partition; size <= PartitionedConvolver::kMaxPartitionFrames && size < length; size *= 2)
    candidates.push_back(size);
  std::vector<std::size_t> best;
  double best_cost = 0.0;
  std::vector<std::size_t> sizes;
  for (std::size_t mask = 0; mask < (std::size_t{1} << candidates.size()); ++mask) {
    sizes.assign(1, first_partition);
    for (std::size_t i = 0; i < candidates.size(); ++i)
      if ((mask >> i) & 1) sizes.push_back(candidates[i]);
    double cost = 0.0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const std::size_t start = i == 0 ? first_start : sizes[i];
      const std::size_t end = i + 1 < sizes.size() ? sizes[i + 1] : length;
      cost += stage_cost(sizes[i], (end - start + sizes[i] - 1) / sizes[i], workload);
    }
    if (best.empty() || cost < best_cost) {
      best = sizes;
      best_cost = cost;
    }
  }
  return best;
}

}  // namespace

struct PartitionedConvolver::Stage {
  struct PathSpectra {
    std::size_t input_channel = 0;
    std::size_t output_channel = 0;
    dsp::AlignedBuffer<float> re;  // partition_count rows of `stride`
    dsp::AlignedBuffer<float> im;
    std::vector<char> partition_has_signal;  // skip all-zero partitions (pre-delay, trimmed tails)
  };
  // Channels transformed together (see interleave_pair); second = kNone for a lone channel.
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct ChannelPair {
    std::size_t first = 0;
    std::size_t second = kNone;
  };
  // Per output channel: a spectrum being summed (split real/imaginary).
  struct SpectrumSums {
    std::vector<dsp::AlignedBuffer<float>> re;
    std::vector<dsp::AlignedBuffer<float>> im;
  };

  Stage(std::size_t partition, std::size_t count, bool tail_first) : partition_frames(partition), partition_count(count),
      slot_count(count), bin_count(partition + 1), stride(padded(partition + 1)),
      sums_tail_first(tail_first),
      // Estimated plans: measured ones (seconds to plan under load) ran no faster in the benchmark.
      paired_transforms(partition <= kLargestPairedPartition), fft(2 * partition), real_fft(2 * partition) {}

  [[nodiscard]] std::size_t fft_size() const noexcept { return 2 * partition_frames; }

  // Delay-line row holding the input spectrum of firing `firing − back`, back < partition_count
  // (before the first firings that row is still zero). Audio thread only.
  [[nodiscard]] std::size_t row_of(std::uint64_t firing, std::size_t back = 0) const noexcept {
    return history_rows[(static_cast<std::size_t>(firing % partition_count) + partition_count - back) % partition_count];
  }

  // The row that takes firing `firing`'s spectrum: normally the one firing − J leaves (no longer
  // needed), unless the worker may still read that row (a job late by a period or more): then
  // a row that neither the audio thread's history nor the job holds. There always is one (2J − 1
  // rows: J − 1 kept, at most J − 1 pinned), so the audio thread never overwrites a row a job may
  // read — without waiting. Audio thread only.
  [[nodiscard]] std::size_t claim_row(std::uint64_t firing) noexcept {
    std::size_t& entry = history_rows[static_cast<std::size_t>(firing % partition_count)];
    if (!worker || !worker->busy() || !pinned(entry)) return entry;
    for (std::size_t row = 0; row < slot_count; ++row)
      if (!pinned(row) && std::find(history_rows.begin(), history_rows.end(), row) == history_rows.end()) return entry = row;
    return entry;  // unreachable: slot_count leaves a free row
  }
  [[nodiscard]] bool pinned(std::size_t row) const noexcept {
    return std::find(job_rows.begin() + 1, job_rows.end(), row) != job_rows.end();
  }

  std::size_t partition_frames;
  std::size_t partition_count;
  std::size_t slot_count;  // delay-line rows: partition_count, or 2·partition_count − 1 with a worker (see claim_row)
  std::size_t bin_count;
  std::size_t stride;
  // Partitions 1…J−1 are summed first, then partition 0 (see the class comment): the largest stage.
  bool sums_tail_first;
  // Fixed-block mode's first stage: covers the response from frame 0, so it fires on the block's
  // own input before that block's output is written (others fire for the frames that follow).
  bool synchronous = false;
  // Channel pairs share complex FFTs; past kLargestPairedPartition each channel gets a real one.
  bool paired_transforms;
  dsp::ComplexFft fft;
  dsp::RealFft real_fft;
  std::vector<PathSpectra> paths;
  std::vector<ChannelPair> input_pairs;   // input channels this stage reads, two per transform
  std::vector<ChannelPair> output_pairs;  // output channels it writes, two per inverse transform
  std::vector<dsp::AlignedBuffer<float>> delay_re;  // per input channel: slot_count rows (empty if unused)
  std::vector<dsp::AlignedBuffer<float>> delay_im;
  // history_rows[f mod J]: the row of firing f, for the last J firings (J = partition_count).
  std::vector<std::size_t> history_rows;
  // job_rows[m], m = 1…J−1: the row of firing F − m for the last posted tail job (firing F). Written
  // by the audio thread only while the worker is not busy, before post() publishes it.
  std::vector<std::size_t> job_rows;
  // Fixed-block mode's first stage: per input channel, the spectrum of a block not yet complete
  // (its missing frames taken as silence), standing in for the next firing's own row.
  std::vector<dsp::AlignedBuffer<float>> provisional_re;
  std::vector<dsp::AlignedBuffer<float>> provisional_im;
  std::atomic<std::uint64_t> firings{0};  // completed forward transforms; written by the audio thread only
  dsp::AlignedBuffer<float> accumulate_re;  // two rows: the spectra of an output pair
  dsp::AlignedBuffer<float> accumulate_im;
  // Tail sums: the worker writes only worker_sums, the audio thread only audio_sums (it reads
  // worker_sums once the worker has reported them done in time). A worker may run late for
  // several periods — a post() refused while it runs leaves the next firing with nothing
  // outstanding — so the audio thread must never share its buffers.
  SpectrumSums worker_sums;
  SpectrumSums audio_sums;
  std::vector<dsp::AlignedBuffer<float>> outputs;  // per output channel: the next partition_frames of output
  std::unique_ptr<internal::DeadlineWorker> worker;  // declared last: stopped before the buffers it reads go
  std::uint64_t tails_by_worker = 0;
  std::uint64_t tails_on_audio_thread = 0;
};

namespace {

using Stage = PartitionedConvolver::Stage;

// Σ over partitions m = first…J−1 of (input spectrum m firings before `firing`) × (response
// partition m) for output channel `output`, into re/im; false (nothing written) when every such
// partition is silent. The order of the sums is fixed (path, partition), whoever runs it.
// `from_worker`: read the rows the job was given (stage.job_rows), and give up once the deadline has
// passed (the result would be dropped).
bool sum_partitions(const Stage& stage, std::uint64_t firing, std::size_t first, std::size_t output, float* re, float* im,
                    bool from_worker, bool provisional = false) noexcept {
  bool first_product = true;
  const float* rows_re[kMaxRowsPerPass];
  const float* rows_im[kMaxRowsPerPass];
  const float* responses_re[kMaxRowsPerPass];
  const float* responses_im[kMaxRowsPerPass];
  for (const Stage::PathSpectra& path : stage.paths) {
    if (path.output_channel != output) continue;
    std::size_t rows = 0;
    const auto flush = [&] {
      if (rows == 0) return;
      if (from_worker) internal::call_test_hook(internal::HookPoint::kWorkerReadingRows);
      multiply_accumulate_rows(re, im, rows_re, rows_im, responses_re, responses_im, rows, stage.bin_count, !first_product);
      first_product = false;
      rows = 0;
    };
    for (std::size_t m = first; m < stage.partition_count; ++m) {
      if (!path.partition_has_signal[m]) continue;
      if (from_worker && stage.firings.load(std::memory_order_relaxed) > firing) return false;
      const std::size_t slot = from_worker ? stage.job_rows[m] : stage.row_of(firing, m);
      rows_re[rows] = provisional && m == 0 ? stage.provisional_re[path.input_channel].data()
                                            : stage.delay_re[path.input_channel].data() + slot * stage.stride;
      rows_im[rows] = provisional && m == 0 ? stage.provisional_im[path.input_channel].data()
                                            : stage.delay_im[path.input_channel].data() + slot * stage.stride;
      responses_re[rows] = path.re.data() + m * stage.stride;
      responses_im[rows] = path.im.data() + m * stage.stride;
      if (++rows == kMaxRowsPerPass) flush();
    }
    flush();
  }
  return !first_product;
}

// Partitions 1…J−1 per output channel into `sums` (zero where all are silent). They need only
// spectra older than `firing`'s own, so this may run one period early on the worker.
void sum_tail_partitions(const Stage& stage, std::uint64_t firing, Stage::SpectrumSums& sums, bool from_worker) noexcept {
  for (std::size_t o = 0; o < sums.re.size(); ++o) {
    if (sums.re[o].size() == 0) continue;
    if (sum_partitions(stage, firing, 1, o, sums.re[o].data(), sums.im[o].data(), from_worker)) continue;
    std::fill(sums.re[o].begin(), sums.re[o].end(), 0.0f);
    std::fill(sums.im[o].begin(), sums.im[o].end(), 0.0f);
  }
}

// The worker's job: the tail sum for firing `argument` into stage.worker_sums.
void tail_job(void* context, std::uint64_t firing) noexcept {
  auto& stage = *static_cast<Stage*>(context);
  sum_tail_partitions(stage, firing, stage.worker_sums, true);
}

}  // namespace

PartitionedConvolver::PartitionedConvolver() = default;
PartitionedConvolver::~PartitionedConvolver() = default;
PartitionedConvolver::PartitionedConvolver(PartitionedConvolver&&) noexcept = default;
PartitionedConvolver& PartitionedConvolver::operator=(PartitionedConvolver&&) noexcept = default;

void PartitionedConvolver::prepare(std::size_t input_count, std::size_t output_count, std::span<const ConvolutionPath> paths,
                                   bool use_worker_thread, std::size_t fixed_block_frames) {
  // Stage sizes must be multiples of the block (they fire on block ends): powers of two only.
  const bool power_of_two = fixed_block_frames > 0 && (fixed_block_frames & (fixed_block_frames - 1)) == 0;
  fixed_block_frames_ = power_of_two && fixed_block_frames >= kHeadFrames && fixed_block_frames <= kMaxPartitionFrames ? fixed_block_frames : 0;
  input_count_ = input_count;
  output_count_ = output_count;
  heads_.clear();
  stages_.clear();
  length_frames_ = 0;
  std::vector<ConvolutionPath> valid_paths;
  for (const ConvolutionPath& path : paths) {
    if (path.input_channel >= input_count || path.output_channel >= output_count || path.impulse_response.empty()) continue;
    valid_paths.push_back(path);
    length_frames_ = std::max(length_frames_, path.impulse_response.size());
  }

  // Fixed blocks: the first FFT stage starts at response frame 0 and needs no direct head.
  for (const ConvolutionPath& path : fixed_block_frames_ > 0 ? std::span<const ConvolutionPath>() : std::span<const ConvolutionPath>(valid_paths)) {
    PathHead head{path.input_channel, path.output_channel, dsp::AlignedBuffer<float>(kHeadFrames)};
    const std::size_t taps = std::min(kHeadFrames, path.impulse_response.size());
    for (std::size_t k = 0; k < taps; ++k) head.reversed_taps[kHeadFrames - 1 - k] = path.impulse_response[k];
    heads_.push_back(std::move(head));
  }

  // Stages: partition P starts at response frame P (the first stage at first_start); each covers the
  // response up to the next one's start, the last one to the end.
  const std::size_t first_partition = fixed_block_frames_ > 0 ? fixed_block_frames_ : kHeadFrames;
  const std::size_t first_start = fixed_block_frames_ > 0 ? 0 : kHeadFrames;
  StageWorkload workload{0, valid_paths.size(), valid_paths.size() + input_count};
  for (const std::size_t channel_count : {input_count, output_count}) workload.transforms += (channel_count + 1) / 2;
  const std::vector<std::size_t> sizes = choose_partition_sizes(first_partition, first_start, length_frames_, workload);
  std::size_t largest_partition = first_partition;
  for (std::size_t index = 0; index < sizes.size(); ++index) {
    const std::size_t partition = sizes[index];
    const std::size_t start = index == 0 ? first_start : partition;
    const bool last_size = index + 1 == sizes.size();
    const std::size_t end = last_size ? length_frames_ : sizes[index + 1];
    const std::size_t count = (end - start + partition - 1) / partition;
    // The largest stage sums tail first whether or not a worker runs, so both give the same bits.
    auto stage = std::make_unique<Stage>(partition, count, last_size);
    stage->synchronous = start == 0;
    largest_partition = partition;
    dsp::AlignedBuffer<float> window(2 * partition);
    dsp::AlignedBuffer<std::complex<float>> spectrum(stage->bin_count);
    const dsp::RealFft response_fft(2 * partition);
    // Fold the inverse FFT's missing 1/N, and the 2 of unpack_pair's doubled input spectra, into the
    // response spectra once, here.
    const float scale = 1.0f / static_cast<float>((stage->paired_transforms ? 4 : 2) * partition);
    std::vector<char> input_used(input_count, 0);
    std::vector<char> output_used(output_count, 0);
    for (const ConvolutionPath& path : valid_paths) {
      Stage::PathSpectra spectra{path.input_channel, path.output_channel, dsp::AlignedBuffer<float>(count * stage->stride),
                                 dsp::AlignedBuffer<float>(count * stage->stride), std::vector<char>(count, 0)};
      bool any_signal = false;
      for (std::size_t m = 0; m < count; ++m) {
        std::fill(window.begin(), window.end(), 0.0f);
        const std::size_t offset = start + m * partition;
        for (std::size_t i = 0; i < partition && offset + i < path.impulse_response.size(); ++i) {
          window[i] = path.impulse_response[offset + i] * scale;
          if (path.impulse_response[offset + i] != 0.0f) spectra.partition_has_signal[m] = 1;
        }
        if (!spectra.partition_has_signal[m]) continue;
        any_signal = true;
        response_fft.forward(window.span(), spectrum.span());
        split_complex(spectrum.span(), spectra.re.data() + m * stage->stride, spectra.im.data() + m * stage->stride);
      }
      if (!any_signal) continue;
      input_used[path.input_channel] = 1;
      output_used[path.output_channel] = 1;
      stage->paths.push_back(std::move(spectra));
    }
    const bool threaded =
        use_worker_thread && stage->sums_tail_first && count >= 2 && partition >= kSmallestThreadedPartition && !stage->paths.empty();
    if (threaded) stage->slot_count = 2 * count - 1;
    stage->history_rows.resize(count);
    stage->job_rows.resize(count);
    stage->delay_re.resize(input_count);
    stage->delay_im.resize(input_count);
    stage->provisional_re.resize(input_count);
    stage->provisional_im.resize(input_count);
    for (std::size_t c = 0; c < input_count; ++c)
      if (input_used[c] && stage->synchronous) {
        stage->provisional_re[c] = dsp::AlignedBuffer<float>(stage->stride);
        stage->provisional_im[c] = dsp::AlignedBuffer<float>(stage->stride);
      }
    for (std::size_t c = 0; c < input_count; ++c)
      if (input_used[c]) {
        stage->delay_re[c] = dsp::AlignedBuffer<float>(stage->slot_count * stage->stride);
        stage->delay_im[c] = dsp::AlignedBuffer<float>(stage->slot_count * stage->stride);
      }
    stage->outputs.resize(output_count);
    for (Stage::SpectrumSums* sums : {&stage->worker_sums, &stage->audio_sums}) {
      sums->re.resize(output_count);
      sums->im.resize(output_count);
    }
    for (std::size_t c = 0; c < output_count; ++c) {
      if (!output_used[c]) continue;
      stage->outputs[c] = dsp::AlignedBuffer<float>(partition);
      if (!stage->sums_tail_first) continue;
      for (Stage::SpectrumSums* sums : {&stage->worker_sums, &stage->audio_sums}) {
        sums->re[c] = dsp::AlignedBuffer<float>(stage->stride);
        sums->im[c] = dsp::AlignedBuffer<float>(stage->stride);
      }
    }
    stage->accumulate_re = dsp::AlignedBuffer<float>(2 * stage->stride);
    stage->accumulate_im = dsp::AlignedBuffer<float>(2 * stage->stride);
    for (const auto& [used, pairs] : {std::pair{&input_used, &stage->input_pairs}, std::pair{&output_used, &stage->output_pairs}})
      for (std::size_t c = 0; c < used->size(); ++c) {
        if (!(*used)[c]) continue;
        if (!pairs->empty() && pairs->back().second == Stage::kNone) pairs->back().second = c;
        else pairs->push_back({c, Stage::kNone});
      }
    if (threaded) stage->worker = std::make_unique<internal::DeadlineWorker>(&tail_job, stage.get());
    if (!stage->paths.empty()) stages_.push_back(std::move(stage));
  }

  // Four times the largest window's half: most windows then lie unwrapped in the ring and are
  // transformed in place, without a copy.
  std::size_t ring_size = 2 * std::max(kHeadFrames, first_partition);
  while (ring_size < 4 * largest_partition) ring_size *= 2;
  ring_mask_ = ring_size - 1;
  input_rings_.clear();
  head_histories_.clear();
  for (std::size_t c = 0; c < input_count; ++c) {
    input_rings_.emplace_back(ring_size);
    head_histories_.emplace_back(2 * kHeadFrames + kFirLanes);  // + the lanes direct_fir's last vector reads past
  }
  time_scratch_ = dsp::AlignedBuffer<std::complex<float>>(2 * largest_partition);
  spectrum_scratch_ = dsp::AlignedBuffer<std::complex<float>>(2 * largest_partition);
  reset();
}

PartitionedConvolver::TailStatistics PartitionedConvolver::tail_statistics() const noexcept {
  TailStatistics statistics;
  for (const auto& stage : stages_) {
    statistics.by_worker += stage->tails_by_worker;
    statistics.on_audio_thread += stage->tails_on_audio_thread;
  }
  return statistics;
}

bool PartitionedConvolver::has_worker_thread() const noexcept {
  return std::any_of(stages_.begin(), stages_.end(), [](const auto& stage) { return stage->worker != nullptr; });
}

std::vector<std::size_t> PartitionedConvolver::partition_sizes() const {
  std::vector<std::size_t> sizes;
  for (const auto& stage : stages_) sizes.push_back(stage->partition_frames);
  return sizes;
}

void PartitionedConvolver::reset() noexcept {
  frames_done_ = 0;
  block_fill_ = 0;
  for (auto& ring : input_rings_) std::fill(ring.begin(), ring.end(), 0.0f);
  for (auto& history : head_histories_) std::fill(history.begin(), history.end(), 0.0f);
  for (auto& stage : stages_) {
    if (stage->worker) stage->worker->quiesce();  // it must not read the delay line while it is cleared
    stage->firings.store(0, std::memory_order_relaxed);
    stage->tails_by_worker = 0;
    stage->tails_on_audio_thread = 0;
    for (auto& rows : stage->delay_re) std::fill(rows.begin(), rows.end(), 0.0f);
    for (auto& rows : stage->delay_im) std::fill(rows.begin(), rows.end(), 0.0f);
    for (std::size_t row = 0; row < stage->history_rows.size(); ++row) stage->history_rows[row] = row;
    for (auto& output : stage->outputs) std::fill(output.begin(), output.end(), 0.0f);
  }
}

void PartitionedConvolver::process(ConstAudioView input, AudioView output) noexcept {
  const std::size_t frames = std::min(input.frame_count(), output.frame_count());
  if (input.channel_count() < input_count_ || output.channel_count() < output_count_) return;
  if (fixed_block_frames_ > 0) {
    for (std::size_t position = 0; position < frames;) {
      const std::size_t count = std::min(frames - position, fixed_block_frames_ - block_fill_);
      process_fixed_block(input.subview(position, count), output.subview(position, count));
      position += count;
    }
    return;
  }
  std::size_t position = 0;
  while (position < frames) {
    // Sub-blocks end on every multiple of kHeadFrames: that is where stages may fire.
    const std::size_t to_boundary = kHeadFrames - static_cast<std::size_t>(frames_done_ % kHeadFrames);
    const std::size_t count = std::min(frames - position, to_boundary);
    process_sub_block(input.subview(position, count), output.subview(position, count));
    frames_done_ += count;
    position += count;
    if (frames_done_ % kHeadFrames == 0)
      for (auto& stage : stages_)
        if (frames_done_ % stage->partition_frames == 0) run_stage(*stage);
  }
}

// `input` lies within one block (block_fill_ frames of it came in earlier calls). A completed block
// runs the stages as usual; a block still incomplete gets the first stage computed provisionally,
// its missing frames taken as silence — exact for the frames already here (they cannot depend on
// later input), so any slicing works, equal to whole blocks within float rounding.
void PartitionedConvolver::process_fixed_block(ConstAudioView input, AudioView output) noexcept {
  const std::size_t frames = input.frame_count();
  const std::size_t block = fixed_block_frames_;
  const std::uint64_t block_start = frames_done_;
  const std::size_t fill = block_fill_;
  const bool completes = fill + frames == block;
  // Take every input first (output may be the same memory). A block begun short is cleared first.
  for (std::size_t c = 0; c < input_count_; ++c) {
    const std::span<const float> samples = input.channel(c);
    float* ring = input_rings_[c].data();
    // Blocks start at multiples of the block size, a power of two that divides the ring: no wrap.
    if (fill == 0 && !completes) std::fill_n(ring + (block_start & ring_mask_), block, 0.0f);
    copy_into_ring(ring, ring_mask_, block_start + fill, samples.data(), frames);
  }
  frames_done_ += block;  // the window of the first stage ends with this block
  for (auto& stage : stages_)
    if (stage->synchronous) run_stage(*stage, !completes);
  if (!completes) frames_done_ = block_start;
  for (std::size_t o = 0; o < output_count_; ++o) {
    float* destination = output.channel(o).data();
    std::fill(destination, destination + frames, 0.0f);
    for (const auto& stage : stages_) {
      if (stage->outputs[o].size() == 0) continue;
      const float* source = stage->outputs[o].data() + (stage->synchronous ? 0 : block_start % stage->partition_frames) + fill;
      for (std::size_t i = 0; i < frames; ++i) destination[i] += source[i];
    }
  }
  if (!completes) {
    block_fill_ = fill + frames;
    return;
  }
  block_fill_ = 0;
  for (auto& stage : stages_)
    if (!stage->synchronous && frames_done_ % stage->partition_frames == 0) run_stage(*stage);
}

void PartitionedConvolver::process_sub_block(ConstAudioView input, AudioView output) noexcept {
  const std::size_t frames = input.frame_count();
  constexpr std::size_t kHistory = kHeadFrames - 1;
  // Take every input first: output may be the same memory as input.
  for (std::size_t c = 0; c < input_count_; ++c) {
    const std::span<const float> samples = input.channel(c);
    std::copy(samples.begin(), samples.end(), head_histories_[c].data() + kHistory);
    copy_into_ring(input_rings_[c].data(), ring_mask_, frames_done_, samples.data(), frames);
  }
  for (std::size_t o = 0; o < output_count_; ++o) {
    float* destination = output.channel(o).data();
    std::fill(destination, destination + frames, 0.0f);
    for (const PathHead& head : heads_)
      if (head.output_channel == o)
        direct_fir(destination, head_histories_[head.input_channel].data(), head.reversed_taps.data(), kHeadFrames, frames);
    for (const auto& stage : stages_) {
      if (stage->outputs[o].size() == 0) continue;
      const float* source = stage->outputs[o].data() + frames_done_ % stage->partition_frames;
      for (std::size_t i = 0; i < frames; ++i) destination[i] += source[i];
    }
  }
  for (std::size_t c = 0; c < input_count_; ++c) {
    float* history = head_histories_[c].data();
    std::memmove(history, history + frames, kHistory * sizeof(float));
  }
}

void PartitionedConvolver::forward_transform_inputs(Stage& stage, bool provisional) noexcept {
  const std::size_t window_frames = stage.fft_size();
  const std::span<std::complex<float>> window = time_scratch_.span().first(window_frames);
  const std::span<std::complex<float>> spectrum = spectrum_scratch_.span().first(window_frames);
  const std::uint64_t firing = stage.firings.load(std::memory_order_relaxed) + 1;
  // A late worker checks it to give up early (see sum_partitions).
  if (!provisional) stage.firings.store(firing, std::memory_order_release);
  const std::size_t row = provisional ? 0 : stage.claim_row(firing) * stage.stride;
  const auto row_of = [&](std::vector<dsp::AlignedBuffer<float>>& rows, std::vector<dsp::AlignedBuffer<float>>& provisional_rows,
                          std::size_t channel) { return provisional ? provisional_rows[channel].data() : rows[channel].data() + row; };
  // Overlap-save: the spectrum of the last 2P inputs enters the delay line.
  const std::uint64_t first = frames_done_ - window_frames;  // wraps for the first windows: the ring is zero there
  const std::size_t start = static_cast<std::size_t>(first & ring_mask_);
  const std::size_t before_wrap = std::min(window_frames, ring_mask_ + 1 - start);
  if (!stage.paired_transforms) {
    const std::span<float> real_window(reinterpret_cast<float*>(window.data()), window_frames);
    const std::span<std::complex<float>> half_spectrum = spectrum.first(stage.bin_count);
    for (std::size_t c = 0; c < input_count_; ++c) {
      if (stage.delay_re[c].size() == 0) continue;
      const float* ring = input_rings_[c].data();
      if (before_wrap == window_frames) {
        stage.real_fft.forward({ring + start, window_frames}, half_spectrum);  // contiguous in the ring: no copy
      } else {
        std::copy(ring + start, ring + start + before_wrap, real_window.data());
        std::copy(ring, ring + (window_frames - before_wrap), real_window.data() + before_wrap);
        stage.real_fft.forward(real_window, half_spectrum);
      }
      split_complex(half_spectrum, row_of(stage.delay_re, stage.provisional_re, c), row_of(stage.delay_im, stage.provisional_im, c));
    }
    return;
  }
  for (const Stage::ChannelPair& pair : stage.input_pairs) {
    const bool paired = pair.second != Stage::kNone;
    const float* ring_a = input_rings_[pair.first].data();
    const float* ring_b = paired ? input_rings_[pair.second].data() : nullptr;
    interleave_pair(ring_a + start, paired ? ring_b + start : nullptr, before_wrap, window.data());
    if (before_wrap < window_frames)
      interleave_pair(ring_a, ring_b, window_frames - before_wrap, window.data() + before_wrap);
    stage.fft.forward(window, spectrum);
    float* a_re = row_of(stage.delay_re, stage.provisional_re, pair.first);
    float* a_im = row_of(stage.delay_im, stage.provisional_im, pair.first);
    if (paired)
      unpack_pair<true>(spectrum.data(), stage.partition_frames, a_re, a_im, row_of(stage.delay_re, stage.provisional_re, pair.second),
                        row_of(stage.delay_im, stage.provisional_im, pair.second));
    else
      unpack_pair<false>(spectrum.data(), stage.partition_frames, a_re, a_im, nullptr, nullptr);
  }
}

// Inverse-transforms the summed spectra of an output pair (null `b_*` for a lone output) and keeps
// the second half of the circular result: the valid (alias-free) part of overlap-save.
void PartitionedConvolver::inverse_transform_outputs(Stage& stage, std::size_t first_output, std::size_t second_output,
                                                     const float* a_re, const float* a_im, const float* b_re, const float* b_im) noexcept {
  const std::size_t partition = stage.partition_frames;
  const std::span<std::complex<float>> window = time_scratch_.span().first(stage.fft_size());
  const std::span<std::complex<float>> spectrum = spectrum_scratch_.span().first(stage.fft_size());
  if (!stage.paired_transforms) {
    const std::span<float> real_window(reinterpret_cast<float*>(window.data()), stage.fft_size());
    const std::span<std::complex<float>> half_spectrum = spectrum.first(stage.bin_count);
    const float* sums[2][2] = {{a_re, a_im}, {b_re, b_im}};
    const std::size_t outputs[2] = {first_output, second_output};
    for (std::size_t side = 0; side < 2 && sums[side][0] != nullptr; ++side) {
      for (std::size_t k = 0; k < stage.bin_count; ++k) half_spectrum[k] = {sums[side][0][k], sums[side][1][k]};
      stage.real_fft.inverse(half_spectrum, real_window);
      std::copy(real_window.begin() + static_cast<std::ptrdiff_t>(partition), real_window.end(), stage.outputs[outputs[side]].data());
    }
    return;
  }
  if (b_re != nullptr)
    pack_pair<true>(a_re, a_im, b_re, b_im, partition, spectrum.data());
  else
    pack_pair<false>(a_re, a_im, nullptr, nullptr, partition, spectrum.data());
  stage.fft.inverse(spectrum, window);
  float* out_a = stage.outputs[first_output].data();
  for (std::size_t i = 0; i < partition; ++i) out_a[i] = window[partition + i].real();
  if (second_output == Stage::kNone) return;
  float* out_b = stage.outputs[second_output].data();
  for (std::size_t i = 0; i < partition; ++i) out_b[i] = window[partition + i].imag();
}

// Turns each output's summed spectrum into the next partition of output (overlap-save).
void PartitionedConvolver::run_stage(Stage& stage, bool provisional) noexcept {
  if (stage.sums_tail_first && !provisional) {
    run_stage_with_tail(stage);
    return;
  }
  forward_transform_inputs(stage, provisional);
  // A provisional run sums for the coming firing (all its partitions, whatever the stage kind).
  const std::uint64_t firing = stage.firings.load(std::memory_order_relaxed) + (provisional ? 1 : 0);
  float* sum_re[2] = {stage.accumulate_re.data(), stage.accumulate_re.data() + stage.stride};
  float* sum_im[2] = {stage.accumulate_im.data(), stage.accumulate_im.data() + stage.stride};
  for (const Stage::ChannelPair& pair : stage.output_pairs) {
    const bool paired = pair.second != Stage::kNone;
    const bool has_a = sum_partitions(stage, firing, 0, pair.first, sum_re[0], sum_im[0], false, provisional);
    const bool has_b = paired && sum_partitions(stage, firing, 0, pair.second, sum_re[1], sum_im[1], false, provisional);
    if (!has_a && !has_b) {  // every partition silent: nothing to transform
      std::fill(stage.outputs[pair.first].begin(), stage.outputs[pair.first].end(), 0.0f);
      if (paired) std::fill(stage.outputs[pair.second].begin(), stage.outputs[pair.second].end(), 0.0f);
      continue;
    }
    for (std::size_t side = 0; side < 2; ++side)
      if (!(side == 0 ? has_a : has_b) && (side == 0 || paired)) {
        std::fill_n(sum_re[side], stage.bin_count, 0.0f);
        std::fill_n(sum_im[side], stage.bin_count, 0.0f);
      }
    inverse_transform_outputs(stage, pair.first, pair.second, sum_re[0], sum_im[0], paired ? sum_re[1] : nullptr, paired ? sum_im[1] : nullptr);
  }
}

void PartitionedConvolver::run_stage_with_tail(Stage& stage) noexcept {
  forward_transform_inputs(stage, false);
  const std::uint64_t firing = stage.firings.load(std::memory_order_relaxed);

  // The tail sum for this firing: the worker's (posted one period ago), or computed here.
  Stage::SpectrumSums* sums = &stage.audio_sums;
  internal::call_test_hook(internal::HookPoint::kTailFiring);
  using Outcome = internal::DeadlineWorker::Outcome;
  const Outcome outcome = stage.worker ? stage.worker->collect() : Outcome::kNothingPosted;
  if (outcome == Outcome::kDoneByWorker) {
    sums = &stage.worker_sums;
    ++stage.tails_by_worker;
  } else {
    // Not kWorkerLate alone: after a refused post a late worker may still be writing worker_sums
    // while this firing finds nothing outstanding (the defect that once made live output differ).
    sum_tail_partitions(stage, firing, *sums, false);
    ++stage.tails_on_audio_thread;
    internal::call_test_hook(internal::HookPoint::kAudioSummedTail);
  }

  const std::size_t slot = stage.row_of(firing);
  for (const Stage::PathSpectra& path : stage.paths) {
    if (!path.partition_has_signal[0]) continue;
    multiply_accumulate(sums->re[path.output_channel].data(), sums->im[path.output_channel].data(),
                        stage.delay_re[path.input_channel].data() + slot * stage.stride,
                        stage.delay_im[path.input_channel].data() + slot * stage.stride, path.re.data(), path.im.data(), stage.bin_count);
  }
  for (const Stage::ChannelPair& pair : stage.output_pairs) {
    const bool paired = pair.second != Stage::kNone;
    inverse_transform_outputs(stage, pair.first, pair.second, sums->re[pair.first].data(), sums->im[pair.first].data(),
                              paired ? sums->re[pair.second].data() : nullptr, paired ? sums->im[pair.second].data() : nullptr);
  }

  // The next firing's tail needs only spectra up to this one: hand it over now, a period ahead,
  // with its rows (not while a late job runs: post() would refuse, and its rows stay pinned).
  if (!stage.worker || stage.worker->busy()) return;
  for (std::size_t m = 1; m < stage.partition_count; ++m) stage.job_rows[m] = stage.row_of(firing + 1, m);
  if (stage.worker->post(firing + 1)) internal::call_test_hook(internal::HookPoint::kJobPosted);
}

}  // namespace resound::fx
