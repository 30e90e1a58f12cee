// Voice: SF2 parameter maths per control block (64 frames) and the per-sample loop (interpolate, filter, mix).
#include "resound/synth/voice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "sinc_table.hpp"
#include "voice_kernel.hpp"

namespace resound::synth {
static_assert(kControlFrames == detail::kKernelFrames, "the voice kernel's segment size is the control grid");
namespace {

// Envelope floor: -96 dB (960 cB), the 16-bit noise floor FluidSynth also stops at.
constexpr float kSilentCentibels = 960.0f;
constexpr double kFixedOne = 4294967296.0;  // 2^32: one frame in 32.32 fixed point
constexpr float kKillSeconds = 0.005f;

// 10^(-cB/200) as one exp2f: per control block for every voice, so cheaper than powf.
float centibels_to_gain(float centibels) noexcept { return std::exp2(centibels * (-3.321928094887362f / 200.0f)); }
float gain_to_centibels(float gain) noexcept {
  return gain <= 1e-6f ? kSilentCentibels * 2.0f : -200.0f * std::log10(gain);
}

// SF2 timecents -> frames. The minimum (-12000, "1 ms") means "instant" for delays and holds, as
// in every player: a 1 ms delay would put every onset a millisecond late.
std::int64_t timecents_to_frames(float timecents, double rate_hz, bool minimum_is_zero) noexcept {
  if (minimum_is_zero && timecents <= -12000.0f) return 0;
  return static_cast<std::int64_t>(std::llround(std::exp2(std::max(timecents, -12000.0f) / 1200.0) * rate_hz));
}

double absolute_cents_to_hz(double cents) noexcept { return 8.176 * std::exp2(cents / 1200.0); }

// Triangle LFO starting at 0 and rising: value at `cycles` periods after its delay.
float triangle(double cycles) noexcept {
  const double phase = cycles + 0.25 - std::floor(cycles + 0.25);
  return static_cast<float>(phase < 0.5 ? 4.0 * phase - 1.0 : 3.0 - 4.0 * phase);
}

}  // namespace

bool Voice::start(const VoiceSetup& setup, const formats::SoundFont& font, const ModulatorInputs& inputs, int channel,
                  int key, double output_rate_hz, Interpolation interpolation, std::int64_t now,
                  std::uint64_t serial, const VoiceCulling& culling) noexcept {
  const auto data = font.sample_data(setup.sample_index);
  if (data.frames == nullptr || data.frame_count < 2) return false;
  const auto& header = font.samples()[setup.sample_index];
  setup_ = setup;
  const auto& g = setup_.generators;
  channel_ = channel;
  key_ = key;
  velocity_ = inputs.velocity;
  serial_ = serial;
  interpolation_ = interpolation;
  output_rate_hz_ = output_rate_hz;
  frames_ = data.frames;
  low_bytes_ = data.low_bytes;
  readable_frames_ = data.frame_count;
  exclusive_class_ = static_cast<int>(g[kExclusiveClass]);
  root_key_ = g[kOverridingRootKey] >= 0 ? static_cast<int>(g[kOverridingRootKey]) : header.original_key;
  pitch_correction_cents_ = header.pitch_correction_cents;

  // Sample addresses with the offset generators (fine + 32768 × coarse), clamped into the sample.
  const std::int64_t count = data.frame_count;
  auto offset = [&g](int fine, int coarse) {
    return static_cast<std::int64_t>(g[fine]) + 32768 * static_cast<std::int64_t>(g[coarse]);
  };
  const std::int64_t start = std::clamp<std::int64_t>(offset(kStartAddressOffset, kStartAddressCoarseOffset), 0, count - 1);
  end_ = std::clamp<std::int64_t>(count + offset(kEndAddressOffset, kEndAddressCoarseOffset), start + 1, count);
  loop_start_ = std::clamp<std::int64_t>(data.loop_start + offset(kStartLoopAddressOffset, kStartLoopAddressCoarseOffset),
                                         0, count);
  loop_end_ = std::clamp<std::int64_t>(data.loop_end + offset(kEndLoopAddressOffset, kEndLoopAddressCoarseOffset), 0, count);
  loop_mode_ = static_cast<int>(g[kSampleModes]);
  if (loop_mode_ == 2 || !data.loop_valid || loop_end_ - loop_start_ < 2) loop_mode_ = 0;
  has_looped_ = false;
  culling_ = culling;
  culled_ = false;
  loop_is_stored_ = data.loop_valid && loop_start_ == data.loop_start && loop_end_ == data.loop_end;
  position_ = static_cast<std::uint64_t>(start) << 32;
  sample_rate_ratio_ = static_cast<double>(header.sample_rate_hz) / output_rate_hz;

  start_frame_ = now;
  release_frame_ = -1;
  gain_ = gain_anchor_ = 0.0f;
  gain_step_ = 0.0f;
  ramp_frames_ = 0;
  filter_z1_ = filter_z2_ = filter_x1_ = filter_x2_ = 0.0f;
  filter_cutoff_cents_ = -1.0f;
  filter_q_cb_ = -1.0f;
  held_by_sustain = held_by_sostenuto = false;
  key_down = true;
  state_ = State::kPlaying;

  // Envelope and LFO timings are fixed at note-on (as in FluidSynth); key tracking of hold/decay
  // uses the key number (overridden by generator 46 when set).
  const int tracking_key = g[kKeyNumber] >= 0 ? static_cast<int>(g[kKeyNumber]) : key;
  const double rate = output_rate_hz;
  volume_delay_ = timecents_to_frames(g[kDelayVolEnv], rate, true);
  volume_attack_ = timecents_to_frames(g[kAttackVolEnv], rate, false);
  volume_hold_ = timecents_to_frames(g[kHoldVolEnv] + g[kKeyToVolEnvHold] * (60 - tracking_key), rate, true);
  const auto volume_decay = timecents_to_frames(g[kDecayVolEnv] + g[kKeyToVolEnvDecay] * (60 - tracking_key), rate, false);
  // Decay and release are linear in decibels: 100 dB (1000 cB) per decay/release time (SF2 §8.1.3).
  volume_decay_cb_per_frame_ = 1000.0f / static_cast<float>(std::max<std::int64_t>(volume_decay, 1));
  volume_sustain_cb_ = std::clamp(g[kSustainVolEnv], 0.0f, 1440.0f);
  modulation_delay_ = timecents_to_frames(g[kDelayModEnv], rate, true);
  modulation_attack_ = timecents_to_frames(g[kAttackModEnv], rate, false);
  modulation_hold_ = timecents_to_frames(g[kHoldModEnv] + g[kKeyToModEnvHold] * (60 - tracking_key), rate, true);
  const auto modulation_decay = timecents_to_frames(g[kDecayModEnv] + g[kKeyToModEnvDecay] * (60 - tracking_key), rate, false);
  modulation_decay_per_frame_ = 1.0f / static_cast<float>(std::max<std::int64_t>(modulation_decay, 1));
  modulation_sustain_ = 1.0f - std::clamp(g[kSustainModEnv], 0.0f, 1000.0f) / 1000.0f;
  mod_lfo_delay_ = timecents_to_frames(g[kDelayModLfo], rate, true);
  vibrato_lfo_delay_ = timecents_to_frames(g[kDelayVibratoLfo], rate, true);
  mod_lfo_cycles_per_frame_ = absolute_cents_to_hz(std::clamp(g[kFrequencyModLfo], -16000.0f, 4500.0f)) / rate;
  vibrato_lfo_cycles_per_frame_ = absolute_cents_to_hz(std::clamp(g[kFrequencyVibratoLfo], -16000.0f, 4500.0f)) / rate;

  update_modulation(inputs, now);
  return true;
}

void Voice::update_modulation(const ModulatorInputs& inputs, std::int64_t /*now*/) noexcept {
  modulated_ = setup_.generators;
  GeneratorValues offsets{};
  ModulatorInputs voice_inputs = inputs;
  voice_inputs.key = setup_.generators[kKeyNumber] >= 0 ? static_cast<int>(setup_.generators[kKeyNumber]) : key_;
  voice_inputs.velocity = setup_.generators[kVelocity] >= 0 ? static_cast<int>(setup_.generators[kVelocity]) : velocity_;
  setup_.modulators.evaluate(voice_inputs, offsets);
  if (culling_.enabled) {
    // The soft pedal only adds attenuation: left out, as it may come up again.
    float loudest_cb = setup_.generators[kInitialAttenuation] +
                       setup_.modulators.lowest_output(kInitialAttenuation, voice_inputs);
    if (inputs.generator_offsets != nullptr) loudest_cb += inputs.generator_offsets[kInitialAttenuation];
    loudest_attenuation_gain_ = centibels_to_gain(std::clamp(loudest_cb, 0.0f, 1440.0f));
  }
  for (int i = 0; i < kGeneratorCount; ++i) modulated_[i] += offsets[i];
  if (inputs.generator_offsets != nullptr)
    for (int i = 0; i < kGeneratorCount; ++i) modulated_[i] += inputs.generator_offsets[i];
  // The soft pedal (CC 67): 5 dB quieter and a darker tone, as on a piano's una corda.
  if (inputs.soft_pedal) {
    modulated_[kInitialAttenuation] += 50.0f;
    modulated_[kInitialFilterFc] -= 600.0f;
  }
  compute_parameters();
  root_pitch_cents_ += inputs.tuning_cents;
  pitch_cents_ = std::numeric_limits<float>::quiet_NaN();  // recompute the increment
  needs_control_update_ = true;
}

void Voice::compute_parameters() noexcept {
  const auto& g = modulated_;
  attenuation_gain_ = centibels_to_gain(std::clamp(g[kInitialAttenuation], 0.0f, 1440.0f));
  const float pan = std::clamp(g[kPan], -500.0f, 500.0f);
  const float angle = (pan + 500.0f) / 1000.0f * std::numbers::pi_v<float> * 0.5f;
  pan_left_ = std::cos(angle);
  pan_right_ = std::sin(angle);
  reverb_send_ = std::clamp(g[kReverbSend], 0.0f, 1000.0f) / 1000.0f;
  chorus_send_ = std::clamp(g[kChorusSend], 0.0f, 1000.0f) / 1000.0f;
  const int pitch_key = g[kKeyNumber] >= 0 ? static_cast<int>(g[kKeyNumber]) : key_;
  root_pitch_cents_ = g[kScaleTuning] * static_cast<float>(pitch_key - root_key_) + g[kCoarseTune] * 100.0f +
                      g[kFineTune] + static_cast<float>(pitch_correction_cents_);
}

float Voice::volume_amplitude(std::int64_t elapsed) const noexcept {
  if (release_frame_ >= 0 && elapsed >= release_frame_ - start_frame_) {
    const float centibels = volume_release_level_cb_ +
                            static_cast<float>(elapsed - (release_frame_ - start_frame_)) * volume_release_cb_per_frame_;
    return centibels >= kSilentCentibels ? 0.0f : centibels_to_gain(centibels);
  }
  if (elapsed < volume_delay_) return 0.0f;
  elapsed -= volume_delay_;
  if (elapsed < volume_attack_) return static_cast<float>(elapsed) / static_cast<float>(volume_attack_);
  elapsed -= volume_attack_;
  if (elapsed < volume_hold_) return 1.0f;
  elapsed -= volume_hold_;
  const float centibels = std::min(static_cast<float>(elapsed) * volume_decay_cb_per_frame_, volume_sustain_cb_);
  return centibels >= kSilentCentibels ? 0.0f : centibels_to_gain(centibels);
}

float Voice::modulation_envelope(std::int64_t elapsed) const noexcept {
  if (release_frame_ >= 0 && elapsed >= release_frame_ - start_frame_) {
    const float value = modulation_release_level_ -
                        static_cast<float>(elapsed - (release_frame_ - start_frame_)) * modulation_release_per_frame_;
    return std::max(value, 0.0f);
  }
  if (elapsed < modulation_delay_) return 0.0f;
  elapsed -= modulation_delay_;
  if (elapsed < modulation_attack_) return static_cast<float>(elapsed) / static_cast<float>(modulation_attack_);
  elapsed -= modulation_attack_;
  if (elapsed < modulation_hold_) return 1.0f;
  elapsed -= modulation_hold_;
  return std::max(1.0f - static_cast<float>(elapsed) * modulation_decay_per_frame_, modulation_sustain_);
}

void Voice::release(std::int64_t now) noexcept {
  if (release_frame_ >= 0 || !is_active()) return;
  const std::int64_t elapsed = now - start_frame_;
  volume_release_level_cb_ = gain_to_centibels(volume_amplitude(elapsed));
  modulation_release_level_ = modulation_envelope(elapsed);
  const double rate = output_rate_hz_;
  const auto volume_release =
      std::max<std::int64_t>(timecents_to_frames(std::clamp(modulated_[kReleaseVolEnv], -12000.0f, 8000.0f), rate, false), 1);
  volume_release_cb_per_frame_ = 1000.0f / static_cast<float>(volume_release);
  const auto modulation_release =
      std::max<std::int64_t>(timecents_to_frames(std::clamp(modulated_[kReleaseModEnv], -12000.0f, 8000.0f), rate, false), 1);
  modulation_release_per_frame_ = 1.0f / static_cast<float>(modulation_release);
  release_frame_ = now;
  state_ = State::kReleased;
  needs_control_update_ = true;
}

void Voice::kill(std::int64_t now) noexcept {
  release(now);
  volume_release_cb_per_frame_ = kSilentCentibels / static_cast<float>(kKillSeconds * output_rate_hz_);
  needs_control_update_ = true;
}

void Voice::control_update(std::int64_t now) noexcept {
  needs_control_update_ = false;
  const std::int64_t elapsed = now - start_frame_;
  const std::int64_t window_end = (now / kControlFrames + 1) * kControlFrames;
  const auto frames_left = static_cast<float>(window_end - now);

  const auto& g = modulated_;
  // The LFOs and the modulation envelope only where something listens (most zones route none).
  const bool mod_lfo_used = g[kModLfoToPitch] != 0.0f || g[kModLfoToFilterFc] != 0.0f || g[kModLfoToVolume] != 0.0f;
  const float mod_lfo = !mod_lfo_used || elapsed < mod_lfo_delay_
                            ? 0.0f
                            : triangle(static_cast<double>(elapsed - mod_lfo_delay_) * mod_lfo_cycles_per_frame_);
  const float vibrato_lfo =
      g[kVibratoLfoToPitch] == 0.0f || elapsed < vibrato_lfo_delay_
          ? 0.0f
          : triangle(static_cast<double>(elapsed - vibrato_lfo_delay_) * vibrato_lfo_cycles_per_frame_);
  const bool modulation_used = g[kModEnvToPitch] != 0.0f || g[kModEnvToFilterFc] != 0.0f;
  const float modulation = modulation_used ? modulation_envelope(elapsed) : 0.0f;

  // Pitch: constant over the control block; recomputed only when it moved.
  const float cents = root_pitch_cents_ + mod_lfo * g[kModLfoToPitch] + vibrato_lfo * g[kVibratoLfoToPitch] +
                      modulation * g[kModEnvToPitch];
  if (cents != pitch_cents_) {
    pitch_cents_ = cents;
    // Single precision is ample here: exp2f's 1e-7 relative error is 0.0002 cents.
    const double ratio = sample_rate_ratio_ * static_cast<double>(std::exp2(cents * (1.0f / 1200.0f)));
    increment_ = static_cast<std::uint64_t>(std::min(ratio, 4096.0) * kFixedOne);
  }

  // Filter: RBJ low-pass with FluidSynth's resonance convention (Q in cB above -3.01 dB, gain
  // compensated by 1/sqrt(Q) so resonant sounds do not jump in level).
  const float cutoff_cents =
      std::clamp(g[kInitialFilterFc] + mod_lfo * g[kModLfoToFilterFc] + modulation * g[kModEnvToFilterFc], 1500.0f,
                 13500.0f);
  const float q_cb = std::clamp(g[kInitialFilterQ], 0.0f, 960.0f);
  if (cutoff_cents != filter_cutoff_cents_ || q_cb != filter_q_cb_) {
    // Recomputed only when the cutoff or Q moved; single precision (exp2f, sinf/cosf) is ample
    // for coefficients and keeps this per-block maths cheap. Q changes rarely: cached apart.
    if (q_cb != filter_q_cb_) {
      filter_q_cb_ = q_cb;
      filter_q_linear_ = std::pow(10.0f, std::max(q_cb / 10.0f - 3.01f, -3.01f) / 20.0f);
      filter_compensation_ = 1.0f / std::sqrt(std::max(filter_q_linear_, 1.0f));
    }
    filter_cutoff_cents_ = cutoff_cents;
    const float nyquist_limit_hz = 0.45f * static_cast<float>(output_rate_hz_);
    const float cutoff_hz = std::min(8.176f * std::exp2(cutoff_cents * (1.0f / 1200.0f)), nyquist_limit_hz);
    // Fully open without resonance: bypassed (SF2 §8.1.3: 13500 cents and Q 0 mean no filter).
    filter_enabled_ = !((cutoff_hz >= nyquist_limit_hz * 0.999f || cutoff_cents >= 13500.0f) && q_cb <= 0.0f);
    if (filter_enabled_) {
      const float omega = 2.0f * std::numbers::pi_v<float> * cutoff_hz / static_cast<float>(output_rate_hz_);
      const float alpha = std::sin(omega) / (2.0f * filter_q_linear_);
      const float cosine = std::cos(omega);
      const float inverse_a0 = 1.0f / (1.0f + alpha);
      filter_b0_ = (1.0f - cosine) * 0.5f * inverse_a0 * filter_compensation_;
      filter_b1_ = (1.0f - cosine) * inverse_a0 * filter_compensation_;
      filter_b2_ = filter_b0_;
      filter_a1_ = -2.0f * cosine * inverse_a0;
      filter_a2_ = (1.0f - alpha) * inverse_a0;
    }
  }

  // Volume: a linear gain ramp to the envelope's value at the end of this control block, so the
  // gain is smooth per sample and exact at every grid point whatever the block split.
  const float lfo_gain = g[kModLfoToVolume] != 0.0f ? centibels_to_gain(-mod_lfo * g[kModLfoToVolume]) : 1.0f;
  const float envelope_at_window_end = volume_amplitude(window_end - start_frame_);
  const float target = envelope_at_window_end * attenuation_gain_ * lfo_gain;
  gain_step_ = (target - gain_) / frames_left;
  gain_anchor_ = gain_;
  ramp_frames_ = 0;
  if (target == 0.0f && gain_ == 0.0f) {
    // Nothing more to hear: finished if released or decayed to silence without a way back.
    const bool decayed = release_frame_ >= 0 || (elapsed > volume_delay_ + volume_attack_ + volume_hold_ &&
                                                 volume_sustain_cb_ >= kSilentCentibels);
    if (decayed) state_ = State::kFinished;
  }
  if (culling_.enabled && state_ != State::kFinished) cull_if_inaudible(elapsed, envelope_at_window_end);
}

void Voice::cull_if_inaudible(std::int64_t elapsed, float envelope_at_window_end) noexcept {
  // Only while the envelope can only fall: decay, sustain, release.
  if (release_frame_ < 0 && elapsed < volume_delay_ + volume_attack_ + volume_hold_) return;
  const auto& g = modulated_;
  const bool in_stored_loop =
      has_looped_ && loop_is_stored_ && (loop_mode_ == 1 || (loop_mode_ == 3 && release_frame_ < 0));
  const float peak = in_stored_loop ? culling_.loop_peak : culling_.sample_peak;
  // Overshoot: the cubic interpolator (≤ 1.25×) and a resonant filter's peak gain, doubled for
  // the transients of a time-varying filter; the pan and send weights are ≤ 1.
  const float resonance = std::max(1.0f, filter_q_linear_ * filter_compensation_);
  const float lfo_gain_max = g[kModLfoToVolume] != 0.0f ? centibels_to_gain(-std::fabs(g[kModLfoToVolume])) : 1.0f;
  const float bound = loudest_attenuation_gain_ * lfo_gain_max * peak * 2.5f * resonance;
  if (envelope_at_window_end * bound >= culling_.silence_level) return;  // the common case: audible
  // The envelope falls over the block: its start decides.
  if (volume_amplitude(elapsed) * bound >= culling_.silence_level) return;
  state_ = State::kFinished;
  culled_ = true;
}

namespace {

// Reads frame `index` of the sample as float, 16- or 24-bit.
template <bool kWide>
inline float read_frame(const std::int16_t* frames, const std::uint8_t* low_bytes, std::int64_t index) noexcept {
  // Unscaled: the 1/32768 (or 1/8388608) is folded into the gain ramp, one multiply per frame
  // instead of one per tap.
  if constexpr (kWide)
    return static_cast<float>(frames[index] * 256 + low_bytes[index]);
  else
    return static_cast<float>(frames[index]);
}

inline float fraction_of(std::uint64_t position) noexcept {
  return static_cast<float>(static_cast<std::uint32_t>(position)) * (1.0f / 4294967296.0f);
}

// 4-point Catmull-Rom, the formula of the kernels' interpolator, for the frames interpolated here
// (loop wraps, 24-bit data).
inline float cubic_value(float xm1, float x0, float x1, float x2, float t) noexcept {
  const float c1 = 0.5f * (x1 - xm1);
  const float c2 = xm1 - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
  const float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
  return ((c3 * t + c2) * t + c1) * t + x0;
}

}  // namespace

template <Interpolation kInterpolation, bool kWide>
void Voice::fetch(const detail::VoiceKernel& kernel, float* out, int frames) noexcept {
  const bool looping = loop_mode_ == 1 || (loop_mode_ == 3 && release_frame_ < 0);
  const std::int64_t loop_length = loop_end_ - loop_start_;
  constexpr int kBefore = kInterpolation == Interpolation::kSinc ? 3 : kInterpolation == Interpolation::kCubic ? 1 : 0;
  constexpr int kAfter = kInterpolation == Interpolation::kSinc ? 4 : kInterpolation == Interpolation::kCubic ? 2 : 1;
  const std::int16_t* data = frames_;
  const std::uint8_t* low = low_bytes_;

  // Reads tap `index`, wrapping around the loop when the taps straddle its ends.
  auto tap = [&](std::int64_t index, bool wrap) noexcept {
    if (wrap && looping) {
      if (index >= loop_end_)
        index -= loop_length;
      else if (has_looped_ && index < loop_start_)
        index += loop_length;
    }
    return read_frame<kWide>(data, low, index);
  };
  // The value of one frame, interpolated here: loop wraps, 24-bit data, linear and sinc. (Runs of
  // 16-bit cubic frames go to the kernel's vectorised interpolator.)
  auto value_at = [&](std::int64_t index, std::uint64_t position, bool wrap) noexcept {
    if constexpr (kInterpolation == Interpolation::kCubic) {
      // The fraction in 1/2^24 units, as the kernels' interpolator takes it.
      const float t = static_cast<float>(static_cast<std::int32_t>(static_cast<std::uint32_t>(position) >> 8)) *
                      (1.0f / 16777216.0f);
      const float xm1 = tap(index - 1, wrap), x0 = tap(index, wrap), x1 = tap(index + 1, wrap), x2 = tap(index + 2, wrap);
      return cubic_value(xm1, x0, x1, x2, t);
    } else if constexpr (kInterpolation == Interpolation::kLinear) {
      const float t = fraction_of(position);
      const float x0 = tap(index, wrap), x1 = tap(index + 1, wrap);
      return x0 + t * (x1 - x0);
    } else {
      const float t = fraction_of(position);
      const auto& row = detail::sinc_table().rows[static_cast<int>(t * detail::kSincPhases + 0.5f)];
      float value = 0.0f;
      for (int k = 0; k < detail::kSincTaps; ++k) value += row[k] * tap(index - 3 + k, wrap);
      return value;
    }
  };

  int produced = 0;
  while (produced < frames) {
    std::int64_t index = static_cast<std::int64_t>(position_ >> 32);
    if (looping) {
      while (index >= loop_end_) {
        position_ -= static_cast<std::uint64_t>(loop_length) << 32;
        index -= loop_length;
        has_looped_ = true;
      }
    } else if (index >= end_) {
      std::fill(out + produced, out + frames, 0.0f);
      state_ = State::kFinished;
      return;
    }
    // How many frames can run without any tap leaving [loop_start, loop_end) or passing the end:
    // those take the fast path without wrap checks.
    const std::int64_t limit = looping ? loop_end_ - kAfter : end_;
    const bool front_safe = !looping || !has_looped_ || index - kBefore >= loop_start_;
    int run = 0;
    if (front_safe && index < limit) {
      const auto wanted = static_cast<std::uint64_t>(frames - produced);
      const std::uint64_t room = (static_cast<std::uint64_t>(limit) << 32) - position_;
      // Usually the whole rest of the segment fits; only near a loop end or the sample's end does
      // the run need a (slow, 64-bit) division.
      if ((wanted - 1) * increment_ < room) {
        run = static_cast<int>(wanted);
      } else {
        const std::uint64_t steps = (room - 1) / increment_ + 1;
        run = static_cast<int>(std::min<std::uint64_t>(steps, wanted));
      }
    }
    if (run > 0) {
      if constexpr (kInterpolation == Interpolation::kCubic && !kWide) {
        // The common case: the kernel interpolates the run, 8 frames at a time.
        kernel.interpolate_cubic(data, readable_frames_, position_, increment_, run, out + produced);
        position_ += static_cast<std::uint64_t>(run) * increment_;
      } else {
        std::uint64_t position = position_;
        for (int i = 0; i < run; ++i) {
          out[produced + i] = value_at(static_cast<std::int64_t>(position >> 32), position, false);
          position += increment_;
        }
        position_ = position;
      }
      produced += run;
    } else {
      out[produced++] = value_at(index, position_, true);
      position_ += increment_;
    }
  }
}

bool Voice::begin_segment(std::int64_t now, int frames, detail::VoiceGroup& group, int lane,
                          const detail::VoiceKernel& kernel) noexcept {
  if (!is_active()) return false;
  if (needs_control_update_ || now % kControlFrames == 0) control_update(now);
  if (state_ == State::kFinished) return false;
  float* out = group.input[lane];
  const bool wide = low_bytes_ != nullptr;
  switch (interpolation_) {
    case Interpolation::kLinear:
      wide ? fetch<Interpolation::kLinear, true>(kernel, out, frames) : fetch<Interpolation::kLinear, false>(kernel, out, frames);
      break;
    case Interpolation::kCubic:
      wide ? fetch<Interpolation::kCubic, true>(kernel, out, frames) : fetch<Interpolation::kCubic, false>(kernel, out, frames);
      break;
    case Interpolation::kSinc:
      wide ? fetch<Interpolation::kSinc, true>(kernel, out, frames) : fetch<Interpolation::kSinc, false>(kernel, out, frames);
      break;
  }
  if (filter_enabled_) group.filtered_lanes |= 1u << lane;
  // A disabled filter is a pass-through (y = 1·x exactly).
  group.b0[lane] = filter_enabled_ ? filter_b0_ : 1.0f;
  group.b1[lane] = filter_enabled_ ? filter_b1_ : 0.0f;
  group.b2[lane] = filter_enabled_ ? filter_b2_ : 0.0f;
  group.a1[lane] = filter_enabled_ ? filter_a1_ : 0.0f;
  group.a2[lane] = filter_enabled_ ? filter_a2_ : 0.0f;
  group.x1[lane] = filter_x1_;
  group.x2[lane] = filter_x2_;
  group.y1[lane] = filter_z1_;
  group.y2[lane] = filter_z2_;
  // The gain ramp is anchor + step × n from the last control update; the step is applied before
  // each sample so that a voice's first sample is audible at its exact start frame. The sample
  // format's scale (1/32768 or 1/8388608) rides on the gain.
  group.gain_anchor[lane] = gain_anchor_;
  group.gain_step[lane] = gain_step_;
  group.ramp[lane] = static_cast<float>(ramp_frames_ + 1);
  group.scale[lane] = wide ? 1.0f / 8388608.0f : 1.0f / 32768.0f;
  group.dry_left[lane] = pan_left_;
  group.dry_right[lane] = pan_right_;
  group.reverb_left[lane] = pan_left_ * reverb_send_;
  group.reverb_right[lane] = pan_right_ * reverb_send_;
  group.chorus_left[lane] = pan_left_ * chorus_send_;
  group.chorus_right[lane] = pan_right_ * chorus_send_;
  ramp_frames_ += frames;
  gain_ = gain_anchor_ + gain_step_ * static_cast<float>(ramp_frames_);
  return true;
}

void Voice::end_segment(const detail::VoiceGroup& group, int lane) noexcept {
  // Filter state only matters while the filter is on; a pass-through lane's state is its input,
  // which restarts cleanly when a cutoff change enables the filter.
  filter_x1_ = group.x1[lane];
  filter_x2_ = group.x2[lane];
  filter_z1_ = group.y1[lane];
  filter_z2_ = group.y2[lane];
}

}  // namespace resound::synth
