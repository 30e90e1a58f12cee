// One-pass analysis: mono signal, shared STFT with pitch and onset visitors, then tempo, loudness, waveform.
#include "resound/analysis/analyze.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "resound/analysis/pitch_onsets.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/yin.hpp"

namespace resound::analysis {

namespace {

// Runs `task` on a new thread when `parallel`, else at once; join() waits for it either way and
// rethrows what it threw (std::bad_alloc from a huge input), as running it inline would have.
// Every task below writes only its own results, so running it beside the others changes nothing
// but the wall time.
class SideTask {
 public:
  template <typename Task>
  SideTask(bool parallel, Task&& task) {
    if (!parallel) {
      task();
      return;
    }
    thread_ = std::jthread([this, task = std::forward<Task>(task)]() mutable {
      try {
        task();
      } catch (...) {
        failure_ = std::current_exception();
      }
    });
  }
  SideTask(const SideTask&) = delete;
  SideTask& operator=(const SideTask&) = delete;
  void join() {
    if (thread_.joinable()) thread_.join();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  std::exception_ptr failure_;
  std::jthread thread_;  // last member: joined on destruction first, so an early return never leaves it running
};

}  // namespace

Expected<AnalysisReport> analyze_audio(ConstAudioView audio, double sample_rate_hz, const AnalysisOptions& options) {
  RESOUND_TRY_VOID(validate(options.pitch_options));
  RESOUND_TRY_VOID(validate(options.onset_options));
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz));
  AnalysisReport report;
  report.sample_rate_hz = sample_rate_hz;
  report.duration_s = static_cast<double>(audio.frame_count()) / sample_rate_hz;
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  const bool parallel = threads > 1;

  // Loudness and the waveform pyramid read the input itself, not the analysis signal: with a
  // second thread they run beside everything else.
  std::optional<Expected<LoudnessResult>> loudness;
  std::optional<Expected<WaveformPyramid>> pyramid;
  SideTask levels(parallel && (options.loudness || options.waveform), [&] {
    if (options.loudness) loudness.emplace(measure_loudness(audio, sample_rate_hz));
    if (options.waveform) pyramid.emplace(WaveformPyramid::build(audio, sample_rate_hz));
  });

  const double analysis_rate_hz = sample_rate_hz / static_cast<double>(std::size_t{1} << decimation_stages_for(sample_rate_hz));
  const StftOptions stft = pitch_stft_options(analysis_rate_hz);
  const double frame_period_s = static_cast<double>(stft.hop_frames) / analysis_rate_hz;
  PitchOptions pitch_options = options.pitch_options;
  pitch_options.threads = threads;
  const bool want_envelope = options.onsets || options.tempo;

  // The per-thread analyzers plan their FFTs (FFTW's first plan of a size costs as much as a
  // few hundred frames) while the analysis signal is being made.
  std::vector<std::unique_ptr<YinFrameAnalyzer>> yin_analyzers;
  std::vector<std::unique_ptr<OnsetFeatureExtractor>> extractors;
  SideTask planning(parallel, [&] {
    for (std::size_t t = 0; t < threads && options.pitch != PitchMethod::kNone; ++t)
      yin_analyzers.push_back(std::make_unique<YinFrameAnalyzer>(stft.frame_frames, analysis_rate_hz, pitch_options));
    for (std::size_t t = 0; t < threads && want_envelope; ++t)
      extractors.push_back(
          std::make_unique<OnsetFeatureExtractor>(stft.frame_frames, analysis_rate_hz, options.onset_options.function));
  });
  auto signal = make_analysis_signal(audio, sample_rate_hz);
  planning.join();
  if (!signal) return std::move(signal).error();

  const std::size_t frames = stft_frame_count(signal->samples.size(), stft);
  std::vector<StftVisitor> visitors;
  PitchCandidateFrames candidates(options.pitch == PitchMethod::kPyin ? frames : 0);
  PitchTrack yin_track;
  if (options.pitch == PitchMethod::kPyin) {
    visitors.push_back(make_pyin_visitor(yin_analyzers, candidates));
  } else if (options.pitch == PitchMethod::kYin) {
    yin_track = make_pitch_track(frames, frame_period_s);
    visitors.push_back(make_yin_visitor(yin_analyzers, yin_track, pitch_options));
  }
  std::vector<OnsetFrameFeatures> features;
  if (want_envelope) {
    features.resize(frames);
    for (auto& feature : features) feature = extractors[0]->make_features();
    visitors.push_back([&](const StftFrame& frame, std::size_t thread_index) {
      extractors[thread_index]->extract(frame, features[frame.index]);
    });
  }

  if (!visitors.empty()) run_stft(signal->samples, stft, threads, visitors);

  // Onset picking and beat tracking need only the features: beside the (serial) Viterbi.
  std::optional<OnsetResult> onsets;
  SideTask rhythm(parallel && want_envelope && options.pitch == PitchMethod::kPyin, [&] {
    if (!want_envelope) return;
    onsets = onsets_from_features(features, frame_period_s, options.onset_options);
    if (options.tempo)
      report.beats = track_beats(onsets->envelope, frame_period_s, options.onset_options.latency_s, options.tempo_options,
                                 onsets->accent);
  });
  if (options.pitch == PitchMethod::kPyin) report.pitch = decode_pyin(candidates, pitch_options, frame_period_s);
  if (options.pitch == PitchMethod::kYin) report.pitch = std::move(yin_track);
  rhythm.join();
  if (onsets && options.onsets) {
    if (options.pitch_change_onsets && report.pitch)
      merge_onsets(*onsets, pitch_change_onsets(*report.pitch, signal->sample_rate_hz));
    report.onsets = std::move(onsets);
  }

  levels.join();
  if (loudness) {
    if (!*loudness) return std::move(*loudness).error();
    report.loudness = std::move(**loudness);
  }
  if (pyramid) {
    if (!*pyramid) return std::move(*pyramid).error();
    report.waveform = std::move(**pyramid);
  }
  return report;
}

}  // namespace resound::analysis
