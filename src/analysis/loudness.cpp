// EBU R128 loudness meter: K-weighting biquads, 100 ms sub-blocks, histogram gating, LRA.
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/loudness.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resound/analysis/true_peak.hpp"
#include "resound/core/units.hpp"

namespace resound::analysis {

namespace {

constexpr double kAbsoluteGateLufs = -70.0;
constexpr double kRelativeGateLu = -10.0;
constexpr double kRangeRelativeGateLu = -20.0;

double power_to_lufs(double power) { return power > 0.0 ? -0.691 + 10.0 * std::log10(power) : kNoLoudnessLufs; }
double lufs_to_power(double lufs) { return std::pow(10.0, (lufs + 0.691) / 10.0); }

}  // namespace

Expected<void> LoudnessMeter::prepare(double sample_rate_hz, std::size_t channel_count) {
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz, 1000.0));
  if (channel_count == 0 || channel_count > kMaxChannels)
    return Error{ErrorCode::kInvalidArgument, "loudness supports 1 to 8 channels", {.field = "channels"}};
  sample_rate_hz_ = sample_rate_hz;
  channels_ = channel_count;
  block_frames_ = static_cast<std::size_t>(std::lround(sample_rate_hz / 10.0));
  // BS.1770 K-weighting for any rate: the stage-1 high shelf (+4 dB above ~1.7 kHz) and the stage-2
  // RLB high-pass, both from their analogue prototypes by the bilinear transform.
  {
    const double f0 = 1681.974450955533;
    const double gain_db = 3.999843853973347;
    const double q = 0.7071752369554196;
    const double k = std::tan(std::numbers::pi * f0 / sample_rate_hz);
    const double vh = std::pow(10.0, gain_db / 20.0);
    const double vb = std::pow(vh, 0.4996667741545416);
    const double a0 = 1.0 + k / q + k * k;
    shelf_ = {(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
              2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
  }
  {
    const double f0 = 38.13547087602444;
    const double q = 0.5003270373238773;
    const double k = std::tan(std::numbers::pi * f0 / sample_rate_hz);
    const double a0 = 1.0 + k / q + k * k;
    highpass_ = {1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0};
  }
  for (std::size_t c = 0; c < kMaxChannels; ++c) {
    double weight = c < 3 ? 1.0 : 1.41;
    if (channel_count == 6 && c == 3) weight = 0.0;  // LFE of 5.1
    weight_[c] = c < channel_count ? weight : 0.0;
  }
  gating_power_sum_.assign(kHistogramBins, 0.0);
  gating_count_.assign(kHistogramBins, 0);
  short_term_count_.assign(kHistogramBins, 0);
  reset();
  return ok();
}

void LoudnessMeter::reset() noexcept {
  state_.fill({});
  block_fill_ = 0;
  completed_blocks_ = 0;
  block_sum_ = 0.0;
  recent_power_.fill(0.0);
  std::fill(gating_power_sum_.begin(), gating_power_sum_.end(), 0.0);
  std::fill(gating_count_.begin(), gating_count_.end(), 0);
  std::fill(short_term_count_.begin(), short_term_count_.end(), 0);
}

std::size_t LoudnessMeter::histogram_bin(double lufs) noexcept {
  const double position = (lufs - kHistogramLowLufs) / kHistogramStepLu;
  return static_cast<std::size_t>(std::clamp(position, 0.0, static_cast<double>(kHistogramBins - 1)));
}

void LoudnessMeter::process(ConstAudioView block) noexcept {
  if (block_frames_ == 0) return;
  const std::size_t channels = std::min(channels_, block.channel_count());
  std::size_t offset = 0;
  const std::size_t frames = block.frame_count();
  while (offset < frames) {
    const std::size_t count = std::min(frames - offset, block_frames_ - block_fill_);
    for (std::size_t c = 0; c < channels; ++c) {
      if (weight_[c] == 0.0) continue;
      const auto input = block.channel(c).subspan(offset, count);
      ChannelState state = state_[c];
      double sum = 0.0;
      for (float raw : input) {
        const double x = std::isfinite(raw) ? raw : 0.0;
        // Transposed direct form II, double precision: the 38 Hz high-pass pole sits close to 1.
        const double shelved = shelf_.b0 * x + state.z1_shelf;
        state.z1_shelf = shelf_.b1 * x - shelf_.a1 * shelved + state.z2_shelf;
        state.z2_shelf = shelf_.b2 * x - shelf_.a2 * shelved;
        const double weighted = highpass_.b0 * shelved + state.z1_highpass;
        state.z1_highpass = highpass_.b1 * shelved - highpass_.a1 * weighted + state.z2_highpass;
        state.z2_highpass = highpass_.b2 * shelved - highpass_.a2 * weighted;
        sum += weighted * weighted;
      }
      state_[c] = state;
      block_sum_ += weight_[c] * sum;
    }
    block_fill_ += count;
    offset += count;
    if (block_fill_ == block_frames_) finish_block();
  }
}

void LoudnessMeter::finish_block() noexcept {
  recent_power_[completed_blocks_ % recent_power_.size()] = block_sum_ / static_cast<double>(block_frames_);
  ++completed_blocks_;
  block_sum_ = 0.0;
  block_fill_ = 0;
  if (completed_blocks_ >= 4) {
    const double power = window_power(4);
    const double lufs = power_to_lufs(power);
    if (lufs > kAbsoluteGateLufs) {
      const std::size_t bin = histogram_bin(lufs);
      gating_power_sum_[bin] += power;
      ++gating_count_[bin];
    }
  }
  if (completed_blocks_ >= 30) {
    const double lufs = power_to_lufs(window_power(30));
    if (lufs > kAbsoluteGateLufs) ++short_term_count_[histogram_bin(lufs)];
  }
}

double LoudnessMeter::window_power(std::size_t blocks) const noexcept {
  double sum = 0.0;
  for (std::size_t i = 0; i < blocks; ++i) sum += recent_power_[(completed_blocks_ - 1 - i) % recent_power_.size()];
  return sum / static_cast<double>(blocks);
}

double LoudnessMeter::momentary_lufs() const noexcept {
  return completed_blocks_ >= 4 ? power_to_lufs(window_power(4)) : kNoLoudnessLufs;
}

double LoudnessMeter::short_term_lufs() const noexcept {
  // Before 3 s have passed, the short-term window covers what there is (as meters display it).
  if (completed_blocks_ == 0) return kNoLoudnessLufs;
  return power_to_lufs(window_power(std::min<std::size_t>(30, completed_blocks_)));
}

double LoudnessMeter::integrated_lufs() const noexcept {
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t bin = 0; bin < gating_count_.size(); ++bin) {
    sum += gating_power_sum_[bin];
    count += gating_count_[bin];
  }
  if (count == 0) return kNoLoudnessLufs;
  const double relative_gate = power_to_lufs(sum / static_cast<double>(count)) + kRelativeGateLu;
  const double gate_power = lufs_to_power(relative_gate);
  sum = 0.0;
  count = 0;
  for (std::size_t bin = histogram_bin(relative_gate); bin < gating_count_.size(); ++bin) {
    if (gating_count_[bin] == 0) continue;
    // The gate falls inside this bin: decide by the bin's mean block power.
    if (gating_power_sum_[bin] / static_cast<double>(gating_count_[bin]) <= gate_power) continue;
    sum += gating_power_sum_[bin];
    count += gating_count_[bin];
  }
  return count == 0 ? kNoLoudnessLufs : power_to_lufs(sum / static_cast<double>(count));
}

double LoudnessMeter::loudness_range_lu() const noexcept {
  // Relative gate: 20 LU below the power mean of the short-term values above the absolute gate.
  double power_sum = 0.0;
  std::size_t count = 0;
  for (std::size_t bin = 0; bin < short_term_count_.size(); ++bin) {
    if (short_term_count_[bin] == 0) continue;
    const double lufs = kHistogramLowLufs + (static_cast<double>(bin) + 0.5) * kHistogramStepLu;
    power_sum += static_cast<double>(short_term_count_[bin]) * lufs_to_power(lufs);
    count += short_term_count_[bin];
  }
  if (count == 0) return 0.0;
  const double gate = power_to_lufs(power_sum / static_cast<double>(count)) + kRangeRelativeGateLu;
  const std::size_t first_bin = histogram_bin(gate);
  std::size_t gated = 0;
  for (std::size_t bin = first_bin; bin < short_term_count_.size(); ++bin) gated += short_term_count_[bin];
  if (gated == 0) return 0.0;
  const auto percentile = [&](double fraction) {
    const auto target = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(gated - 1)));
    std::size_t seen = 0;
    for (std::size_t bin = first_bin; bin < short_term_count_.size(); ++bin) {
      seen += short_term_count_[bin];
      if (seen > target) return kHistogramLowLufs + (static_cast<double>(bin) + 0.5) * kHistogramStepLu;
    }
    return kHistogramLowLufs;
  };
  return percentile(0.95) - percentile(0.10);
}

Expected<LoudnessResult> measure_loudness(ConstAudioView audio, double sample_rate_hz) {
  LoudnessMeter meter;
  RESOUND_TRY_VOID(meter.prepare(sample_rate_hz, std::max<std::size_t>(1, audio.channel_count())));
  LoudnessResult result;
  std::size_t offset = 0;
  while (offset < audio.frame_count()) {
    const std::size_t count = std::min(meter.frames_to_block_end(), audio.frame_count() - offset);
    meter.process(audio.subview(offset, count));
    offset += count;
    if (meter.completed_blocks() > result.times_s.size()) {
      result.times_s.push_back(static_cast<double>(meter.completed_blocks()) / 10.0);
      result.momentary_lufs.push_back(meter.momentary_lufs());
      result.short_term_lufs.push_back(meter.short_term_lufs());
    }
  }
  result.integrated_lufs = meter.integrated_lufs();
  result.loudness_range_lu = meter.loudness_range_lu();
  float peak = 0.0f;
  float sample_peak = 0.0f;
  for (std::size_t c = 0; c < audio.channel_count(); ++c) {
    TruePeakMeter true_peak;
    true_peak.push(audio.channel(c));
    peak = std::max(peak, true_peak.peak());
    sample_peak = std::max(sample_peak, true_peak.sample_peak());
  }
  result.true_peak_dbtp = gain_to_db(peak);
  result.sample_peak_dbfs = gain_to_db(sample_peak);
  return result;
}

}  // namespace resound::analysis
