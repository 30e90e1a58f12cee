// Tempo by prior-weighted autocorrelation of the onset envelope; beats by dynamic programming.
#include "resound/analysis/tempo.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace resound::analysis {

namespace {

constexpr double kMaxFasterLevelBpm = 200.0;

std::vector<float> normalised_envelope(std::span<const float> envelope) {
  std::vector<float> result(envelope.begin(), envelope.end());
  if (result.empty()) return result;
  double sum = 0.0;
  double squares = 0.0;
  for (const float value : result) {
    sum += value;
    squares += static_cast<double>(value) * value;
  }
  const double mean = sum / static_cast<double>(result.size());
  const double deviation = std::sqrt(std::max(0.0, squares / static_cast<double>(result.size()) - mean * mean));
  for (auto& value : result) value = deviation > 0.0 ? static_cast<float>(value / deviation) : 0.0f;
  return result;
}

// Autocorrelation of the mean-removed envelope at integer lags 0…max_lag.
std::vector<double> autocorrelation(std::span<const float> envelope, std::size_t max_lag) {
  const std::size_t n = envelope.size();
  double mean = 0.0;
  for (const float value : envelope) mean += value;
  mean /= static_cast<double>(std::max<std::size_t>(1, n));
  std::vector<double> centred(n);
  for (std::size_t i = 0; i < n; ++i) centred[i] = envelope[i] - mean;
  std::vector<double> result(max_lag + 1, 0.0);
  for (std::size_t lag = 0; lag <= max_lag && lag < n; ++lag) {
    double sum = 0.0;
    for (std::size_t i = lag; i < n; ++i) sum += centred[i] * centred[i - lag];
    result[lag] = sum / static_cast<double>(n - lag);  // unbiased: long lags are not penalised twice
  }
  return result;
}

// How well a beat grid with `period` frames fits: the best mean envelope over all phases.
double grid_strength(std::span<const float> envelope, double period) {
  if (period < 1.0) return 0.0;
  double best = 0.0;
  const auto phases = static_cast<std::size_t>(std::ceil(period));
  for (std::size_t phase = 0; phase < phases; ++phase) {
    double sum = 0.0;
    std::size_t count = 0;
    for (double position = static_cast<double>(phase); position < static_cast<double>(envelope.size()); position += period) {
      const auto index = static_cast<std::size_t>(std::lround(position));
      if (index >= envelope.size()) break;
      // Allow ±1 frame of slack around each grid point.
      float value = envelope[index];
      if (index > 0) value = std::max(value, envelope[index - 1]);
      if (index + 1 < envelope.size()) value = std::max(value, envelope[index + 1]);
      sum += value;
      ++count;
    }
    if (count > 0) best = std::max(best, sum / static_cast<double>(count));
  }
  return best;
}

// Mean over beats of the strongest accent within ±2 frames.
double mean_accent(std::span<const std::size_t> beats, std::span<const float> accent) {
  if (beats.empty()) return 0.0;
  double sum = 0.0;
  for (const std::size_t beat : beats) {
    const std::size_t first = beat >= 2 ? beat - 2 : 0;
    const std::size_t last = std::min(accent.size(), beat + 3);
    float strongest = 0.0f;
    for (std::size_t i = first; i < last; ++i) strongest = std::max(strongest, accent[i]);
    sum += strongest;
  }
  return sum / static_cast<double>(beats.size());
}

// The DP's chain and the chain half a period later score nearly alike when every eighth note
// has an onset; the beat is where the sound gets louder (more notes, the kick), so switch to the
// half-way chain when its accent is clearly (kPhaseSwitchRatio) stronger.
constexpr double kPhaseSwitchRatio = 1.15;

std::vector<std::size_t> choose_beat_phase(std::vector<std::size_t> beats, std::span<const float> accent, double period) {
  if (beats.size() < 4) return beats;
  std::vector<std::size_t> shifted;
  for (std::size_t i = 0; i + 1 < beats.size(); ++i) shifted.push_back((beats[i] + beats[i + 1] + 1) / 2);
  const auto half = static_cast<std::size_t>(std::lround(period / 2.0));
  if (beats.back() + half < accent.size()) shifted.push_back(beats.back() + half);
  if (mean_accent(shifted, accent) > kPhaseSwitchRatio * mean_accent(beats, accent)) return shifted;
  return beats;
}

}  // namespace

double estimate_tempo_bpm(std::span<const float> envelope, double frame_period_s, const TempoOptions& options) {
  if (envelope.size() < 8 || !(frame_period_s > 0.0)) return 0.0;
  const std::vector<float> normalised = normalised_envelope(envelope);
  const double frames_per_minute = 60.0 / frame_period_s;
  const auto min_lag = static_cast<std::size_t>(std::max(1.0, std::floor(frames_per_minute / options.max_bpm)));
  const auto max_lag = static_cast<std::size_t>(std::ceil(frames_per_minute / options.min_bpm));
  if (min_lag + 2 >= normalised.size()) return 0.0;
  const std::vector<double> correlation = autocorrelation(normalised, std::min(max_lag + 1, normalised.size() - 1));
  double best_score = 0.0;
  double best_lag = 0.0;
  for (std::size_t lag = std::max<std::size_t>(min_lag, 1); lag + 1 < correlation.size(); ++lag) {
    if (!(correlation[lag] > correlation[lag - 1] && correlation[lag] >= correlation[lag + 1])) continue;
    const double bpm = frames_per_minute / static_cast<double>(lag);
    const double octaves = std::log2(bpm / options.start_bpm) / options.prior_octaves;
    const double score = correlation[lag] * std::exp(-0.5 * octaves * octaves);
    if (score > best_score) {
      best_score = score;
      // Refine the lag by a parabola through the peak.
      const double left = correlation[lag - 1];
      const double centre = correlation[lag];
      const double right = correlation[lag + 1];
      const double curvature = left - 2.0 * centre + right;
      best_lag = static_cast<double>(lag) + (curvature < 0.0 ? std::clamp(0.5 * (left - right) / curvature, -0.5, 0.5) : 0.0);
    }
  }
  if (!(best_lag > 0.0)) return 0.0;
  // Metrical ambiguity: the autocorrelation peak is often at half or double the felt tempo; keep a
  // faster grid when nearly every one of its beats lands on an onset too.
  const double base = grid_strength(normalised, best_lag);
  double chosen = best_lag;
  for (const double factor : {0.5, 2.0 / 3.0}) {
    const double lag = best_lag * factor;
    const double bpm = frames_per_minute / lag;
    // Felt tempi above ~200 BPM are rare: there the slower level is the beat.
    if (bpm > std::min(options.max_bpm, kMaxFasterLevelBpm) || lag < 2.0) continue;
    if (grid_strength(normalised, lag) > 0.8 * base) {
      chosen = lag;
      break;
    }
  }
  return frames_per_minute / chosen;
}

BeatResult track_beats(std::span<const float> envelope, double frame_period_s, double latency_s, const TempoOptions& options,
                       std::span<const float> accent) {
  BeatResult result;
  result.tempo_bpm = estimate_tempo_bpm(envelope, frame_period_s, options);
  if (!(result.tempo_bpm > 0.0)) return result;
  const std::vector<float> normalised = normalised_envelope(envelope);
  const std::size_t n = normalised.size();
  const double period = 60.0 / result.tempo_bpm / frame_period_s;
  // Local score: the envelope smoothed by a Gaussian of width period/32 (Ellis).
  const double sigma = std::max(1.0, period / 32.0);
  const auto radius = static_cast<std::ptrdiff_t>(std::ceil(3.0 * sigma));
  std::vector<double> local(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::ptrdiff_t d = -radius; d <= radius; ++d) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + d;
      if (j < 0 || j >= static_cast<std::ptrdiff_t>(n)) continue;
      sum += normalised[static_cast<std::size_t>(j)] * std::exp(-0.5 * (static_cast<double>(d) / sigma) * (static_cast<double>(d) / sigma));
    }
    local[i] = sum;
  }
  std::vector<double> cumulative(n, 0.0);
  std::vector<std::ptrdiff_t> backlink(n, -1);
  const auto window_first = static_cast<std::ptrdiff_t>(std::round(2.0 * period));
  const auto window_last = std::max<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(std::round(period / 2.0)));
  for (std::size_t i = 0; i < n; ++i) {
    double best = -1e300;
    std::ptrdiff_t best_index = -1;
    for (std::ptrdiff_t back = window_first; back >= window_last; --back) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) - back;
      if (j < 0) continue;
      const double deviation = std::log(static_cast<double>(back) / period);
      const double score = cumulative[static_cast<std::size_t>(j)] - options.tightness * deviation * deviation;
      if (score > best) {
        best = score;
        best_index = j;
      }
    }
    cumulative[i] = local[i] + (best_index >= 0 ? std::max(0.0, best) : 0.0);
    backlink[i] = best_index >= 0 && best > 0.0 ? best_index : -1;
  }
  // Last beat: among the local maxima of the cumulative score in the final beat period (above half
  // the median of all maxima), the highest. Taking simply the latest one picks the phase by where
  // the recording happens to end; the highest ends the chain whose beats carry the stronger onsets
  // (a chord on the beat rather than the single note between beats).
  std::vector<double> maxima;
  for (std::size_t i = 1; i + 1 < n; ++i)
    if (cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1]) maxima.push_back(cumulative[i]);
  if (maxima.empty()) return result;
  std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(maxima.size() / 2), maxima.end());
  const double median = maxima[maxima.size() / 2];
  std::ptrdiff_t last = -1;
  for (std::size_t i = n - 1; i > 0; --i) {
    if (i + 1 < n && cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1] && cumulative[i] > 0.5 * median) {
      last = static_cast<std::ptrdiff_t>(i);
      break;
    }
  }
  if (last >= 0) {
    const auto latest = static_cast<std::size_t>(last);
    const std::size_t reach = static_cast<std::size_t>(std::ceil(period));
    for (std::size_t i = latest > reach ? latest - reach : 1; i < latest; ++i)
      if (cumulative[i] > cumulative[i - 1] && cumulative[i] >= cumulative[i + 1] && cumulative[i] > cumulative[static_cast<std::size_t>(last)])
        last = static_cast<std::ptrdiff_t>(i);
  }
  std::vector<std::size_t> beats;
  for (std::ptrdiff_t i = last; i >= 0; i = backlink[static_cast<std::size_t>(i)]) beats.push_back(static_cast<std::size_t>(i));
  std::reverse(beats.begin(), beats.end());
  if (accent.size() == n) beats = choose_beat_phase(std::move(beats), accent, period);
  // Trim weak beats at the edges (silence before the music starts / after it stops).
  double local_squares = 0.0;
  for (const auto beat : beats) local_squares += local[beat] * local[beat];
  const double threshold = beats.empty() ? 0.0 : 0.5 * std::sqrt(local_squares / static_cast<double>(beats.size()));
  std::size_t first = 0;
  while (first < beats.size() && local[beats[first]] <= threshold) ++first;
  std::size_t end = beats.size();
  while (end > first && local[beats[end - 1]] <= threshold) --end;
  for (std::size_t i = first; i < end; ++i)
    result.beat_times_s.push_back(std::max(0.0, static_cast<double>(beats[i]) * frame_period_s - latency_s));
  return result;
}

}  // namespace resound::analysis
