// One-pass analysis: mono signal, shared STFT with pitch and onset visitors, then tempo, loudness, waveform.
#include "resound/analysis/analyze.hpp"

#include <algorithm>
#include <memory>

#include "resound/analysis/pitch_onsets.hpp"
#include "resound/analysis/pyin.hpp"
#include "resound/analysis/yin.hpp"

namespace resound::analysis {

Expected<AnalysisReport> analyze_audio(ConstAudioView audio, double sample_rate_hz, const AnalysisOptions& options) {
  RESOUND_TRY_VOID(validate(options.pitch_options));
  RESOUND_TRY_VOID(validate(options.onset_options));
  auto signal = make_analysis_signal(audio, sample_rate_hz);
  if (!signal) return std::move(signal).error();
  AnalysisReport report;
  report.sample_rate_hz = sample_rate_hz;
  report.duration_s = static_cast<double>(audio.frame_count()) / sample_rate_hz;

  const StftOptions stft = pitch_stft_options(signal->sample_rate_hz);
  const std::size_t frames = stft_frame_count(signal->samples.size(), stft);
  const double frame_period_s = static_cast<double>(stft.hop_frames) / signal->sample_rate_hz;
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  std::vector<StftVisitor> visitors;

  PitchOptions pitch_options = options.pitch_options;
  pitch_options.threads = threads;
  std::vector<std::unique_ptr<YinFrameAnalyzer>> yin_analyzers;
  PitchCandidateFrames candidates(options.pitch == PitchMethod::kPyin ? frames : 0);
  PitchTrack yin_track;
  if (options.pitch != PitchMethod::kNone) {
    for (std::size_t t = 0; t < threads; ++t)
      yin_analyzers.push_back(std::make_unique<YinFrameAnalyzer>(stft.frame_frames, signal->sample_rate_hz, pitch_options));
    if (options.pitch == PitchMethod::kPyin) {
      visitors.push_back(make_pyin_visitor(yin_analyzers, candidates));
    } else {
      yin_track = make_pitch_track(frames, frame_period_s);
      visitors.push_back(make_yin_visitor(yin_analyzers, yin_track, pitch_options));
    }
  }

  const bool want_envelope = options.onsets || options.tempo;
  std::vector<std::unique_ptr<OnsetFeatureExtractor>> extractors;
  std::vector<OnsetFrameFeatures> features;
  if (want_envelope) {
    for (std::size_t t = 0; t < threads; ++t)
      extractors.push_back(std::make_unique<OnsetFeatureExtractor>(stft.frame_frames, signal->sample_rate_hz,
                                                                   options.onset_options.function));
    features.resize(frames);
    for (auto& feature : features) feature = extractors[0]->make_features();
    visitors.push_back([&](const StftFrame& frame, std::size_t thread_index) {
      extractors[thread_index]->extract(frame, features[frame.index]);
    });
  }

  if (!visitors.empty()) run_stft(signal->samples, stft, threads, visitors);

  if (options.pitch == PitchMethod::kPyin) report.pitch = decode_pyin(candidates, pitch_options, frame_period_s);
  if (options.pitch == PitchMethod::kYin) report.pitch = std::move(yin_track);
  if (want_envelope) {
    OnsetResult onsets = onsets_from_features(features, frame_period_s, options.onset_options);
    if (options.tempo)
      report.beats = track_beats(onsets.envelope, frame_period_s, options.onset_options.latency_s, options.tempo_options,
                                 onsets.accent);
    if (options.onsets && options.pitch_change_onsets && report.pitch)
      merge_onsets(onsets, pitch_change_onsets(*report.pitch, signal->sample_rate_hz));
    if (options.onsets) report.onsets = std::move(onsets);
  }
  if (options.loudness) {
    auto loudness = measure_loudness(audio, sample_rate_hz);
    if (!loudness) return std::move(loudness).error();
    report.loudness = std::move(*loudness);
  }
  if (options.waveform) {
    auto pyramid = WaveformPyramid::build(audio, sample_rate_hz);
    if (!pyramid) return std::move(pyramid).error();
    report.waveform = std::move(*pyramid);
  }
  return report;
}

}  // namespace resound::analysis
