// Mid-only spatialiser: trajectory → slew-limited, dezippered azimuth → ITD delay + ILD + distance gain (spec §2.13).
#include "voices/spatializer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "voices/voice_math.hpp"

namespace resound::track::voices {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kSpeedOfSoundMps = 343.0;
constexpr double kDegToRad = std::numbers::pi / 180.0;

/// One trajectory segment (generate_azimuth_trajectory), evaluated at its local sample index.
struct Segment {
  enum class Mode { kRotate, kOscillate, kRotatingArc } mode = Mode::kRotate;
  std::int64_t frames = 0;
  double seconds = 0.0;
  double start_deg = 0.0, center_deg = 0.0, extent_deg = 180.0, speed_deg_per_s = 0.0;
  double period_s = 0.0, rotate_freq_hz = 0.0;
  double distance_start_m = 1.0, distance_end_m = 1.0;
  bool sine_easing = false;

  [[nodiscard]] double raw_theta(double t) const noexcept {
    switch (mode) {
      case Mode::kRotate:
        return start_deg + speed_deg_per_s * t;
      case Mode::kRotatingArc: {
        const double progress = (1.0 - std::cos(kTwoPi * (t / period_s))) / 2.0;
        const double arc_start = start_deg + 360.0 * rotate_freq_hz * t;
        return arc_start + progress * extent_deg;
      }
      case Mode::kOscillate:
        return center_deg + extent_deg * std::sin(kTwoPi / period_s * t);
    }
    return 0.0;
  }
  /// Azimuth (degrees) and distance (metres) at local sample i (t = linspace(0, sec, N, endpoint=False)).
  void at(std::int64_t i, double& theta_deg, double& distance_m) const noexcept {
    const double t = static_cast<double>(i) * (seconds / static_cast<double>(frames));
    theta_deg = raw_theta(t);
    if (sine_easing) {
      const double first = raw_theta(0.0);
      const double u = std::sin(std::numbers::pi * (t / seconds - 0.5)) * 0.5 + 0.5;
      theta_deg = first + (theta_deg - first) * u;
    }
    distance_m = distance_start_m + (distance_end_m - distance_start_m) * (t / seconds);
  }
};

double python_round(double x) { return std::nearbyint(x); }  // round-half-even, as Python's round()

Segment read_segment(const ParamMap& object, double rate_hz) {
  Segment s;
  s.seconds = number_param(object, "seconds", 0.0);
  s.frames = static_cast<std::int64_t>(python_round(s.seconds * rate_hz));
  const std::string mode = string_param(object, "mode", "rotate");
  s.mode = mode == "rotate" ? Segment::Mode::kRotate : mode == "rotating_arc" ? Segment::Mode::kRotatingArc
                                                                               : Segment::Mode::kOscillate;
  s.start_deg = number_param(object, "start_deg", 0.0);
  s.center_deg = number_param(object, "center_deg", s.start_deg);
  s.extent_deg = number_param(object, "extent_deg", 180.0);
  const ParamValue* speed = find_param(object, "speed_deg_per_s");
  s.speed_deg_per_s = speed != nullptr ? speed->as_number().value_or(0.0)
                                       : (s.extent_deg > 0 ? 1.0 : s.extent_deg < 0 ? -1.0 : 0.0) *
                                             (std::fabs(s.extent_deg) / std::max(1e-9, s.seconds));
  const double period = number_param(object, "period_s", 0.0);
  s.period_s = period > 0.0 ? period : s.seconds;
  s.rotate_freq_hz = number_param(object, "rotate_freq_hz", 0.0);
  s.sine_easing = string_param(object, "easing", "linear") == "sine";
  const ParamValue* distance = find_param(object, "distance_m");
  if (distance != nullptr && distance->list() != nullptr && distance->list()->size() == 2) {
    s.distance_start_m = (*distance->list())[0].as_number().value_or(1.0);
    s.distance_end_m = (*distance->list())[1].as_number().value_or(1.0);
  } else if (distance != nullptr) {
    s.distance_start_m = s.distance_end_m = distance->as_number().value_or(1.0);
  }
  return s;
}

/// Concatenated segments, held at the last value; (0°, 1 m) when there are none.
class Trajectory {
 public:
  Trajectory(const ParamMap& params, double rate_hz, double duration_s) {
    const ParamValue* list_value = find_param(params, "spatialTrajectory");
    if (list_value != nullptr && list_value->list() != nullptr) {
      for (const ParamValue& item : *list_value->list())
        if (item.object() != nullptr) segments_.push_back(read_segment(*item.object(), rate_hz));
    } else {
      Segment s;
      s.mode = Segment::Mode::kOscillate;
      s.seconds = duration_s;
      s.frames = static_cast<std::int64_t>(python_round(duration_s * rate_hz));
      s.center_deg = 0.0;
      s.extent_deg = 75.0;
      s.period_s = 20.0;
      s.distance_start_m = 1.0;
      s.distance_end_m = 1.4;
      segments_.push_back(s);
    }
    std::erase_if(segments_, [](const Segment& s) { return s.frames <= 0; });
    total_frames_ = static_cast<std::int64_t>(python_round(duration_s * rate_hz));
  }

  void at(std::int64_t n, double& theta_deg, double& distance_m) const noexcept {
    theta_deg = 0.0;
    distance_m = 1.0;
    std::int64_t begin = 0;
    for (const Segment& s : segments_) {
      const std::int64_t end = std::min(begin + s.frames, total_frames_);
      if (n < end) {
        s.at(n - begin, theta_deg, distance_m);
        return;
      }
      if (end <= begin) break;
      // Past this segment: hold its last sample (the next segment, if any, takes over).
      s.at(end - 1 - begin, theta_deg, distance_m);
      begin = end;
      if (begin >= total_frames_) break;
    }
  }

 private:
  std::vector<Segment> segments_;
  std::int64_t total_frames_ = 0;
};

double one_pole_coefficient(double tau_ms, double rate_hz) {
  if (tau_ms <= 0.0) return 0.0;
  return std::clamp(std::exp(-1.0 / (rate_hz * tau_ms * 1e-3)), 0.0, 0.999999);
}

struct SpatialSettings {
  bool foa = false;
  bool ild = true;
  double ear_angle_deg = 30.0, head_radius_m = 0.0875, itd_scale = 1.0, ild_max_db = 1.5;
  double ref_distance_m = 1.0, rolloff = 1.0, hf_roll_db_per_m = 0.0;
  double dezipper_theta_ms = 60.0, dezipper_distance_ms = 80.0, min_distance_m = 0.1;
  double max_deg_per_s = 90.0, max_delay_step_samples = 0.02;
  bool lagrange = true;
};

/// The per-sample control path (independent of the audio): azimuth, distance, delays and gains.
struct ControlState {
  double slewed_deg = 0.0, theta = 0.0, distance_m = 1.0;
  double delay_left = 0.0, delay_right = 0.0;  // FOA: both ears; ITD head: delay_left is the shared delay
  double gain_left = 1.0, gain_right = 1.0;
};

/// Values the audio path needs at one sample.
struct ControlOutput {
  int side = 0;
  double delay = 0.0;  // ITD head
  double sin_theta = 0.0, cos_theta = 0.0;
  double distance_gain = 1.0;
  double hf_gain = 1.0;
};

float lagrange3(const std::vector<float>& buffer, std::int64_t r0, std::int64_t size, double mu) {
  const std::int64_t r1 = (r0 - 1 + size) % size;
  const std::int64_t r2 = (r1 - 1 + size) % size;
  const std::int64_t r3 = (r2 - 1 + size) % size;
  const double m1 = 1.0 - mu;
  const double c0 = -mu * m1 * m1 / 6.0;
  const double c1 = (1.0 + mu) * m1 * m1 / 2.0;
  const double c2 = mu * (1.0 + mu) * m1 / 2.0;
  const double c3 = -mu * mu * m1 / 6.0;
  auto at = [&](std::int64_t i) { return double(buffer[static_cast<std::size_t>(i)]); };
  return static_cast<float>(c0 * at(r3) + c1 * at(r2) + c2 * at(r1) + c3 * at(r0));
}

class MidOnlySpatializer final : public StreamProcessor {
 public:
  static constexpr std::int64_t kCheckpointInterval = 65536;

  MidOnlySpatializer(const SpatialSettings& settings, Trajectory trajectory, double rate_hz, std::int64_t frames)
      : s_(settings), trajectory_(std::move(trajectory)), rate_hz_(rate_hz) {
    a_theta_ = one_pole_coefficient(s_.dezipper_theta_ms, rate_hz);
    a_distance_ = one_pole_coefficient(s_.dezipper_distance_ms, rate_hz);
    const double max_itd_s = s_.head_radius_m / kSpeedOfSoundMps * std::fabs(s_.itd_scale);
    if (s_.foa) {
      size_ = std::max<std::int64_t>(8, static_cast<std::int64_t>(std::ceil(max_itd_s * rate_hz)) + 4);
    } else {
      size_ = std::max<std::int64_t>(12, static_cast<std::int64_t>(std::ceil(max_itd_s * rate_hz)) + 8);
    }
    buffer_left_.assign(static_cast<std::size_t>(size_), 0.0f);
    buffer_right_.assign(static_cast<std::size_t>(size_), 0.0f);
    checkpoints_.reserve(static_cast<std::size_t>(frames / kCheckpointInterval + 2));
    checkpoints_.push_back(initial_state());
  }

  [[nodiscard]] std::int64_t warmup_frames() const noexcept override { return size_ + 1; }

  void restart(std::int64_t frame) noexcept override {
    std::fill(buffer_left_.begin(), buffer_left_.end(), 0.0f);
    std::fill(buffer_right_.begin(), buffer_right_.end(), 0.0f);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(frame / kCheckpointInterval), checkpoints_.size() - 1);
    state_ = checkpoints_[index];
    at_ = static_cast<std::int64_t>(index) * kCheckpointInterval;
    while (at_ < frame) step_control();  // control only: no audio is needed to recover it exactly
  }

  void process(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    (void)first;  // continues at at_ (restart() placed it)
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t write = at_ % size_;
      const ControlOutput c = step_control();
      const auto mid = static_cast<float>((double(left[i]) + right[i]) * kInvSqrt2);
      const auto side = static_cast<float>((double(left[i]) - right[i]) * kInvSqrt2);
      float out_left, out_right;
      if (s_.foa) {
        foa(mid, c, write, out_left, out_right);
      } else {
        itd_head(mid, c, write, out_left, out_right);
      }
      left[i] = static_cast<float>((double(out_left) + side) * kInvSqrt2);
      right[i] = static_cast<float>((double(out_right) - side) * kInvSqrt2);
    }
  }

 private:
  [[nodiscard]] ControlState initial_state() const noexcept {
    ControlState state;
    double theta_deg, distance_m;
    trajectory_.at(0, theta_deg, distance_m);
    state.slewed_deg = theta_deg;
    state.theta = s_.foa ? theta_deg * kDegToRad : theta_deg;
    state.distance_m = std::max(distance_m, s_.foa ? 0.1 : s_.min_distance_m);
    return state;
  }

  /// Advances the control path by one sample (frame at_) and returns what the audio path needs.
  ControlOutput step_control() noexcept {
    const std::int64_t n = at_;
    if (n % kCheckpointInterval == 0 && static_cast<std::size_t>(n / kCheckpointInterval) == checkpoints_.size() &&
        checkpoints_.size() < checkpoints_.capacity())
      checkpoints_.push_back(state_);
    double target_deg, target_m;
    trajectory_.at(n, target_deg, target_m);
    ControlState& st = state_;
    ControlOutput out;
    if (s_.foa) {
      // spatialize_mono_ambi2d: angle smoothed along the shortest way, no slew limit.
      const double target = target_deg * kDegToRad;
      st.theta += (1.0 - a_theta_) * std::atan2(std::sin(target - st.theta), std::cos(target - st.theta));
      st.distance_m = a_distance_ * st.distance_m + (1.0 - a_distance_) * std::max(0.1, target_m);
      out.sin_theta = std::sin(st.theta);
      out.cos_theta = std::cos(st.theta);
      const double d = std::max(st.distance_m, 0.1);
      out.distance_gain = static_cast<float>(std::pow(s_.ref_distance_m / std::max(s_.ref_distance_m, d), s_.rolloff));
      if (s_.ild) {
        const double tau = s_.head_radius_m / kSpeedOfSoundMps * out.sin_theta * s_.itd_scale;
        const double left_target = std::max(0.0, tau) * rate_hz_;
        const double right_target = std::max(0.0, -tau) * rate_hz_;
        if (n == 0) {
          st.delay_left = left_target;
          st.delay_right = right_target;
        } else {
          st.delay_left = a_theta_ * st.delay_left + (1.0 - a_theta_) * left_target;
          st.delay_right = a_theta_ * st.delay_right + (1.0 - a_theta_) * right_target;
        }
        const double ild_db = s_.ild_max_db * 0.5 * out.sin_theta;
        st.gain_left = a_theta_ * st.gain_left + (1.0 - a_theta_) * std::pow(10.0, ild_db / 20.0);
        st.gain_right = a_theta_ * st.gain_right + (1.0 - a_theta_) * std::pow(10.0, -ild_db / 20.0);
      }
      if (s_.hf_roll_db_per_m != 0.0)
        out.hf_gain = std::pow(10.0, -std::max(0.0, s_.hf_roll_db_per_m * (st.distance_m - s_.ref_distance_m)) / 20.0);
    } else {
      // stereo_itd_headmodel_stable: unwrap, slew-limit, dezipper; the ITD delay is itself slew-limited.
      if (n > 0) {
        double step = target_deg - st.slewed_deg;
        while (step >= 180.0) step -= 360.0;
        while (step < -180.0) step += 360.0;
        const double max_step = s_.max_deg_per_s / rate_hz_;
        st.slewed_deg += std::clamp(step, -max_step, max_step);
      }
      st.theta = a_theta_ * st.theta + (1.0 - a_theta_) * st.slewed_deg;
      st.distance_m = a_distance_ * st.distance_m + (1.0 - a_distance_) * std::max(target_m, s_.min_distance_m);
      out.sin_theta = std::sin(st.theta * std::numbers::pi / 180.0);
      const double tau = s_.head_radius_m / kSpeedOfSoundMps * out.sin_theta * s_.itd_scale;
      const double change = std::clamp(std::fabs(tau) * rate_hz_ - st.delay_left, -s_.max_delay_step_samples,
                                       s_.max_delay_step_samples);
      st.delay_left += change;
      if (st.delay_left > 1e-6) {
        out.side = tau > 0.0 ? 1 : tau < 0.0 ? -1 : 0;
      } else {
        st.delay_left = 0.0;
      }
      out.delay = st.delay_left;
      out.distance_gain =
          st.distance_m < s_.ref_distance_m ? 1.0 : std::pow(s_.ref_distance_m / st.distance_m, s_.rolloff);
      if (s_.ild) {
        const double ild_db = s_.ild_max_db * 0.5 * out.sin_theta;
        st.gain_left = a_theta_ * st.gain_left + (1.0 - a_theta_) * std::pow(10.0, ild_db / 20.0);
        st.gain_right = a_theta_ * st.gain_right + (1.0 - a_theta_) * std::pow(10.0, -ild_db / 20.0);
      }
    }
    ++at_;
    return out;
  }

  /// Reads `delay` samples behind `base` (fractional, the original's tap order) from a ring buffer.
  [[nodiscard]] double read(const std::vector<float>& buffer, double position, bool lagrange) const noexcept {
    const double size = static_cast<double>(size_);
    double ri = std::fmod(position, size);
    if (ri < 0.0) ri += size;
    const auto floor_ri = static_cast<std::int64_t>(std::floor(ri));
    const double mu = ri - static_cast<double>(floor_ri);
    const std::int64_t r0 = floor_ri % size_;
    if (lagrange) return lagrange3(buffer, r0, size_, mu);
    const std::int64_t r1 = (r0 - 1 + size_) % size_;
    return (1.0 - mu) * buffer[static_cast<std::size_t>(r0)] + mu * buffer[static_cast<std::size_t>(r1)];
  }

  void itd_head(float mid, const ControlOutput& c, std::int64_t write, float& out_left, float& out_right) noexcept {
    // Read before writing, from base = w − 1 (one sample of latency); the far ear is delayed.
    const double base = static_cast<double>((write - 1 + size_) % size_);
    const double left = read(buffer_left_, c.side == 1 ? base - c.delay : base, s_.lagrange);
    const double right = read(buffer_right_, c.side == -1 ? base - c.delay : base, s_.lagrange);
    buffer_left_[static_cast<std::size_t>(write)] = mid;
    buffer_right_[static_cast<std::size_t>(write)] = mid;
    out_left = static_cast<float>(left * state_.gain_left * c.distance_gain);
    out_right = static_cast<float>(right * state_.gain_right * c.distance_gain);
  }

  void foa(float mid, const ControlOutput& c, std::int64_t write, float& out_left, float& out_right) noexcept {
    // SN3D encode W = x/√2, X = x·cosθ, Y = x·sinθ; cardioids at ±ear angle: L/R = W/√2 + X·cos a ± Y·sin a.
    const auto x = static_cast<float>(double(mid) * c.distance_gain);
    const auto w = static_cast<float>(kInvSqrt2 * x);
    const auto big_x = static_cast<float>(double(x) * c.cos_theta);
    const auto big_y = static_cast<float>(double(x) * c.sin_theta);
    const double a = s_.ear_angle_deg * kDegToRad;
    const auto cardioid_left = static_cast<float>(w * kInvSqrt2 + (big_x * std::cos(a) + big_y * std::sin(a)));
    const auto cardioid_right = static_cast<float>(w * kInvSqrt2 + (big_x * std::cos(a) - big_y * std::sin(a)));
    double left = cardioid_left;
    double right = cardioid_right;
    if (s_.ild) {
      // Write first, then read (zero delay returns the current sample); linear taps in the original's order.
      buffer_left_[static_cast<std::size_t>(write)] = cardioid_left;
      buffer_right_[static_cast<std::size_t>(write)] = cardioid_right;
      left = read(buffer_left_, static_cast<double>(write) - state_.delay_left, false) * state_.gain_left;
      right = read(buffer_right_, static_cast<double>(write) - state_.delay_right, false) * state_.gain_right;
      left = static_cast<float>(left);
      right = static_cast<float>(right);
    }
    out_left = static_cast<float>(left * c.hf_gain);
    out_right = static_cast<float>(right * c.hf_gain);
  }

  SpatialSettings s_;
  Trajectory trajectory_;
  double rate_hz_;
  double a_theta_ = 0.0, a_distance_ = 0.0;
  std::int64_t size_ = 12;
  std::vector<float> buffer_left_, buffer_right_;
  ControlState state_;
  std::int64_t at_ = 0;
  std::vector<ControlState> checkpoints_;  // control state at multiples of kCheckpointInterval, filled lazily
};

}  // namespace

std::unique_ptr<StreamProcessor> create_voice_spatializer(const ParamMap& params, double sample_rate_hz,
                                                         double duration_s, std::int64_t frames) {
  if (!flag_param(params, "spatialEnable", false)) return nullptr;
  SpatialSettings s;
  std::string decoder = string_param(params, "spatialDecoder", "itd_head");
  std::transform(decoder.begin(), decoder.end(), decoder.begin(), [](unsigned char ch) { return std::tolower(ch); });
  s.foa = decoder == "foa_cardioid";
  s.ild = static_cast<int>(number_param(params, "spatialUseIld", 1.0)) != 0;
  s.ear_angle_deg = number_param(params, "spatialEarAngleDeg", s.ear_angle_deg);
  s.head_radius_m = number_param(params, "spatialHeadRadiusM", s.head_radius_m);
  s.itd_scale = number_param(params, "spatialItdScale", s.itd_scale);
  s.ild_max_db = number_param(params, "spatialIldMaxDb", s.ild_max_db);
  s.ref_distance_m = number_param(params, "spatialRefDistanceM", s.ref_distance_m);
  s.rolloff = number_param(params, "spatialRolloff", s.rolloff);
  s.hf_roll_db_per_m = number_param(params, "spatialHfRollDbPerM", s.hf_roll_db_per_m);
  s.dezipper_theta_ms = number_param(params, "spatialDezipperThetaMs", s.dezipper_theta_ms);
  s.dezipper_distance_ms = number_param(params, "spatialDezipperDistMs", s.dezipper_distance_ms);
  s.min_distance_m = number_param(params, "spatialMinDistanceM", s.min_distance_m);
  s.max_deg_per_s = number_param(params, "spatialMaxDegPerS", s.max_deg_per_s);
  s.max_delay_step_samples = number_param(params, "spatialMaxDelayStepSamples", s.max_delay_step_samples);
  s.lagrange = static_cast<int>(number_param(params, "spatialInterp", 1.0)) != 0;
  return std::make_unique<MidOnlySpatializer>(s, Trajectory(params, sample_rate_hz, duration_s), sample_rate_hz, frames);
}

}  // namespace resound::track::voices
