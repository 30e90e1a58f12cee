// pYIN's HMM: emissions from YIN candidates, banded max-plus Viterbi steps, backtracking by recomputation.
#include "resound/analysis/pitch_hmm.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

#include "resound/dsp/vector_clones.hpp"

namespace resound::analysis {

namespace {
constexpr float kLogFloor = -80.0f;  // log of "impossible" emissions: keeps arithmetic finite
constexpr float kNegativeInfinity = -std::numeric_limits<float>::infinity();
constexpr std::size_t kMaxBlock = 32;  // states per register block of banded_max (4 AVX registers)

std::size_t max_blocks(std::size_t bins) { return (bins + kMaxBlock - 1) / kMaxBlock; }
}  // namespace

PitchHmm::PitchHmm(const PitchOptions& options, double frame_period_s)
    : min_frequency_hz_(options.min_frequency_hz),
      bins_(static_cast<std::size_t>(
                std::ceil(12.0 * kBinsPerSemitone * std::log2(options.max_frequency_hz / options.min_frequency_hz))) +
            1),
      band_(static_cast<std::size_t>(std::ceil(options.max_transition_octaves_per_s * frame_period_s * 12.0 * kBinsPerSemitone))),
      log_stay_(static_cast<float>(std::log(1.0 - options.switch_probability))),
      log_switch_(static_cast<float>(std::log(options.switch_probability))),
      scratch_voiced_(max_blocks(bins_) * kMaxBlock),
      scratch_unvoiced_(max_blocks(bins_) * kMaxBlock) {
  band_ = std::clamp<std::size_t>(band_, 1, bins_ > 1 ? bins_ - 1 : 1);
  // Whole blocks: the states past the last bin read −inf and their maxima are never used.
  padded_.assign(max_blocks(bins_) * kMaxBlock + 2 * band_, kNegativeInfinity);
  // Triangular weights over offsets −band…band, as in pYIN: small pitch moves are likelier.
  log_transition_.resize(2 * band_ + 1);
  double total = 0.0;
  for (std::size_t i = 0; i < log_transition_.size(); ++i)
    total += static_cast<double>(band_ + 1) - std::abs(static_cast<double>(i) - static_cast<double>(band_));
  for (std::size_t i = 0; i < log_transition_.size(); ++i) {
    const double weight = static_cast<double>(band_ + 1) - std::abs(static_cast<double>(i) - static_cast<double>(band_));
    log_transition_[i] = static_cast<float>(std::log(weight / total));
  }
}

double PitchHmm::bin_frequency_hz(std::size_t bin) const noexcept {
  return min_frequency_hz_ * std::exp2(static_cast<double>(bin) / (12.0 * kBinsPerSemitone));
}

double PitchHmm::frequency_to_bin(double frequency_hz) const noexcept {
  return 12.0 * kBinsPerSemitone * std::log2(frequency_hz / min_frequency_hz_);
}

float PitchHmm::emission(std::span<const PitchCandidate> candidates, std::span<float> log_emission) const noexcept {
  std::fill(log_emission.begin(), log_emission.begin() + static_cast<std::ptrdiff_t>(bins_), 0.0f);
  float voiced_probability = 0.0f;
  for (const auto& candidate : candidates) {
    if (!(candidate.frequency_hz > 0.0f) || !(candidate.probability > 0.0f)) continue;
    const double bin = std::round(frequency_to_bin(candidate.frequency_hz));
    if (bin < 0.0 || bin >= static_cast<double>(bins_)) continue;
    log_emission[static_cast<std::size_t>(bin)] += candidate.probability;
    voiced_probability += candidate.probability;
  }
  voiced_probability = std::min(voiced_probability, 1.0f);
  for (std::size_t b = 0; b < bins_; ++b)
    log_emission[b] = log_emission[b] > 0.0f ? std::log(log_emission[b]) : kLogFloor;
  const float unvoiced = (1.0f - voiced_probability) / static_cast<float>(bins_);
  const float log_unvoiced = unvoiced > 0.0f ? std::log(unvoiced) : kLogFloor;
  std::fill(log_emission.begin() + static_cast<std::ptrdiff_t>(bins_), log_emission.end(), log_unvoiced);
  return voiced_probability;
}

void PitchHmm::start(std::span<const float> log_emission, std::span<float> delta) const noexcept {
  std::copy(log_emission.begin(), log_emission.end(), delta.begin());
}

namespace {

// out[i] = max_d(padded[i + band + d] + weight[d + band]) over |d| ≤ band, for i < blocks·kMaxBlock,
// where `padded` holds a delta half with −inf on either side (outside states never win a max).
// Half of pYIN's time is spent here. Each block of outputs keeps its running maxima in registers
// across all 2·band + 1 offsets (one load, add and max per 8 states and offset, no stores until
// the block is done); an AVX2 clone is picked at load time where the CPU has it. Only additions
// and maxima over the same candidates: every clone gives the same bits.
RESOUND_VECTOR_CLONES_HASWELL
void banded_max(const float* padded, const float* weights, std::size_t band, std::size_t blocks, float* out) noexcept {
  const std::size_t offsets = 2 * band + 1;
  for (std::size_t block = 0; block < blocks; ++block) {
    const std::size_t i = block * kMaxBlock;
    float best[kMaxBlock];
    for (std::size_t k = 0; k < kMaxBlock; ++k) best[k] = padded[i + k] + weights[0];
    for (std::size_t d = 1; d < offsets; ++d) {
      const float weight = weights[d];
      const float* row = padded + i + d;
      for (std::size_t k = 0; k < kMaxBlock; ++k) {
        const float value = row[k] + weight;
        best[k] = best[k] > value ? best[k] : value;
      }
    }
    for (std::size_t k = 0; k < kMaxBlock; ++k) out[i + k] = best[k];
  }
}

// delta_next = best of staying and switching (voiced/unvoiced) + emission, then minus its maximum
// so long recordings never drift towards −inf. The maximum is taken in 8 lanes (vectorises; the
// maximum of the same numbers whatever the order).
RESOUND_VECTOR_CLONES_HASWELL
void combine_and_normalise(const float* voiced_in, const float* unvoiced_in, const float* log_emission, float log_stay,
                           float log_switch, std::size_t bins, float* delta_next) noexcept {
  for (std::size_t b = 0; b < bins; ++b) {
    delta_next[b] = std::max(voiced_in[b] + log_stay, unvoiced_in[b] + log_switch) + log_emission[b];
    delta_next[bins + b] = std::max(unvoiced_in[b] + log_stay, voiced_in[b] + log_switch) + log_emission[bins + b];
  }
  constexpr std::size_t kLanes = 8;
  std::array<float, kLanes> lanes;
  lanes.fill(kNegativeInfinity);
  const std::size_t states = 2 * bins;
  std::size_t i = 0;
  for (; i + kLanes <= states; i += kLanes)
    for (std::size_t k = 0; k < kLanes; ++k) lanes[k] = std::max(lanes[k], delta_next[i + k]);
  for (; i < states; ++i) lanes[0] = std::max(lanes[0], delta_next[i]);
  float best = lanes[0];
  for (std::size_t k = 1; k < kLanes; ++k) best = std::max(best, lanes[k]);
  for (std::size_t j = 0; j < states; ++j) delta_next[j] -= best;
}

}  // namespace

void PitchHmm::step(std::span<const float> delta, std::span<const float> log_emission, std::span<float> delta_next) noexcept {
  const auto spread = [&](const float* half, float* out) {
    std::copy_n(half, bins_, padded_.begin() + static_cast<std::ptrdiff_t>(band_));
    banded_max(padded_.data(), log_transition_.data(), band_, max_blocks(bins_), out);
  };
  spread(delta.data(), scratch_voiced_.data());
  spread(delta.data() + bins_, scratch_unvoiced_.data());
  combine_and_normalise(scratch_voiced_.data(), scratch_unvoiced_.data(), log_emission.data(), log_stay_, log_switch_, bins_,
                        delta_next.data());
}

std::size_t PitchHmm::best_predecessor(std::span<const float> delta, std::size_t state) const noexcept {
  const bool voiced = is_voiced(state);
  const std::size_t bin = voiced ? state : state - bins_;
  const std::size_t first = bin >= band_ ? bin - band_ : 0;
  const std::size_t last = std::min(bins_ - 1, bin + band_);
  std::size_t best_state_index = state;
  float best = kNegativeInfinity;
  for (std::size_t previous = first; previous <= last; ++previous) {
    const float transition = log_transition_[previous + band_ - bin];
    const float from_voiced = delta[previous] + transition + (voiced ? log_stay_ : log_switch_);
    const float from_unvoiced = delta[bins_ + previous] + transition + (voiced ? log_switch_ : log_stay_);
    if (from_voiced > best) {
      best = from_voiced;
      best_state_index = previous;
    }
    if (from_unvoiced > best) {
      best = from_unvoiced;
      best_state_index = bins_ + previous;
    }
  }
  return best_state_index;
}

std::size_t PitchHmm::best_state(std::span<const float> delta) noexcept {
  return static_cast<std::size_t>(std::max_element(delta.begin(), delta.end()) - delta.begin());
}

float PitchHmm::state_frequency_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept {
  return is_voiced(state) ? state_pitch_hz(state, candidates) : 0.0f;
}

float PitchHmm::state_pitch_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept {
  const std::size_t pitch_bin = is_voiced(state) ? state : state - bins_;
  if (!is_voiced(state) && candidates.empty()) return 0.0f;
  const auto bin = static_cast<double>(pitch_bin);
  float chosen = static_cast<float>(bin_frequency_hz(pitch_bin));
  double nearest = 1.5;
  for (const auto& candidate : candidates) {
    if (!(candidate.frequency_hz > 0.0f)) continue;
    const double distance = std::abs(frequency_to_bin(candidate.frequency_hz) - bin);
    if (distance < nearest) {
      nearest = distance;
      chosen = candidate.frequency_hz;
    }
  }
  return chosen;
}

float PitchHmm::candidate_pitch_hz(std::size_t state, std::span<const PitchCandidate> candidates) const noexcept {
  if (is_voiced(state)) return state_frequency_hz(state, candidates);
  float best_probability = 0.0f;
  float chosen = state_pitch_hz(state, candidates);
  for (const auto& candidate : candidates) {
    if (candidate.probability > best_probability && candidate.frequency_hz > 0.0f) {
      best_probability = candidate.probability;
      chosen = candidate.frequency_hz;
    }
  }
  return chosen;
}

std::vector<std::size_t> viterbi_decode(PitchHmm& hmm, std::span<const float> log_emissions, std::size_t frames) {
  const std::size_t states = hmm.state_count();
  std::vector<std::size_t> path(frames);
  if (frames == 0) return path;
  // Every row is written by start()/step(): no need to zero it first.
  const auto deltas = std::make_unique_for_overwrite<float[]>(frames * states);
  hmm.start(log_emissions.subspan(0, states), std::span<float>(deltas.get(), states));
  for (std::size_t t = 1; t < frames; ++t)
    hmm.step(std::span<const float>(deltas.get() + (t - 1) * states, states), log_emissions.subspan(t * states, states),
             std::span<float>(deltas.get() + t * states, states));
  path[frames - 1] = PitchHmm::best_state(std::span<const float>(deltas.get() + (frames - 1) * states, states));
  for (std::size_t t = frames - 1; t > 0; --t)
    path[t - 1] = hmm.best_predecessor(std::span<const float>(deltas.get() + (t - 1) * states, states), path[t]);
  return path;
}

}  // namespace resound::analysis
