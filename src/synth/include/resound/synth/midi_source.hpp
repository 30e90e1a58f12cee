// MidiSource: a Standard MIDI File played by the Synthesizer as a resound::Source — sample-accurate, any block size.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/processor.hpp"
#include "resound/formats/midi_file.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/synth/synthesizer.hpp"
#include "resound/synth/tail_policy.hpp"

namespace resound::synth {

struct MidiSourceOptions {
  Interpolation interpolation = Interpolation::kCubic;
  bool reverb = true;           ///< run the reverb send through a reverb (when the build has one)
  bool chorus = true;           ///< run the chorus send through a chorus (when the build has one)
  TailPolicy tail{};            ///< default: until the mix falls below -60 dBFS
  float gain_db = kDefaultGainDb;  ///< master gain
  std::size_t max_voices = 256;
  bool emu_attenuation = false;  ///< see SynthesizerOptions::emu_attenuation
  SimdPath simd = SimdPath::kAuto;  ///< see SynthesizerOptions::simd
  bool cull_inaudible = true;       ///< see SynthesizerOptions::cull_inaudible
  /// Live playback: prepare() keeps the bank in RAM and measures every sample's peaks, so
  /// process() never scans a sample or faults a bank page in (see SynthesizerOptions).
  bool prepare_for_real_time = false;
  unsigned decode_threads = 0;  ///< SF3: threads decoding the samples the song needs (0 = all cores)
  /// SF3 only. false (default, real-time safe): prepare() decodes every sample the song uses before
  /// returning. true (offline renders): prepare() returns at once, background threads decode in
  /// order of first use, and process() waits — blocks — before a note whose samples are not
  /// decoded yet, so a render starts in milliseconds. Never set it for an audio callback.
  bool offline_wait_for_samples = false;
};

/// Plays a MIDI file. Every event lands on frame round(time_s × rate) exactly; the output does not
/// depend on the block sizes process() is called with.
///
/// Thread contract: construction and prepare OFF (prepare allocates, decodes SF3 samples the song
/// uses); process and seek RT; queries any thread.
class MidiSource final : public Source {
 public:
  MidiSource(std::shared_ptr<const formats::MidiFile> midi, std::shared_ptr<const formats::SoundFont> font,
             MidiSourceOptions options = {});
  ~MidiSource() override;

  void prepare(double sample_rate_hz, std::size_t max_block_frames) override;
  std::size_t process(AudioView output) noexcept override;
  /// Jumps to `frame`: controllers, programs and bends are chased; notes sounding at `frame` are not.
  void seek(std::int64_t frame) noexcept override;
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  /// Known for exact and SECONDS tails; for silence tails kUnknownLength until the end is found.
  [[nodiscard]] std::int64_t length_frames() const noexcept override;
  [[nodiscard]] std::size_t channel_count() const noexcept override { return 2; }

  /// Frame where the MIDI events end (the file's end-of-track time).
  [[nodiscard]] std::int64_t midi_end_frame() const noexcept { return midi_end_frame_; }
  [[nodiscard]] SynthesizerStatistics statistics() const noexcept;
  [[nodiscard]] const MidiSourceOptions& options() const noexcept { return options_; }

 private:
  struct TimedEvent {
    std::int64_t frame;
    std::uint32_t index;  // into midi_->events
  };
  void apply(const formats::MidiEvent& event, bool chase_only) noexcept;
  void collect_needed_samples();
  void start_decoding();
  void wait_for_samples(std::uint32_t midi_event_index) const noexcept;
  void stop_decoding() noexcept;
  std::size_t render_segment(AudioView output, std::size_t offset, std::size_t frames) noexcept;

  struct SampleDecoder;
  std::unique_ptr<SampleDecoder> decoder_;  // SF3 background decoding (offline_wait_for_samples)
  std::vector<std::size_t> needed_samples_;  // SF3: samples the song uses, in order of first use
  std::vector<std::uint32_t> note_sample_begin_;  // per MIDI event: range in note_samples_ (size events+1)
  std::vector<std::uint32_t> note_samples_;
  bool compressed_font_ = false;
  std::shared_ptr<const formats::MidiFile> midi_;
  std::shared_ptr<const formats::SoundFont> font_;
  MidiSourceOptions options_;
  double sample_rate_hz_ = 0.0;
  std::size_t max_block_frames_ = 0;
  std::unique_ptr<Synthesizer> synth_;
  std::unique_ptr<Processor> reverb_;
  std::unique_ptr<Processor> chorus_;
  AudioBuffer reverb_bus_, chorus_bus_;
  std::vector<TimedEvent> events_;
  std::size_t next_event_ = 0;
  std::int64_t position_ = 0;
  std::int64_t midi_end_frame_ = 0;
  std::int64_t end_frame_ = kUnknownLength;  // known end (exact/seconds), or found by the silence tail
  float silence_threshold_ = 0.001f;
  float window_peak_ = 0.0f;
};

}  // namespace resound::synth
