// MidiSource: the sequencer — splits blocks at event frames, applies the tail policy, runs the send effects.
#include "resound/synth/midi_source.hpp"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <thread>

#include "send_effects.hpp"
#include "zone_resolver.hpp"

namespace resound::synth {
namespace {

// The silence tail is judged on windows on an absolute grid so that where a render ends does not
// depend on block sizes; 512 frames (~12 ms) is short enough not to cut a fading tail audibly.
constexpr std::int64_t kSilenceWindowFrames = 512;

}  // namespace

MidiSource::MidiSource(std::shared_ptr<const formats::MidiFile> midi, std::shared_ptr<const formats::SoundFont> font,
                       MidiSourceOptions options)
    : midi_(std::move(midi)), font_(std::move(font)), options_(options) {}

MidiSource::~MidiSource() { stop_decoding(); }

// Background SF3 decoding: worker threads take samples from `needed_samples_` in first-use order.
struct MidiSource::SampleDecoder {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
};

void MidiSource::collect_needed_samples() {
  compressed_font_ = false;
  for (const auto& sample : font_->samples()) compressed_font_ = compressed_font_ || sample.compressed;
  needed_samples_.clear();
  note_samples_.clear();
  note_sample_begin_.assign(midi_->events.size() + 1, 0);
  if (!compressed_font_) return;
  // Replays the song's channel state (programs, banks, drum assignments) through a voiceless
  // synthesizer and collects exactly the samples its notes reach: the SF3 decode then costs
  // what the song uses, not what the bank holds.
  SynthesizerOptions probe_options;
  probe_options.max_voices = 1;
  Synthesizer probe(font_, probe_options);
  std::vector<VoiceSetup> setups(32);
  std::vector<bool> seen(font_->samples().size(), false);
  for (std::size_t e = 0; e < midi_->events.size(); ++e) {
    const auto& event = midi_->events[e];
    note_sample_begin_[e] = static_cast<std::uint32_t>(note_samples_.size());
    if (event.is_sysex()) {
      probe.system_exclusive(midi_->payload_of(event));
    } else if (event.is_note_on()) {
      if (const auto* preset = probe.preset_for(event.channel())) {
        const std::size_t count = detail::resolve_zones(*font_, *preset, event.data1, event.data2, 1.0f, 1.0f, setups);
        for (std::size_t i = 0; i < count; ++i) {
          const std::size_t sample = setups[i].sample_index;
          note_samples_.push_back(static_cast<std::uint32_t>(sample));
          if (!seen[sample]) {
            seen[sample] = true;
            needed_samples_.push_back(sample);
          }
        }
      }
    } else if (event.is_channel_message() && (event.message_type() == 0xB0 || event.message_type() == 0xC0)) {
      probe.channel_message(event.status, event.data1, event.data2);
    }
  }
  note_sample_begin_[midi_->events.size()] = static_cast<std::uint32_t>(note_samples_.size());
}

void MidiSource::start_decoding() {
  if (!compressed_font_) return;
  const unsigned threads = options_.decode_threads > 0 ? options_.decode_threads
                                                       : std::max(1u, std::thread::hardware_concurrency());
  if (!options_.offline_wait_for_samples) {
    font_->ensure_decoded(needed_samples_, threads);
    return;
  }
  decoder_ = std::make_unique<SampleDecoder>();
  for (unsigned t = 0; t < threads; ++t) {
    decoder_->workers.emplace_back([this] {
      for (std::size_t i = decoder_->next++; i < needed_samples_.size() && !decoder_->stop; i = decoder_->next++)
        font_->ensure_decoded(needed_samples_[i]);
    });
  }
}

void MidiSource::stop_decoding() noexcept {
  if (!decoder_) return;
  decoder_->stop = true;
  for (auto& worker : decoder_->workers) worker.join();
  decoder_.reset();
}

void MidiSource::wait_for_samples(std::uint32_t midi_event_index) const noexcept {  // NOLINT(bugprone-exception-escape)
  if (!decoder_) return;
  for (std::uint32_t i = note_sample_begin_[midi_event_index]; i < note_sample_begin_[midi_event_index + 1]; ++i) {
    // Offline only (documented): decodes the sample here, or waits inside call_once while a
    // decoder thread finishes it. Blocking, allocating — never used from an audio callback.
    if (font_->sample_data(note_samples_[i]).frames == nullptr) font_->ensure_decoded(note_samples_[i]);
  }
}

void MidiSource::prepare(double sample_rate_hz, std::size_t max_block_frames) {
  const bool first = synth_ == nullptr || sample_rate_hz != sample_rate_hz_;
  sample_rate_hz_ = sample_rate_hz;
  max_block_frames_ = std::max<std::size_t>(max_block_frames, 1);
  events_.clear();
  for (std::size_t i = 0; i < midi_->events.size(); ++i) {
    const auto& event = midi_->events[i];
    if (!event.is_channel_message() && !event.is_sysex()) continue;
    events_.push_back({static_cast<std::int64_t>(std::llround(event.time_s * sample_rate_hz)), static_cast<std::uint32_t>(i)});
  }
  midi_end_frame_ = static_cast<std::int64_t>(std::llround(midi_->duration_s * sample_rate_hz));
  if (!events_.empty()) midi_end_frame_ = std::max(midi_end_frame_, events_.back().frame);
  switch (options_.tail.kind) {
    case TailPolicy::Kind::kExact: end_frame_ = midi_end_frame_; break;
    case TailPolicy::Kind::kSeconds:
      end_frame_ = midi_end_frame_ + static_cast<std::int64_t>(std::llround(options_.tail.seconds * sample_rate_hz));
      break;
    case TailPolicy::Kind::kSilence: end_frame_ = kUnknownLength; break;
  }
  silence_threshold_ = static_cast<float>(std::pow(10.0, options_.tail.threshold_db / 20.0));
  if (first) {
    stop_decoding();
    collect_needed_samples();
    start_decoding();
  }
  SynthesizerOptions synth_options;
  synth_options.sample_rate_hz = sample_rate_hz;
  synth_options.max_voices = options_.max_voices;
  synth_options.interpolation = options_.interpolation;
  synth_options.gain_db = options_.gain_db;
  synth_options.max_block_frames = max_block_frames_;
  synth_options.emu_attenuation = options_.emu_attenuation;
  synth_options.simd = options_.simd;
  synth_options.cull_inaudible = options_.cull_inaudible;
  synth_options.prepare_for_real_time = options_.prepare_for_real_time;
  synth_ = std::make_unique<Synthesizer>(font_, synth_options);
  reverb_ = options_.reverb ? detail::make_reverb() : nullptr;
  chorus_ = options_.chorus ? detail::make_chorus() : nullptr;
  if (reverb_) reverb_->prepare(sample_rate_hz, max_block_frames_, 2);
  if (chorus_) chorus_->prepare(sample_rate_hz, max_block_frames_, 2);
  reverb_bus_ = AudioBuffer(2, reverb_ ? max_block_frames_ : 0);
  chorus_bus_ = AudioBuffer(2, chorus_ ? max_block_frames_ : 0);
  seek(position_);
}

std::int64_t MidiSource::length_frames() const noexcept { return end_frame_; }

SynthesizerStatistics MidiSource::statistics() const noexcept { return synth_ ? synth_->statistics() : SynthesizerStatistics{}; }

void MidiSource::apply(const formats::MidiEvent& event, bool chase_only) noexcept {
  if (event.is_sysex()) {
    synth_->system_exclusive(midi_->payload_of(event));
    return;
  }
  const auto type = event.message_type();
  if (chase_only && (type == 0x80 || type == 0x90 || type == 0xA0)) return;
  synth_->channel_message(event.status, event.data1, event.data2);
}

void MidiSource::seek(std::int64_t frame) noexcept {
  if (!synth_) {
    position_ = std::max<std::int64_t>(frame, 0);
    return;
  }
  frame = std::max<std::int64_t>(frame, 0);
  if (end_frame_ != kUnknownLength && options_.tail.kind != TailPolicy::Kind::kSilence) frame = std::min(frame, end_frame_);
  if (options_.tail.kind == TailPolicy::Kind::kSilence) end_frame_ = kUnknownLength;
  synth_->reset(frame);
  if (reverb_) reverb_->reset();
  if (chorus_) chorus_->reset();
  window_peak_ = 0.0f;
  next_event_ = 0;
  // Chase: controllers, programs, bends and sysex before `frame` shape what follows; notes do not.
  while (next_event_ < events_.size() && events_[next_event_].frame < frame)
    apply(midi_->events[events_[next_event_++].index], true);
  position_ = frame;
}

std::size_t MidiSource::render_segment(AudioView output, std::size_t offset, std::size_t frames) noexcept {
  const AudioView dry = output.subview(offset, frames);
  const AudioView reverb = reverb_ ? reverb_bus_.view().subview(0, frames) : AudioView{};
  const AudioView chorus = chorus_ ? chorus_bus_.view().subview(0, frames) : AudioView{};
  synth_->render({dry, reverb, chorus});
  if (reverb_) {
    reverb_->process(reverb);
    mix_audio(reverb, dry);
  }
  if (chorus_) {
    chorus_->process(chorus);
    mix_audio(chorus, dry);
  }
  if (options_.tail.kind != TailPolicy::Kind::kSilence) return frames;
  // Silence tail: after the MIDI end, stop at the end of the first grid window whose peak stays
  // below the threshold (or when the longest tail allowed is reached).
  const auto max_tail = static_cast<std::int64_t>(options_.tail.max_tail_s * sample_rate_hz_);
  for (std::size_t i = 0; i < frames; ++i) {
    const std::int64_t frame = position_ + static_cast<std::int64_t>(i);
    if (frame < midi_end_frame_) continue;
    window_peak_ = std::max({window_peak_, std::fabs(dry.channel(0)[i]), std::fabs(dry.channel(1)[i])});
    const bool window_end = (frame + 1) % kSilenceWindowFrames == 0;
    const bool whole_window_after_end = frame + 1 - kSilenceWindowFrames >= midi_end_frame_;
    if ((window_end && whole_window_after_end && window_peak_ < silence_threshold_) || frame + 1 - midi_end_frame_ >= max_tail) {
      end_frame_ = frame + 1;
      return i + 1;
    }
    if (window_end) window_peak_ = 0.0f;
  }
  return frames;
}

std::size_t MidiSource::process(AudioView output) noexcept {
  const std::size_t requested = std::min(output.frame_count(), max_block_frames_);
  std::size_t limit = requested;
  if (!synth_) {
    output.clear();
    return 0;
  }
  if (end_frame_ != kUnknownLength) limit = static_cast<std::size_t>(std::clamp<std::int64_t>(end_frame_ - position_, 0, static_cast<std::int64_t>(limit)));
  std::size_t produced = 0;
  while (produced < limit) {
    while (next_event_ < events_.size() && events_[next_event_].frame <= position_) {
      wait_for_samples(events_[next_event_].index);
      apply(midi_->events[events_[next_event_++].index], false);
    }
    std::size_t segment = limit - produced;
    if (next_event_ < events_.size())
      segment = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(segment), events_[next_event_].frame - position_));
    const std::size_t rendered = render_segment(output, produced, segment);
    position_ += static_cast<std::int64_t>(rendered);
    produced += rendered;
    if (rendered < segment) break;  // the silence tail ended the song
  }
  if (produced < output.frame_count()) output.subview(produced, output.frame_count() - produced).clear();
  return produced;
}

}  // namespace resound::synth
