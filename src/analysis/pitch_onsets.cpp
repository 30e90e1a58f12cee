// Pitch-change onsets from a pitch track, merged into the spectral onsets.
#include "resound/analysis/pitch_onsets.hpp"

#include <algorithm>
#include <cmath>
#include <array>

#include "resound/analysis/yin.hpp"

namespace resound::analysis {

namespace {

double midi_of(float frequency_hz) { return 69.0 + 12.0 * std::log2(static_cast<double>(frequency_hz) / 440.0); }

// Median of the pitch (MIDI) of frames [first, first + count), or NaN when one is unvoiced.
double voiced_median(const PitchTrack& pitch, std::size_t first, std::size_t count, double& spread) {
  std::array<double, 16> values{};
  count = std::min(count, values.size());
  for (std::size_t i = 0; i < count; ++i) {
    if (!pitch.voiced[first + i] || !(pitch.frequency_hz[first + i] > 0.0f)) return std::nan("");
    values[i] = midi_of(pitch.frequency_hz[first + i]);
  }
  std::sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count));
  spread = values[count - 1] - values[0];
  return values[count / 2];
}

}  // namespace

std::vector<double> pitch_change_onsets(const PitchTrack& pitch, double analysis_rate_hz, const PitchOnsetOptions& options) {
  std::vector<double> times;
  const std::size_t side = std::clamp<std::size_t>(options.side_frames, 1, 16);
  if (pitch.size() < 2 * side + 1 || !(analysis_rate_hz > 0.0)) return times;
  const StftOptions layout = pitch_stft_options(analysis_rate_hz);
  const double detection_delay_s = static_cast<double>(layout.frame_frames / 4) / analysis_rate_hz;
  for (std::size_t i = side; i + side <= pitch.size(); ++i) {
    double before_spread = 0.0;
    double after_spread = 0.0;
    const double before = voiced_median(pitch, i - side, side, before_spread);
    const double after = voiced_median(pitch, i, side, after_spread);
    if (std::isnan(before) || std::isnan(after)) continue;
    if (std::abs(after - before) <= options.min_change_semitones || after_spread >= options.max_spread_semitones ||
        before_spread >= options.max_spread_semitones)
      continue;
    const double time = std::max(0.0, pitch.times_s[i] - detection_delay_s);
    if (!times.empty() && time - times.back() <= options.min_gap_s) continue;
    times.push_back(time);
  }
  return times;
}

void merge_onsets(OnsetResult& onsets, const std::vector<double>& extra, const PitchOnsetOptions& options) {
  for (const double time : extra) {
    const auto next = std::lower_bound(onsets.onset_times_s.begin(), onsets.onset_times_s.end(), time);
    const bool near_next = next != onsets.onset_times_s.end() && *next - time <= options.merge_window_s;
    const bool near_previous = next != onsets.onset_times_s.begin() && time - *(next - 1) <= options.merge_window_s;
    if (near_next || near_previous) continue;
    const auto position = next - onsets.onset_times_s.begin();
    const auto frame = onsets.frame_period_s > 0.0 ? static_cast<std::size_t>(std::lround(time / onsets.frame_period_s)) : 0;
    onsets.onset_times_s.insert(next, time);
    onsets.onset_frames.insert(onsets.onset_frames.begin() + position, frame);
    onsets.strengths.insert(onsets.strengths.begin() + position, 0.0f);
  }
}

}  // namespace resound::analysis
