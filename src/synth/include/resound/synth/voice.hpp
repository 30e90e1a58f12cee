// Voice: one sounding sample zone — DAHDSR envelopes, two LFOs, resonant low-pass, interpolation, loops.
#pragma once

#include <cstddef>
#include <cstdint>

#include "resound/formats/soundfont.hpp"
#include "resound/synth/generator.hpp"
#include "resound/synth/interpolation.hpp"
#include "resound/synth/modulator.hpp"

namespace resound::synth {

/// Frames between control updates (envelopes, LFOs, filter coefficients), on an absolute grid so
/// that output never depends on how the caller splits its blocks.
inline constexpr int kControlFrames = 64;

/// What a voice needs to start: the zone's summed generators and merged modulators.
struct VoiceSetup {
  GeneratorValues generators{};
  ModulatorList modulators;
  std::size_t sample_index = 0;
};

/// What culling needs to know about a voice's sample and output: its peak levels (fractions of
/// full scale) and the level below which a voice's output counts as silent.
struct VoiceCulling {
  bool enabled = false;
  float silence_level = 0.0f;  ///< largest inaudible voice output (fraction of full scale, before master gain)
  float sample_peak = 1.0f;    ///< peak |frame| of the whole sample
  float loop_peak = 1.0f;      ///< peak |frame| within the sample's stored loop (1 if not looped)
};

namespace detail {
struct VoiceGroup;   // voice_kernel.hpp: a group of voices in structure-of-arrays form
struct VoiceKernel;  // voice_kernel.hpp: the per-sample loops of one instruction set
}

/// One voice. All methods are RT-safe (no allocation); the owning Synthesizer calls them on the
/// audio thread. The sample data is read-only and shared by every voice and synthesizer.
class Voice {
 public:
  enum class State : std::uint8_t { kFree, kPlaying, kReleased, kFinished };

  /// Starts playing at absolute frame `now`. Returns false if the sample is unusable (silent).
  /// `culling`: when and how the voice may end itself once inaudible (default: never).
  bool start(const VoiceSetup& setup, const formats::SoundFont& font, const ModulatorInputs& inputs, int channel,
             int key, double output_rate_hz, Interpolation interpolation, std::int64_t now, std::uint64_t serial,
             const VoiceCulling& culling = {}) noexcept;
  /// Enters the release stages of both envelopes at absolute frame `now`.
  void release(std::int64_t now) noexcept;
  /// A very fast release (exclusive class, "all sound off"): about 5 ms to silence.
  void kill(std::int64_t now) noexcept;
  /// Recomputes modulators and the parameters derived from them (a controller or bend changed).
  void update_modulation(const ModulatorInputs& inputs, std::int64_t now) noexcept;
  /// Prepares `frames` frames starting at absolute frame `now` for the voice kernel: runs the
  /// control update when due, interpolates the frames (with `kernel`'s interpolator where it can)
  /// and writes them and this block's parameters (filter, gain ramp, pan, sends) into lane `lane`
  /// of `group`. Returns false if the voice has nothing to play. A call never crosses a multiple
  /// of kControlFrames (the Synthesizer splits at the grid).
  bool begin_segment(std::int64_t now, int frames, detail::VoiceGroup& group, int lane,
                     const detail::VoiceKernel& kernel) noexcept;
  /// Takes back the filter state after the kernel has rendered the segment.
  void end_segment(const detail::VoiceGroup& group, int lane) noexcept;

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool is_active() const noexcept { return state_ == State::kPlaying || state_ == State::kReleased; }
  [[nodiscard]] int channel() const noexcept { return channel_; }
  [[nodiscard]] int key() const noexcept { return key_; }
  [[nodiscard]] int exclusive_class() const noexcept { return exclusive_class_; }
  [[nodiscard]] std::uint64_t serial() const noexcept { return serial_; }
  [[nodiscard]] float current_gain() const noexcept { return gain_; }
  /// True once the voice ended itself because it fell below the culling level.
  [[nodiscard]] bool was_culled() const noexcept { return culled_; }
  void free() noexcept { state_ = State::kFree; }

  // Pedal bookkeeping, owned by the Synthesizer's channel logic.
  bool held_by_sustain = false;    ///< note-off arrived while the sustain pedal was down
  bool held_by_sostenuto = false;  ///< latched by the sostenuto pedal
  bool key_down = true;            ///< the key has not been released yet

 private:
  void compute_parameters() noexcept;
  void control_update(std::int64_t now) noexcept;
  [[nodiscard]] float volume_amplitude(std::int64_t elapsed) const noexcept;
  [[nodiscard]] float modulation_envelope(std::int64_t elapsed) const noexcept;
  void cull_if_inaudible(std::int64_t elapsed, float envelope_at_window_end) noexcept;
  template <Interpolation kInterpolation, bool kWide>
  void fetch(const detail::VoiceKernel& kernel, float* out, int frames) noexcept;

  // Identity and sample.
  State state_ = State::kFree;
  int channel_ = 0, key_ = 0, velocity_ = 0, exclusive_class_ = 0;
  std::uint64_t serial_ = 0;
  Interpolation interpolation_ = Interpolation::kCubic;
  const std::int16_t* frames_ = nullptr;
  const std::uint8_t* low_bytes_ = nullptr;
  std::int64_t readable_frames_ = 0;  // frames of sample data that may be read
  std::int64_t end_ = 0, loop_start_ = 0, loop_end_ = 0;
  int loop_mode_ = 0;
  bool has_looped_ = false;
  std::uint64_t position_ = 0;   // 32.32 fixed point frames
  std::uint64_t increment_ = 0;  // 32.32 fixed point frames per output frame
  double sample_rate_ratio_ = 1.0;
  double output_rate_hz_ = 44100.0;

  // Generators: as set up, and after modulation.
  VoiceSetup setup_{};
  GeneratorValues modulated_{};
  float root_pitch_cents_ = 0.0f;  // pitch from key, root, tuning, wheel (without LFO/envelope)
  float pitch_cents_ = 0.0f;       // pitch of increment_ (with LFOs/envelope); NaN: recompute
  int root_key_ = 60;
  int pitch_correction_cents_ = 0;

  // Timing (frames since start).
  std::int64_t start_frame_ = 0;
  std::int64_t release_frame_ = -1;
  float volume_release_level_cb_ = 0.0f, volume_release_cb_per_frame_ = 0.0f;
  float modulation_release_level_ = 0.0f, modulation_release_per_frame_ = 0.0f;
  std::int64_t volume_delay_ = 0, volume_attack_ = 0, volume_hold_ = 0;
  float volume_decay_cb_per_frame_ = 0.0f, volume_sustain_cb_ = 0.0f;
  std::int64_t modulation_delay_ = 0, modulation_attack_ = 0, modulation_hold_ = 0;
  float modulation_decay_per_frame_ = 0.0f, modulation_sustain_ = 1.0f;
  std::int64_t mod_lfo_delay_ = 0, vibrato_lfo_delay_ = 0;
  double mod_lfo_cycles_per_frame_ = 0.0, vibrato_lfo_cycles_per_frame_ = 0.0;

  // Derived parameters (from modulated generators).
  float attenuation_gain_ = 1.0f;
  float pan_left_ = 0.7071f, pan_right_ = 0.7071f;
  float reverb_send_ = 0.0f, chorus_send_ = 0.0f;

  // Culling: the limits set at start, and the loudest the attenuation could get (controllers at
  // their loudest, velocity and key as played; recomputed with the modulators).
  VoiceCulling culling_{};
  bool loop_is_stored_ = false;  // the loop is the sample's own, so culling.loop_peak applies
  bool culled_ = false;
  float loudest_attenuation_gain_ = 1.0f;

  // Per-control-block state.
  bool needs_control_update_ = true;
  float gain_ = 0.0f, gain_step_ = 0.0f;  // current gain; ramp step per frame
  float gain_anchor_ = 0.0f;              // gain at the last control update: the ramp is
  int ramp_frames_ = 0;                   // anchor + step × (frames since it + 1), vectorisable
  float filter_b0_ = 1.0f, filter_b1_ = 0.0f, filter_b2_ = 0.0f, filter_a1_ = 0.0f, filter_a2_ = 0.0f;
  float filter_z1_ = 0.0f, filter_z2_ = 0.0f;  // previous outputs (direct form I)
  float filter_x1_ = 0.0f, filter_x2_ = 0.0f;  // previous inputs
  float filter_cutoff_cents_ = -1.0f;  // last computed, to skip unchanged coefficient maths
  float filter_q_cb_ = -1.0f;
  float filter_q_linear_ = 1.0f, filter_compensation_ = 1.0f;  // derived from filter_q_cb_
  bool filter_enabled_ = false;
};

}  // namespace resound::synth
