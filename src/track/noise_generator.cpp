// Coloured noise from a counter-based Gaussian generator, then swept notches (static or transition); seekable.
#include "noise_generator.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numbers>
#include <vector>

#include "biquad_pipeline.hpp"
#include "gaussian_pairs.hpp"
#include "resound/dsp/resampler.hpp"
#include "resound/formats/audio_file_reader.hpp"
#include "resound/dsp/vector_clones.hpp"
#include "voices/voice_math.hpp"
#include "voices/transition_alpha.hpp"

namespace resound::track {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// Frames rendered and discarded before a seek target so every filter state has converged
/// (the slowest pole, pink's 0.99886, decays below 1e-12 within this many samples).
constexpr std::int64_t kPreRollFrames = 32768;
/// Notch coefficients follow the LFO every this many frames (2.9 ms at 44.1 kHz: the fastest sweep moves its
/// notch by under a third of its bandwidth in that time; the original holds them for a 2048-frame hop).
constexpr std::int64_t kCoefficientInterval = 128;
constexpr int kMaxCascade = 16;
constexpr double kTargetRms = 0.2;  // about 0.95 peak for Gaussian noise over minutes

struct Biquad : BiquadCoefficients {
  double z1 = 0, z2 = 0;
  double process(double x) noexcept {
    const double y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }
  void reset() noexcept { z1 = z2 = 0; }
};

/// A (left, right) pair in one SIMD register: both channels run through the same recursions side by side.
using Pair = double __attribute__((vector_size(16)));

inline Pair pair_of(double value) noexcept { return Pair{value, value}; }

/// A biquad per channel (coefficients may differ per lane), same arithmetic as Biquad::process.
struct StereoBiquad {
  Pair b0 = pair_of(1), b1 = pair_of(0), b2 = pair_of(0), a1 = pair_of(0), a2 = pair_of(0);
  Pair z1 = pair_of(0), z2 = pair_of(0);
  Pair process(Pair x) noexcept {
    const Pair y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    return y;
  }
  void reset() noexcept { z1 = z2 = pair_of(0); }
  /// Both lanes get `design`'s coefficients.
  void set(const Biquad& design) noexcept { set_lane(0, design); set_lane(1, design); }
  void set_lane(int lane, const Biquad& design) noexcept {
    b0[lane] = design.b0; b1[lane] = design.b1; b2[lane] = design.b2; a1[lane] = design.a1; a2[lane] = design.a2;
  }
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

/// Four doubles in one AVX register (the vectorised pink filter's lanes).
using Quad = double __attribute__((vector_size(32)));

/// Colouring filter state of both channels (one lane each): Kellett pink, leaky integrators, differentiators, band-pass.
/// (The pre-conditioning filters run as the first two stages of the notch pipeline.)
struct ColourState {
  std::array<Pair, 6> pink{};
  Pair leaky = pair_of(0), previous = pair_of(0);
  StereoBiquad band[4];
  // Plain pink runs vectorised: poles b0–b3 of each channel, then b4, b5 of left and right.
  Quad pink_left{}, pink_right{}, pink_fast{};
  void reset() {
    pink_left = pink_right = pink_fast = Quad{};
    pink.fill(pair_of(0));
    leaky = previous = pair_of(0);
    for (auto& f : band) f.reset();
  }
};

class SweptNotchNoise final : public NoiseGenerator {
 public:
  /// `input`: the first channel of `input_audio_path` at `rate_hz`, notched instead of generated noise
  /// (empty: generated noise).
  SweptNotchNoise(const NoiseParams& params, double rate_hz, std::uint64_t seed, std::vector<double> input = {})
      : params_(params), rate_hz_(rate_hz), seed_(seed),
        colour_(input.empty() ? parse_colour(params.noise_type) : Colour::kWhite), input_(std::move(input)) {
    triangle_ = params.lfo_waveform == "triangle";
    // Green: Butterworth band-pass 100–1000 Hz (order 4 as two HP and two LP sections).
    states_.band[0].set(butterworth_section(true, 100.0, 0.5411961, rate_hz));
    states_.band[1].set(butterworth_section(true, 100.0, 1.3065630, rate_hz));
    states_.band[2].set(butterworth_section(false, 1000.0, 0.5411961, rate_hz));
    states_.band[3].set(butterworth_section(false, 1000.0, 1.3065630, rate_hz));
    // Stages: the original's pre-conditioning (low-pass 10 kHz, high-pass 50 Hz; causal here), then
    // kStagesPerSweep per sweep for each notch pass (two passes when an intra offset can occur).
    const bool intra_possible = params.start_intra_phase_offset_deg != 0.0 ||
                                (params.transition && params.end_intra_phase_offset_deg != 0.0);
    layout_passes_ = intra_possible ? 2 : 1;
    slots_ = std::min<int>(kMaxNotches, kStagesPerSweep * static_cast<int>(params.sweeps.size()));
    pipeline_.configure(kPreStages + layout_passes_ * slots_);
    for (int channel = 0; channel < 2; ++channel) {
      pipeline_.set_stage(0, channel, butterworth_section(false, 10000.0, std::numbers::sqrt2 / 2.0, rate_hz));
      pipeline_.set_stage(1, channel, butterworth_section(true, 50.0, std::numbers::sqrt2 / 2.0, rate_hz));
    }
    const auto frames = static_cast<std::int64_t>(std::max(1.0, params.duration_seconds) * rate_hz);
    ParamMap alpha_params;
    alpha_params.emplace("initial_offset", ParamValue{params.initial_offset_s});
    if (params.transition_duration_s) alpha_params.emplace("transition_duration", ParamValue{*params.transition_duration_s});
    alpha_ = std::move(*voices::TransitionAlpha::create(alpha_params, static_cast<double>(frames) / rate_hz, frames));
    scale_ = 1.0;
    if (input_.empty()) {
      // Calibrate the level once, from a fixed stretch of the generator itself.
      std::vector<float> left(65536), right(65536);
      render_raw(0, left, right);
      double energy = 0.0;
      for (std::size_t i = 16384; i < left.size(); ++i) energy += double(left[i]) * left[i] + double(right[i]) * right[i];
      const double rms = std::sqrt(energy / (2.0 * static_cast<double>(left.size() - 16384)));
      scale_ = rms > 0.0 ? kTargetRms / rms : 1.0;
    } else {
      // A given signal is notched whole once to find its peak, then scaled to the original's 0.95 peak.
      double peak = 0.0;
      std::vector<float> left(8192), right(8192);
      for (std::int64_t first = 0; first < static_cast<std::int64_t>(input_.size()); first += 8192) {
        render_raw(first, left, right);
        for (std::size_t i = 0; i < left.size(); ++i) peak = std::max({peak, std::fabs(double(left[i])), std::fabs(double(right[i]))});
      }
      scale_ = peak > 0.0 ? kInputPeak / peak : 1.0;
    }
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
    states_.reset();
    pipeline_.reset();
  }

  /// Colours and scales one run of white noise in place (both channels together, frame by frame).
  void colour_run(float* left, float* right, std::size_t count) noexcept {
    switch (colour_) {
      case Colour::kWhite: colour_run_as<Colour::kWhite>(left, right, count); break;
      case Colour::kPink: colour_run_as<Colour::kPink>(left, right, count); break;
      case Colour::kBrown: colour_run_as<Colour::kBrown>(left, right, count); break;
      case Colour::kDeepBrown: colour_run_as<Colour::kDeepBrown>(left, right, count); break;
      case Colour::kBlue: colour_run_as<Colour::kBlue>(left, right, count); break;
      case Colour::kPurple: colour_run_as<Colour::kPurple>(left, right, count); break;
      case Colour::kGreen: colour_run_as<Colour::kGreen>(left, right, count); break;
    }
  }

  /// colour_run for one colour, known at compile time so the per-frame loop carries no branch.
  template <Colour C>
  RESOUND_VECTOR_CLONES_AVX2 void colour_run_as(float* left, float* right, std::size_t count) noexcept {
    if constexpr (C == Colour::kPink) {
      // Kellett's pink (no b6 term, as the original) with the six one-poles of both channels side by side
      // in three registers; the same filter as coloured<kPink> (double precision: the 0.99886 pole would
      // amplify single-precision rounding enough to make seeks differ from the full render).
      const Quad slow_pole{0.99886, 0.99332, 0.969, 0.8665}, slow_gain{0.0555179, 0.0750759, 0.153852, 0.3104856};
      const Quad fast_pole{0.55, -0.7616, 0.55, -0.7616}, fast_gain{0.5329522, -0.016898, 0.5329522, -0.016898};
      Quad pink_left = states_.pink_left, pink_right = states_.pink_right, pink_fast = states_.pink_fast;
      const double scale = 0.11 * scale_;
      for (std::size_t i = 0; i < count; ++i) {
        const double white_left = left[i], white_right = right[i];
        pink_left = slow_pole * pink_left + slow_gain * white_left;
        pink_right = slow_pole * pink_right + slow_gain * white_right;
        pink_fast = fast_pole * pink_fast + fast_gain * Quad{white_left, white_left, white_right, white_right};
        // Pairwise sums: [L01, L23, R01, R23] + [L4, L5, R4, R5], then the two halves of each channel.
        const Quad pairs = __builtin_shufflevector(pink_left, pink_right, 0, 2, 4, 6) +
                           __builtin_shufflevector(pink_left, pink_right, 1, 3, 5, 7) + pink_fast;
        const Quad sums = __builtin_shufflevector(pairs, pairs, 0, 2, 1, 3) + __builtin_shufflevector(pairs, pairs, 1, 3, 0, 2);
        left[i] = static_cast<float>(sums[0] * scale);
        right[i] = static_cast<float>(sums[1] * scale);
      }
      states_.pink_left = pink_left;
      states_.pink_right = pink_right;
      states_.pink_fast = pink_fast;
      return;
    }
    ColourState colour = states_;
    const Pair scale = pair_of(scale_);
    for (std::size_t i = 0; i < count; ++i) {
      const Pair value = coloured<C>(colour, Pair{left[i], right[i]}) * scale;
      left[i] = static_cast<float>(value[0]);
      right[i] = static_cast<float>(value[1]);
    }
    states_ = colour;
  }

  /// Colours one frame of white noise (both channels).
  template <Colour C>
  static Pair coloured(ColourState& s, Pair white) noexcept {
    Pair pink_value = pair_of(0);
    if constexpr (C == Colour::kPink || C == Colour::kBlue || C == Colour::kGreen || C == Colour::kDeepBrown) {
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
    Pair value = white;
    switch (C) {
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
    const int passes = intra != 0.0 ? 2 : 1;
    const int cascade_factor = (params_.transition && intra == 0.0) ? 2 : 1;
    for (int channel = 0; channel < 2; ++channel) {
      for (int pass = 0; pass < layout_passes_; ++pass) {
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
          const bool active = pass < passes && centre > 0.0 && centre < 0.49 * rate_hz_;
          // One coefficient set per sweep, copied to its cascaded stages (their states stay separate).
          Biquad design;
          if (active) set_notch(design, centre, q, rate_hz_, cascade);
          // Each sweep owns kStagesPerSweep stages, so stage states persist as the cascade count changes.
          for (int stage = 0; stage < kStagesPerSweep && slot < slots_; ++stage, ++slot) {
            const bool used = active && stage < std::min(cascade, kStagesPerSweep);
            pipeline_.set_stage(kPreStages + pass * slots_ + slot, channel, used ? BiquadCoefficients(design) : BiquadCoefficients{});
          }
        }
      }
    }
  }

  void render_raw(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    // Runs that never cross a coefficient update: white noise, colour, then the whole filter cascade.
    std::size_t done = 0;
    while (done < left.size()) {
      const std::int64_t index = first + static_cast<std::int64_t>(done);
      const std::int64_t phase_in_interval = index % kCoefficientInterval;
      const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(kCoefficientInterval - phase_in_interval), left.size() - done);
      if (!params_.sweeps.empty()) update_notches(index - phase_in_interval);
      float* out_left = left.data() + done;
      float* out_right = right.data() + done;
      if (input_.empty()) {
        gaussian_pairs(seed_, index, count, out_left, out_right);
      } else {
        // Both channels notch the same signal (with their own LFO phases); silence past its end.
        for (std::size_t i = 0; i < count; ++i) {
          const auto at = static_cast<std::size_t>(index) + i;
          out_left[i] = out_right[i] = at < input_.size() ? static_cast<float>(input_[at]) : 0.0f;
        }
      }
      colour_run(out_left, out_right, count);
      pipeline_.process(out_left, out_right, count, out_left, out_right);
      done += count;
    }
  }

  static constexpr int kMaxNotches = 64;
  static constexpr int kPreStages = 2;
  static constexpr double kInputPeak = 0.95;  // the original scales a notched input to this peak
  NoiseParams params_;
  double rate_hz_;
  std::uint64_t seed_;
  Colour colour_;
  std::vector<double> input_;
  bool triangle_ = false;
  double scale_ = 1.0;
  voices::TransitionAlpha alpha_ = voices::TransitionAlpha::whole_voice(1.0, 1);
  ColourState states_;
  BiquadPipeline pipeline_;  // pre-conditioning, then [pass][slot] notch stages
  int layout_passes_ = 1;
  int slots_ = 0;
  std::int64_t next_ = 0;
};

}  // namespace

Expected<std::unique_ptr<NoiseGenerator>> NoiseGenerator::create(const NoiseParams& params, double sample_rate_hz,
                                                                 std::uint64_t seed) {
  if (params.input_audio_path.empty())
    return std::unique_ptr<NoiseGenerator>(std::make_unique<SweptNotchNoise>(params, sample_rate_hz, seed));
  // input_audio_path: its first channel, at the track rate, replaces the generated noise.
  auto decoded = formats::read_audio_file(params.input_audio_path);
  if (!decoded) return decoded.error().in_field("input_audio_path");
  AudioBuffer audio = std::move(decoded->audio);
  if (decoded->sample_rate_hz != sample_rate_hz) {
    auto resampled = dsp::resample(audio.view(), decoded->sample_rate_hz, sample_rate_hz);
    if (!resampled) return resampled.error().in_field("input_audio_path");
    audio = std::move(*resampled);
  }
  if (audio.channel_count() == 0 || audio.frame_count() == 0)
    return Error(ErrorCode::kInvalidArgument, "the noise input file holds no audio",
                 ErrorContext{.file = params.input_audio_path.string(), .field = "input_audio_path"});
  const auto first_channel = audio.view().channel(0);
  std::vector<double> input(first_channel.begin(), first_channel.end());
  return std::unique_ptr<NoiseGenerator>(std::make_unique<SweptNotchNoise>(params, sample_rate_hz, seed, std::move(input)));
}

}  // namespace resound::track
