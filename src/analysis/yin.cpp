// YIN: FFT-based difference function, cumulative-mean normalisation, dips, fractional-lag refinement.
#include "resound/analysis/yin.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numbers>

#include "resound/dsp/vector_clones.hpp"

namespace resound::analysis {

namespace {

constexpr std::size_t kThresholdCount = 100;  // pYIN thresholds 0.01, 0.02, … 1.00
constexpr float kAbsoluteMinimumWeight = 0.01f;  // pYIN: prior of the deepest dip when no dip is below a threshold
constexpr std::size_t kRefineBelowLag = 24;
// pYIN: dips shallower than this are round-off ripple on an aperiodic frame (a click, the edge of
// the signal), not periods; no threshold of the Beta(2,18) prior reaches them anyway.
constexpr float kMaxCandidateDip = 0.9f;
// pYIN: a period repeats the waveform, so the window shifted by it holds a similar energy; a dip
// where the shifted window is far quieter or louder marks a level change (a click, the signal's
// end), and d' dips there only because d(τ) loses one of its two energies.
constexpr double kMaxShiftedEnergyRatio = 8.0;
constexpr float kSubharmonicMaxDip = 0.35f;       // an earlier dip this periodic claims its multiples…
constexpr float kSubharmonicMargin = 0.1f;        // …unless it is much shallower (a strong 3rd harmonic)…
// …or the multiple's own fundamental is missing from the spectrum (amplitude ratio, −25 dB): then
// the long period is only the common period of a new note and a ringing earlier one (G2 under D3
// repeats every 3 D3 periods) and the note is the short one, however shallow its dip. A real note
// whose fundamental lies 25 dB under its k-th harmonic is rare; a common period's fundamental is
// absent altogether.
constexpr double kMissingFundamentalRatio = 0.056;
// With its fundamental missing the long period is no note, so a shallower short dip may take it.
constexpr float kMissingFundamentalMaxDip = 0.7f;
// Growth weighting of candidates: amplitudes under this fraction of the frame's loudest
// candidate fundamental count as this fraction (no ratios of noise), ratios are clamped to
// [1/kMaxGrowth, kMaxGrowth] and squared (exponents 1–4 and clamps 4–16 were tried on the shared
// clips: 2 and 4 helped piano and cello without lowering any other clip).
constexpr double kGrowthFloor = 0.05;
constexpr double kMaxGrowth = 4.0;
constexpr double kGrowthExponent = 2.0;
// A short period takes a multiple's mass when its fundamental grows (into the 46 ms after the
// window) this many times faster than the multiple's, which decays (6 dB apart).
// (1.5 moved clarinet frames to wrong octaves on the shared clips; 1.75–2.5 all helped band and cello.)
constexpr double kRisingOverRatio = 2.0;

// Cumulative Beta(2, 18) mass over the thresholds (mean 0.1, as in Mauch & Dixon 2014).
const std::array<float, kThresholdCount + 1>& threshold_cdf() {
  static const std::array<float, kThresholdCount + 1> table = [] {
    std::array<double, kThresholdCount + 1> density{};
    double total = 0.0;
    for (std::size_t i = 1; i <= kThresholdCount; ++i) {
      const double s = static_cast<double>(i) / kThresholdCount;
      density[i] = s * std::pow(1.0 - s, 17.0);
      total += density[i];
    }
    std::array<float, kThresholdCount + 1> cdf{};
    double running = 0.0;
    for (std::size_t i = 1; i <= kThresholdCount; ++i) {
      running += density[i] / total;
      cdf[i] = static_cast<float>(running);
    }
    return cdf;
  }();
  return table;
}

// Mass of the thresholds s ≤ value.
float cdf_at(float value) {
  const auto index = static_cast<std::ptrdiff_t>(std::floor(value * static_cast<float>(kThresholdCount) + 1e-4f));
  return threshold_cdf()[static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(index, 0, kThresholdCount))];
}

std::size_t next_power_of_two(std::size_t value) {
  std::size_t result = 1;
  while (result < value) result <<= 1;
  return result;
}

}  // namespace

Expected<void> validate(const PitchOptions& options) {
  if (!(options.min_frequency_hz > 0.0) || !(options.max_frequency_hz > options.min_frequency_hz))
    return Error{ErrorCode::kInvalidArgument, "pitch range must satisfy 0 < min_frequency_hz < max_frequency_hz",
                 {.field = "min_frequency_hz"}};
  if (!(options.yin_threshold > 0.0 && options.yin_threshold < 1.0))
    return Error{ErrorCode::kInvalidArgument, "yin_threshold must be in (0, 1)", {.field = "yin_threshold"}};
  if (!(options.switch_probability > 0.0 && options.switch_probability < 1.0))
    return Error{ErrorCode::kInvalidArgument, "switch_probability must be in (0, 1)", {.field = "switch_probability"}};
  return ok();
}

StftOptions pitch_stft_options(double analysis_rate_hz) noexcept {
  StftOptions options;
  // The window (half the frame) must hold the longest period (A0) so its lag can be measured.
  options.frame_frames = next_power_of_two(static_cast<std::size_t>(std::ceil(2.0 * analysis_rate_hz / 27.5)));
  options.frame_frames = std::max<std::size_t>(options.frame_frames, 256);
  options.hop_frames = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(analysis_rate_hz * 256.0 / 22050.0)));
  options.time_offset_frames = options.frame_frames / 4;  // YIN's window (first half) centred on the frame time
  return options;
}

YinFrameAnalyzer::YinFrameAnalyzer(std::size_t frame_frames, double sample_rate_hz, const PitchOptions& options)
    : sample_rate_hz_(sample_rate_hz),
      frame_frames_(frame_frames),
      window_frames_(frame_frames / 2),
      fft_(frame_frames),
      window_input_(frame_frames),
      window_spectrum_(frame_frames / 2 + 1),
      cross_spectrum_(frame_frames / 2 + 1),
      correlation_(frame_frames),
      energy_prefix_(frame_frames + 1),
      difference_(frame_frames / 2 + 1),
      normalised_(frame_frames / 2 + 1) {
  const double shortest = sample_rate_hz / options.max_frequency_hz;
  const double longest = sample_rate_hz / options.min_frequency_hz;
  min_lag_ = std::max<std::size_t>(2, static_cast<std::size_t>(std::floor(shortest)) - 1);
  max_lag_ = std::min<std::size_t>(window_frames_, static_cast<std::size_t>(std::ceil(longest)) + 2);
  std::fill(window_input_.begin(), window_input_.end(), 0.0f);
  min_lag_ = std::min(min_lag_, max_lag_ > 2 ? max_lag_ - 2 : max_lag_);
}

// An AVX2 clone where the CPU has one (no contraction: every clone computes the same bits).
RESOUND_VECTOR_CLONES_HASWELL
bool YinFrameAnalyzer::analyse(const StftFrame& frame) noexcept {
  const auto& x = frame.samples;
  frame_spectrum_ = frame.spectrum;
  energy_prefix_[0] = 0.0;
  for (std::size_t i = 0; i < frame_frames_; ++i) energy_prefix_[i + 1] = energy_prefix_[i] + static_cast<double>(x[i]) * x[i];
  const double window_energy = energy_prefix_[window_frames_];
  // Below ~-110 dBFS mean square there is nothing to track (and float round-off dominates d).
  silent_ = window_energy < 1e-11 * static_cast<double>(window_frames_);
  if (silent_) {
    std::fill(normalised_.begin(), normalised_.end(), 1.0f);
    return false;
  }
  // The zero padding after the window was written once, by the constructor.
  std::copy_n(x.begin(), window_frames_, window_input_.begin());
  fft_.forward(window_input_.span(), window_spectrum_.span());
  // X·conj(W) written out: std::complex's operator* checks for NaN/inf results (and then calls
  // __mulsc3), which keeps this loop from vectorising; the spectra here are finite.
  for (std::size_t k = 0; k < cross_spectrum_.size(); ++k) {
    const float a = frame.spectrum[k].real(), b = frame.spectrum[k].imag();
    const float c = window_spectrum_[k].real(), d = window_spectrum_[k].imag();
    cross_spectrum_[k] = {a * c + b * d, b * c - a * d};
  }
  fft_.inverse(cross_spectrum_.span(), correlation_.span());

  const float scale = 2.0f / static_cast<float>(frame_frames_);
  const auto e0 = static_cast<float>(window_energy);
  for (std::size_t lag = 0; lag <= max_lag_; ++lag) {
    const auto shifted = static_cast<float>(energy_prefix_[lag + window_frames_] - energy_prefix_[lag]);
    difference_[lag] = std::max(0.0f, e0 + shifted - scale * correlation_[lag]);
  }
  normalised_[0] = 1.0f;
  double running = 0.0;
  for (std::size_t lag = 1; lag <= max_lag_; ++lag) {
    running += difference_[lag];
    normalised_[lag] = running > 0.0 ? static_cast<float>(difference_[lag] * static_cast<double>(lag) / running) : 1.0f;
  }
  return true;
}

double YinFrameAnalyzer::difference_at(double lag) const noexcept {
  // r(lag) = (1/N) Σ_k w_k Re(C_k e^{2πi k lag / N}), evaluated by a rotating phasor.
  const double step = 2.0 * std::numbers::pi * lag / static_cast<double>(frame_frames_);
  const std::complex<double> rotation(std::cos(step), std::sin(step));
  std::complex<double> phasor(1.0, 0.0);
  double sum = 0.0;
  const std::size_t last = cross_spectrum_.size() - 1;
  for (std::size_t k = 0; k <= last; ++k) {
    const double weight = (k == 0 || k == last) ? 1.0 : 2.0;
    const std::complex<double> c(cross_spectrum_[k].real(), cross_spectrum_[k].imag());
    sum += weight * (c.real() * phasor.real() - c.imag() * phasor.imag());
    phasor *= rotation;
  }
  const double correlation = sum / static_cast<double>(frame_frames_);
  const auto lower = static_cast<std::size_t>(std::floor(lag));
  const double fraction = lag - static_cast<double>(lower);
  const double shifted_lower = energy_prefix_[lower + window_frames_] - energy_prefix_[lower];
  const double shifted_upper = energy_prefix_[lower + 1 + window_frames_] - energy_prefix_[lower + 1];
  const double shifted = shifted_lower + fraction * (shifted_upper - shifted_lower);
  return energy_prefix_[window_frames_] + shifted - 2.0 * correlation;
}

float YinFrameAnalyzer::refine_lag(std::size_t lag) const noexcept {
  const auto parabola_vertex = [](double left, double centre, double right) {
    const double curvature = left - 2.0 * centre + right;
    if (!(curvature > 0.0)) return 0.0;
    return std::clamp(0.5 * (left - right) / curvature, -1.0, 1.0);
  };
  double position = static_cast<double>(lag) +
                    parabola_vertex(difference_[lag - 1], difference_[lag], difference_[lag + 1]);
  if (lag < kRefineBelowLag) {
    // Re-fit on ever closer fractional lags: the parabola's bias shrinks with the square of the spacing.
    for (const double spacing : {0.25, 0.0625}) {
      const double low = std::max(1.0, position - spacing);
      const double high = std::min(static_cast<double>(max_lag_ - 1), position + spacing);
      if (!(high > low)) break;
      const double middle = 0.5 * (low + high);
      const double half = 0.5 * (high - low);
      position = middle + half * parabola_vertex(difference_at(low), difference_at(middle), difference_at(high));
    }
  }
  return static_cast<float>(position);
}

double YinFrameAnalyzer::windowed_amplitude(double frequency_hz) const noexcept {
  // The Hann-windowed spectrum from the frame's own (rectangular) one: X_hann[k] =
  // ½X[k] − ¼X[k−1] − ¼X[k+1], at the two bins around the frequency (the larger: the frequency
  // lies inside both Hann main lobes), which is precise enough for a −25 dB decision.
  const auto hann_bin = [&](std::size_t bin) {
    return std::abs(0.5f * frame_spectrum_[bin] - 0.25f * (frame_spectrum_[bin - 1] + frame_spectrum_[bin + 1]));
  };
  const double position = frequency_hz * static_cast<double>(frame_frames_) / sample_rate_hz_;
  const auto lower = static_cast<std::size_t>(std::clamp(std::floor(position), 1.0, static_cast<double>(frame_spectrum_.size() - 3)));
  return std::max(hann_bin(lower), hann_bin(lower + 1));
}

std::pair<double, double> YinFrameAnalyzer::window_and_after_amplitudes(double frequency_hz) const noexcept {
  // W is the spectrum of the window (the first half, zero-padded) and X the whole frame's, so the
  // second half's spectrum is X − W (times a phase ramp that magnitudes ignore). A Hann window of
  // half the frame's length is the 3-tap kernel on bins two apart: H[k] = ½S[k] − ¼(S[k−2] + S[k+2]).
  const auto hann = [](std::complex<float> left, std::complex<float> centre, std::complex<float> right) {
    return static_cast<double>(std::abs(0.5f * centre - 0.25f * (left + right)));
  };
  const double position = frequency_hz * static_cast<double>(frame_frames_) / sample_rate_hz_;
  const auto lower = static_cast<std::size_t>(
      std::clamp(std::floor(position), 2.0, static_cast<double>(window_spectrum_.size() - 4)));
  double window = 0.0;
  double after = 0.0;
  for (std::size_t bin = lower; bin <= lower + 1; ++bin) {
    window = std::max(window, hann(window_spectrum_[bin - 2], window_spectrum_[bin], window_spectrum_[bin + 2]));
    after = std::max(after, hann(frame_spectrum_[bin - 2] - window_spectrum_[bin - 2], frame_spectrum_[bin] - window_spectrum_[bin],
                                 frame_spectrum_[bin + 2] - window_spectrum_[bin + 2]));
  }
  return {window, after};
}

bool YinFrameAnalyzer::rising_over(double rising_hz, double ringing_hz) const noexcept {
  const auto [rising_window, rising_after] = window_and_after_amplitudes(rising_hz);
  const auto [ringing_window, ringing_after] = window_and_after_amplitudes(ringing_hz);
  const double floor = kGrowthFloor * std::max({rising_window, rising_after, ringing_window, ringing_after});
  if (!(floor > 0.0)) return false;
  const double rising = (rising_after + floor) / (rising_window + floor);
  const double ringing = (ringing_after + floor) / (ringing_window + floor);
  return rising > 1.0 && ringing < 1.0 && rising > kRisingOverRatio * ringing;
}

void YinFrameAnalyzer::weight_by_growth(std::span<PitchCandidate> candidates) const noexcept {
  if (candidates.size() < 2) return;
  // A note that has just begun is still rising 80 ms in (a bowed or blown attack takes longer)
  // while the note before it rings out; the common period of the two is often the deepest dip.
  // The truth is the rising one, so candidates are weighted by how their fundamental grows into
  // the 46 ms after the window. Steady notes keep their weights (ratio ≈ 1); a fundamental
  // missing from both halves (a common period) gets ≈ 1 too, from the floor.
  constexpr std::size_t kMax = 32;
  std::array<std::pair<double, double>, kMax> amplitudes{};
  const std::size_t count = std::min(candidates.size(), kMax);
  double loudest = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    amplitudes[i] = window_and_after_amplitudes(candidates[i].frequency_hz);
    loudest = std::max({loudest, amplitudes[i].first, amplitudes[i].second});
  }
  if (!(loudest > 0.0)) return;
  const double floor = kGrowthFloor * loudest;
  double before_total = 0.0;
  double after_total = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double growth = std::clamp((amplitudes[i].second + floor) / (amplitudes[i].first + floor), 1.0 / kMaxGrowth, kMaxGrowth);
    before_total += candidates[i].probability;
    candidates[i].probability *= static_cast<float>(std::pow(growth, kGrowthExponent));
    after_total += candidates[i].probability;
  }
  if (!(after_total > 0.0)) return;
  const auto scale = static_cast<float>(before_total / after_total);
  for (std::size_t i = 0; i < count; ++i) candidates[i].probability *= scale;
}

bool YinFrameAnalyzer::comparable_energy(std::size_t lag) const noexcept {
  const double window = energy_prefix_[window_frames_];
  const double shifted = energy_prefix_[lag + window_frames_] - energy_prefix_[lag];
  return shifted * kMaxShiftedEnergyRatio >= window && shifted <= kMaxShiftedEnergyRatio * window;
}

PitchCandidate YinFrameAnalyzer::best_candidate(double threshold) const noexcept {
  if (silent_) return {};
  std::size_t chosen = 0;
  std::size_t deepest = 0;
  for (std::size_t lag = min_lag_; lag < max_lag_; ++lag) {
    if (!(normalised_[lag] < normalised_[lag - 1] && normalised_[lag] <= normalised_[lag + 1])) continue;
    if (deepest == 0 || normalised_[lag] < normalised_[deepest]) deepest = lag;
    if (normalised_[lag] < threshold) {
      chosen = lag;
      break;
    }
  }
  if (chosen == 0) chosen = deepest;
  if (chosen == 0) return {};
  const float refined = refine_lag(chosen);
  return {static_cast<float>(sample_rate_hz_ / refined), normalised_[chosen], 1.0f - normalised_[chosen]};
}

std::size_t YinFrameAnalyzer::probabilistic_candidates(std::span<PitchCandidate> candidates) const noexcept {
  if (silent_ || candidates.empty()) return 0;
  constexpr std::size_t kMaxDips = 64;
  std::array<std::size_t, kMaxDips> lags{};
  std::array<float, kMaxDips> probabilities{};
  std::size_t dips = 0;
  std::size_t deepest = kMaxDips;
  float running_minimum = 1.0f;
  for (std::size_t lag = min_lag_; lag < max_lag_ && dips < kMaxDips; ++lag) {
    const float dip = normalised_[lag];
    if (!(dip < normalised_[lag - 1] && dip <= normalised_[lag + 1]) || !(dip < kMaxCandidateDip)) continue;
    if (!comparable_energy(lag)) continue;
    // Thresholds in (dip, running minimum] pick this dip: it is the first one below them.
    probabilities[dips] = dip < running_minimum ? cdf_at(running_minimum) - cdf_at(dip) : 0.0f;
    if (deepest == kMaxDips || dip < normalised_[lags[deepest]]) deepest = dips;
    running_minimum = std::min(running_minimum, dip);
    lags[dips++] = lag;
  }
  if (deepest < kMaxDips) probabilities[deepest] += kAbsoluteMinimumWeight * cdf_at(normalised_[lags[deepest]]);
  // Sub-harmonic transfer: a dip at a whole multiple of an earlier, clearly periodic dip is the
  // same period seen again (reverberant arpeggios make the common period of two sounding notes
  // deeper than the note's own); its mass goes to the earlier dip when that one is nearly as deep,
  // when the long period's fundamental is missing, or when the short period's fundamental rises
  // while the long one's rings out (a new note over the previous one: their sum repeats with the
  // old note's period, however shallow the new note's own dip still is).
  for (std::size_t i = 1; i < dips; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (normalised_[lags[j]] > kMissingFundamentalMaxDip) continue;
      const double ratio = static_cast<double>(lags[i]) / static_cast<double>(lags[j]);
      const double nearest = std::round(ratio);
      if (!(nearest >= 2.0 && std::abs(ratio - nearest) < 0.03 * nearest)) continue;
      if ((normalised_[lags[j]] <= kSubharmonicMaxDip && normalised_[lags[j]] <= normalised_[lags[i]] + kSubharmonicMargin) ||
          windowed_amplitude(sample_rate_hz_ / static_cast<double>(lags[i])) <
              kMissingFundamentalRatio * windowed_amplitude(sample_rate_hz_ / static_cast<double>(lags[j])) ||
          rising_over(sample_rate_hz_ / static_cast<double>(lags[j]), sample_rate_hz_ / static_cast<double>(lags[i]))) {
        probabilities[j] += probabilities[i];
        probabilities[i] = 0.0f;
        break;
      }
    }
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < dips && count < candidates.size(); ++i) {
    if (!(probabilities[i] > 0.0f)) continue;
    candidates[count++] = {static_cast<float>(sample_rate_hz_ / refine_lag(lags[i])), normalised_[lags[i]], probabilities[i]};
  }
  weight_by_growth(candidates.first(count));
  return count;
}

PitchTrack make_pitch_track(std::size_t frames, double frame_period_s) {
  PitchTrack track;
  track.frame_period_s = frame_period_s;
  track.times_s.resize(frames);
  for (std::size_t i = 0; i < frames; ++i) track.times_s[i] = static_cast<double>(i) * frame_period_s;
  track.frequency_hz.assign(frames, 0.0f);
  track.voiced.assign(frames, 0);
  track.voiced_probability.assign(frames, 0.0f);
  track.candidate_frequency_hz.assign(frames, 0.0f);
  return track;
}

StftVisitor make_yin_visitor(std::vector<std::unique_ptr<YinFrameAnalyzer>>& analyzers, PitchTrack& track,
                             const PitchOptions& options) {
  return [&analyzers, &track, options](const StftFrame& frame, std::size_t thread_index) {
    auto& analyzer = *analyzers[thread_index];
    if (!analyzer.analyse(frame)) return;
    const PitchCandidate best = analyzer.best_candidate(options.yin_threshold);
    const bool in_range = best.frequency_hz >= options.min_frequency_hz * 0.97 &&
                          best.frequency_hz <= options.max_frequency_hz * 1.03;
    if (!in_range) return;
    track.voiced_probability[frame.index] = std::clamp(best.probability, 0.0f, 1.0f);
    track.candidate_frequency_hz[frame.index] = best.frequency_hz;
    if (best.dip < options.yin_threshold) {
      track.frequency_hz[frame.index] = best.frequency_hz;
      track.voiced[frame.index] = 1;
    }
  };
}

PitchTrack yin(const AnalysisSignal& signal, const PitchOptions& options) {
  const StftOptions stft = pitch_stft_options(signal.sample_rate_hz);
  PitchTrack track = make_pitch_track(stft_frame_count(signal.samples.size(), stft),
                                      static_cast<double>(stft.hop_frames) / signal.sample_rate_hz);
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  std::vector<std::unique_ptr<YinFrameAnalyzer>> analyzers;
  for (std::size_t t = 0; t < threads; ++t)
    analyzers.push_back(std::make_unique<YinFrameAnalyzer>(stft.frame_frames, signal.sample_rate_hz, options));
  const StftVisitor visitor = make_yin_visitor(analyzers, track, options);
  run_stft(signal.samples, stft, threads, std::span<const StftVisitor>(&visitor, 1));
  return track;
}

Expected<PitchTrack> yin(std::span<const float> samples, double sample_rate_hz, const PitchOptions& options) {
  RESOUND_TRY_VOID(validate(options));
  auto signal = make_analysis_signal(samples, sample_rate_hz);
  if (!signal) return std::move(signal).error();
  return yin(*signal, options);
}

}  // namespace resound::analysis
