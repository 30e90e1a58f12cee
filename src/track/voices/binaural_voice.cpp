// binaural_beat and binaural_beat_transition: two carriers a beat apart, per-ear AM, vibrato and interaural phase LFO.
#include "voices/voice_families.hpp"

#include <optional>

#include "resound/dsp/vector_clones.hpp"
#include "voices/carrier_modulation.hpp"
#include "voices/glitch_bursts.hpp"
#include "voices/transition_voice.hpp"

namespace resound::track::voices {
namespace {

class BinauralVoice final : public TransitionVoice {
 public:
  BinauralVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : TransitionVoice(context, std::move(alpha)), transition_(transition) {
    const ParamMap& params = context.params;
    base_hz_ = read_value(params, "baseFreq", transition, 200.0);
    beat_hz_ = read_value(params, "beatFreq", transition, 4.0);
    left_high_ = flag_param(params, "leftHigh", false);
    triangle_ = string_param(params, "freqOscShape", "sine") == "triangle";
    phase_osc_freq_hz_ = read_value(params, "phaseOscFreq", transition, 0.0);
    phase_osc_range_rad_ = read_value(params, "phaseOscRange", transition, 0.0);
    ears_[0] = read_ear_modulation(params, "L", transition, 0.5);
    ears_[1] = read_ear_modulation(params, "R", transition, 0.5);
    // The common case (a static voice without vibrato or phase LFO) has constant-frequency carriers.
    constant_tone_ = !transition && phase_osc_range_rad_.start == 0.0 && phase_osc_freq_hz_.start == 0.0;
    for (int ear = 0; ear < 2; ++ear) {
      // Carrier frequency of this ear at the start and the end of the transition (lerp is linear in α).
      const double sign = ((ear == 0) != left_high_) ? -0.5 : 0.5;
      carrier_hz_[ear] = {base_hz_.start + sign * beat_hz_.start, base_hz_.end + sign * beat_hz_.end};
      if (ears_[ear].has_vibrato() || carrier_hz_[ear].start < 0.0 || carrier_hz_[ear].end < 0.0) {
        sums_[ear].emplace();
        sums_[ear]->build(context.frames,
                          [this, ear](std::int64_t first, std::span<double> out) { increments(ear, first, out); });
        constant_tone_ = false;
      }
    }
    if (constant_tone_)
      for (int ear = 0; ear < 2; ++ear) tones_[ear].build(kTwoPi * dt_s() * carrier_hz_[ear].start);
  }

 private:

  // Vibrato LFO position in cycles: f·t for the static voice, Σ f_k·dt (integrated, inclusive) for the transition.
  [[nodiscard]] double vibrato_cycles(const EarModulation& ear, std::int64_t k, double alpha_sum_k) const noexcept {
    const StartEnd& f = ear.vibrato_freq_hz;
    if (!transition_) return f.start * static_cast<double>(k) * dt_s();
    return dt_s() * (static_cast<double>(k + 1) * f.start + (f.end - f.start) * alpha_sum_k);
  }

  // Phase increment 2π·max(0, f + vibrato)·dt for frames [first, first+out.size()).
  void increments(int ear_index, std::int64_t first, std::span<double> out) const noexcept {
    const EarModulation& ear = ears_[ear_index];
    double sum = alpha_sum(first - 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha_at(k);
      sum += a;
      const double vibrato = ear_vibrato_hz(ear, a, vibrato_cycles(ear, k, sum), triangle_);
      const double hz = std::max(0.0, lerp(carrier_hz_[ear_index].start, carrier_hz_[ear_index].end, a) + vibrato);
      out[i] = kTwoPi * hz * dt_s();
    }
  }

  /// Static carriers: sin(φ0 + 2π·dt·(k+1)·f) from the tone table, then the amplitude LFO and level.
  RESOUND_VECTOR_CLONES_AVX2
  void render_constant_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    const std::size_t count = left.size();
    if (ears_[0].am_depth.start == 0.0 && ears_[1].am_depth.start == 0.0) {
      // The same single-precision rotation as render_chunk_add, so both give the same samples.
      std::fill(left.begin(), left.end(), 0.0f);
      std::fill(right.begin(), right.end(), 0.0f);
      add_constant_chunk(first, left, right);
      return;
    }
    float* outputs[2] = {left.data(), right.data()};
    for (int ear = 0; ear < 2; ++ear) {
      const EarModulation& m = ears_[ear];
      Chunk tone;
      const std::int64_t aligned = first - first % static_cast<std::int64_t>(kChunkFrames);
      tones_[ear].render(m.start_phase_rad.start + kTwoPi * dt_s() * (static_cast<double>(aligned + 1) * carrier_hz_[ear].start),
                         static_cast<std::size_t>(first - aligned), tone.data(), count);
      const double amplitude = m.amplitude.start;
      if (m.am_depth.start == 0.0) {
        for (std::size_t i = 0; i < count; ++i) outputs[ear][i] = static_cast<float>(tone[i] * amplitude);
      } else {
        for (std::size_t i = 0; i < count; ++i) {
          const double t_s = frame_index(static_cast<double>(first), i) * dt_s();
          const double envelope = amplitude_lfo(m.am_depth.start, m.am_freq_hz.start, m.am_phase_rad.start, m.am_skew.start, t_s);
          outputs[ear][i] = static_cast<float>(tone[i] * envelope * amplitude);
        }
      }
    }
  }

  [[nodiscard]] double peak_bound() const noexcept override { return ears_peak_bound(ears_); }

  /// Static carriers without AM accumulate straight into the mix (single-precision rotation, see ToneTable::add).
  void render_chunk_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    if (!constant_tone_ || ears_[0].am_depth.start != 0.0 || ears_[1].am_depth.start != 0.0) {
      TransitionVoice::render_chunk_add(first, left, right);
      return;
    }
    add_constant_chunk(first, left, right);
  }

  void add_constant_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    const std::int64_t aligned = first - first % static_cast<std::int64_t>(kChunkFrames);
    float* outputs[2] = {left.data(), right.data()};
    for (int ear = 0; ear < 2; ++ear) {
      const EarModulation& m = ears_[ear];
      tones_[ear].add(m.start_phase_rad.start + kTwoPi * dt_s() * (static_cast<double>(aligned + 1) * carrier_hz_[ear].start),
                      m.amplitude.start, static_cast<std::size_t>(first - aligned), outputs[ear], left.size());
    }
  }

  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    render_chunk_clones(first, left, right);
  }

  // Multiversioned (virtual functions cannot be): the AVX2 clone vectorises the per-chunk loops.
  RESOUND_VECTOR_CLONES_AVX2
  void render_chunk_clones(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
    if (constant_tone_) {
      render_constant_chunk(first, left, right);
      return;
    }
    const std::size_t count = left.size();
    // α and Σα once per chunk (the same running sum as per-sample calls, so results are unchanged).
    Chunk alpha, alpha_sums;
    fill_alpha(first, count, alpha, alpha_sums);
    Chunk phase[2];
    for (int ear = 0; ear < 2; ++ear) {
      const double start_phase = ears_[ear].start_phase_rad.start;  // only the start value is used
      if (sums_[ear]) {
        Chunk increment;
        increments(ear, first, std::span<double>(increment.data(), count));
        double sum = sums_[ear]->sum_before(first, [this, ear](std::int64_t at, std::span<double> out) {
          increments(ear, at, out);
        });
        for (std::size_t i = 0; i < count; ++i) {
          sum += increment[i];  // inclusive accumulation
          phase[ear][i] = start_phase + sum;
        }
        sums_[ear]->advance(first + static_cast<std::int64_t>(count), sum);
      } else {
        // Closed form: Σ_{k≤i} f_k = (i+1)·f_start + (f_end − f_start)·Σα.
        const StartEnd& hz = carrier_hz_[ear];
        const double first_index = static_cast<double>(first);
        for (std::size_t i = 0; i < count; ++i)
          phase[ear][i] = start_phase + kTwoPi * dt_s() * lerp_sum_through(hz, frame_index(first_index, i) + 1.0, alpha_sums[i]);
      }
    }
    // Interaural phase LFO, skipped when it is off for the whole voice.
    if (phase_osc_freq_hz_.start != 0.0 || phase_osc_freq_hz_.end != 0.0 || phase_osc_range_rad_.start != 0.0 ||
        phase_osc_range_rad_.end != 0.0) {
      for (std::size_t i = 0; i < count; ++i) {
        const double a = alpha[i];
        const double t_s = frame_index(static_cast<double>(first), i) * dt_s();
        const double range = lerp(phase_osc_range_rad_.start, phase_osc_range_rad_.end, a);
        const double freq = lerp(phase_osc_freq_hz_.start, phase_osc_freq_hz_.end, a);
        const double offset = (freq != 0.0 || range != 0.0) ? range / 2.0 * fast_sin(kTwoPi * freq * t_s) : 0.0;
        phase[0][i] -= offset;
        phase[1][i] += offset;
      }
    }
    float* outputs[2] = {left.data(), right.data()};
    for (int ear = 0; ear < 2; ++ear) {
      const EarModulation& m = ears_[ear];
      Chunk gain;
      for (std::size_t i = 0; i < count; ++i) gain[i] = lerp(m.amplitude.start, m.amplitude.end, alpha[i]);
      if (m.am_depth.start != 0.0 || m.am_depth.end != 0.0) {
        for (std::size_t i = 0; i < count; ++i) {
          const double a = alpha[i];
          gain[i] *= amplitude_lfo(lerp(m.am_depth.start, m.am_depth.end, a), lerp(m.am_freq_hz.start, m.am_freq_hz.end, a),
                                   lerp(m.am_phase_rad.start, m.am_phase_rad.end, a), lerp(m.am_skew.start, m.am_skew.end, a),
                                   frame_index(static_cast<double>(first), i) * dt_s());
        }
      }
      // The carrier loop is branch-free and vectorises.
      for (std::size_t i = 0; i < count; ++i) outputs[ear][i] = static_cast<float>(fast_sin(phase[ear][i]) * gain[i]);
    }
  }

  bool transition_;
  StartEnd base_hz_, beat_hz_, phase_osc_freq_hz_, phase_osc_range_rad_;
  bool left_high_ = false;
  bool triangle_ = false;
  EarModulation ears_[2];
  StartEnd carrier_hz_[2];
  std::optional<CheckpointedSum> sums_[2];
  bool constant_tone_ = false;
  ToneTable tones_[2];
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_binaural_voice(const VoiceContext& context, bool transition) {
  auto alpha = TransitionVoice::make_alpha(context, transition);
  if (!alpha) return alpha.error();
  std::unique_ptr<Voice> voice = std::make_unique<BinauralVoice>(context, transition, std::move(*alpha));
  // Glitch bursts exist only in the transition voice (commented out in the static one).
  if (transition) voice = add_glitch_bursts(std::move(voice), context);
  return voice;
}

}  // namespace resound::track::voices
