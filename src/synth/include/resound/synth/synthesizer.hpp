// Synthesizer: 16 MIDI channels playing a shared SoundFont — voices, stealing, pedals, RPN/NRPN, GM/GS/XG, sends.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "resound/core/audio_view.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/synth/channel_state.hpp"
#include "resound/synth/interpolation.hpp"
#include "resound/synth/simd_path.hpp"
#include "resound/synth/voice.hpp"

namespace resound::synth {
namespace detail {
struct VoiceKernel;
struct LaneSums;
}  // namespace detail

/// Default master gain. SF2-spec loudness (initial attenuation in full centibels, unlike
/// FluidSynth's ×0.4 "EMU" scaling) is quieter than FluidSynth's; -6 dB leaves dense GM files
/// headroom while solo instruments stay within a few dB of FluidSynth's level.
inline constexpr float kDefaultGainDb = -6.0f;

/// EMU8000/10K hardware, and FluidSynth after it, scale SF2 initial attenuation by 0.4.
inline constexpr float kEmuAttenuationScale = 0.4f;

struct SynthesizerOptions {
  double sample_rate_hz = 44100.0;
  std::size_t max_voices = 256;                     ///< polyphony; the quietest/oldest voice is stolen beyond it
  Interpolation interpolation = Interpolation::kCubic;
  float gain_db = kDefaultGainDb;                   ///< master gain on the dry and send buses
  std::size_t max_block_frames = 4096;              ///< largest render() call
  /// false: initial attenuation per the SF2 spec (full centibels). true: scaled by 0.4 like
  /// EMU hardware and FluidSynth — the balance many GM banks (drum kits especially) were voiced for.
  bool emu_attenuation = false;
  /// Instruction set of the voice loop; kAuto picks the widest this CPU runs. A path the CPU
  /// cannot run falls back to kAuto's choice.
  SimdPath simd = SimdPath::kAuto;
  /// End voices that can no longer be heard: once a voice's volume envelope only falls (decay,
  /// sustain, release), it ends when its loudest possible output — envelope × the lowest
  /// attenuation its controllers could still reach × its sample's peak (the loop's, once looping)
  /// × the filter's and interpolator's overshoot × the master gain — is below -96 dBFS.
  bool cull_inaudible = true;
  /// Set it for live playback (an audio callback calls render()). The constructor (OFF/CT) then
  /// keeps the bank's samples in RAM (SoundFont::make_samples_resident: read-ahead plus a
  /// best-effort mlock of a mapped SF2 — mlock refusal is no error) and measures the peaks of
  /// every decoded sample, touching each page once; prepare_preset_samples() measures the SF3
  /// samples it decodes. render() and the MIDI methods then never scan a sample nor fault a
  /// bank page in from disk; a sample whose peaks are still unknown (decoded by someone else
  /// after construction) plays unculled instead of being scanned. Costs one pass over all the
  /// sample data (FluidR3_GM, 141 MB: tens of ms, more from a cold disk). false (offline): a
  /// sample's peaks are measured at its first note, inside render(); same values, same output.
  bool prepare_for_real_time = false;
};

/// Statistics a caller may show (all counts since construction or reset()).
struct SynthesizerStatistics {
  std::size_t active_voices = 0;
  std::size_t peak_voices = 0;
  std::uint64_t voices_started = 0;
  std::uint64_t voices_stolen = 0;    ///< voices cut because polyphony was exhausted
  std::uint64_t voice_frames = 0;     ///< sum over rendered frames of the voices sounding (cost measure)
  std::uint64_t voices_culled = 0;    ///< voices ended early because they fell below -96 dBFS
};

/// The buses render() fills: dry stereo, and the stereo reverb and chorus sends (already scaled by
/// each voice's send level; the caller runs them through 100 %-wet effects and adds them back).
struct SynthesizerBuses {
  AudioView dry;     ///< 2 channels
  AudioView reverb;  ///< 2 channels, or empty to drop the reverb send
  AudioView chorus;  ///< 2 channels, or empty to drop the chorus send
};

/// A SoundFont synthesizer. Events take effect at the synthesizer's current frame: to place an
/// event on frame N of a block, render the N frames before it, then send it (MidiSource does so).
/// Output depends only on the events and their frames, never on how render() calls are split.
///
/// Thread contract: construction OFF/CT (allocates everything); every other method RT (one audio
/// thread at a time, no allocation, lock or I/O). The SoundFont is shared read-only; SF3 samples
/// must be decoded before use (prepare_presets) — undecoded samples play silent, never block.
class Synthesizer {
 public:
  Synthesizer(std::shared_ptr<const formats::SoundFont> font, const SynthesizerOptions& options);
  ~Synthesizer();
  Synthesizer(Synthesizer&&) noexcept;

  // MIDI input (RT). Channels 0…15; out-of-range values are clamped or ignored, never fatal.
  void note_on(int channel, int key, int velocity) noexcept;
  void note_off(int channel, int key) noexcept;
  void control_change(int channel, int controller, int value) noexcept;
  void program_change(int channel, int program) noexcept;
  void pitch_bend(int channel, int value) noexcept;  ///< 0…16383, centre 8192
  void channel_pressure(int channel, int value) noexcept;
  void poly_pressure(int channel, int key, int value) noexcept;
  /// System exclusive data (without the leading 0xF0): GM/GS/XG resets, GS rhythm-part assignment.
  void system_exclusive(std::span<const std::uint8_t> data) noexcept;
  /// A channel message as status + data bytes (0x80…0xEF).
  void channel_message(std::uint8_t status, std::uint8_t data1, std::uint8_t data2) noexcept;

  /// Renders frames = buses.dry.frame_count() (≤ max_block_frames) and ADDS nothing: buses are overwritten.
  void render(const SynthesizerBuses& buses) noexcept;

  /// Silences everything and resets all channels (GM power-on state); the frame counter restarts
  /// at `frame` (MidiSource::seek keeps the control grid aligned with the song). RT.
  void reset(std::int64_t frame = 0) noexcept;

  /// Decodes (SF3) the samples a preset can play, so its notes sound; with prepare_for_real_time
  /// also measures their peaks. CT/OFF (may run while another thread renders); no-op for SF2.
  void prepare_preset_samples(const formats::SoundFontPreset& preset, unsigned thread_count = 1) const;

  /// How many samples' peaks are known (measured at construction, by prepare_preset_samples or,
  /// offline, at a sample's first note). Tests use it to see that live rendering never scans.
  /// Thread contract: any thread; O(sample count).
  [[nodiscard]] std::size_t measured_sample_count() const noexcept;

  [[nodiscard]] SynthesizerStatistics statistics() const noexcept;
  [[nodiscard]] const SynthesizerOptions& options() const noexcept { return options_; }
  [[nodiscard]] const formats::SoundFont& soundfont() const noexcept { return *font_; }
  [[nodiscard]] const ChannelState& channel(int index) const noexcept { return channels_[static_cast<std::size_t>(index & 15)]; }
  /// Absolute frame counter (frames rendered since construction or reset()).
  [[nodiscard]] std::int64_t frame() const noexcept { return frame_; }
  /// The instruction set the voice loop runs on.
  [[nodiscard]] SimdPath simd_path() const noexcept;

  /// The preset a channel would play for its bank/program, with GM/GS/XG drum rules and fallbacks.
  [[nodiscard]] const formats::SoundFontPreset* preset_for(int channel) const noexcept;

 private:
  ModulatorInputs inputs_for(int channel, int key, int velocity) const noexcept;
  void update_channel_voices(int channel) noexcept;
  Voice* allocate_voice() noexcept;
  void release_voice(Voice& voice) noexcept;
  void handle_data_entry(int channel, int msb, int lsb, bool fine_only) noexcept;
  void apply_nrpn(int channel) noexcept;
  bool render_segment(int frames, int bus_count) noexcept;  // false: no voice sounded (sums not written)
  void assign_lanes() noexcept;
  VoiceCulling culling_for(std::size_t sample_index) noexcept;
  void measure_peaks(std::size_t sample_index) const noexcept;  // no-op if known or not decoded

  std::shared_ptr<const formats::SoundFont> font_;
  SynthesizerOptions options_;
  float master_gain_ = 0.5f;
  std::array<ChannelState, 16> channels_{};
  BankMode bank_mode_ = BankMode::kGs;
  std::vector<Voice> voices_;
  std::vector<VoiceSetup> setups_;  // scratch for zone resolution
  std::int64_t frame_ = 0;
  std::size_t voice_limit_ = 0;  // every voice slot at or above this is free
  std::uint64_t next_serial_ = 1;
  SynthesizerStatistics statistics_{};
  const detail::VoiceKernel* kernel_ = nullptr;  // chosen once at construction
  std::unique_ptr<detail::VoiceGroup> group_;    // scratch: one group of voices, structure of arrays
  std::unique_ptr<detail::LaneSums> sums_;       // scratch: per-lane bus sums of a segment
  std::vector<float> reverb_discard_;            // where a missing send bus's sum goes
  // Culling: peak |frame| of sample i (entry 2i) and of its loop (2i + 1) as fractions of full
  // scale; negative: not measured yet. Atomic because prepare_preset_samples (CT) may fill entries
  // while render reads them: the loop's peak is stored first, the sample's releases both.
  mutable std::vector<std::atomic<float>> sample_peaks_;
  // Kernel lanes: the voice slots rendered, packed densely. Rebuilt at every control-grid frame
  // from the active voices in slot order; voices starting within a window are appended (in start
  // order: each start is an event, and every event frame begins a segment), so the lane of each
  // voice — and the order of every sum — never depends on how blocks are split.
  std::vector<std::uint32_t> lane_voices_;
  std::vector<std::uint8_t> slot_in_lanes_;
};

}  // namespace resound::synth
