// Glitch bursts: per burst, Gaussian noise shaped in the frequency domain, peak-normalised, ramped up.
#include "voices/glitch_bursts.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "counter_noise.hpp"
#include "resound/dsp/fft.hpp"

namespace resound::track::voices {
namespace {

double average_pair(const ParamMap& params, std::string_view name, std::string_view static_key) {
  const StartEnd pair = transition_param(params, name, static_key, 0.0);
  return (pair.start + pair.end) / 2.0;
}

class GlitchVoice final : public Voice {
 public:
  struct Settings {
    double interval_s, duration_s, level, focus_width_hz, focus_exponent, centre_hz;
  };

  GlitchVoice(std::unique_ptr<Voice> inner, const Settings& s, double rate_hz, std::uint64_t seed)
      : Voice(inner->length_frames()), inner_(std::move(inner)), settings_(s), rate_hz_(rate_hz), seed_(seed),
        burst_frames_(static_cast<std::int64_t>(s.duration_s * rate_hz)),
        fft_(static_cast<std::size_t>(std::max<std::int64_t>(2, burst_frames_))) {
    const double total_s = static_cast<double>(length_frames()) / rate_hz;
    burst_count_ = static_cast<std::int64_t>(total_s / s.interval_s);
    const auto length = static_cast<std::size_t>(burst_frames_);
    bins_.resize(fft_.bin_count());
    noise_.resize(length);
    // Bursts overlap when they last longer than the interval: keep one cached burst per overlapping slot.
    slots_ = static_cast<std::size_t>(std::min(8.0, std::ceil(s.duration_s / s.interval_s) + 1.0));
    cache_.assign(slots_, std::vector<float>(length));
    cached_burst_.assign(slots_, -1);
    gains_.resize(fft_.bin_count());
    for (std::size_t k = 0; k < gains_.size(); ++k) {
      const double f = static_cast<double>(k) * rate_hz / static_cast<double>(length);
      gains_[k] = s.focus_width_hz == 0.0
                      ? 1.0
                      : std::exp(-0.5 * std::pow(std::fabs(f - s.centre_hz) / s.focus_width_hz, s.focus_exponent));
    }
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    inner_->render(first, left, right);
    if (burst_frames_ <= 0) return;
    const std::int64_t last = first + static_cast<std::int64_t>(left.size());
    for (std::int64_t k = first_burst_ending_after(first); k <= burst_count_; ++k) {
      const std::int64_t start = burst_start(k);
      if (start >= last) break;
      if (start + burst_frames_ > length_frames()) continue;  // bursts that would overrun are skipped
      const std::vector<float>& burst = burst_samples(k);
      const std::int64_t from = std::max(first, start);
      const std::int64_t to = std::min(last, start + burst_frames_);
      for (std::int64_t n = from; n < to; ++n) {
        const float value = burst[static_cast<std::size_t>(n - start)];
        left[static_cast<std::size_t>(n - first)] += value;
        right[static_cast<std::size_t>(n - first)] += value;
      }
    }
  }

 private:
  [[nodiscard]] std::int64_t burst_start(std::int64_t k) const noexcept {
    return static_cast<std::int64_t>(std::max(0.0, static_cast<double>(k) * settings_.interval_s - settings_.duration_s) *
                                     rate_hz_);
  }
  /// The first burst index k ≥ 1 whose span may reach `frame` (bursts start in increasing order).
  [[nodiscard]] std::int64_t first_burst_ending_after(std::int64_t frame) const noexcept {
    const double k = (static_cast<double>(frame - burst_frames_) / rate_hz_ + settings_.duration_s) / settings_.interval_s;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(k)) - 1);
  }

  const std::vector<float>& burst_samples(std::int64_t k) noexcept {
    const std::size_t slot = static_cast<std::size_t>(k) % slots_;
    if (cached_burst_[slot] == k) return cache_[slot];
    for (std::size_t j = 0; j < noise_.size(); ++j)
      noise_[j] = static_cast<float>(gaussian(seed_, static_cast<int>(k), static_cast<std::int64_t>(j)));
    fft_.forward(noise_, bins_);
    for (std::size_t b = 0; b < bins_.size(); ++b) bins_[b] *= static_cast<float>(gains_[b]);
    std::vector<float>& out = cache_[slot];
    fft_.inverse(bins_, out);
    float peak = 0.0f;
    for (float x : out) peak = std::max(peak, std::fabs(x));
    const double scale = peak > 0.0f ? 1.0 / peak : 0.0;
    const double denominator = out.size() > 1 ? static_cast<double>(out.size() - 1) : 1.0;
    for (std::size_t j = 0; j < out.size(); ++j)
      out[j] = static_cast<float>(out[j] * scale * (static_cast<double>(j) / denominator) * settings_.level);
    cached_burst_[slot] = k;
    return out;
  }

  std::unique_ptr<Voice> inner_;
  Settings settings_;
  double rate_hz_;
  std::uint64_t seed_;
  std::int64_t burst_frames_;
  std::int64_t burst_count_ = 0;
  dsp::RealFft fft_;
  std::vector<std::complex<float>> bins_;
  std::vector<float> noise_;
  std::vector<double> gains_;
  std::size_t slots_ = 1;
  std::vector<std::vector<float>> cache_;
  std::vector<std::int64_t> cached_burst_;
};

}  // namespace

std::unique_ptr<Voice> add_glitch_bursts(std::unique_ptr<Voice> voice, const VoiceContext& context) {
  const ParamMap& p = context.params;
  GlitchVoice::Settings s{};
  s.interval_s = average_pair(p, "GlitchInterval", "glitchInterval");
  s.duration_s = average_pair(p, "GlitchDur", "glitchDur");
  s.level = average_pair(p, "GlitchNoiseLevel", "glitchNoiseLevel");
  s.focus_width_hz = average_pair(p, "GlitchFocusWidth", "glitchFocusWidth");
  s.focus_exponent = average_pair(p, "GlitchFocusExp", "glitchFocusExp");
  const StartEnd base_hz = transition_param(p, "BaseFreq", "baseFreq", 200.0);
  s.centre_hz = (base_hz.start + base_hz.end) / 2.0;
  if (!(s.interval_s > 0.0 && s.duration_s > 0.0 && s.level > 0.0) || !voice) return voice;
  if (static_cast<std::int64_t>(s.duration_s * context.sample_rate_hz) < 1) return voice;
  return std::make_unique<GlitchVoice>(std::move(voice), s, context.sample_rate_hz, context.seed);
}

}  // namespace resound::track::voices
