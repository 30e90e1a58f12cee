// AlgorithmicReverb: the 16-line modulated FDN — delay lengths, Hadamard mixing, Jot damping.
#include "resound/fx/algorithmic_reverb.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/denormals.hpp"

namespace resound::fx {
namespace {

// Line lengths at room_size 0.5, in ms: spread over 23…74 ms (a mid-size room's mean free path)
// and chosen so no two share small common factors at common rates, which would stack modes.
constexpr std::array<double, AlgorithmicReverb::kLineCount> kBaseLineLengthsMs = {
    23.1, 26.3, 29.7, 31.9, 35.3, 38.9, 41.3, 44.9, 47.3, 51.1, 53.9, 57.7, 61.3, 65.9, 69.1, 73.7};

// Modulation rates spread over 0.13…0.97 Hz so the lines never move together (a shared rate
// would be heard as a chorus on the whole tail).
constexpr std::array<double, AlgorithmicReverb::kLineCount> kModulationRatesHz = {
    0.13, 0.71, 0.29, 0.97, 0.41, 0.83, 0.19, 0.59, 0.37, 0.89, 0.23, 0.67, 0.47, 0.79, 0.31, 0.53};

// Input diffuser delays (ms) per channel; the right channel's are slightly detuned so the two
// inputs excite the network differently, and gains follow Dattorro's plate (0.75, 0.625).
constexpr std::array<double, 4> kDiffuserLeftMs = {4.77, 3.59, 12.73, 9.31};
constexpr std::array<double, 4> kDiffuserRightMs = {4.41, 3.83, 11.97, 9.83};
constexpr std::array<float, 4> kDiffuserGains = {0.75f, 0.75f, 0.625f, 0.625f};

// The room_size knob maps to 0.3…1.7 times the base lengths.
constexpr double kMinRoomScale = 0.3;
constexpr double kRoomScaleRange = 1.4;
constexpr double kMaxPredelayS = 0.5;
// About ±0.25 ms of modulation: enough to smear modes, too little to hear as pitch wobble.
constexpr double kModulationDepthS = 0.00025;
// Output taps sum 16 lines; 1/4 makes the taps orthonormal like the matrix.
constexpr float kOutputGain = 0.25f;
constexpr double kSmoothingTimeS = 0.05;

constexpr NumberField<ReverbParameters> kFields[] = {
    {"room_size", &ReverbParameters::room_size, 0.0, 1.0}, {"decay_s", &ReverbParameters::decay_s, 0.1, 30.0},
    {"damping", &ReverbParameters::damping, 0.0, 1.0},     {"predelay_s", &ReverbParameters::predelay_s, 0.0, kMaxPredelayS},
    {"width", &ReverbParameters::width, 0.0, 1.0},         {"mix", &ReverbParameters::mix, 0.0, 1.0}};

ReverbParameters clamped(const ReverbParameters& parameters) { return clamp_fields(parameters, reverb_parameter_fields()); }

double room_scale_for(double room_size) { return kMinRoomScale + kRoomScaleRange * room_size; }

// In-place orthonormal 16-point Walsh–Hadamard transform: lossless mixing in 64 additions.
void hadamard16(std::array<float, AlgorithmicReverb::kLineCount>& values) noexcept {
  for (std::size_t half = 1; half < AlgorithmicReverb::kLineCount; half *= 2)
    for (std::size_t start = 0; start < AlgorithmicReverb::kLineCount; start += 2 * half)
      for (std::size_t i = start; i < start + half; ++i) {
        const float a = values[i];
        const float b = values[i + half];
        values[i] = a + b;
        values[i + half] = a - b;
      }
  for (float& value : values) value *= 0.25f;
}

// Output tap signs: two different rows of a Hadamard matrix, so left and right are orthogonal mixes.
constexpr std::array<float, AlgorithmicReverb::kLineCount> kLeftTaps = {1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1};
constexpr std::array<float, AlgorithmicReverb::kLineCount> kRightTaps = {1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1};

}  // namespace

std::span<const NumberField<ReverbParameters>> reverb_parameter_fields() noexcept { return kFields; }

float AlgorithmicReverb::Allpass::process(float input) noexcept {
  const float delayed = line.read(delay_frames);
  const float feed = input + gain * delayed;
  line.push(feed);
  return delayed - gain * feed;
}

AlgorithmicReverb::AlgorithmicReverb(const ReverbParameters& parameters) : parameters_(clamped(parameters)) {}

void AlgorithmicReverb::set_parameters(const ReverbParameters& parameters) noexcept {
  parameters_ = clamped(parameters);
  if (sample_rate_hz_ > 0.0) update_targets();
}

void AlgorithmicReverb::prepare(double sample_rate_hz, std::size_t /*max_block_frames*/, std::size_t channel_count) {
  sample_rate_hz_ = sample_rate_hz > 0.0 ? sample_rate_hz : 48000.0;
  channel_count_ = channel_count;
  modulation_depth_frames_ = kModulationDepthS * sample_rate_hz_;
  const double max_scale = room_scale_for(1.0);
  for (std::size_t i = 0; i < kLineCount; ++i) {
    const double longest = kBaseLineLengthsMs[i] * 1e-3 * max_scale * sample_rate_hz_ + modulation_depth_frames_ + 4.0;
    lines_[i].allocate(static_cast<std::size_t>(longest));
    modulators_.set_frequency(i, kModulationRatesHz[i], sample_rate_hz_);
    line_gains_[i].configure(kSmoothingTimeS, sample_rate_hz_);
    damping_poles_[i].configure(kSmoothingTimeS, sample_rate_hz_);
  }
  for (std::size_t i = 0; i < kDiffuserCount; ++i) {
    diffusers_left_[i].delay_frames = static_cast<std::size_t>(std::lround(kDiffuserLeftMs[i] * 1e-3 * sample_rate_hz_));
    diffusers_right_[i].delay_frames = static_cast<std::size_t>(std::lround(kDiffuserRightMs[i] * 1e-3 * sample_rate_hz_));
    diffusers_left_[i].line.allocate(diffusers_left_[i].delay_frames + 1);
    diffusers_right_[i].line.allocate(diffusers_right_[i].delay_frames + 1);
    diffusers_left_[i].gain = diffusers_right_[i].gain = kDiffuserGains[i];
  }
  const auto predelay_capacity = static_cast<std::size_t>(kMaxPredelayS * sample_rate_hz_) + 4;
  predelay_left_.allocate(predelay_capacity);
  predelay_right_.allocate(predelay_capacity);
  detail::configure_smoothers({&room_scale_, &predelay_frames_, &width_}, kSmoothingTimeS, sample_rate_hz_);
  mix_gains_.configure(kSmoothingTimeS, sample_rate_hz_);
  update_targets();
  reset();
}

void AlgorithmicReverb::update_targets() noexcept {
  line_parameters_settled_ = false;
  const double scale = room_scale_for(parameters_.room_size);
  room_scale_.set_target(scale);
  predelay_frames_.set_target(parameters_.predelay_s * sample_rate_hz_);
  width_.set_target(parameters_.width);
  mix_gains_.set_mix(parameters_.mix);
  // Jot: a line of L frames must lose 60 dB per decay time, i.e. gain 10^(-3 L / (T fs)) per pass;
  // the one-pole's Nyquist gain sets the high-frequency decay time, shortened by `damping`.
  const double high_decay_s = parameters_.decay_s * (1.0 - 0.95 * parameters_.damping);
  for (std::size_t i = 0; i < kLineCount; ++i) {
    const double length_frames = kBaseLineLengthsMs[i] * 1e-3 * scale * sample_rate_hz_;
    const double low_gain = std::pow(10.0, -3.0 * length_frames / (parameters_.decay_s * sample_rate_hz_));
    const double high_gain = std::pow(10.0, -3.0 * length_frames / (high_decay_s * sample_rate_hz_));
    const double ratio = high_gain / low_gain;  // one-pole Nyquist gain (1-a)/(1+a)
    line_gains_[i].set_target(low_gain);
    damping_poles_[i].set_target((1.0 - ratio) / (1.0 + ratio));
  }
}

void AlgorithmicReverb::snap_smoothers() noexcept {
  detail::snap_smoothers({&room_scale_, &predelay_frames_, &width_});
  mix_gains_.snap_to_target();
  for (std::size_t i = 0; i < kLineCount; ++i) {
    line_gains_[i].snap_to_target();
    damping_poles_[i].snap_to_target();
  }
  line_parameters_settled_ = false;  // refresh the cached values on the next frame
}

void AlgorithmicReverb::reset() noexcept {
  for (std::size_t i = 0; i < kLineCount; ++i) {
    lines_[i].clear();
    // Spread start phases so the modulations begin decorrelated.
    modulators_.set_phase(i, static_cast<double>(i) / static_cast<double>(kLineCount));
  }
  damping_states_.fill(0.0f);
  for (std::size_t i = 0; i < kDiffuserCount; ++i) {
    diffusers_left_[i].line.clear();
    diffusers_right_[i].line.clear();
  }
  predelay_left_.clear();
  predelay_right_.clear();
  snap_smoothers();
}

void AlgorithmicReverb::process_frame(float input_left, float input_right, float& wet_left, float& wet_right) noexcept {
  predelay_left_.push(input_left);
  predelay_right_.push(input_right);
  // The current sample is already pushed, so delay 1 is "now": read one frame further back.
  const double predelay = predelay_frames_.next() + 1.0;
  float left = predelay_left_.read_linear(predelay);
  float right = predelay_right_.read_linear(predelay);
  for (std::size_t i = 0; i < kDiffuserCount; ++i) {
    left = diffusers_left_[i].process(left);
    right = diffusers_right_[i].process(right);
  }

  const double scale_frames = room_scale_.next() * 1e-3 * sample_rate_hz_;
  // Line gains and damping poles glide per sample only while a change settles; once all have
  // reached their targets the cached float values serve (most of the time: no 32 smoother steps).
  if (!line_parameters_settled_) {
    bool settled = true;
    for (std::size_t i = 0; i < kLineCount; ++i) {
      line_gain_values_[i] = static_cast<float>(line_gains_[i].next());
      damping_pole_values_[i] = static_cast<float>(damping_poles_[i].next());
      settled = line_gains_[i].settle() && settled;
      settled = damping_poles_[i].settle() && settled;
    }
    line_parameters_settled_ = settled;
  }
  // Split into passes over the 16 lines so the arithmetic ones vectorise (only the
  // interpolated reads, at 16 unrelated addresses, stay scalar).
  std::array<double, kLineCount> delays;
  modulators_.next(delays);
  for (std::size_t i = 0; i < kLineCount; ++i) delays[i] = kBaseLineLengthsMs[i] * scale_frames + modulation_depth_frames_ * delays[i];
  std::array<float, kLineCount> delayed;
  for (std::size_t i = 0; i < kLineCount; ++i) delayed[i] = lines_[i].read_hermite(delays[i]);
  std::array<float, kLineCount> outputs;
  float tap_left = 0.0f;
  float tap_right = 0.0f;
  for (std::size_t i = 0; i < kLineCount; ++i) {
    const float pole = damping_pole_values_[i];
    damping_states_[i] = line_gain_values_[i] * (1.0f - pole) * delayed[i] + pole * damping_states_[i];
    outputs[i] = damping_states_[i];
    tap_left += kLeftTaps[i] * outputs[i];
    tap_right += kRightTaps[i] * outputs[i];
  }
  hadamard16(outputs);
  for (std::size_t i = 0; i < kLineCount; ++i) {
    // Left feeds the even lines, right the odd ones; alternating signs avoid a common-mode build-up.
    const float injection = (i % 2 == 0 ? left : right) * ((i / 2) % 2 == 0 ? 1.0f : -1.0f);
    lines_[i].push(outputs[i] + injection);
  }
  wet_left = kOutputGain * tap_left;
  wet_right = kOutputGain * tap_right;
}

void AlgorithmicReverb::process(AudioView audio) noexcept {
  if (audio.empty() || sample_rate_hz_ <= 0.0) return;
  const ScopedDenormalGuard denormal_guard;
  const std::size_t frames = audio.frame_count();
  if (audio.channel_count() == 1) {
    float* samples = audio.channel(0).data();
    for (std::size_t n = 0; n < frames; ++n) {
      float wet_left = 0.0f;
      float wet_right = 0.0f;
      process_frame(samples[n], samples[n], wet_left, wet_right);
      width_.next();
      const auto dry = static_cast<float>(mix_gains_.dry.next());
      const auto wet = static_cast<float>(mix_gains_.wet.next());
      samples[n] = dry * samples[n] + wet * 0.5f * (wet_left + wet_right);
    }
    return;
  }
  float* left = audio.channel(0).data();
  float* right = audio.channel(1).data();
  for (std::size_t n = 0; n < frames; ++n) {
    float wet_left = 0.0f;
    float wet_right = 0.0f;
    process_frame(left[n], right[n], wet_left, wet_right);
    // Width by mid/side: 0 collapses the wet signal to mono, 1 keeps the decorrelated pair.
    const auto width = static_cast<float>(width_.next());
    const float mid = 0.5f * (wet_left + wet_right);
    const float side = 0.5f * (wet_left - wet_right) * width;
    const auto dry = static_cast<float>(mix_gains_.dry.next());
    const auto wet = static_cast<float>(mix_gains_.wet.next());
    left[n] = dry * left[n] + wet * (mid + side);
    right[n] = dry * right[n] + wet * (mid - side);
  }
}

}  // namespace resound::fx
