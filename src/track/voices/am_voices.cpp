// rhythmic_waveshaping, stereo_am_independent, wave_shape_stereo_am (±transition): AM and tanh waveshaping voices.
#include <algorithm>
#include <initializer_list>

#include "voices/carrier_modulation.hpp"
#include "voices/transition_voice.hpp"
#include "voices/voice_families.hpp"

namespace resound::track::voices {
namespace {

/// Transition keys of these voices: the end values have their own defaults (not the start values)
/// and the static keys are not fallbacks — quirks of the original kept for parity.
StartEnd fixed_pair(const ParamMap& p, const std::string& name, double start_default, double end_default) {
  return {number_param(p, "start" + name, start_default), number_param(p, "end" + name, end_default)};
}
StartEnd static_pair(const ParamMap& p, const std::string& key, double fallback) {
  const double value = number_param(p, key, fallback);
  return {value, value};
}

/// One parameter of these voices: its transition name and defaults, and its static key and default.
struct PairKey {
  StartEnd* target;
  const char* transition_name;  ///< read as start<Name>/end<Name>
  double start_default, end_default;
  const char* static_key;
  double static_default;
};

/// Reads every pair of a voice, from the transition keys or the static ones.
void read_pairs(const ParamMap& p, bool transition, std::initializer_list<PairKey> keys) {
  for (const PairKey& key : keys)
    *key.target = transition ? fixed_pair(p, key.transition_name, key.start_default, key.end_default)
                             : static_pair(p, key.static_key, key.static_default);
}

/// tanh waveshaping of an AM'd carrier: tanh(s·c·(1 − depth·(1−lfo)/2)) / tanh(s).
double shaped(double carrier, double lfo, double depth, double shape) noexcept {
  const double x = carrier * (1.0 - depth * (1.0 - lfo) / 2.0);
  const double s = std::max(1e-6, shape);
  return std::tanh(s * x) / std::tanh(s);
}

/// Per-channel AM: 1 − d·(1 − sin(phase))/2.
double stereo_am(double depth, double phase) noexcept { return 1.0 - depth * (1.0 - fast_sin(phase)) / 2.0; }

/// Oscillator phase: static sin(2πf·t) or sine_wave_varying's accumulated phase.
class AmVoiceBase : public TransitionVoice {
 protected:
  using TransitionVoice::TransitionVoice;
  [[nodiscard]] double oscillator_phase(const StartEnd& hz, std::int64_t k, double alpha_sum_k) const noexcept {
    if (!transition()) return kTwoPi * hz.start * time_s(k);
    // sine_wave_varying clamps f ≥ 1e-9; our lerped sums assume non-negative frequencies.
    return varying_phase(hz, k, alpha_sum_k);
  }
};

class RhythmicWaveshapingVoice final : public AmVoiceBase {
 public:
  RhythmicWaveshapingVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : AmVoiceBase(context, std::move(alpha)) {
    const ParamMap& p = context.params;
    amp_ = number_param(p, "amp", 0.25);
    pan_ = pan_gains(number_param(p, "pan", 0.0));
    read_pairs(p, transition, {{&carrier_hz_, "CarrierFreq", 200.0, 80.0, "carrierFreq", 200.0},
                               {&mod_hz_, "ModFreq", 12.0, 7.83, "modFreq", 4.0},
                               {&depth_, "ModDepth", 1.0, 1.0, "modDepth", 1.0},
                               {&shape_, "ShapeAmount", 5.0, 5.0, "shapeAmount", 5.0}});
  }

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    Chunk alpha, sums;
    fill_alpha(first, left.size(), alpha, sums);
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha[i];
      const double y = shaped(fast_sin(oscillator_phase(carrier_hz_, k, sums[i])), fast_sin(oscillator_phase(mod_hz_, k, sums[i])),
                              lerp(depth_.start, depth_.end, a), lerp(shape_.start, shape_.end, a)) * amp_;
      left[i] = static_cast<float>(y * pan_.left);
      right[i] = static_cast<float>(y * pan_.right);
    }
  }

 private:
  double amp_;
  PanGains pan_;
  StartEnd carrier_hz_, mod_hz_, depth_, shape_;
};

class StereoAmVoice final : public AmVoiceBase {
 public:
  StereoAmVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : AmVoiceBase(context, std::move(alpha)) {
    const ParamMap& p = context.params;
    amp_ = number_param(p, "amp", 0.25);
    read_pairs(p, transition, {{&carrier_hz_, "CarrierFreq", 200.0, 250.0, "carrierFreq", 200.0},
                               {&mod_hz_[0], "ModFreqL", 4.0, 6.0, "modFreqL", 4.0},
                               {&mod_hz_[1], "ModFreqR", 4.1, 5.9, "modFreqR", 4.0},
                               {&depth_[0], "ModDepthL", 0.8, 0.8, "modDepthL", 0.8},
                               {&depth_[1], "ModDepthR", 0.8, 0.8, "modDepthR", 0.8},
                               {&width_hz_, "StereoWidthHz", 0.2, 0.2, "stereo_width_hz", 0.2}});
    if (!transition) {
      // startModPhaseL/R of the transition are read but unused by the original (no phase in sine_wave_varying).
      mod_phase_rad_[0] = number_param(p, "modPhaseL", 0.0);
      mod_phase_rad_[1] = number_param(p, "modPhaseR", 0.0);
    }
  }

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    Chunk alpha, sums;
    fill_alpha(first, left.size(), alpha, sums);
    float* outputs[2] = {left.data(), right.data()};
    for (int e = 0; e < 2; ++e) {
      const double sign = e == 0 ? -0.5 : 0.5;
      const StartEnd carrier{carrier_hz_.start + sign * width_hz_.start, carrier_hz_.end + sign * width_hz_.end};
      for (std::size_t i = 0; i < left.size(); ++i) {
        const std::int64_t k = first + static_cast<std::int64_t>(i);
        const double c = fast_sin(oscillator_phase(carrier, k, sums[i]));
        const double m = stereo_am(lerp(depth_[e].start, depth_[e].end, alpha[i]),
                                   oscillator_phase(mod_hz_[e], k, sums[i]) + mod_phase_rad_[e]);
        outputs[e][i] = static_cast<float>(c * m * amp_);
      }
    }
  }

 private:
  double amp_;
  StartEnd carrier_hz_, mod_hz_[2], depth_[2], width_hz_;
  double mod_phase_rad_[2] = {0.0, 0.0};
};

class WaveShapeStereoAmVoice final : public AmVoiceBase {
 public:
  WaveShapeStereoAmVoice(const VoiceContext& context, bool transition, std::optional<TransitionAlpha> alpha)
      : AmVoiceBase(context, std::move(alpha)) {
    const ParamMap& p = context.params;
    amp_ = number_param(p, "amp", 0.15);
    read_pairs(p, transition, {{&carrier_hz_, "CarrierFreq", 200.0, 100.0, "carrierFreq", 200.0},
                               {&shape_mod_hz_, "ShapeModFreq", 4.0, 8.0, "shapeModFreq", 4.0},
                               {&shape_depth_, "ShapeModDepth", 0.8, 0.8, "shapeModDepth", 0.8},
                               {&shape_, "ShapeAmount", 0.5, 0.5, "shapeAmount", 0.5},
                               {&mod_hz_[0], "StereoModFreqL", 4.1, 6.0, "stereoModFreqL", 4.1},
                               {&mod_hz_[1], "StereoModFreqR", 4.0, 6.1, "stereoModFreqR", 4.0},
                               {&depth_[0], "StereoModDepthL", 0.8, 0.8, "stereoModDepthL", 0.8},
                               {&depth_[1], "StereoModDepthR", 0.9, 0.9, "stereoModDepthR", 0.8}});
    if (!transition) {
      mod_phase_rad_[0] = number_param(p, "stereoModPhaseL", 0.0);
      mod_phase_rad_[1] = number_param(p, "stereoModPhaseR", std::numbers::pi / 2.0);
    }
  }

 protected:
  void render_chunk(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    Chunk alpha, sums;
    fill_alpha(first, left.size(), alpha, sums);
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::int64_t k = first + static_cast<std::int64_t>(i);
      const double a = alpha[i];
      const double y = shaped(fast_sin(oscillator_phase(carrier_hz_, k, sums[i])),
                              fast_sin(oscillator_phase(shape_mod_hz_, k, sums[i])),
                              lerp(shape_depth_.start, shape_depth_.end, a), lerp(shape_.start, shape_.end, a));
      const double l = stereo_am(lerp(depth_[0].start, depth_[0].end, a), oscillator_phase(mod_hz_[0], k, sums[i]) + mod_phase_rad_[0]);
      const double r = stereo_am(lerp(depth_[1].start, depth_[1].end, a), oscillator_phase(mod_hz_[1], k, sums[i]) + mod_phase_rad_[1]);
      left[i] = static_cast<float>(y * l * amp_);
      right[i] = static_cast<float>(y * r * amp_);
    }
  }

 private:
  double amp_;
  StartEnd carrier_hz_, shape_mod_hz_, shape_depth_, shape_, mod_hz_[2], depth_[2];
  double mod_phase_rad_[2] = {0.0, 0.0};
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_rhythmic_waveshaping_voice(const VoiceContext& context, bool transition) {
  return make_transition_voice<RhythmicWaveshapingVoice>(context, transition);
}
Expected<std::unique_ptr<Voice>> create_stereo_am_voice(const VoiceContext& context, bool transition) {
  return make_transition_voice<StereoAmVoice>(context, transition);
}
Expected<std::unique_ptr<Voice>> create_wave_shape_stereo_am_voice(const VoiceContext& context, bool transition) {
  return make_transition_voice<WaveShapeStereoAmVoice>(context, transition);
}

}  // namespace resound::track::voices
