// isochronic_tone and isochronic_tone_transition: a carrier gated by a trapezoid pulse train, per-ear AM and vibrato.
#include <optional>

#include "resound/dsp/vector_clones.hpp"
#include "voices/carrier_modulation.hpp"
#include "voices/transition_voice.hpp"
#include "voices/voice_families.hpp"
#include "voices/zero_phase_filter.hpp"

namespace resound::track::voices {
namespace {

/// clamp(x, 0, 1), both comparisons unconditional (vectorisable).
inline double clamp_unit(double x) noexcept {
  const bool below = x < 0.0;
  const bool above = x > 1.0;
  return below ? 0.0 : (above ? 1.0 : x);
}

/// Shape of the trapezoid gate in units of one pulse cycle: audible part (1 − gap), ramp length and the
/// reciprocal of the ramp (one division per shape, none per sample when the shape is constant).
struct GateShape {
  double audible = 1.0;
  double ramp = 0.0;
  double inverse_ramp = 1.0;
  double sustain_end = 1.0;
  bool has_ramp = false;
};

/// The original's gate (ramps take `ramp` of the audible part each, capped at half of it), measured in
/// cycles instead of seconds: every time in it is a cycle fraction divided by the rate, so the rate cancels.
inline GateShape gate_shape(double ramp, double gap) noexcept {
  GateShape shape;
  shape.audible = 1.0 - gap;
  const double twice_ramp = 2.0 * ramp * shape.audible;
  const double ramp_total = twice_ramp < shape.audible ? twice_ramp : shape.audible;
  shape.ramp = ramp_total / 2.0;
  shape.sustain_end = shape.ramp + (shape.audible - ramp_total);
  shape.has_ramp = shape.ramp > 0.0;
  shape.inverse_ramp = 1.0 / (shape.has_ramp ? shape.ramp : 1.0);
  return shape;
}

/// Trapezoid gate at cycle fraction `position` in [0, 1). Branch-free (every case computed, one selected),
/// so loops over it vectorise.
inline double trapezoid(double position, const GateShape& shape) noexcept {
  const double rising = position * shape.inverse_ramp;  // computed unconditionally, selected below
  const double falling = 1.0 - (position - shape.sustain_end) * shape.inverse_ramp;
  const double rise = shape.has_ramp ? rising : 1.0;
  const double fall = shape.has_ramp ? falling : 0.0;
  // Comparisons first: a comparison evaluated only on one arm would block vectorisation (it may trap).
  const bool rising_part = position < shape.ramp;
  const bool sustained = position < shape.sustain_end;
  const bool silent = position >= shape.audible;
  const double gate = rising_part ? rise : (sustained ? 1.0 : fall);
  return silent ? 0.0 : gate;
}

class IsochronicVoice final : public TransitionVoice {
 public:
  IsochronicVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : TransitionVoice(context, std::move(alpha)), transition_(transition) {
    const ParamMap& p = context.params;
    t_step_s_ = context.frames > 0 ? context.duration_s / static_cast<double>(context.frames) : 0.0;
    // The static voice uses dt = T/N; the transition voice dt = 1/sr (spec §2.2).
    step_s_ = transition ? 1.0 / context.sample_rate_hz : t_step_s_;
    if (transition) {
      // Quirk kept: startBaseFreq/startBeatFreq do not fall back to baseFreq/beatFreq.
      base_hz_ = transition_keys(p, "startBaseFreq", "endBaseFreq", "", 200.0);
      beat_hz_ = transition_keys(p, "startBeatFreq", "endBeatFreq", "", 4.0);
      ramp_ = transition_keys(p, "startRampPercent", "endRampPercent", "rampPercent", 0.2);
      gap_ = transition_keys(p, "startGapPercent", "endGapPercent", "gapPercent", 0.15);
      force_mono_ = transition_keys(p, "startForceMono", "endForceMono", "forceMono", 0.0);
    } else {
      base_hz_ = read_value(p, "baseFreq", false, 200.0);
      beat_hz_ = read_value(p, "beatFreq", false, 4.0);
      ramp_ = read_value(p, "rampPercent", false, 0.2);
      gap_ = read_value(p, "gapPercent", false, 0.15);
      force_mono_ = read_value(p, "forceMono", false, 0.0);
    }
    pan_ = number_param(p, "pan", 0.0);
    constant_tone_ = !transition;
    phase_osc_freq_hz_ = read_value(p, "phaseOscFreq", transition, 0.0);
    phase_osc_range_rad_ = read_value(p, "phaseOscRange", transition, 0.0);
    for (int ear = 0; ear < 2; ++ear) {
      ears_[ear] = read_ear_modulation(p, ear == 0 ? "L" : "R", transition, 0.5);
      if (transition) ears_[ear].start_phase_rad = transition_keys(p, std::string("startStartPhase") + (ear ? "R" : "L"),
                                                                   std::string("endStartPhase") + (ear ? "R" : "L"),
                                                                   std::string("startPhase") + (ear ? "R" : "L"), 0.0);
      if (ears_[ear].has_vibrato() || base_hz_.start < 0.0 || base_hz_.end < 0.0) {
        sums_[ear].emplace();
        sums_[ear]->build(context.frames,
                          [this, ear](std::int64_t first, std::span<double> out) { increments(ear, first, out); });
        constant_tone_ = false;
      }
    }
    if (phase_osc_freq_hz_.start != 0.0 || phase_osc_range_rad_.start != 0.0) constant_tone_ = false;
    has_phase_lfo_ = phase_osc_freq_hz_.start != 0.0 || phase_osc_freq_hz_.end != 0.0 || phase_osc_range_rad_.start != 0.0 ||
                     phase_osc_range_rad_.end != 0.0;
    if (constant_tone_) tones_.build(kTwoPi * step_s_ * base_hz_.start);
    // Both ears share one carrier (the common case: no per-ear start phase, vibrato or phase LFO), so its
    // sine is computed once per chunk.
    const auto same = [](const StartEnd& a, const StartEnd& b) { return a.start == b.start && a.end == b.end; };
    shared_carrier_ = !has_phase_lfo_ && !sums_[0] && !sums_[1] && same(ears_[0].start_phase_rad, ears_[1].start_phase_rad);
  }

 private:

  void increments(int ear_index, std::int64_t first, std::span<double> out) const noexcept {
    const EarModulation& ear = ears_[ear_index];
    double sum = alpha_sum(first - 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha_at(k);
      sum += a;
      double vibrato = 0.0;
      if (lerp(force_mono_.start, force_mono_.end, a) <= 0.5) {
        // Static: LFO at f·t; transition: cumsum(f)·dt (inclusive).
        const double cycles = transition_ ? step_s_ * lerp_sum(ear.vibrato_freq_hz, k, sum)
                                          : ear.vibrato_freq_hz.start * static_cast<double>(k) * t_step_s_;
        vibrato = ear_vibrato_hz(ear, a, cycles, false);
      }
      out[i] = kTwoPi * std::max(0.0, lerp(base_hz_.start, base_hz_.end, a) + vibrato) * step_s_;
    }
  }

  [[nodiscard]] double peak_bound() const noexcept override { return ears_peak_bound(ears_); }

  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    render_chunk_clones(first, left, right);
  }

  // Multiversioned (virtual functions cannot be): the AVX2 clone vectorises the per-chunk loops.
  RESOUND_VECTOR_CLONES_AVX2
  void render_chunk_clones(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    const std::size_t count = left.size();
    // α and Σα once per chunk (the same running sum as per-sample calls, so results are unchanged).
    Chunk alpha, alpha_sums;
    fill_alpha(first, count, alpha, alpha_sums);
    // Each quantity in its own pass over the chunk: simple loops that vectorise.
    Chunk phase[2];
    const bool constant = constant_tone_;
    const int carriers = shared_carrier_ ? 1 : 2;
    for (int ear = 0; ear < carriers && constant; ++ear) {
      // Static carrier without vibrato: sin(φ0 + 2π·dt·(k+1)·f) from the tone table (chunk-aligned).
      const std::int64_t aligned = first - first % static_cast<std::int64_t>(kChunkFrames);
      tones_.render(ears_[ear].start_phase_rad.start + kTwoPi * step_s_ * (static_cast<double>(aligned + 1) * base_hz_.start),
                    static_cast<std::size_t>(first - aligned), phase[ear].data(), count);
    }
    for (int ear = 0; ear < carriers && !constant; ++ear) carrier_phases(ear, first, count, alpha, alpha_sums, phase[ear]);
    Chunk gate, cycles;
    const double first_index = static_cast<double>(first);
    // Pulse position: the cycle counter advances before use (inclusive), wrapped below 1. (A loop-invariant
    // choice inside the loop would stop it vectorising, hence two loops.)
    if (transition_) {
      for (std::size_t i = 0; i < count; ++i)
        cycles[i] = step_s_ * lerp_sum_through(beat_hz_, frame_index(first_index, i) + 1.0, alpha_sums[i]);
    } else {
      for (std::size_t i = 0; i < count; ++i)
        cycles[i] = (frame_index(first_index, i) + 1.0) * lerp(beat_hz_.start, beat_hz_.end, alpha[i]) * step_s_;
    }
    if (ramp_.start == ramp_.end && gap_.start == gap_.end) {
      const GateShape shape = gate_shape(clamp_unit(ramp_.start), clamp_unit(gap_.start));
      for (std::size_t i = 0; i < count; ++i) {
        const bool running = lerp(beat_hz_.start, beat_hz_.end, alpha[i]) > 1e-9;
        gate[i] = running ? trapezoid(cycles[i] - std::floor(cycles[i]), shape) : 0.0;
      }
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const double a = alpha[i];
        const bool running = lerp(beat_hz_.start, beat_hz_.end, a) > 1e-9;
        const GateShape shape = gate_shape(clamp_unit(lerp(ramp_.start, ramp_.end, a)), clamp_unit(lerp(gap_.start, gap_.end, a)));
        gate[i] = running ? trapezoid(cycles[i] - std::floor(cycles[i]), shape) : 0.0;
      }
    }
    if (has_phase_lfo_) {
      for (std::size_t i = 0; i < count; ++i) {
        const double a = alpha[i];
        const double t_s = frame_index(first_index, i) * t_step_s_;
        const double range = lerp(phase_osc_range_rad_.start, phase_osc_range_rad_.end, a);
        const double freq = lerp(phase_osc_freq_hz_.start, phase_osc_freq_hz_.end, a);
        const double offset = (freq != 0.0 || range != 0.0) ? range / 2.0 * fast_sin(kTwoPi * freq * t_s) : 0.0;
        phase[0][i] -= offset;
        phase[1][i] += offset;
      }
    }
    double out[2][kChunkFrames];
    Chunk carrier;  // sine · gate of the current ear (kept for the second ear when they share it)
    for (int ear = 0; ear < 2; ++ear) {
      const EarModulation& m = ears_[ear];
      if (ear < carriers) {
        if (constant) {
          for (std::size_t i = 0; i < count; ++i) carrier[i] = phase[ear][i] * gate[i];
        } else {
          for (std::size_t i = 0; i < count; ++i) carrier[i] = fast_sin(phase[ear][i]) * gate[i];
        }
      }
      if (m.am_depth.start != 0.0 || m.am_depth.end != 0.0) {
        for (std::size_t i = 0; i < count; ++i) {
          const double a = alpha[i];
          const double envelope = amplitude_lfo(lerp(m.am_depth.start, m.am_depth.end, a), lerp(m.am_freq_hz.start, m.am_freq_hz.end, a),
                                                lerp(m.am_phase_rad.start, m.am_phase_rad.end, a), lerp(m.am_skew.start, m.am_skew.end, a),
                                                frame_index(first_index, i) * t_step_s_);
          out[ear][i] = carrier[i] * envelope * lerp(m.amplitude.start, m.amplitude.end, a);
        }
      } else {
        // Without AM the envelope is 1 (x·1 is x: the same samples as multiplying by it).
        for (std::size_t i = 0; i < count; ++i) out[ear][i] = carrier[i] * lerp(m.amplitude.start, m.amplitude.end, alpha[i]);
      }
    }
    const PanGains pan = pan_gains(pan_);
    if (pan_ == 0.0) {
      for (std::size_t i = 0; i < count; ++i) {
        left[i] = static_cast<float>(out[0][i]);
        right[i] = static_cast<float>(out[1][i]);
      }
    } else if (transition_) {
      // Static per-channel pan gains, no mono collapse.
      for (std::size_t i = 0; i < count; ++i) {
        left[i] = static_cast<float>(out[0][i] * pan.left);
        right[i] = static_cast<float>(out[1][i] * pan.right);
      }
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const double mono = 0.5 * (out[0][i] + out[1][i]);  // the original collapses to mono before panning
        left[i] = static_cast<float>(mono * pan.left);
        right[i] = static_cast<float>(mono * pan.right);
      }
    }
  }

  /// Carrier phase of one ear: the checkpointed running sum (vibrato) or the closed form of the lerped frequency.
  [[gnu::always_inline]] void carrier_phases(int ear, std::int64_t first, std::size_t count, const Chunk& alpha, const Chunk& alpha_sums,
                      Chunk& phase) noexcept {
    const StartEnd& start_phase = ears_[ear].start_phase_rad;
    if (sums_[ear]) {
      double sum = sums_[ear]->sum_before(first, [this, ear](std::int64_t at, std::span<double> out) {
        increments(ear, at, out);
      });
      Chunk increment;
      increments(ear, first, std::span<double>(increment.data(), count));
      for (std::size_t i = 0; i < count; ++i) {
        double accumulated;
        // Static: inclusive; transition: exclusive accumulation.
        if (transition_) {
          accumulated = sum;
          sum += increment[i];
        } else {
          sum += increment[i];
          accumulated = sum;
        }
        phase[i] = accumulated + (transition_ ? lerp(start_phase.start, start_phase.end, alpha[i]) : start_phase.start);
      }
      sums_[ear]->advance(first + static_cast<std::int64_t>(count), sum);
      return;
    }
    const double scale = kTwoPi * step_s_;
    const double first_index = static_cast<double>(first);
    if (transition_) {
      // Exclusive accumulation: Σ_{j≤k−1}.
      for (std::size_t i = 0; i < count; ++i)
        phase[i] = scale * lerp_sum_through(base_hz_, frame_index(first_index, i), alpha_sums[i] - alpha[i]) +
                   lerp(start_phase.start, start_phase.end, alpha[i]);
    } else {
      for (std::size_t i = 0; i < count; ++i)
        phase[i] = scale * lerp_sum_through(base_hz_, frame_index(first_index, i) + 1.0, alpha_sums[i]) + start_phase.start;
    }
  }

  bool transition_;
  double t_step_s_ = 0.0;
  double step_s_ = 0.0;  // phase step: 1/sr for the transition voice, duration/N for the static one
  StartEnd base_hz_, beat_hz_, ramp_, gap_, force_mono_, phase_osc_freq_hz_, phase_osc_range_rad_;
  double pan_ = 0.0;
  EarModulation ears_[2];
  std::optional<CheckpointedSum> sums_[2];
  bool constant_tone_ = false;
  bool has_phase_lfo_ = false;
  bool shared_carrier_ = false;
  ToneTable tones_;
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_isochronic_voice(const VoiceContext& context, bool transition) {
  auto alpha = TransitionVoice::make_alpha(context, transition);
  if (!alpha) return alpha.error();
  std::unique_ptr<Voice> voice = std::make_unique<IsochronicVoice>(context, transition, std::move(*alpha));
  // harmonicSuppression: zero-phase Butterworth low-pass at 1.5·base (static: capped below Nyquist;
  // transition: 1.5·mean(start, end base)).
  const ParamMap& p = context.params;
  const bool suppress = transition ? (flag_param(p, "startHarmonicSuppression", flag_param(p, "harmonicSuppression", false)) ||
                                      flag_param(p, "endHarmonicSuppression", false))
                                   : flag_param(p, "harmonicSuppression", false);
  if (suppress) {
    double cutoff_hz = 0.0;
    if (transition) {
      cutoff_hz = 1.5 * 0.5 * (number_param(p, "startBaseFreq", 200.0) + number_param(p, "endBaseFreq", number_param(p, "startBaseFreq", 200.0)));
    } else {
      cutoff_hz = std::min(1.5 * number_param(p, "baseFreq", 200.0), context.sample_rate_hz / 2.0 - 1.0);
    }
    if (cutoff_hz > 0.0 && cutoff_hz < context.sample_rate_hz / 2.0)
      voice = wrap_zero_phase(std::move(voice), {butterworth4(false, cutoff_hz, context.sample_rate_hz)}, context.sample_rate_hz);
  }
  return voice;
}

}  // namespace resound::track::voices
