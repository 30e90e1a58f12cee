// Per-voice post-processing measured on audio: the flanger's comb response and the spatialiser's ITD/ILD.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "resound/core/audio_buffer.hpp"
#include "voices/voice.hpp"

namespace resound::track {
namespace {

constexpr double kRate = 8000.0;

ParamValue number(double x) { return ParamValue{x}; }

/// Renders a full voice (synth, de-click, post-processing) of `seconds`.
AudioBuffer render_voice(const std::string& name, ParamMap params, double seconds, bool transition = false) {
  VoiceSpec spec;
  spec.synth_function_name = name;
  spec.is_transition = transition;
  spec.params = std::move(params);
  auto voice = voices::create_voice(spec, kRate, seconds, 0);
  EXPECT_TRUE(voice.has_value());
  const auto frames = static_cast<std::size_t>(seconds * kRate);
  AudioBuffer out(2, frames);
  if (!voice || !*voice) return out;
  (*voice)->render(0, out.channel(0), out.channel(1));
  return out;
}

/// Amplitude of the component at `hz` over frames [from, to) (one-bin DFT, ×2/N).
double amplitude_at(std::span<const float> x, double hz, std::size_t from, std::size_t to) {
  double re = 0.0, im = 0.0;
  for (std::size_t i = from; i < to; ++i) {
    const double w = 2.0 * std::numbers::pi * hz * static_cast<double>(i) / kRate;
    re += x[i] * std::cos(w);
    im += x[i] * std::sin(w);
  }
  return 2.0 * std::hypot(re, im) / static_cast<double>(to - from);
}

ParamMap static_flanger(double tone_hz) {
  // A fixed 2 ms delay (16 samples at 8 kHz), no feedback or make-up: y = x + 0.5·x(t − 16/8000).
  return {{"baseFreq", number(tone_hz)}, {"beatFreq", number(0.0)}, {"ampL", number(0.5)}, {"ampR", number(0.5)},
          {"flangeEnable", ParamValue{true}}, {"flangeDelayMs", number(2.0)}, {"flangeDepthMs", number(0.0)},
          {"flangeFeedback", number(0.0)}, {"flangeMix", number(0.5)}, {"flangeLoudnessMode", number(0.0)}};
}

TEST(TrackFlanger, StaticDelayCombsTheTone) {
  // |1 + 0.5·e^{−jωτ}|: 0.5 where ωτ = π (250 Hz), 1.5 where ωτ = 2π (500 Hz).
  const AudioBuffer trough = render_voice("binaural_beat", static_flanger(250.0), 1.0);
  const AudioBuffer crest = render_voice("binaural_beat", static_flanger(500.0), 1.0);
  EXPECT_NEAR(amplitude_at(trough.channel(0), 250.0, 800, 7200), 0.5 * 0.5, 0.005);
  EXPECT_NEAR(amplitude_at(crest.channel(0), 500.0, 800, 7200), 0.5 * 1.5, 0.005);
  EXPECT_NEAR(amplitude_at(crest.channel(1), 500.0, 800, 7200), 0.5 * 1.5, 0.005);
}

TEST(TrackFlanger, DisabledWithoutFlangeEnable) {
  ParamMap params = static_flanger(250.0);
  params.erase("flangeEnable");
  params["startFlangeEnable"] = ParamValue{true};  // the original zeroes every flange key without flangeEnable
  const AudioBuffer plain = render_voice("binaural_beat", params, 1.0);
  EXPECT_NEAR(amplitude_at(plain.channel(0), 250.0, 800, 7200), 0.5, 0.005);
}

}  // namespace
}  // namespace resound::track
