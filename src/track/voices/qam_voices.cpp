// qam_beat and hybrid_qam_monaural_beat (±transition): quadrature-AM carriers, then the zero-phase post-filter.
#include <algorithm>

#include "voices/carrier_modulation.hpp"
#include "voices/transition_voice.hpp"
#include "voices/voice_families.hpp"
#include "voices/zero_phase_filter.hpp"

namespace resound::track::voices {
namespace {

/// cos LFO shaped by modShape: sign(c)·|c|^(1/shape) when shape ≠ 1.
double shaped_cos(double phase, double shape) noexcept {
  const double c = fast_cos(phase);
  if (shape == 1.0 || shape <= 0.0) return c;
  return (c < 0.0 ? -1.0 : 1.0) * std::pow(std::fabs(c), 1.0 / shape);
}

struct QamEar {
  StartEnd amp, base_hz, am_freq, am_depth, am_phase, am2_freq, am2_depth, am2_phase, shape;
  double start_phase = 0.0;
};

/// qam_beat as intended (the original crashes on an argument-count bug and renders silence).
class QamVoice final : public TransitionVoice {
 public:
  QamVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : TransitionVoice(context, std::move(alpha)), duration_s_(context.duration_s) {
    const ParamMap& p = context.params;
    const char* names[2] = {"L", "R"};
    const double base_defaults[2] = {200.0, 204.0};
    for (int e = 0; e < 2; ++e) {
      const std::string s = names[e];
      QamEar& ear = ears_[e];
      ear.amp = read_value(p, "amp" + s, transition, 0.5);
      ear.base_hz = read_value(p, "baseFreq" + s, transition, base_defaults[e]);
      ear.am_freq = read_value(p, "qamAmFreq" + s, transition, 4.0);
      ear.am_depth = read_value(p, "qamAmDepth" + s, transition, 0.5);
      ear.am_phase = read_value(p, "qamAmPhaseOffset" + s, transition, 0.0);
      ear.am2_freq = read_value(p, "qamAm2Freq" + s, transition, 0.0);
      ear.am2_depth = read_value(p, "qamAm2Depth" + s, transition, 0.0);
      ear.am2_phase = read_value(p, "qamAm2PhaseOffset" + s, transition, 0.0);
      ear.shape = read_value(p, "modShape" + s, transition, 1.0);
      ear.start_phase = transition ? number_param(p, "startStartPhase" + s, number_param(p, "startPhase" + s, 0.0))
                                   : number_param(p, "startPhase" + s, 0.0);
    }
    cross_depth_ = read_value(p, "crossModDepth", transition, 0.0);
    cross_delay_frames_ = static_cast<std::int64_t>(number_param(p, "crossModDelay", 0.0) * context.sample_rate_hz);
    harmonic_depth_ = read_value(p, "harmonicDepth", transition, 0.0);
    harmonic_ratio_ = number_param(p, "harmonicRatio", 2.0);
    sub_freq_ = read_value(p, "subHarmonicFreq", transition, 0.0);
    sub_depth_ = read_value(p, "subHarmonicDepth", transition, 0.0);
    phase_osc_freq_ = read_value(p, "phaseOscFreq", transition, 0.0);
    phase_osc_range_ = read_value(p, "phaseOscRange", transition, 0.0);
    phase_osc_offset_ = number_param(p, "phaseOscPhaseOffset", 0.0);
    sidebands_ = flag_param(p, "beatingSidebands", false);
    sideband_offset_hz_ = number_param(p, "sidebandOffset", 1.0);
    sideband_depth_ = number_param(p, "sidebandDepth", 0.1);
    attack_s_ = number_param(p, "attackTime", 0.0);
    release_s_ = number_param(p, "releaseTime", 0.0);
  }

 protected:
  /// Envelope of one ear before cross-modulation: Π(1 + depth·m) over both AMs.
  [[nodiscard]] double envelope(int e, std::int64_t k) const noexcept {
    const double a = alpha_at(k);
    const double t = time_s(k);
    const QamEar& ear = ears_[e];
    const double shape = lerp(ear.shape.start, ear.shape.end, a);
    double env = 1.0 + lerp(ear.am_depth.start, ear.am_depth.end, a) *
                           shaped_cos(kTwoPi * lerp(ear.am_freq.start, ear.am_freq.end, a) * t + lerp(ear.am_phase.start, ear.am_phase.end, a), shape);
    const double depth2 = lerp(ear.am2_depth.start, ear.am2_depth.end, a);
    const double freq2 = lerp(ear.am2_freq.start, ear.am2_freq.end, a);
    if (depth2 != 0.0 && freq2 != 0.0)
      env *= 1.0 + depth2 * fast_cos(kTwoPi * freq2 * t + lerp(ear.am2_phase.start, ear.am2_phase.end, a));  // modShape shapes only the first AM
    return env;
  }

  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    Chunk alpha, sums;
    fill_alpha(first, left.size(), alpha, sums);
    float* outputs[2] = {left.data(), right.data()};
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha[i];
      const double t = time_s(k);
      double env[2] = {envelope(0, k), envelope(1, k)};
      const double cross = lerp(cross_depth_.start, cross_depth_.end, a);
      if (cross != 0.0 && cross_delay_frames_ != 0 && k >= cross_delay_frames_) {
        const double delayed_left = envelope(0, k - cross_delay_frames_);
        const double delayed_right = envelope(1, k - cross_delay_frames_);
        env[0] *= 1.0 + cross * (delayed_right - 1.0);
        env[1] *= 1.0 + cross * (delayed_left - 1.0);
      }
      const double sub_depth = lerp(sub_depth_.start, sub_depth_.end, a);
      const double sub_freq = lerp(sub_freq_.start, sub_freq_.end, a);
      const double sub = (sub_depth != 0.0 && sub_freq != 0.0) ? 1.0 + sub_depth * fast_cos(kTwoPi * sub_freq * t) : 1.0;
      const double range = lerp(phase_osc_range_.start, phase_osc_range_.end, a);
      const double osc_freq = lerp(phase_osc_freq_.start, phase_osc_freq_.end, a);
      const double offset = (range != 0.0 || osc_freq != 0.0) ? range / 2.0 * fast_sin(kTwoPi * osc_freq * t + phase_osc_offset_) : 0.0;
      double ramp = 1.0;
      if (attack_s_ > 0.0 && t < attack_s_) ramp *= t / attack_s_;
      if (release_s_ > 0.0 && t > duration_s_ - release_s_) ramp *= (duration_s_ - t) / release_s_;
      const double harmonic = lerp(harmonic_depth_.start, harmonic_depth_.end, a);
      for (int e = 0; e < 2; ++e) {
        const QamEar& ear = ears_[e];
        // Exclusive accumulation: sample k holds Σ_{j<k}.
        const double phase = ear.start_phase + inclusive_phase(ear.base_hz, k - 1, sums[i] - a) + (e == 0 ? -offset : offset);
        const double en = env[e] * sub;
        double signal = en * fast_cos(phase);
        if (harmonic != 0.0) signal += harmonic * en * fast_cos(harmonic_ratio_ * phase);
        if (sidebands_) {
          const double side = kTwoPi * sideband_offset_hz_ * t;
          signal += sideband_depth_ * en * (fast_cos(phase - side) + fast_cos(phase + side));
        }
        outputs[e][i] = static_cast<float>(signal * ramp * lerp(ear.amp.start, ear.amp.end, a));
      }
    }
  }

 private:
  double duration_s_;
  QamEar ears_[2];
  StartEnd cross_depth_, harmonic_depth_, sub_freq_, sub_depth_, phase_osc_freq_, phase_osc_range_;
  std::int64_t cross_delay_frames_ = 0;
  double harmonic_ratio_ = 2.0, phase_osc_offset_ = 0.0, sideband_offset_hz_ = 1.0, sideband_depth_ = 0.1;
  bool sidebands_ = false;
  double attack_s_ = 0.0, release_s_ = 0.0;
};

/// hybrid_qam_monaural_beat: QAM tone on the left, an FM'd monaural beat on the right.
class HybridQamVoice final : public TransitionVoice {
 public:
  HybridQamVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : TransitionVoice(context, std::move(alpha)) {
    const ParamMap& p = context.params;
    auto value = [&](const char* name, double fallback) { return read_value(p, name, transition, fallback); };
    amp_[0] = value("ampL", 0.5);
    amp_[1] = value("ampR", 0.5);
    qam_carrier_ = value("qamCarrierFreqL", 100.0);
    qam_am_freq_ = value("qamAmFreqL", 4.0);
    qam_am_depth_ = value("qamAmDepthL", 0.5);
    qam_am_phase_ = value("qamAmPhaseOffsetL", 0.0);
    mono_carrier_ = value("monoCarrierFreqR", 100.0);
    mono_beat_ = value("monoBeatFreqInChannelR", 4.0);
    mono_am_depth_ = value("monoAmDepthR", 0.0);
    mono_am_freq_ = value("monoAmFreqR", 0.0);
    mono_am_phase_ = value("monoAmPhaseOffsetR", 0.0);
    fm_range_ = value("monoFmRangeR", 0.0);
    fm_freq_ = value("monoFmFreqR", 0.0);
    fm_phase_ = value("monoFmPhaseOffsetR", 0.0);
    osc_freq_ = value("monoPhaseOscFreqR", 0.0);
    osc_range_ = value("monoPhaseOscRangeR", 0.0);
    osc_phase_ = value("monoPhaseOscPhaseOffsetR", 0.0);
    auto start_phase = [&](const std::string& name) {
      return transition ? number_param(p, "start" + std::string(1, static_cast<char>(std::toupper(name[0]))) + name.substr(1),
                                       number_param(p, name, 0.0))
                        : number_param(p, name, 0.0);
    };
    qam_start_phase_ = start_phase("qamStartPhaseL");
    tone_start_phase_[0] = start_phase("monoStartPhaseR_Tone1");
    tone_start_phase_[1] = start_phase("monoStartPhaseR_Tone2");
    // The right tones' phases integrate an FM'd frequency: checkpointed running sums (exact on seeks).
    for (int tone = 0; tone < 2; ++tone)
      sums_[tone].build(context.frames, [this, tone](std::int64_t at, std::span<double> out) { tone_increments(tone, at, out); });
  }

 protected:
  void tone_increments(int tone, std::int64_t first, std::span<double> out) const noexcept {
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha_at(k);
      const double t = time_s(k);
      double f = lerp(mono_carrier_.start, mono_carrier_.end, a);
      const double range = lerp(fm_range_.start, fm_range_.end, a);
      const double fm = lerp(fm_freq_.start, fm_freq_.end, a);
      if (range != 0.0 && fm != 0.0) f += range / 2.0 * fast_sin(kTwoPi * fm * t + lerp(fm_phase_.start, fm_phase_.end, a));
      f = std::max(0.0, f);
      const double beat = lerp(mono_beat_.start, mono_beat_.end, a);
      out[i] = kTwoPi * std::max(0.0, tone == 0 ? f - beat / 2.0 : f + beat / 2.0) * dt_s();
    }
  }

  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    const std::size_t count = left.size();
    Chunk alpha, sums, phases[2], increments;
    fill_alpha(first, count, alpha, sums);
    for (int tone = 0; tone < 2; ++tone) {
      double sum = sums_[tone].sum_before(first, [this, tone](std::int64_t at, std::span<double> out) { tone_increments(tone, at, out); });
      tone_increments(tone, first, std::span<double>(increments.data(), count));
      for (std::size_t i = 0; i < count; ++i) {
        phases[tone][i] = sum;  // exclusive accumulation
        sum += increments[i];
      }
      sums_[tone].advance(first + static_cast<std::int64_t>(count), sum);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha[i];
      const double t = time_s(k);
      // Left: QAM tone, exclusive accumulation.
      const double qam_phase = qam_start_phase_ + inclusive_phase(qam_carrier_, k - 1, sums[i] - a);
      double l = fast_cos(qam_phase);
      const double am_freq = lerp(qam_am_freq_.start, qam_am_freq_.end, a);
      const double am_depth = lerp(qam_am_depth_.start, qam_am_depth_.end, a);
      if (am_freq != 0.0 && am_depth != 0.0) l *= 1.0 + am_depth * fast_cos(kTwoPi * am_freq * t + lerp(qam_am_phase_.start, qam_am_phase_.end, a));
      // Right: two tones a beat apart with an interaural-style phase LFO, then AM.
      const double osc_range = lerp(osc_range_.start, osc_range_.end, a);
      const double osc_freq = lerp(osc_freq_.start, osc_freq_.end, a);
      const double offset = (osc_range != 0.0 || osc_freq != 0.0)
                                ? osc_range / 2.0 * fast_sin(kTwoPi * osc_freq * t + lerp(osc_phase_.start, osc_phase_.end, a)) : 0.0;
      double r = fast_sin(tone_start_phase_[0] + phases[0][i] - offset) + fast_sin(tone_start_phase_[1] + phases[1][i] + offset);
      const double mono_depth = std::clamp(lerp(mono_am_depth_.start, mono_am_depth_.end, a), 0.0, 1.0);
      const double mono_freq = lerp(mono_am_freq_.start, mono_am_freq_.end, a);
      if (mono_depth != 0.0 && mono_freq != 0.0)
        r *= 1.0 - mono_depth * 0.5 * (1.0 + fast_sin(kTwoPi * mono_freq * t + lerp(mono_am_phase_.start, mono_am_phase_.end, a)));
      left[i] = static_cast<float>(l * lerp(amp_[0].start, amp_[0].end, a));
      right[i] = static_cast<float>(r * lerp(amp_[1].start, amp_[1].end, a));
    }
  }

 private:
  StartEnd amp_[2], qam_carrier_, qam_am_freq_, qam_am_depth_, qam_am_phase_, mono_carrier_, mono_beat_, mono_am_depth_,
      mono_am_freq_, mono_am_phase_, fm_range_, fm_freq_, fm_phase_, osc_freq_, osc_range_, osc_phase_;
  double qam_start_phase_ = 0.0, tone_start_phase_[2] = {0.0, 0.0};
  CheckpointedSum sums_[2];
};

template <typename V>
Expected<std::unique_ptr<Voice>> make_filtered(const VoiceContext& context, bool transition) {
  auto voice = make_transition_voice<V>(context, transition);
  if (!voice) return voice;
  return wrap_zero_phase(std::move(*voice), apply_filters_stages(context.sample_rate_hz), context.sample_rate_hz);
}

}  // namespace

Expected<std::unique_ptr<Voice>> create_qam_voice(const VoiceContext& context, bool transition) {
  return make_filtered<QamVoice>(context, transition);
}

Expected<std::unique_ptr<Voice>> create_hybrid_qam_voice(const VoiceContext& context, bool transition) {
  return make_filtered<HybridQamVoice>(context, transition);
}

}  // namespace resound::track::voices
