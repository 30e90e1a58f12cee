// monaural_beat_stereo_amps(±transition) and spatial_angle_modulation_monaural_beat(±transition): two tones mixed per ear.
#include <algorithm>

#include "voices/carrier_modulation.hpp"
#include "voices/transition_voice.hpp"
#include "voices/voice_families.hpp"

namespace resound::track::voices {
namespace {

/// The monaural core: lower/upper tones, per-ear mix amplitudes, phase LFO, optional AM, hard clip.
/// `key_prefix` selects the AM keys ("" → ampOscDepth…, "monaural_" → monaural_ampOscDepth… for SAM).
struct MonauralSettings {
  StartEnd amp_lower[2], amp_upper[2];
  StartEnd base_hz, beat_hz, phase_osc_freq_hz, phase_osc_range_rad, am_depth, am_freq_hz, am_phase_rad;
  double start_phase_lower = 0.0, start_phase_upper = 0.0;

  MonauralSettings(const ParamMap& p, bool transition, const std::string& am_prefix) {
    const char* ears[2] = {"L", "R"};
    for (int e = 0; e < 2; ++e) {
      const std::string lower = std::string("amp_lower_") + ears[e];
      const std::string upper = std::string("amp_upper_") + ears[e];
      amp_lower[e] = transition ? transition_keys(p, "start_" + lower, "end_" + lower, lower, 0.5) : read_value(p, lower, false, 0.5);
      amp_upper[e] = transition ? transition_keys(p, "start_" + upper, "end_" + upper, upper, 0.5) : read_value(p, upper, false, 0.5);
    }
    base_hz = read_value(p, "baseFreq", transition, 200.0);
    beat_hz = read_value(p, "beatFreq", transition, 4.0);
    phase_osc_freq_hz = read_value(p, "phaseOscFreq", transition, 0.0);
    phase_osc_range_rad = read_value(p, "phaseOscRange", transition, 0.0);
    if (transition) {
      am_depth = transition_keys(p, "start_" + am_prefix + "ampOscDepth", "end_" + am_prefix + "ampOscDepth", am_prefix + "ampOscDepth", 0.0);
      am_freq_hz = transition_keys(p, "start_" + am_prefix + "ampOscFreq", "end_" + am_prefix + "ampOscFreq", am_prefix + "ampOscFreq", 0.0);
      am_phase_rad = transition_keys(p, "start_" + am_prefix + "ampOscPhaseOffset", "end_" + am_prefix + "ampOscPhaseOffset", am_prefix + "ampOscPhaseOffset", 0.0);
      if (am_prefix.empty()) {
        am_depth = transition_param(p, "AmpOscDepth", "ampOscDepth", 0.0);
        am_freq_hz = transition_param(p, "AmpOscFreq", "ampOscFreq", 0.0);
        am_phase_rad = transition_param(p, "AmpOscPhaseOffset", "ampOscPhaseOffset", 0.0);
      }
      start_phase_lower = number_param(p, "startStartPhaseL", number_param(p, "startPhaseL", 0.0));
      start_phase_upper = number_param(p, "startStartPhaseU", number_param(p, "startPhaseR", 0.0));
    } else {
      am_depth = read_value(p, am_prefix + "ampOscDepth", false, 0.0);
      am_freq_hz = read_value(p, am_prefix + "ampOscFreq", false, 0.0);
      am_phase_rad = read_value(p, am_prefix + "ampOscPhaseOffset", false, 0.0);
      start_phase_lower = number_param(p, "startPhaseL", 0.0);
      start_phase_upper = number_param(p, "startPhaseR", 0.0);
    }
  }
};

class MonauralVoice : public TransitionVoice {
 public:
  MonauralVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha,
                const std::string& am_prefix = "")
      : TransitionVoice(context, std::move(alpha)), settings_(context.params, transition, am_prefix) {}

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    const MonauralSettings& s = settings_;
    Chunk alpha, sums;
    fill_alpha(first, left.size(), alpha, sums);
    // Tone frequencies f∓beat/2 are lerps of their own start/end values.
    const StartEnd lower_hz{s.base_hz.start - s.beat_hz.start / 2.0, s.base_hz.end - s.beat_hz.end / 2.0};
    const StartEnd upper_hz{s.base_hz.start + s.beat_hz.start / 2.0, s.base_hz.end + s.beat_hz.end / 2.0};
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha[i];
      const double t = time_s(k);
      const double range = lerp(s.phase_osc_range_rad.start, s.phase_osc_range_rad.end, a);
      const double freq = lerp(s.phase_osc_freq_hz.start, s.phase_osc_freq_hz.end, a);
      const double offset = (freq != 0.0 || range != 0.0) ? range / 2.0 * std::sin(kTwoPi * freq * t) : 0.0;
      const double lower = std::sin(s.start_phase_lower + inclusive_phase(lower_hz, k, sums[i]) - offset);
      const double upper = std::sin(s.start_phase_upper + inclusive_phase(upper_hz, k, sums[i]) + offset);
      double out[2];
      for (int e = 0; e < 2; ++e)
        out[e] = lower * lerp(s.amp_lower[e].start, s.amp_lower[e].end, a) + upper * lerp(s.amp_upper[e].start, s.amp_upper[e].end, a);
      const double depth = std::clamp(lerp(s.am_depth.start, s.am_depth.end, a), 0.0, 2.0);
      const double am_freq = lerp(s.am_freq_hz.start, s.am_freq_hz.end, a);
      if (depth != 0.0 && am_freq != 0.0) {
        const double gain = (1.0 - depth / 2.0) + depth / 2.0 * std::sin(kTwoPi * am_freq * t + lerp(s.am_phase_rad.start, s.am_phase_rad.end, a));
        out[0] *= gain;
        out[1] *= gain;
      }
      left[i] = static_cast<float>(std::clamp(out[0], -1.0, 1.0));
      right[i] = static_cast<float>(std::clamp(out[1], -1.0, 1.0));
    }
  }

 private:
  MonauralSettings settings_;
};

/// SAM monaural beat: the monaural core (AM from monaural_* keys), averaged to mono, a second AM, × amp,
/// and scaled to 0.98 when the whole voice would peak above 1 (measured once at construction).
class SamMonauralVoice final : public MonauralVoice {
 public:
  SamMonauralVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> /*alpha*/)
      : MonauralVoice(context, transition, transition ? std::optional<TransitionAlpha>(TransitionAlpha::whole_voice(context.duration_s, context.frames)) : std::nullopt, "monaural_"),
        transition_(transition), frames_(context.frames), rate_hz_(context.sample_rate_hz) {
    const ParamMap& p = context.params;
    if (transition) {
      depth_ = transition_keys(p, "start_sam_ampOscDepth", "end_sam_ampOscDepth", "sam_ampOscDepth", number_param(p, "ampOscDepth", 0.0));
      freq_hz_ = transition_keys(p, "start_sam_ampOscFreq", "end_sam_ampOscFreq", "sam_ampOscFreq", 0.0);
      phase_rad_ = transition_keys(p, "start_sam_ampOscPhaseOffset", "end_sam_ampOscPhaseOffset", "sam_ampOscPhaseOffset", 0.0);
      amp_ = transition_keys(p, "startAmp", "endAmp", "amp", 0.7);
    } else {
      const double depth = number_param(p, "sam_ampOscDepth", number_param(p, "ampOscDepth", 0.0));
      depth_ = {depth, depth};
      freq_hz_ = read_value(p, "sam_ampOscFreq", false, 0.0);
      phase_rad_ = read_value(p, "sam_ampOscPhaseOffset", false, 0.0);
      amp_ = read_value(p, "amp", false, 0.7);
    }
    // Whole-voice peak (the original normalises after rendering everything).
    double peak = 0.0;
    Chunk dummy;
    (void)dummy;
    float l[kChunkFrames], r[kChunkFrames];
    for (std::int64_t at = 0; at < frames_; at += static_cast<std::int64_t>(kChunkFrames)) {
      const auto n = static_cast<std::size_t>(std::min<std::int64_t>(kChunkFrames, frames_ - at));
      render_chunk(at, std::span<float>(l, n), std::span<float>(r, n));
      for (std::size_t i = 0; i < n; ++i) peak = std::max(peak, double(std::fabs(l[i])));
    }
    scale_ = peak > 1.0 ? 0.98 / peak : 1.0;
  }

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    MonauralVoice::render_chunk(first, left, right);
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      // The SAM stage uses α = i/(N−1) and its own time base i/sr.
      const double a = transition_ && frames_ > 1 ? static_cast<double>(k) / static_cast<double>(frames_ - 1) : 0.0;
      const float mono = static_cast<float>(0.5 * (double(left[i]) + double(right[i])));
      double value = mono;
      const double depth = std::clamp(lerp(depth_.start, depth_.end, a), 0.0, 2.0);
      const double freq = lerp(freq_hz_.start, freq_hz_.end, a);
      if (depth > 0.0 && freq > 0.0)
        value *= (1.0 - depth / 2.0) + depth / 2.0 * std::sin(kTwoPi * freq * static_cast<double>(k) / rate_hz_ + lerp(phase_rad_.start, phase_rad_.end, a));
      value *= lerp(amp_.start, amp_.end, a) * scale_;
      left[i] = right[i] = static_cast<float>(value);
    }
  }

 private:
  bool transition_;
  std::int64_t frames_;
  double rate_hz_;
  StartEnd depth_, freq_hz_, phase_rad_, amp_;
  double scale_ = 1.0;
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_monaural_voice(const VoiceContext& context, bool transition) {
  return make_transition_voice<MonauralVoice>(context, transition);
}

Expected<std::unique_ptr<Voice>> create_sam_monaural_voice(const VoiceContext& context, bool transition) {
  return std::unique_ptr<Voice>(std::make_unique<SamMonauralVoice>(context, transition, std::nullopt));
}

}  // namespace resound::track::voices
