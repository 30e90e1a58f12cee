// Offline pYIN: YIN candidates from the shared STFT, then Viterbi decoding of the pitch HMM.
#include "resound/analysis/pyin.hpp"

#include <algorithm>
#include <array>
#include <memory>

#include "resound/analysis/pitch_hmm.hpp"

namespace resound::analysis {

void PitchCandidateFrames::store(std::size_t index, std::span<PitchCandidate> candidates) noexcept {
  if (candidates.size() > kMaxPerFrame) {
    std::partial_sort(candidates.begin(), candidates.begin() + kMaxPerFrame, candidates.end(),
                      [](const PitchCandidate& a, const PitchCandidate& b) { return a.probability > b.probability; });
    candidates = candidates.first(kMaxPerFrame);
  }
  std::copy(candidates.begin(), candidates.end(), candidates_.begin() + static_cast<std::ptrdiff_t>(index * kMaxPerFrame));
  counts_[index] = candidates.size();
}

StftVisitor make_pyin_visitor(std::vector<std::unique_ptr<YinFrameAnalyzer>>& analyzers, PitchCandidateFrames& frames) {
  return [&analyzers, &frames](const StftFrame& frame, std::size_t thread_index) {
    auto& analyzer = *analyzers[thread_index];
    if (!analyzer.analyse(frame)) return;
    std::array<PitchCandidate, 32> candidates{};
    const std::size_t count = analyzer.probabilistic_candidates(candidates);
    frames.store(frame.index, std::span<PitchCandidate>(candidates.data(), count));
  };
}

PitchTrack decode_pyin(const PitchCandidateFrames& frames, const PitchOptions& options, double frame_period_s) {
  PitchHmm hmm(options, frame_period_s);
  const std::size_t count = frames.frame_count();
  const std::size_t states = hmm.state_count();
  PitchTrack track = make_pitch_track(count, frame_period_s);
  // Every row is written by emission(): no need to zero 4·frames·states bytes first.
  const auto emissions = std::make_unique_for_overwrite<float[]>(count * states);
  for (std::size_t t = 0; t < count; ++t) {
    track.voiced_probability[t] = hmm.emission(frames.frame(t), std::span<float>(emissions.get() + t * states, states));
  }
  const std::vector<std::size_t> path = viterbi_decode(hmm, std::span<const float>(emissions.get(), count * states), count);
  for (std::size_t t = 0; t < count; ++t) {
    track.frequency_hz[t] = hmm.state_frequency_hz(path[t], frames.frame(t));
    track.voiced[t] = track.frequency_hz[t] > 0.0f ? 1 : 0;
    track.candidate_frequency_hz[t] = hmm.candidate_pitch_hz(path[t], frames.frame(t));
  }
  return track;
}

PitchTrack pyin(const AnalysisSignal& signal, const PitchOptions& options) {
  const StftOptions stft = pitch_stft_options(signal.sample_rate_hz);
  PitchCandidateFrames frames(stft_frame_count(signal.samples.size(), stft));
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  std::vector<std::unique_ptr<YinFrameAnalyzer>> analyzers;
  for (std::size_t t = 0; t < threads; ++t)
    analyzers.push_back(std::make_unique<YinFrameAnalyzer>(stft.frame_frames, signal.sample_rate_hz, options));
  const StftVisitor visitor = make_pyin_visitor(analyzers, frames);
  run_stft(signal.samples, stft, threads, std::span<const StftVisitor>(&visitor, 1));
  return decode_pyin(frames, options, static_cast<double>(stft.hop_frames) / signal.sample_rate_hz);
}

Expected<PitchTrack> pyin(std::span<const float> samples, double sample_rate_hz, const PitchOptions& options) {
  RESOUND_TRY_VOID(validate(options));
  auto signal = make_analysis_signal(samples, sample_rate_hz);
  if (!signal) return std::move(signal).error();
  return pyin(*signal, options);
}

}  // namespace resound::analysis
