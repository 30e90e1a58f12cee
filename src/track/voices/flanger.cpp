// Flanger: fractional delay line with feedback HPF→LPF, delay laws, Lagrange reads and RMS make-up (spec §2.14).
#include "voices/flanger.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "voices/transition_alpha.hpp"
#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

/// One flanger configuration (flanger_stereo's arguments).
struct FlangerSettings {
  double delay_ms = 1.2, depth_ms = 0.6, rate_hz = 0.12;
  int shape = 0;  // 0 sine, 1 triangle
  double feedback = 0.5, wet = 0.3, loop_lpf_hz = 7000.0, loop_hpf_hz = 0.0;
  int stereo_mode = 0;  // 0 linked, 1 spread (= linked), 2 mid only, 3 side only
  int law = 0;          // 0 τ-linear, 1 1/τ-linear, 2 exponential
  int interpolation = 0;  // 0 linear, 1 Lagrange-3
  double min_delay_ms = 0.25, max_delay_ms = 8.0;
  int loudness_mode = 1;
  double loudness_tc_ms = 80.0, loudness_min_gain = 0.5, loudness_max_gain = 2.0;
  bool enabled = false;
  // The dezipper times never matter: every target is constant over a flanger's run and the smoothed
  // states start at their targets, so they are read (for equality) but not used.
  double dezipper_ms[6] = {30.0, 30.0, 200.0, 30.0, 40.0, 60.0};

  bool operator==(const FlangerSettings&) const = default;
};

/// Python's int(): truncation toward zero.
int int_param(const ParamMap& params, std::string_view key, int fallback) {
  return static_cast<int>(std::trunc(number_param(params, key, fallback)));
}

FlangerSettings read_settings(const ParamMap& raw) {
  FlangerSettings s;
  s.delay_ms = number_param(raw, "flangeDelayMs", s.delay_ms);
  s.depth_ms = number_param(raw, "flangeDepthMs", s.depth_ms);
  s.rate_hz = number_param(raw, "flangeRateHz", s.rate_hz);
  if (const ParamValue* shape = find_param(raw, "flangeShape")) s.shape = shape->as_string() == "sine" ? 0 : 1;
  s.feedback = number_param(raw, "flangeFeedback", s.feedback);
  s.wet = number_param(raw, "flangeMix", s.wet);
  s.loop_lpf_hz = number_param(raw, "flangeLoopLpfHz", s.loop_lpf_hz);
  s.loop_hpf_hz = number_param(raw, "flangeLoopHpfHz", s.loop_hpf_hz);
  s.stereo_mode = int_param(raw, "flangeStereoMode", s.stereo_mode);
  s.law = int_param(raw, "flangeDelayLaw", s.law);
  s.interpolation = int_param(raw, "flangeInterp", s.interpolation);
  s.min_delay_ms = number_param(raw, "flangeMinDelayMs", s.min_delay_ms);
  s.max_delay_ms = number_param(raw, "flangeMaxDelayMs", s.max_delay_ms);
  constexpr std::array<std::string_view, 6> kDezippers = {"flangeDezipperDelayMs", "flangeDezipperDepthMs",
                                                          "flangeDezipperRateMs", "flangeDezipperFeedbackMs",
                                                          "flangeDezipperWetMs", "flangeDezipperFilterMs"};
  for (std::size_t i = 0; i < kDezippers.size(); ++i) s.dezipper_ms[i] = number_param(raw, kDezippers[i], s.dezipper_ms[i]);
  s.loudness_mode = int_param(raw, "flangeLoudnessMode", s.loudness_mode);
  s.loudness_tc_ms = number_param(raw, "flangeLoudnessTcMs", s.loudness_tc_ms);
  s.loudness_min_gain = number_param(raw, "flangeLoudnessMinGain", s.loudness_min_gain);
  s.loudness_max_gain = number_param(raw, "flangeLoudnessMaxGain", s.loudness_max_gain);
  s.enabled = flag_param(raw, "flangeEnable", false);
  return s;
}

double one_pole_coefficient(double tau_ms, double rate_hz) {
  if (tau_ms <= 0.0) return 0.0;
  return std::clamp(std::exp(-1.0 / (tau_ms * 1e-3 * rate_hz)), 0.0, 0.999999);
}

/// _flanger_channel with constant targets: the per-sample work is the delay read, loop filters and make-up.
class FlangerChannel {
 public:
  FlangerChannel(const FlangerSettings& s, double rate_hz) : settings_(s), rate_hz_(rate_hz) {
    min_ms_ = std::max(0.05, s.min_delay_ms);
    max_ms_ = s.max_delay_ms <= min_ms_ ? min_ms_ + 0.01 : s.max_delay_ms;
    delay_ms_ = std::clamp(s.delay_ms, min_ms_, max_ms_);
    depth_ms_ = std::max(0.0, s.depth_ms);
    if (delay_ms_ - depth_ms_ < min_ms_) depth_ms_ = std::max(0.0, delay_ms_ - min_ms_);
    if (delay_ms_ + depth_ms_ > max_ms_) depth_ms_ = std::max(0.0, max_ms_ - delay_ms_);
    size_ = std::max<std::int64_t>(16, static_cast<std::int64_t>(std::ceil((max_ms_ + 0.5) * rate_hz / 1000.0)) + 8);
    buffer_.assign(static_cast<std::size_t>(size_), 0.0f);
    hpf_a_ = s.loop_hpf_hz <= 0.0 ? 0.0 : s.loop_hpf_hz >= 0.5 * rate_hz ? 1.0 : std::exp(-kTwoPi * s.loop_hpf_hz / rate_hz);
    lpf_a_ = s.loop_lpf_hz <= 0.0 ? 1.0 : s.loop_lpf_hz >= 0.5 * rate_hz ? 0.0 : std::exp(-kTwoPi * s.loop_lpf_hz / rate_hz);
    rms_a_ = s.loudness_mode != 0 ? one_pole_coefficient(s.loudness_tc_ms, rate_hz) : 0.0;
    lfo_cycles_per_frame_ = s.rate_hz / rate_hz;
  }

  /// Frames after which a restarted channel agrees with a continuous one (loop echoes and RMS detectors decayed).
  [[nodiscard]] std::int64_t warmup_frames() const noexcept {
    double seconds = 25.0 * settings_.loudness_tc_ms * 1e-3 * (settings_.loudness_mode != 0 ? 1.0 : 0.0);
    const double feedback = std::min(std::fabs(settings_.feedback), 0.999);
    if (feedback > 0.0) seconds += max_ms_ * 1e-3 * std::log(1e-9) / std::log(feedback);
    return static_cast<std::int64_t>(std::min(30.0, seconds + 0.05) * rate_hz_);
  }

  void restart(std::int64_t frame) noexcept {
    std::fill(buffer_.begin(), buffer_.end(), 0.0f);
    hpf_x_ = hpf_y_ = lpf_y_ = 0.0;
    rms_in_ = rms_out_ = 0.0;
    makeup_ = 1.0;
    write_ = frame % size_;
  }

  /// Processes x in place at absolute frames [first, first + x.size()).
  void process(std::int64_t first, std::span<float> x) noexcept {
    const FlangerSettings& s = settings_;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double input = x[i];
      // LFO phase in closed form (the original accumulates the same increment: equal within 1e-12), so
      // a seek needs no run through the skipped frames.
      const double p = frac(static_cast<double>(first + static_cast<std::int64_t>(i)) * lfo_cycles_per_frame_);
      const double lfo = s.shape == 1 ? 4.0 * std::fabs(p - 0.5) - 1.0 : fast_sin(kTwoPi * p);
      const double tau_ms = delay_at(lfo);
      const double d = tau_ms * rate_hz_ / 1000.0;
      double ri = std::fmod(static_cast<double>(write_) - d, static_cast<double>(size_));
      if (ri < 0.0) ri += static_cast<double>(size_);
      const auto floor_ri = static_cast<std::int64_t>(std::floor(ri));
      const double mu = ri - static_cast<double>(floor_ri);
      const std::int64_t r0 = wrap(floor_ri);  // ri may round up to exactly size_
      const std::int64_t r1 = wrap(r0 - 1);
      double delayed;
      if (s.interpolation == 0) {
        // The original weights the older tap by the fraction (so the read sits one sample late); kept.
        delayed = (1.0 - mu) * buffer_[index(r0)] + mu * buffer_[index(r1)];
      } else {
        const std::int64_t r2 = wrap(r1 - 1);
        const std::int64_t r3 = wrap(r2 - 1);
        const double m1 = 1.0 - mu;
        const double c0 = -mu * m1 * m1 / 6.0;
        const double c1 = (1.0 + mu) * m1 * m1 / 2.0;
        const double c2 = mu * (1.0 + mu) * m1 / 2.0;
        const double c3 = -mu * mu * m1 / 6.0;
        delayed = c0 * buffer_[index(r3)] + c1 * buffer_[index(r2)] + c2 * buffer_[index(r1)] + c3 * buffer_[index(r0)];
      }
      const double hp = hpf_a_ * (hpf_y_ + delayed - hpf_x_);
      hpf_x_ = delayed;
      hpf_y_ = hp;
      lpf_y_ = (1.0 - lpf_a_) * hp + lpf_a_ * lpf_y_;
      buffer_[index(write_)] = static_cast<float>(input + s.feedback * lpf_y_);
      write_ = wrap(write_ + 1);
      const double mixed = (1.0 - s.wet) * input + s.wet * (input + delayed);
      double output = mixed;
      if (s.loudness_mode != 0) {
        rms_in_ = rms_a_ * rms_in_ + (1.0 - rms_a_) * (input * input);
        rms_out_ = rms_a_ * rms_out_ + (1.0 - rms_a_) * (mixed * mixed);
        const double target = rms_out_ > 1e-20 ? std::sqrt((rms_in_ + 1e-20) / (rms_out_ + 1e-20)) : 1.0;
        makeup_ = std::clamp(rms_a_ * makeup_ + (1.0 - rms_a_) * target, s.loudness_min_gain, s.loudness_max_gain);
        output = mixed * makeup_;
      }
      x[i] = static_cast<float>(output);
      if (std::fabs(lpf_y_) < 1e-30) lpf_y_ = 0.0;
      if (std::fabs(hpf_y_) < 1e-30) hpf_y_ = 0.0;
      if (std::fabs(hpf_x_) < 1e-30) hpf_x_ = 0.0;
    }
  }

 private:
  [[nodiscard]] double delay_at(double lfo) const noexcept {
    switch (settings_.law) {
      case 0:
        return std::clamp(delay_ms_ + depth_ms_ * lfo, min_ms_, max_ms_);
      case 1: {
        const double span = (1.0 / (delay_ms_ - depth_ms_) - 1.0 / (delay_ms_ + depth_ms_)) * 0.5;
        return std::clamp(1.0 / (1.0 / delay_ms_ + span * lfo), min_ms_, max_ms_);
      }
      default: {
        const double low = std::max(delay_ms_ - depth_ms_, min_ms_);
        const double high = std::min(delay_ms_ + depth_ms_, max_ms_);
        return low * std::exp(std::log(high / low) * 0.5 * (lfo + 1.0));
      }
    }
  }
  [[nodiscard]] std::int64_t wrap(std::int64_t i) const noexcept { return ((i % size_) + size_) % size_; }
  [[nodiscard]] static std::size_t index(std::int64_t i) noexcept { return static_cast<std::size_t>(i); }

  FlangerSettings settings_;
  double rate_hz_;
  double min_ms_ = 0.25, max_ms_ = 8.0, delay_ms_ = 1.2, depth_ms_ = 0.6;
  std::int64_t size_ = 16;
  std::vector<float> buffer_;
  std::int64_t write_ = 0;
  double hpf_a_ = 0.0, lpf_a_ = 0.0, rms_a_ = 0.0, lfo_cycles_per_frame_ = 0.0;
  double hpf_x_ = 0.0, hpf_y_ = 0.0, lpf_y_ = 0.0, rms_in_ = 0.0, rms_out_ = 0.0, makeup_ = 1.0;
};

/// flanger_stereo: linked/spread channels run separately; mid- or side-only modes flange one of M/S.
class StereoFlanger {
 public:
  StereoFlanger(const FlangerSettings& s, double rate_hz) : mode_(s.stereo_mode), first_(s, rate_hz), second_(s, rate_hz) {}
  [[nodiscard]] std::int64_t warmup_frames() const noexcept { return first_.warmup_frames(); }
  void restart(std::int64_t frame) noexcept {
    first_.restart(frame);
    second_.restart(frame);
  }
  void process(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    if (mode_ != 2 && mode_ != 3) {
      first_.process(first, left);
      second_.process(first, right);
      return;
    }
    constexpr double kInvSqrt2 = 0.70710678118654752440;
    std::array<float, kChunkFrames> mid{};
    std::array<float, kChunkFrames> side{};
    for (std::size_t done = 0; done < left.size(); done += kChunkFrames) {
      const std::size_t count = std::min(kChunkFrames, left.size() - done);
      for (std::size_t i = 0; i < count; ++i) {
        mid[i] = static_cast<float>((double(left[done + i]) + right[done + i]) * kInvSqrt2);
        side[i] = static_cast<float>((double(left[done + i]) - right[done + i]) * kInvSqrt2);
      }
      const auto at = first + static_cast<std::int64_t>(done);
      first_.process(at, std::span<float>(mode_ == 2 ? mid.data() : side.data(), count));
      for (std::size_t i = 0; i < count; ++i) {
        left[done + i] = static_cast<float>((double(mid[i]) + side[i]) * kInvSqrt2);
        right[done + i] = static_cast<float>((double(mid[i]) - side[i]) * kInvSqrt2);
      }
    }
  }

 private:
  int mode_;
  FlangerChannel first_;
  FlangerChannel second_;
};

/// One flanger, or two (start and end settings, either possibly bypassed) crossfaded by the voice's α.
class VoiceFlanger final : public StreamProcessor {
 public:
  VoiceFlanger(std::optional<StereoFlanger> start, std::optional<StereoFlanger> end, std::optional<TransitionAlpha> alpha)
      : start_(std::move(start)), end_(std::move(end)), alpha_(std::move(alpha)) {}

  void restart(std::int64_t frame) noexcept override {
    if (start_) start_->restart(frame);
    if (end_) end_->restart(frame);
  }
  [[nodiscard]] std::int64_t warmup_frames() const noexcept override {
    return std::max(start_ ? start_->warmup_frames() : 0, end_ ? end_->warmup_frames() : 0);
  }
  void process(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    if (!alpha_) {
      if (start_) start_->process(first, left, right);
      return;
    }
    std::array<float, kChunkFrames> end_left{};
    std::array<float, kChunkFrames> end_right{};
    for (std::size_t done = 0; done < left.size(); done += kChunkFrames) {
      const std::size_t count = std::min(kChunkFrames, left.size() - done);
      const auto at = first + static_cast<std::int64_t>(done);
      std::copy_n(left.begin() + static_cast<std::ptrdiff_t>(done), count, end_left.begin());
      std::copy_n(right.begin() + static_cast<std::ptrdiff_t>(done), count, end_right.begin());
      const auto l = left.subspan(done, count);
      const auto r = right.subspan(done, count);
      if (start_) start_->process(at, l, r);
      if (end_) end_->process(at, std::span<float>(end_left.data(), count), std::span<float>(end_right.data(), count));
      for (std::size_t i = 0; i < count; ++i) {
        const double a = alpha_->at(at + static_cast<std::int64_t>(i));
        l[i] = static_cast<float>(double(l[i]) * (1.0 - a) + double(end_left[i]) * a);
        r[i] = static_cast<float>(double(r[i]) * (1.0 - a) + double(end_right[i]) * a);
      }
    }
  }

 private:
  std::optional<StereoFlanger> start_;
  std::optional<StereoFlanger> end_;
  std::optional<TransitionAlpha> alpha_;
};

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

Expected<std::unique_ptr<StreamProcessor>> create_voice_flanger(const ParamMap& params, bool transition,
                                                                double sample_rate_hz, double duration_s,
                                                                std::int64_t frames) {
  // generate_voice_audio: without a truthy flangeEnable every flange key is zeroed (so nothing runs).
  if (!flag_param(params, "flangeEnable", false)) return std::unique_ptr<StreamProcessor>();
  // Base keys, overridden by startFlange*/endFlange* renamed to flange*.
  ParamMap start_raw;
  ParamMap end_raw;
  for (const auto& [key, value] : params)
    if (starts_with(key, "flange")) start_raw[key] = end_raw[key] = value;
  for (const auto& [key, value] : params) {
    if (starts_with(key, "startFlange")) start_raw["flange" + key.substr(11)] = value;
    if (starts_with(key, "endFlange")) end_raw["flange" + key.substr(9)] = value;
  }
  const FlangerSettings start = read_settings(start_raw);
  const FlangerSettings end = read_settings(end_raw);
  if (transition && !(start == end)) {
    auto alpha = TransitionAlpha::create(params, duration_s, frames);
    if (!alpha) return alpha.error();
    std::optional<StereoFlanger> start_flanger;
    std::optional<StereoFlanger> end_flanger;
    if (start.enabled) start_flanger.emplace(start, sample_rate_hz);
    if (end.enabled) end_flanger.emplace(end, sample_rate_hz);
    return std::unique_ptr<StreamProcessor>(
        std::make_unique<VoiceFlanger>(std::move(start_flanger), std::move(end_flanger), std::move(*alpha)));
  }
  if (!start.enabled && !end.enabled) return std::unique_ptr<StreamProcessor>();
  return std::unique_ptr<StreamProcessor>(
      std::make_unique<VoiceFlanger>(StereoFlanger(start, sample_rate_hz), std::nullopt, std::nullopt));
}

}  // namespace resound::track::voices
