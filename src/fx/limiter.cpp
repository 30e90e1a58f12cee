// Limiter: true-peak detection, hold/release/average gain path and the aligned audio delay.
#include "resound/fx/limiter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "resound/core/denormals.hpp"
#include "resound/core/units.hpp"

namespace resound::fx {
namespace {

constexpr double kSafetyMarginDb = 0.1;
constexpr double kKaiserBeta = 7.0;
// The interpolator reads half its taps after the interval it estimates (one fewer after its right end).
constexpr std::size_t kDetectorLookaheadFrames = Limiter::kTapsPerPhase / 2 - 1;

double bessel_i0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 30; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
  }
  return sum;
}

}  // namespace

namespace {
constexpr NumberField<LimiterParameters> kFields[] = {{"ceiling_db", &LimiterParameters::ceiling_db, -60.0, 0.0},
                                                      {"lookahead_s", &LimiterParameters::lookahead_s, 0.0001, 0.1},
                                                      {"release_s", &LimiterParameters::release_s, 0.0, 5.0}};
}  // namespace

std::span<const NumberField<LimiterParameters>> limiter_parameter_fields() noexcept { return kFields; }

Limiter::Limiter(const LimiterParameters& parameters) : parameters_(clamp_fields(parameters, limiter_parameter_fields())) {
  // Phase p estimates the signal p/4 of a sample after tap 7 of the window (taps 0…15).
  const double half_span = static_cast<double>(kTapsPerPhase) / 2.0;
  for (std::size_t p = 1; p < kOversampling; ++p) {
    double sum = 0.0;
    for (std::size_t j = 0; j < kTapsPerPhase; ++j) {
      const double u = static_cast<double>(p) / kOversampling - (static_cast<double>(j) - (half_span - 1.0));
      const double sinc = std::abs(u) < 1e-12 ? 1.0 : std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
      const double ratio = u / half_span;
      const double window = std::abs(ratio) < 1.0 ? bessel_i0(kKaiserBeta * std::sqrt(1.0 - ratio * ratio)) / bessel_i0(kKaiserBeta) : 0.0;
      phases_[p - 1][j] = static_cast<float>(sinc * window);
      sum += sinc * window;
    }
    for (float& tap : phases_[p - 1]) tap = static_cast<float>(tap / sum);  // unity gain at DC
  }
}

void Limiter::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t channel_count) {
  const double rate = sample_rate_hz > 0.0 ? sample_rate_hz : 48000.0;
  channel_count_ = channel_count;
  lookahead_frames_ = std::max<std::size_t>(1, static_cast<std::size_t>(seconds_to_frames(parameters_.lookahead_s, rate)));
  delay_frames_ = lookahead_frames_ + kDetectorLookaheadFrames;
  ceiling_gain_ = db_to_gain(parameters_.ceiling_db - kSafetyMarginDb);
  release_coefficient_ = parameters_.release_s > 0.0 ? std::exp(-1.0 / (parameters_.release_s * rate)) : 0.0;
  histories_.assign(channel_count, std::vector<float>(2 * kTapsPerPhase, 0.0f));
  std::size_t delay_size = 1;
  while (delay_size < delay_frames_ + 1) delay_size *= 2;
  delays_.assign(channel_count, std::vector<float>(delay_size, 0.0f));
  delay_mask_ = delay_size - 1;
  const std::size_t hold_frames = lookahead_frames_ + 1;
  queue_frames_.assign(hold_frames + 1, 0);
  queue_gains_.assign(hold_frames + 1, 1.0);
  box_.assign(lookahead_frames_, 1.0);
  reset();
}

void Limiter::reset() noexcept {
  for (auto& history : histories_) std::fill(history.begin(), history.end(), 0.0f);
  for (auto& delay : delays_) std::fill(delay.begin(), delay.end(), 0.0f);
  history_position_ = 0;
  delay_position_ = 0;
  queue_head_ = 0;
  queue_size_ = 0;
  frame_counter_ = 0;
  std::fill(box_.begin(), box_.end(), 1.0);
  box_position_ = 0;
  box_sum_ = static_cast<double>(box_.size());
  envelope_ = 1.0;
  applied_gain_ = 1.0;
}

float Limiter::detect_true_peak(std::size_t channel) const noexcept {
  // window[] holds the last kTapsPerPhase inputs, oldest first; the interval estimated is (window[k/2-1], window[k/2]].
  const float* window = histories_[channel].data() + history_position_;
  float peak = std::abs(window[kTapsPerPhase / 2]);
  for (const auto& taps : phases_) {
    float value = 0.0f;
    for (std::size_t j = 0; j < kTapsPerPhase; ++j) value += taps[j] * window[j];
    peak = std::max(peak, std::abs(value));
  }
  return peak;
}

void Limiter::process(AudioView audio) noexcept {
  if (channel_count_ == 0 || audio.channel_count() < channel_count_) return;
  const ScopedDenormalGuard denormal_guard;
  const std::size_t hold_frames = lookahead_frames_ + 1;
  const std::size_t queue_capacity = queue_frames_.size();
  for (std::size_t n = 0; n < audio.frame_count(); ++n) {
    float peak = 0.0f;
    for (std::size_t c = 0; c < channel_count_; ++c) {
      const float sample = audio.channel(c)[n];
      std::vector<float>& history = histories_[c];
      history[history_position_] = sample;
      history[history_position_ + kTapsPerPhase] = sample;
      delays_[c][delay_position_] = sample;
    }
    history_position_ = (history_position_ + 1) % kTapsPerPhase;
    for (std::size_t c = 0; c < channel_count_; ++c) peak = std::max(peak, detect_true_peak(c));
    const double required = peak > ceiling_gain_ ? ceiling_gain_ / peak : 1.0;

    // Sliding minimum over the hold window: drop larger gains from the back, expired from the front.
    while (queue_size_ > 0 && queue_gains_[(queue_head_ + queue_size_ - 1) % queue_capacity] >= required) --queue_size_;
    queue_frames_[(queue_head_ + queue_size_) % queue_capacity] = frame_counter_;
    queue_gains_[(queue_head_ + queue_size_) % queue_capacity] = required;
    ++queue_size_;
    while (queue_frames_[queue_head_] + hold_frames <= frame_counter_) {
      queue_head_ = (queue_head_ + 1) % queue_capacity;
      --queue_size_;
    }
    const double held = queue_gains_[queue_head_];
    ++frame_counter_;

    // Instant attack in the held domain (the box average below turns it into a ramp), slow release.
    envelope_ = held < envelope_ ? held : held + release_coefficient_ * (envelope_ - held);
    box_sum_ += envelope_ - box_[box_position_];
    box_[box_position_] = envelope_;
    box_position_ = (box_position_ + 1) % box_.size();
    // The running sum can drift by rounding; never let that raise the gain above the newest hold.
    applied_gain_ = std::min(box_sum_ / static_cast<double>(box_.size()), 1.0);

    const std::size_t read = (delay_position_ + delay_mask_ + 1 - delay_frames_) & delay_mask_;
    for (std::size_t c = 0; c < channel_count_; ++c) audio.channel(c)[n] = static_cast<float>(delays_[c][read] * applied_gain_);
    delay_position_ = (delay_position_ + 1) & delay_mask_;
  }
}

}  // namespace resound::fx
