// Onsets: envelope over the shared STFT frames, adaptive-threshold peak picking, onset times.
#include "resound/analysis/onsets.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "resound/analysis/yin.hpp"

namespace resound::analysis {

Expected<void> validate(const OnsetOptions& options) {
  for (const double value : {options.pre_max_s, options.post_max_s, options.pre_average_s, options.post_average_s,
                             options.min_gap_s})
    if (!(value >= 0.0 && value < 10.0))
      return Error{ErrorCode::kInvalidArgument, "onset windows must be between 0 and 10 s", {.field = "onset options"}};
  if (!(options.recent_peak_fraction >= 0.0 && options.recent_peak_fraction < 1.0) ||
      !(options.recent_peak_half_life_s >= 0.0 && options.recent_peak_half_life_s < 100.0))
    return Error{ErrorCode::kInvalidArgument, "recent_peak_fraction must be in [0, 1) and its half life in [0, 100) s",
                 {.field = "recent_peak_fraction"}};
  if (!std::isfinite(options.delta) || !std::isfinite(options.latency_s) || !std::isfinite(options.sharp_attack_latency_s) ||
      !std::isfinite(options.sharp_attack_rise_db) || !(options.relative_threshold >= 0.0) ||
      !std::isfinite(options.max_energy_drop_db))
    return Error{ErrorCode::kInvalidArgument, "onset delta and latency must be finite", {.field = "delta"}};
  return ok();
}

namespace {
// The energy-drop gate compares the frames this far before and after a peak.
constexpr std::size_t kEnergyGateFrames = 2;

std::size_t to_frames(double seconds, double frame_period_s) {
  return static_cast<std::size_t>(std::lround(seconds / frame_period_s));
}
}  // namespace

PeakPicker::PeakPicker(const OnsetOptions& options, double frame_period_s)
    : pre_max_(to_frames(options.pre_max_s, frame_period_s)),
      post_max_(std::max<std::size_t>(1, to_frames(options.post_max_s, frame_period_s))),
      pre_average_(to_frames(options.pre_average_s, frame_period_s)),
      post_average_(to_frames(options.post_average_s, frame_period_s)),
      min_gap_(to_frames(options.min_gap_s, frame_period_s)),
      lookahead_(std::max(post_max_, post_average_)),
      delta_(static_cast<float>(options.delta)),
      relative_(static_cast<float>(options.relative_threshold)),
      max_energy_drop_(options.max_energy_drop_db > 0.0 ? static_cast<float>(options.max_energy_drop_db * std::log(10.0) / 10.0) : 0.0f),
      recent_peak_fraction_(static_cast<float>(std::max(0.0, options.recent_peak_fraction))),
      recent_peak_decay_(options.recent_peak_half_life_s > 0.0
                             ? static_cast<float>(std::exp2(-frame_period_s / options.recent_peak_half_life_s))
                             : 0.0f),
      sharp_rise_(options.sharp_attack_rise_db > 0.0 ? static_cast<float>(options.sharp_attack_rise_db * std::log(10.0) / 10.0) : 0.0f),
      latency_s_(options.latency_s),
      sharp_latency_s_(options.sharp_attack_latency_s),
      frame_period_s_(frame_period_s),
      last_latency_s_(options.latency_s),
      ring_(std::max(pre_max_, pre_average_) + lookahead_ + 1),
      energy_ring_(ring_.size()) {
  lookahead_ = std::max<std::size_t>(lookahead_, kEnergyGateFrames);
  ring_.resize(std::max(pre_max_, pre_average_) + lookahead_ + 1);
  energy_ring_.resize(ring_.size());
  reset();
}

void PeakPicker::reset() noexcept {
  std::fill(ring_.begin(), ring_.end(), 0.0f);
  std::fill(energy_ring_.begin(), energy_ring_.end(), 0.0f);
  last_energy_ = 0.0f;
  has_energy_ = false;
  pushed_ = 0;
  position_ = 0;
  has_onset_ = false;
  last_onset_ = 0;
  recent_peak_ = 0.0f;
}

bool PeakPicker::push(float value, std::size_t& frame, float& strength) noexcept {
  return push_internal(std::isfinite(value) ? value : 0.0f, 0.0f, frame, strength, true);
}

bool PeakPicker::push(float value, float log_energy, std::size_t& frame, float& strength) noexcept {
  has_energy_ = true;
  last_energy_ = std::isfinite(log_energy) ? log_energy : 0.0f;
  return push_internal(std::isfinite(value) ? value : 0.0f, last_energy_, frame, strength, true);
}

bool PeakPicker::push_internal(float value, float log_energy, std::size_t& frame, float& strength, bool real) noexcept {
  const std::size_t size = ring_.size();
  ring_[position_ % size] = value;
  energy_ring_[position_ % size] = log_energy;
  ++position_;
  if (real) ++pushed_;
  if (position_ <= lookahead_) return false;
  const std::size_t candidate = position_ - 1 - lookahead_;
  // Values before the start of the envelope count as 0 (the ring starts zeroed).
  const auto at = [&](std::size_t index) { return ring_[index % size]; };
  const float centre = at(candidate);
  recent_peak_ = std::max(centre, recent_peak_ * recent_peak_decay_);
  if (!(centre > 0.0f)) return false;
  if (centre < recent_peak_fraction_ * recent_peak_) return false;
  const std::size_t max_first = candidate >= pre_max_ ? candidate - pre_max_ : 0;
  for (std::size_t i = max_first; i <= candidate + post_max_; ++i)
    if (at(i) > centre || (i < candidate && at(i) == centre)) return false;
  const std::size_t average_first = candidate >= pre_average_ ? candidate - pre_average_ : 0;
  float sum = 0.0f;
  for (std::size_t i = average_first; i <= candidate + post_average_; ++i) sum += at(i);
  const float mean = sum / static_cast<float>(candidate + post_average_ - average_first + 1);
  const float threshold = mean * (1.0f + relative_) + delta_;
  if (centre < threshold) return false;
  if (has_energy_ && max_energy_drop_ > 0.0f) {
    const float before = candidate >= kEnergyGateFrames ? energy_ring_[(candidate - kEnergyGateFrames) % size] : 0.0f;
    if (energy_ring_[(candidate + kEnergyGateFrames) % size] < before - max_energy_drop_) return false;
  }
  if (has_onset_ && candidate - last_onset_ < min_gap_) return false;
  has_onset_ = true;
  last_onset_ = candidate;
  last_latency_s_ = latency_s_;
  if (has_energy_ && sharp_rise_ > 0.0f && candidate >= kEnergyGateFrames &&
      energy_ring_[(candidate + kEnergyGateFrames) % size] - energy_ring_[(candidate - kEnergyGateFrames) % size] > sharp_rise_)
    last_latency_s_ = sharp_latency_s_;
  frame = candidate;
  // 0–1: the share of the peak above the threshold, saturating for strong attacks.
  strength = std::clamp((centre - threshold) / (centre + 1e-6f), 0.0f, 1.0f);
  return true;
}

double PeakPicker::onset_time_s(std::size_t frame) const noexcept {
  return std::max(0.0, static_cast<double>(frame) * frame_period_s_ - last_latency_s_);
}

OnsetResult pick_onsets(std::vector<float> envelope, double frame_period_s, const OnsetOptions& options,
                        std::span<const float> log_energy) {
  OnsetResult result;
  result.frame_period_s = frame_period_s;
  result.envelope = std::move(envelope);
  result.envelope_times_s.resize(result.envelope.size());
  for (std::size_t i = 0; i < result.envelope.size(); ++i) result.envelope_times_s[i] = static_cast<double>(i) * frame_period_s;
  PeakPicker picker(options, frame_period_s);
  const auto add = [&](std::size_t frame, float strength) {
    if (frame >= result.envelope.size()) return;
    result.onset_frames.push_back(frame);
    result.onset_times_s.push_back(picker.onset_time_s(frame));
    result.strengths.push_back(strength);
  };
  std::size_t frame = 0;
  float strength = 0.0f;
  const bool gated = log_energy.size() == result.envelope.size();
  for (std::size_t i = 0; i < result.envelope.size(); ++i) {
    const bool found = gated ? picker.push(result.envelope[i], log_energy[i], frame, strength)
                             : picker.push(result.envelope[i], frame, strength);
    if (found) add(frame, strength);
  }
  picker.flush(add);
  return result;
}

OnsetResult detect_onsets(const AnalysisSignal& signal, const OnsetOptions& options, std::size_t threads) {
  const StftOptions stft = pitch_stft_options(signal.sample_rate_hz);
  const std::size_t frames = stft_frame_count(signal.samples.size(), stft);
  threads = std::max<std::size_t>(1, threads);
  std::vector<std::unique_ptr<OnsetFeatureExtractor>> extractors;
  for (std::size_t t = 0; t < threads; ++t)
    extractors.push_back(std::make_unique<OnsetFeatureExtractor>(stft.frame_frames, signal.sample_rate_hz, options.function));
  std::vector<OnsetFrameFeatures> features(frames);
  for (auto& feature : features) feature = extractors[0]->make_features();
  const StftVisitor visitor = [&](const StftFrame& frame, std::size_t thread_index) {
    extractors[thread_index]->extract(frame, features[frame.index]);
  };
  run_stft(signal.samples, stft, threads, std::span<const StftVisitor>(&visitor, 1));
  return onsets_from_features(features, static_cast<double>(stft.hop_frames) / signal.sample_rate_hz, options);
}

OnsetResult onsets_from_features(std::span<const OnsetFrameFeatures> features, double frame_period_s,
                                 const OnsetOptions& options) {
  OnsetFunctionState state(options.function);
  std::vector<float> envelope(features.size());
  std::vector<float> accent(features.size(), 0.0f);
  std::vector<float> log_energy(features.size());
  for (std::size_t i = 0; i < features.size(); ++i) {
    envelope[i] = state.next(features[i]);
    log_energy[i] = features[i].log_energy;
    if (i >= 2) accent[i] = std::max(0.0f, std::expm1(features[i].log_energy) - std::expm1(features[i - 2].log_energy));
  }
  OnsetResult result = pick_onsets(std::move(envelope), frame_period_s, options, log_energy);
  result.accent = std::move(accent);
  return result;
}

Expected<OnsetResult> detect_onsets(std::span<const float> samples, double sample_rate_hz, const OnsetOptions& options) {
  RESOUND_TRY_VOID(validate(options));
  auto signal = make_analysis_signal(samples, sample_rate_hz);
  if (!signal) return std::move(signal).error();
  return detect_onsets(*signal, options);
}

}  // namespace resound::analysis
