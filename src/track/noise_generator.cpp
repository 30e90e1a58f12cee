// Coloured noise from a counter-based Gaussian generator, then swept notches (static or transition); seekable.
#include "noise_generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "counter_noise.hpp"
#include "voices/transition_alpha.hpp"

namespace resound::track {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// Frames rendered and discarded before a seek target so every filter state has converged
/// (the slowest pole, pink's 0.99886, decays below 1e-12 within this many samples).
constexpr std::int64_t kPreRollFrames = 32768;
/// Notch coefficients follow the LFO every this many frames.
constexpr std::int64_t kCoefficientInterval = 64;
constexpr int kMaxCascade = 16;
constexpr double kTargetRms = 0.2;  // about 0.95 peak for Gaussian noise over minutes

struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  double z1 = 0, z2 = 0;
  double process(double x) noexcept {
    const double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }
  void reset() noexcept { z1 = z2 = 0; }
};

Biquad butterworth_section(bool high_pass, double cutoff_hz, double q, double rate_hz) {
  const double w = kTwoPi * std::min(cutoff_hz, 0.49 * rate_hz) / rate_hz;
  const double alpha = std::sin(w) / (2.0 * q);
  const double c = std::cos(w);
  const double a0 = 1.0 + alpha;
  Biquad f;
  if (high_pass) {
    f.b0 = (1.0 + c) / 2.0 / a0;
    f.b1 = -(1.0 + c) / a0;
  } else {
    f.b0 = (1.0 - c) / 2.0 / a0;
    f.b1 = (1.0 - c) / a0;
  }
  f.b2 = f.b0;
  f.a1 = -2.0 * c / a0;
  f.a2 = (1.0 - alpha) / a0;
  return f;
}

/// scipy.signal.iirnotch(f0, Q, fs) coefficients.
/// Stages that stand in for a cascade of identical notches (see set_notch).
constexpr int kStagesPerSweep = 2;

/// scipy's iirnotch(f, Q) as the stage of a cascade of `cascade` identical notches, built from
/// min(cascade, kStagesPerSweep) stages. |H|² = d²/(d² + β² sin²w) with d = cos w − cos w0, β = tan(w0/2Q);
/// N stages reach half power where d²/(d²+β²s²) = 2^(−1/N). Fewer, wider stages (β scaled so their
/// half-power width equals the full cascade's) give the same notch width and a removed power within a
/// few per cent of it, at a fraction of the cost (the cascade dominated the renderer's time).
void set_notch(Biquad& f, double frequency_hz, double q, double rate_hz, int cascade) noexcept {
  const double w0 = kTwoPi * frequency_hz / rate_hz;
  double beta = std::tan(w0 / q / 2.0);
  if (cascade > kStagesPerSweep) {
    const double full = std::exp2(-1.0 / cascade);
    const double reduced = std::exp2(-1.0 / kStagesPerSweep);
    beta *= std::sqrt(full / (1.0 - full) * (1.0 - reduced) / reduced);
  }
  const double gain = 1.0 / (1.0 + beta);
  f.b0 = gain;
  f.b1 = -2.0 * gain * std::cos(w0);
  f.b2 = gain;
  f.a1 = -2.0 * gain * std::cos(w0);
  f.a2 = 2.0 * gain - 1.0;
}

enum class Colour { kWhite, kPink, kBrown, kDeepBrown, kBlue, kPurple, kGreen };

Colour parse_colour(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (type == "pink") return Colour::kPink;
  if (type == "brown" || type == "red") return Colour::kBrown;
  if (type == "deep brown" || type == "deep_brown") return Colour::kDeepBrown;
  if (type == "blue") return Colour::kBlue;
  if (type == "purple" || type == "violet") return Colour::kPurple;
  if (type == "green") return Colour::kGreen;
  return Colour::kWhite;
}

/// Per-channel colouring filter state: Kellett pink, leaky integrators, differentiators, band-pass.
struct ColourState {
  std::array<double, 6> pink{};
  double leaky = 0.0, leaky2 = 0.0, previous = 0.0;
  Biquad band[4];
  Biquad pre_low, pre_high;
  void reset() {
    pink.fill(0.0);
    leaky = leaky2 = previous = 0.0;
    for (auto& f : band) f.reset();
    pre_low.reset();
    pre_high.reset();
  }
};

class SweptNotchNoise final : public NoiseGenerator {
 public:
  SweptNotchNoise(const NoiseParams& params, double rate_hz, std::uint64_t seed)
      : params_(params), rate_hz_(rate_hz), seed_(seed), colour_(parse_colour(params.noise_type)) {
    triangle_ = params.lfo_waveform == "triangle";
    for (auto& state : states_) {
      // Green: Butterworth band-pass 100–1000 Hz (order 4 as two HP and two LP sections).
      state.band[0] = butterworth_section(true, 100.0, 0.5411961, rate_hz);
      state.band[1] = butterworth_section(true, 100.0, 1.3065630, rate_hz);
      state.band[2] = butterworth_section(false, 1000.0, 0.5411961, rate_hz);
      state.band[3] = butterworth_section(false, 1000.0, 1.3065630, rate_hz);
      // Pre-conditioning of the original: low-pass 10 kHz, high-pass 50 Hz (causal here).
      state.pre_low = butterworth_section(false, 10000.0, std::numbers::sqrt2 / 2.0, rate_hz);
      state.pre_high = butterworth_section(true, 50.0, std::numbers::sqrt2 / 2.0, rate_hz);
    }
    const auto frames = static_cast<std::int64_t>(std::max(1.0, params.duration_seconds) * rate_hz);
    ParamMap alpha_params;
    alpha_params.emplace("initial_offset", ParamValue{params.initial_offset_s});
    if (params.transition_duration_s) alpha_params.emplace("transition_duration", ParamValue{*params.transition_duration_s});
    alpha_ = std::move(*voices::TransitionAlpha::create(alpha_params, static_cast<double>(frames) / rate_hz, frames));
    // Calibrate the level once, from a fixed stretch of the generator itself.
    scale_ = 1.0;
    std::vector<float> left(65536), right(65536);
    render_raw(0, left, right);
    double energy = 0.0;
    for (std::size_t i = 16384; i < left.size(); ++i) energy += double(left[i]) * left[i] + double(right[i]) * right[i];
    const double rms = std::sqrt(energy / (2.0 * static_cast<double>(left.size() - 16384)));
    scale_ = rms > 0.0 ? kTargetRms / rms : 1.0;
    reset_states();
    next_ = 0;
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    std::int64_t at = first;
    std::size_t offset = 0;
    if (at < 0) {
      offset = static_cast<std::size_t>(std::min<std::int64_t>(-at, static_cast<std::int64_t>(left.size())));
      std::fill_n(left.begin(), offset, 0.0f);
      std::fill_n(right.begin(), offset, 0.0f);
      at = 0;
    }
    if (offset >= left.size()) return;
    if (at != next_) {
      // Jump: restart the filters a pre-roll before the target (from 0 when close to the start).
      reset_states();
      std::int64_t warm = std::max<std::int64_t>(0, at - kPreRollFrames);
      float discard_left[1024], discard_right[1024];
      while (warm < at) {
        const auto count = static_cast<std::size_t>(std::min<std::int64_t>(1024, at - warm));
        render_raw(warm, std::span<float>(discard_left, count), std::span<float>(discard_right, count));
        warm += static_cast<std::int64_t>(count);
      }
    }
    render_raw(at, left.subspan(offset), right.subspan(offset));
    next_ = at + static_cast<std::int64_t>(left.size() - offset);
  }

 private:
  void reset_states() noexcept {
    for (auto& state : states_) state.reset();
    for (auto& pass : notch_states_)
      for (auto& f : pass) f.reset();
  }

  double coloured(int channel, std::int64_t index) noexcept {
    ColourState& s = states_[channel];
    const double white = gaussian(seed_, channel, index);
    double pink_value = 0.0;
    if (colour_ == Colour::kPink || colour_ == Colour::kBlue || colour_ == Colour::kGreen || colour_ == Colour::kDeepBrown) {
      // Paul Kellett's pink filter (no b6 term, as the original).
      auto& b = s.pink;
      b[0] = 0.99886 * b[0] + 0.0555179 * white;
      b[1] = 0.99332 * b[1] + 0.0750759 * white;
      b[2] = 0.969 * b[2] + 0.153852 * white;
      b[3] = 0.8665 * b[3] + 0.3104856 * white;
      b[4] = 0.55 * b[4] + 0.5329522 * white;
      b[5] = -0.7616 * b[5] - 0.016898 * white;
      pink_value = 0.11 * (b[0] + b[1] + b[2] + b[3] + b[4] + b[5]);
    }
    double value = white;
    switch (colour_) {
      case Colour::kWhite: break;
      case Colour::kPink: value = pink_value; break;
      case Colour::kBrown:
        // A leaky integrator instead of an unbounded cumsum: same 1/f² slope above ~4 Hz, stationary, seekable.
        s.leaky = 0.9994 * s.leaky + white;
        value = s.leaky;
        break;
      case Colour::kDeepBrown:
        s.leaky = 0.9994 * s.leaky + pink_value;
        value = s.leaky;
        break;
      case Colour::kBlue:
        value = pink_value - s.previous;  // f^+1 power: differentiated pink
        s.previous = pink_value;
        break;
      case Colour::kPurple:
        value = white - s.previous;  // f^+2 power: differentiated white
        s.previous = white;
        break;
      case Colour::kGreen:
        value = pink_value;
        for (auto& f : s.band) value = f.process(value);
        break;
    }
    value = s.pre_high.process(s.pre_low.process(value));
    return value;
  }

  void update_notches(std::int64_t index) noexcept {
    const double a = params_.transition ? alpha_.at(index) : 0.0;
    const double t_s = static_cast<double>(index) / rate_hz_;
    // LFO phase: f·t (static) or its integral (transition; the rate changes linearly with α).
    double lfo_phase = 0.0;
    if (params_.transition) {
      lfo_phase = kTwoPi / rate_hz_ *
                  (static_cast<double>(index + 1) * params_.start_lfo_freq_hz +
                   (params_.end_lfo_freq_hz - params_.start_lfo_freq_hz) * alpha_.cumulative(index));
    } else {
      lfo_phase = kTwoPi * params_.lfo_freq_hz * t_s;
    }
    const double right_offset = (params_.start_lfo_phase_offset_deg +
                                 (params_.end_lfo_phase_offset_deg - params_.start_lfo_phase_offset_deg) * a) * std::numbers::pi / 180.0;
    const double intra = (params_.start_intra_phase_offset_deg +
                          (params_.end_intra_phase_offset_deg - params_.start_intra_phase_offset_deg) * a) * std::numbers::pi / 180.0;
    // Static mode runs the second pass only with an intra offset; transition mode always runs both, and
    // with no intra offset its two passes are the same filters twice: one pass of a doubled cascade.
    passes_ = intra != 0.0 ? 2 : 1;
    const int cascade_factor = (params_.transition && intra == 0.0) ? 2 : 1;
    for (int channel = 0; channel < 2; ++channel) {
      for (int pass = 0; pass < passes_; ++pass) {
        const double phase = lfo_phase + (channel == 1 ? right_offset : 0.0) + (pass == 1 ? intra : 0.0);
        const double lfo = triangle_ ? 1.0 - 2.0 * std::fabs(2.0 * (phase / kTwoPi - std::floor(phase / kTwoPi + 0.5)))
                                     : std::cos(phase);
        int slot = 0;
        for (const NoiseSweep& sweep : params_.sweeps) {
          const double low = sweep.start_min_hz + (sweep.end_min_hz - sweep.start_min_hz) * a;
          const double high = sweep.start_max_hz + (sweep.end_max_hz - sweep.start_max_hz) * a;
          const double q = std::max(0.1, sweep.start_q + (sweep.end_q - sweep.start_q) * a);
          const int cascade = cascade_factor * std::clamp(static_cast<int>(std::lround(sweep.start_cascade + (sweep.end_cascade - sweep.start_cascade) * a)), 0, kMaxCascade);
          const double centre = (low + high) / 2.0 + (high - low) / 2.0 * lfo;
          const bool active = centre > 0.0 && centre < 0.49 * rate_hz_;
          // One coefficient set per sweep, copied to its cascaded stages (their states stay separate).
          Biquad design;
          if (active) set_notch(design, centre, q, rate_hz_, cascade);
          // Each sweep owns kStagesPerSweep stages, so stage states persist as the cascade count changes.
          for (int stage = 0; stage < kStagesPerSweep && slot < kMaxNotches; ++stage, ++slot) {
            Biquad& f = notch_states_[channel * 2 + pass][slot];
            if (active && stage < std::min(cascade, kStagesPerSweep)) {
              f.b0 = design.b0; f.b1 = design.b1; f.b2 = design.b2; f.a1 = design.a1; f.a2 = design.a2;
            } else {
              f.b0 = 1; f.b1 = f.b2 = f.a1 = f.a2 = 0;
            }
          }
        }
        used_notches_ = slot;
      }
    }
  }

  void render_raw(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    // Work in runs that never cross a coefficient update, stage by stage with both channels together
    // (two independent recursions per loop keep the CPU busy; the arithmetic is the same as sample by sample).
    std::size_t done = 0;
    while (done < left.size()) {
      const std::int64_t index = first + static_cast<std::int64_t>(done);
      const std::int64_t phase_in_interval = index % kCoefficientInterval;
      const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(kCoefficientInterval - phase_in_interval), left.size() - done);
      if (!params_.sweeps.empty()) update_notches(index - phase_in_interval);
      double l[kCoefficientInterval], r[kCoefficientInterval];
      for (std::size_t i = 0; i < count; ++i) {
        l[i] = coloured(0, index + static_cast<std::int64_t>(i)) * scale_;
        r[i] = coloured(1, index + static_cast<std::int64_t>(i)) * scale_;
      }
      for (int pass = 0; pass < passes_ && !params_.sweeps.empty(); ++pass) {
        for (int slot = 0; slot < used_notches_; ++slot) {
          Biquad& fl = notch_states_[0 * 2 + pass][slot];
          Biquad& fr = notch_states_[1 * 2 + pass][slot];
          for (std::size_t i = 0; i < count; ++i) {
            l[i] = fl.process(l[i]);
            r[i] = fr.process(r[i]);
          }
        }
      }
      for (std::size_t i = 0; i < count; ++i) {
        left[done + i] = static_cast<float>(l[i]);
        right[done + i] = static_cast<float>(r[i]);
      }
      done += count;
    }
  }

  static constexpr int kMaxNotches = 64;
  NoiseParams params_;
  double rate_hz_;
  std::uint64_t seed_;
  Colour colour_;
  bool triangle_ = false;
  double scale_ = 1.0;
  voices::TransitionAlpha alpha_ = voices::TransitionAlpha::whole_voice(1.0, 1);
  ColourState states_[2];
  std::array<std::array<Biquad, kMaxNotches>, 4> notch_states_{};
  int passes_ = 1;
  int used_notches_ = 0;
  std::int64_t next_ = 0;
};

}  // namespace

Expected<std::unique_ptr<NoiseGenerator>> NoiseGenerator::create(const NoiseParams& params, double sample_rate_hz,
                                                                 std::uint64_t seed) {
  return std::unique_ptr<NoiseGenerator>(std::make_unique<SweptNotchNoise>(params, sample_rate_hz, seed));
}

}  // namespace resound::track
