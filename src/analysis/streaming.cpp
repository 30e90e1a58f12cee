// Streaming decimation, fixed-lag pYIN and streaming onset detection over the shared STFT code.
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/streaming.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace resound::analysis {

StreamingDecimation::StreamingDecimation(double sample_rate_hz)
    : stages_(decimation_stages_for(sample_rate_hz)),
      stage_inputs_(stages_.size(), 0),
      stage_outputs_(stages_.size(), 0),
      analysis_rate_hz_(sample_rate_hz / static_cast<double>(std::size_t{1} << stages_.size())) {}

std::span<const float> StreamingDecimation::push(std::span<const float> input) {
  input_frames_ += input.size();
  scratch_a_.assign(input.begin(), input.end());
  for (auto& value : scratch_a_)
    if (!std::isfinite(value)) value = 0.0f;
  for (std::size_t s = 0; s < stages_.size(); ++s) {
    scratch_b_.resize(scratch_a_.size() / 2 + 2);
    stage_inputs_[s] += scratch_a_.size();
    const std::size_t produced = stages_[s].push(scratch_a_, scratch_b_);
    stage_outputs_[s] += produced;
    scratch_b_.resize(produced);
    std::swap(scratch_a_, scratch_b_);
  }
  return scratch_a_;
}

std::span<const float> StreamingDecimation::flush() {
  scratch_a_.clear();
  for (std::size_t s = 0; s < stages_.size(); ++s) {
    // Push what earlier stages released, then drain this stage; keep ceil(n/2) outputs in total.
    scratch_b_.resize(scratch_a_.size() / 2 + HalfBandDecimator::kLookaheadFrames + 4);
    stage_inputs_[s] += scratch_a_.size();
    std::size_t produced = stages_[s].push(scratch_a_, scratch_b_);
    produced += stages_[s].flush(std::span<float>(scratch_b_).subspan(produced));
    const std::size_t wanted = (stage_inputs_[s] + 1) / 2;
    const std::size_t allowed = wanted > stage_outputs_[s] ? wanted - stage_outputs_[s] : 0;
    produced = std::min(produced, allowed);
    stage_outputs_[s] += produced;
    scratch_b_.resize(produced);
    std::swap(scratch_a_, scratch_b_);
  }
  return scratch_a_;
}

Expected<std::unique_ptr<StreamingPitchTracker>> StreamingPitchTracker::create(double sample_rate_hz,
                                                                               const PitchOptions& options, double lag_s) {
  RESOUND_TRY_VOID(validate(options));
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz, 1000.0));
  if (!(lag_s >= 0.0 && lag_s <= 10.0))
    return Error{ErrorCode::kInvalidArgument, "lag must be between 0 and 10 s", {.field = "lag_s"}};
  return std::unique_ptr<StreamingPitchTracker>(new StreamingPitchTracker(sample_rate_hz, options, lag_s));
}

StreamingPitchTracker::StreamingPitchTracker(double sample_rate_hz, const PitchOptions& options, double lag_s)
    : options_(options),
      decimation_(sample_rate_hz),
      stft_(pitch_stft_options(decimation_.analysis_rate_hz())),
      yin_(stft_.options().frame_frames, decimation_.analysis_rate_hz(), options),
      hmm_(options, static_cast<double>(stft_.options().hop_frames) / decimation_.analysis_rate_hz()),
      frame_period_s_(static_cast<double>(stft_.options().hop_frames) / decimation_.analysis_rate_hz()),
      lag_(static_cast<std::size_t>(std::lround(lag_s / frame_period_s_))),
      states_(hmm_.state_count()),
      deltas_((lag_ + 1) * states_),
      candidates_((lag_ + 1) * PitchCandidateFrames::kMaxPerFrame),
      candidate_counts_(lag_ + 1, 0),
      probabilities_(lag_ + 1, 0.0f),
      emission_(states_) {}

double StreamingPitchTracker::latency_s() const noexcept {
  return static_cast<double>(lag_) * frame_period_s_ +
         static_cast<double>(stft_.options().frame_frames - stft_time_offset_frames(stft_.options())) / decimation_.analysis_rate_hz();
}

void StreamingPitchTracker::on_frame(const StftFrame& frame) {
  const std::size_t slot = frames_ % (lag_ + 1);
  std::size_t count = 0;
  if (yin_.analyse(frame)) {
    std::array<PitchCandidate, 32> found{};
    count = yin_.probabilistic_candidates(found);
    // Same selection as PitchCandidateFrames::store: the most probable kMaxPerFrame.
    if (count > PitchCandidateFrames::kMaxPerFrame) {
      std::partial_sort(found.begin(), found.begin() + PitchCandidateFrames::kMaxPerFrame, found.begin() + static_cast<std::ptrdiff_t>(count),
                        [](const PitchCandidate& a, const PitchCandidate& b) { return a.probability > b.probability; });
      count = PitchCandidateFrames::kMaxPerFrame;
    }
    std::copy_n(found.begin(), count, candidates_.begin() + static_cast<std::ptrdiff_t>(slot * PitchCandidateFrames::kMaxPerFrame));
  }
  candidate_counts_[slot] = count;
  const std::span<const PitchCandidate> frame_candidates(candidates_.data() + slot * PitchCandidateFrames::kMaxPerFrame, count);
  probabilities_[slot] = hmm_.emission(frame_candidates, emission_);
  const std::span<float> delta(deltas_.data() + slot * states_, states_);
  if (frames_ == 0) {
    hmm_.start(emission_, delta);
  } else {
    const std::size_t previous = (frames_ - 1) % (lag_ + 1);
    // step() may not alias: with lag 0 the ring has one slot, so go through the emission buffer.
    if (previous == slot) {
      std::vector<float> old(delta.begin(), delta.end());
      hmm_.step(old, emission_, delta);
    } else {
      hmm_.step(std::span<const float>(deltas_.data() + previous * states_, states_), emission_, delta);
    }
  }
  ++frames_;
  if (frames_ > lag_) backtrack_and_emit(frames_ - 1, frames_ - 1 - lag_, *output_);
}

void StreamingPitchTracker::decide(std::size_t frame, std::size_t state, std::vector<PitchFrame>& out) const {
  const std::size_t slot = frame % (lag_ + 1);
  const std::span<const PitchCandidate> frame_candidates(candidates_.data() + slot * PitchCandidateFrames::kMaxPerFrame,
                                                         candidate_counts_[slot]);
  PitchFrame result;
  result.index = frame;
  result.time_s = static_cast<double>(frame) * frame_period_s_;
  result.frequency_hz = hmm_.state_frequency_hz(state, frame_candidates);
  result.voiced = result.frequency_hz > 0.0f;
  result.voiced_probability = probabilities_[slot];
  result.candidate_frequency_hz = hmm_.candidate_pitch_hz(state, frame_candidates);
  out.push_back(result);
}

// Backtracks from the best state of `last_frame` down to `until_frame` and emits the frames from
// `decided_` through `until_frame` (all in the ring).
void StreamingPitchTracker::backtrack_and_emit(std::size_t last_frame, std::size_t until_frame, std::vector<PitchFrame>& out) {
  std::vector<std::size_t> path(last_frame - decided_ + 1);
  std::size_t state = PitchHmm::best_state(std::span<const float>(deltas_.data() + (last_frame % (lag_ + 1)) * states_, states_));
  path.back() = state;
  for (std::size_t frame = last_frame; frame > decided_; --frame) {
    state = hmm_.best_predecessor(std::span<const float>(deltas_.data() + ((frame - 1) % (lag_ + 1)) * states_, states_), state);
    path[frame - 1 - decided_] = state;
  }
  for (std::size_t frame = decided_; frame <= until_frame; ++frame) decide(frame, path[frame - decided_], out);
  decided_ = until_frame + 1;
}

std::vector<PitchFrame> StreamingPitchTracker::push(std::span<const float> samples) {
  std::vector<PitchFrame> out;
  output_ = &out;
  const auto decimated = decimation_.push(samples);
  stft_.push(decimated, [this](const StftFrame& frame, std::size_t) { on_frame(frame); });
  output_ = nullptr;
  return out;
}

std::vector<PitchFrame> StreamingPitchTracker::flush() {
  std::vector<PitchFrame> out;
  output_ = &out;
  const auto decimated = decimation_.flush();
  const StftVisitor visitor = [this](const StftFrame& frame, std::size_t) { on_frame(frame); };
  stft_.push(decimated, visitor);
  stft_.flush(visitor);
  if (frames_ > decided_) backtrack_and_emit(frames_ - 1, frames_ - 1, out);
  output_ = nullptr;
  return out;
}

Expected<std::unique_ptr<StreamingOnsetDetector>> StreamingOnsetDetector::create(double sample_rate_hz,
                                                                                 const OnsetOptions& options) {
  RESOUND_TRY_VOID(validate(options));
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz, 1000.0));
  return std::unique_ptr<StreamingOnsetDetector>(new StreamingOnsetDetector(sample_rate_hz, options));
}

StreamingOnsetDetector::StreamingOnsetDetector(double sample_rate_hz, const OnsetOptions& options)
    : options_(options),
      decimation_(sample_rate_hz),
      stft_(pitch_stft_options(decimation_.analysis_rate_hz())),
      extractor_(stft_.options().frame_frames, decimation_.analysis_rate_hz(), options.function),
      features_(extractor_.make_features()),
      function_(options.function),
      picker_(options, static_cast<double>(stft_.options().hop_frames) / decimation_.analysis_rate_hz()),
      frame_period_s_(static_cast<double>(stft_.options().hop_frames) / decimation_.analysis_rate_hz()) {}

void StreamingOnsetDetector::on_frame(const StftFrame& frame, std::vector<double>& out) {
  extractor_.extract(frame, features_);
  std::size_t onset_frame = 0;
  float strength = 0.0f;
  if (picker_.push(function_.next(features_), features_.log_energy, onset_frame, strength))
    out.push_back(picker_.onset_time_s(onset_frame));
}

std::vector<double> StreamingOnsetDetector::push(std::span<const float> samples) {
  std::vector<double> out;
  const auto decimated = decimation_.push(samples);
  stft_.push(decimated, [&](const StftFrame& frame, std::size_t) { on_frame(frame, out); });
  return out;
}

std::vector<double> StreamingOnsetDetector::flush() {
  std::vector<double> out;
  const auto decimated = decimation_.flush();
  const StftVisitor visitor = [&](const StftFrame& frame, std::size_t) { on_frame(frame, out); };
  stft_.push(decimated, visitor);
  stft_.flush(visitor);
  const std::size_t frames = stft_.frames_emitted();
  picker_.flush([&](std::size_t onset_frame, float) {
    if (onset_frame < frames) out.push_back(picker_.onset_time_s(onset_frame));
  });
  return out;
}

}  // namespace resound::analysis
