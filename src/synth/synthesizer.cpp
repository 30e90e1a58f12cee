// Synthesizer: MIDI channel logic (notes, pedals, controllers, RPN/NRPN, sysex), voice allocation and the render loop.
#include "resound/synth/synthesizer.hpp"

#include <algorithm>
#include <cmath>

#include "resound/core/denormals.hpp"
#include "sample_peaks.hpp"
#include "sinc_table.hpp"
#include "voice_kernel.hpp"
#include "zone_resolver.hpp"

namespace resound::synth {
namespace {

constexpr int kDrumChannel = 9;
constexpr int kDrumBank = 128;
constexpr std::size_t kMaxVoicesPerNote = 32;  // layered presets rarely exceed 8
constexpr float kSilenceLevel = 1.5849e-5f;      // -96 dBFS: below 16-bit resolution

int clamp7(int value) noexcept { return std::clamp(value, 0, 127); }

}  // namespace

Synthesizer::~Synthesizer() = default;
Synthesizer::Synthesizer(Synthesizer&&) noexcept = default;

Synthesizer::Synthesizer(std::shared_ptr<const formats::SoundFont> font, const SynthesizerOptions& options)
    : font_(std::move(font)), options_(options) {
  options_.max_voices = std::max<std::size_t>(options_.max_voices, 1);
  voices_.resize(options_.max_voices);
  setups_.resize(kMaxVoicesPerNote);
  master_gain_ = std::pow(10.0f, options_.gain_db / 20.0f);
  kernel_ = detail::voice_kernel(options_.simd);
  if (kernel_ == nullptr) kernel_ = detail::voice_kernel(SimdPath::kAuto);  // unsupported here: the best available
  group_ = std::make_unique<detail::VoiceGroup>();
  sums_ = std::make_unique<detail::LaneSums>();
  reverb_discard_.assign(static_cast<std::size_t>(kControlFrames), 0.0f);
  sample_peaks_ = std::vector<std::atomic<float>>(2 * font_->samples().size());
  for (auto& peak : sample_peaks_) peak.store(-1.0f, std::memory_order_relaxed);
  lane_voices_.reserve(options_.max_voices);
  slot_in_lanes_.assign(options_.max_voices, 0);
  if (options_.interpolation == Interpolation::kSinc) (void)detail::sinc_table();  // build off the audio thread
  if (options_.prepare_for_real_time) {
    // Read the bank ahead and pin it where allowed; the peak pass below touches every page of it.
    (void)font_->make_samples_resident();  // false: not pinned, still read (see the option)
    for (std::size_t sample = 0; sample < font_->samples().size(); ++sample) measure_peaks(sample);
  }
  reset();
}

void Synthesizer::reset(std::int64_t frame) noexcept {
  frame_ = frame;
  bank_mode_ = BankMode::kGs;
  master_gain_ = std::pow(10.0f, options_.gain_db / 20.0f);
  for (auto& voice : voices_) voice.free();
  voice_limit_ = 0;
  for (auto slot : lane_voices_) slot_in_lanes_[slot] = 0;
  lane_voices_.clear();
  for (int channel = 0; channel < 16; ++channel) channels_[channel].reset(channel == kDrumChannel);
  statistics_.active_voices = 0;
}

ModulatorInputs Synthesizer::inputs_for(int channel, int key, int velocity) const noexcept {
  const ChannelState& state = channels_[channel];
  ModulatorInputs inputs;
  inputs.controllers = state.controllers.data();
  inputs.pitch_wheel = state.pitch_wheel;
  inputs.pitch_wheel_sensitivity_semitones = state.pitch_wheel_range_semitones;
  inputs.pitch_wheel_sensitivity_cents = static_cast<float>(state.pitch_wheel_range_cents);
  inputs.channel_pressure = state.channel_pressure;
  inputs.poly_pressure = state.poly_pressure[static_cast<std::size_t>(key & 127)];
  inputs.key = key;
  inputs.velocity = velocity;
  inputs.tuning_cents = state.fine_tuning_cents + state.coarse_tuning_semitones * 100.0f;
  inputs.soft_pedal = state.controllers[kSoftPedal] >= 64;
  inputs.generator_offsets = state.nrpn_generator_offsets.data();
  return inputs;
}

const formats::SoundFontPreset* Synthesizer::preset_for(int channel) const noexcept {
  const ChannelState& state = channels_[channel & 15];
  bool drum = state.is_drum;
  int bank = 0;
  if (bank_mode_ == BankMode::kXg) {
    // XG: MSB 127 selects drum kits, 126 SFX kits (played from the drum bank); LSB picks variations.
    if (state.bank_msb == 127 || state.bank_msb == 126) drum = true;
    bank = state.bank_lsb;
  } else if (bank_mode_ == BankMode::kGs) {
    bank = state.bank_msb;
  }
  const auto& font = *font_;
  if (drum) {
    if (const auto* preset = font.find_preset(kDrumBank, state.program)) return preset;
    return font.find_preset(kDrumBank, 0);  // GS: unknown kits fall back to the standard kit
  }
  if (const auto* preset = font.find_preset(bank, state.program)) return preset;
  if (const auto* preset = font.find_preset(0, state.program)) return preset;
  // Fallback to the nearest preset: the same program in any melodic bank, else the first preset.
  for (const auto& preset : font.presets())
    if (preset.program == state.program && preset.bank != kDrumBank) return &preset;
  return font.presets().empty() ? nullptr : &font.presets().front();
}

Voice* Synthesizer::allocate_voice() noexcept {
  Voice* victim = nullptr;
  for (std::size_t slot = 0; slot < voices_.size(); ++slot) {
    if (voices_[slot].is_active()) continue;
    voice_limit_ = std::max(voice_limit_, slot + 1);
    return &voices_[slot];
  }
  // Stealing priority: released voices before held ones, then the quietest, then the oldest.
  auto score = [](const Voice& voice) {
    return (voice.state() == Voice::State::kReleased ? 0.0f : 1.0f) * 4.0f + std::min(voice.current_gain(), 1.0f);
  };
  for (auto& voice : voices_) {
    if (victim == nullptr || score(voice) < score(*victim) ||
        (score(voice) == score(*victim) && voice.serial() < victim->serial()))
      victim = &voice;
  }
  ++statistics_.voices_stolen;
  victim->free();
  return victim;
}

void Synthesizer::note_on(int channel, int key, int velocity) noexcept {
  channel &= 15;
  key = clamp7(key);
  if (velocity <= 0) {
    note_off(channel, key);
    return;
  }
  velocity = clamp7(velocity);
  // A repeated key releases its previous voices (as a piano re-strikes the same string).
  for (auto& voice : voices_)
    if (voice.is_active() && voice.channel() == channel && voice.key() == key) release_voice(voice);
  const auto* preset = preset_for(channel);
  if (preset == nullptr) return;
  const ChannelState& state = channels_[channel];
  const std::size_t count = detail::resolve_zones(*font_, *preset, key, velocity, state.modulation_depth_range_cents / 50.0f,
                                                  options_.emu_attenuation ? kEmuAttenuationScale : 1.0f, setups_);
  // Exclusive classes (hi-hats): a new note cuts sounding voices of the same class on the channel.
  for (std::size_t i = 0; i < count; ++i) {
    const int exclusive = static_cast<int>(setups_[i].generators[kExclusiveClass]);
    if (exclusive == 0) continue;
    for (auto& voice : voices_)
      if (voice.is_active() && voice.channel() == channel && voice.exclusive_class() == exclusive) voice.kill(frame_);
  }
  const ModulatorInputs inputs = inputs_for(channel, key, velocity);
  for (std::size_t i = 0; i < count; ++i) {
    Voice* voice = allocate_voice();
    if (voice->start(setups_[i], *font_, inputs, channel, key, options_.sample_rate_hz, options_.interpolation, frame_,
                     next_serial_++, culling_for(setups_[i].sample_index))) {
      ++statistics_.voices_started;
    } else {
      voice->free();
    }
  }
}

void Synthesizer::measure_peaks(std::size_t sample_index) const noexcept {
  if (sample_index >= font_->samples().size() || sample_peaks_[2 * sample_index].load(std::memory_order_acquire) >= 0.0f)
    return;
  const auto data = font_->sample_data(sample_index);
  if (data.frames == nullptr) return;  // SF3 not decoded yet
  const auto peaks = detail::sample_and_loop_peaks(data);
  sample_peaks_[2 * sample_index + 1].store(peaks[1], std::memory_order_relaxed);
  sample_peaks_[2 * sample_index].store(peaks[0], std::memory_order_release);
}

VoiceCulling Synthesizer::culling_for(std::size_t sample_index) noexcept {
  VoiceCulling culling;
  if (!options_.cull_inaudible || sample_index >= font_->samples().size()) return culling;
  if (font_->sample_data(sample_index).frames == nullptr) return culling;
  float sample_peak = sample_peaks_[2 * sample_index].load(std::memory_order_acquire);
  if (sample_peak < 0.0f) {
    // Live: never scan on the audio thread; the voice plays unculled (its envelope still ends it).
    if (options_.prepare_for_real_time) return culling;
    // Offline: one pass over the sample the first time a voice plays it (FluidSynth measures its
    // loops the same way), so a render reads only the samples its song plays.
    measure_peaks(sample_index);
    sample_peak = sample_peaks_[2 * sample_index].load(std::memory_order_acquire);
  }
  culling.enabled = true;
  // -96 dBFS at the output: the master gain can only fall below its option (sysex volume ≤ 1).
  culling.silence_level = kSilenceLevel / std::pow(10.0f, options_.gain_db / 20.0f);
  culling.sample_peak = sample_peak;
  culling.loop_peak = sample_peaks_[2 * sample_index + 1].load(std::memory_order_relaxed);
  return culling;
}

void Synthesizer::release_voice(Voice& voice) noexcept {
  voice.key_down = false;
  const ChannelState& state = channels_[voice.channel()];
  if (voice.held_by_sostenuto && state.controllers[kSostenutoPedal] >= 64) return;
  if (state.controllers[kSustainPedal] >= 64) {
    voice.held_by_sustain = true;
    return;
  }
  voice.release(frame_);
}

void Synthesizer::note_off(int channel, int key) noexcept {
  channel &= 15;
  for (auto& voice : voices_)
    if (voice.is_active() && voice.key_down && voice.channel() == channel && voice.key() == key) release_voice(voice);
}

void Synthesizer::update_channel_voices(int channel) noexcept {
  for (auto& voice : voices_) {
    if (!voice.is_active() || voice.channel() != channel) continue;
    voice.update_modulation(inputs_for(channel, voice.key(), 0), frame_);
  }
}

void Synthesizer::handle_data_entry(int channel, int msb, int lsb, bool fine_only) noexcept {
  ChannelState& state = channels_[channel];
  const int value14 = (msb << 7) | lsb;
  if (state.nrpn_selected) {
    apply_nrpn(channel);
    return;
  }
  switch (state.rpn) {
    case 0:
      if (!fine_only) state.pitch_wheel_range_semitones = msb;
      state.pitch_wheel_range_cents = lsb;
      break;
    case 1: state.fine_tuning_cents = static_cast<float>(value14 - 8192) / 8192.0f * 100.0f; break;
    case 2:
      if (!fine_only) state.coarse_tuning_semitones = static_cast<float>(msb - 64);
      break;
    case 3: state.tuning_program = msb; break;
    case 4: state.tuning_bank = msb; break;
    case 5: state.modulation_depth_range_cents = static_cast<float>(msb) * 100.0f + static_cast<float>(lsb) * 100.0f / 128.0f; break;
    default: return;  // RPN null (0x3FFF) or unknown: ignored
  }
  update_channel_voices(channel);
}

void Synthesizer::apply_nrpn(int channel) noexcept {
  ChannelState& state = channels_[channel];
  // SF2 NRPN (§9.6.2): NRPN MSB 120 selects generator offsets; LSB 100/101/102 add 100/1000/10000
  // to the generator number chosen by the next LSB < 100.
  if ((state.nrpn >> 7) != 120) return;
  const int lsb = state.nrpn & 0x7F;
  const int generator = state.nrpn_generator_base + lsb;
  if (lsb >= 100 || generator >= kGeneratorCount) return;
  const int value14 = (state.controllers[kDataEntryMsb] << 7) | state.controllers[kDataEntryLsb];
  state.nrpn_generator_offsets[static_cast<std::size_t>(generator)] = static_cast<float>(value14 - 8192);
  update_channel_voices(channel);
}

void Synthesizer::control_change(int channel, int controller, int value) noexcept {
  channel &= 15;
  controller &= 127;
  value = clamp7(value);
  ChannelState& state = channels_[channel];
  const int previous = state.controllers[controller];
  state.controllers[controller] = static_cast<std::uint8_t>(value);
  switch (controller) {
    case kBankSelectMsb:
      state.bank_msb = value;
      if (bank_mode_ == BankMode::kXg) state.is_drum = value == 127 || value == 126 || (channel == kDrumChannel && value == 0 && state.is_drum);
      return;
    case kBankSelectLsb: state.bank_lsb = value; return;
    case kDataEntryMsb: handle_data_entry(channel, value, state.controllers[kDataEntryLsb], false); return;
    case kDataEntryLsb: handle_data_entry(channel, state.controllers[kDataEntryMsb], value, true); return;
    case kDataIncrement:
    case kDataDecrement:
      if (!state.nrpn_selected && state.rpn == 0) {
        state.pitch_wheel_range_semitones =
            std::clamp(state.pitch_wheel_range_semitones + (controller == kDataIncrement ? 1 : -1), 0, 127);
        update_channel_voices(channel);
      }
      return;
    case kNrpnLsb:
      state.nrpn = (state.nrpn & 0x3F80) | value;
      state.nrpn_selected = true;
      if ((state.nrpn >> 7) == 120 && value >= 100 && value <= 102)
        state.nrpn_generator_base += value == 100 ? 100 : value == 101 ? 1000 : 10000;
      return;
    case kNrpnMsb:
      state.nrpn = (value << 7) | (state.nrpn & 0x7F);
      state.nrpn_selected = true;
      state.nrpn_generator_base = 0;
      return;
    case kRpnLsb:
      state.rpn = (state.rpn & 0x3F80) | value;
      state.nrpn_selected = false;
      return;
    case kRpnMsb:
      state.rpn = (value << 7) | (state.rpn & 0x7F);
      state.nrpn_selected = false;
      return;
    case kSustainPedal:
      if (value < 64 && previous >= 64) {
        for (auto& voice : voices_) {
          if (!voice.is_active() || voice.channel() != channel || !voice.held_by_sustain) continue;
          voice.held_by_sustain = false;
          if (!(voice.held_by_sostenuto && state.controllers[kSostenutoPedal] >= 64)) voice.release(frame_);
        }
      }
      return;
    case kSostenutoPedal:
      if (value >= 64 && previous < 64) {
        for (auto& voice : voices_)
          if (voice.is_active() && voice.channel() == channel && voice.key_down) voice.held_by_sostenuto = true;
      } else if (value < 64 && previous >= 64) {
        for (auto& voice : voices_) {
          if (!voice.is_active() || voice.channel() != channel || !voice.held_by_sostenuto) continue;
          voice.held_by_sostenuto = false;
          if (!voice.key_down) release_voice(voice);
        }
      }
      return;
    case kAllSoundOff:
      for (auto& voice : voices_)
        if (voice.is_active() && voice.channel() == channel) voice.kill(frame_);
      return;
    case kResetAllControllers: {
      const bool drum = state.is_drum;
      const bool sustained = state.controllers[kSustainPedal] >= 64;
      state.reset_controllers(drum);
      if (sustained) control_change(channel, kSustainPedal, 0);
      update_channel_voices(channel);
      return;
    }
    case kAllNotesOff:
    case kOmniOff:
    case kOmniOn:
    case kMonoOn:
    case kPolyOn:
      for (auto& voice : voices_)
        if (voice.is_active() && voice.channel() == channel && voice.key_down) release_voice(voice);
      return;
    default:
      update_channel_voices(channel);  // volume, pan, expression, sends, mod wheel… act through modulators
      return;
  }
}

void Synthesizer::program_change(int channel, int program) noexcept { channels_[channel & 15].program = clamp7(program); }

void Synthesizer::pitch_bend(int channel, int value) noexcept {
  channels_[channel & 15].pitch_wheel = std::clamp(value, 0, 16383);
  update_channel_voices(channel & 15);
}

void Synthesizer::channel_pressure(int channel, int value) noexcept {
  channels_[channel & 15].channel_pressure = clamp7(value);
  update_channel_voices(channel & 15);
}

void Synthesizer::poly_pressure(int channel, int key, int value) noexcept {
  channel &= 15;
  channels_[channel].poly_pressure[static_cast<std::size_t>(clamp7(key))] = static_cast<std::uint8_t>(clamp7(value));
  for (auto& voice : voices_)
    if (voice.is_active() && voice.channel() == channel && voice.key() == key)
      voice.update_modulation(inputs_for(channel, key, 0), frame_);
}

void Synthesizer::channel_message(std::uint8_t status, std::uint8_t data1, std::uint8_t data2) noexcept {
  const int channel = status & 0x0F;
  switch (status & 0xF0) {
    case 0x80: note_off(channel, data1); break;
    case 0x90: note_on(channel, data1, data2); break;
    case 0xA0: poly_pressure(channel, data1, data2); break;
    case 0xB0: control_change(channel, data1, data2); break;
    case 0xC0: program_change(channel, data1); break;
    case 0xD0: channel_pressure(channel, data1); break;
    case 0xE0: pitch_bend(channel, data1 | (data2 << 7)); break;
    default: break;
  }
}

void Synthesizer::system_exclusive(std::span<const std::uint8_t> data) noexcept {
  auto matches = [&data](std::initializer_list<int> pattern) {
    if (data.size() < pattern.size()) return false;
    std::size_t i = 0;
    for (int expected : pattern) {
      if (expected >= 0 && data[i] != expected) return false;
      ++i;
    }
    return true;
  };
  auto full_reset = [this](BankMode mode) {
    for (auto& voice : voices_)
      if (voice.is_active()) voice.kill(frame_);
    for (int channel = 0; channel < 16; ++channel) channels_[channel].reset(channel == kDrumChannel);
    bank_mode_ = mode;
  };
  // Universal non-real-time: GM1 on (09 01), GM2 on (09 03).
  if (matches({0x7E, -1, 0x09, 0x01}) || matches({0x7E, -1, 0x09, 0x03})) return full_reset(BankMode::kGm);
  // Roland GS reset: 41 dev 42 12 40 00 7F 00 cs.
  if (matches({0x41, -1, 0x42, 0x12, 0x40, 0x00, 0x7F})) return full_reset(BankMode::kGs);
  // Yamaha XG system on: 43 1n 4C 00 00 7E 00.
  if (matches({0x43, -1, 0x4C, 0x00, 0x00, 0x7E, 0x00})) return full_reset(BankMode::kXg);
  // GS "use for rhythm part": 41 dev 42 12 40 1x 15 vv — part x (0 = channel 10, 1…9 = channels
  // 1…9, A…F = 11…16) becomes a drum channel when vv is 1 or 2.
  if (matches({0x41, -1, 0x42, 0x12, 0x40, -1, 0x15}) && data.size() >= 8 && (data[5] & 0xF0) == 0x10) {
    const int part = data[5] & 0x0F;
    const int channel = part == 0 ? 9 : part <= 9 ? part - 1 : part;
    channels_[channel].is_drum = data[7] != 0;
    return;
  }
  // Universal real-time master volume: 7F dev 04 01 lsb msb.
  if (matches({0x7F, -1, 0x04, 0x01}) && data.size() >= 6) {
    const float volume = static_cast<float>((data[5] << 7) | data[4]) / 16383.0f;
    master_gain_ = std::pow(10.0f, options_.gain_db / 20.0f) * volume;
  }
}

void Synthesizer::render(const SynthesizerBuses& buses) noexcept {
  ScopedDenormalGuard denormal_guard;
  const std::size_t frames = std::min(buses.dry.frame_count(), options_.max_block_frames);
  const bool has_reverb = buses.reverb.channel_count() >= 2;
  const bool has_chorus = buses.chorus.channel_count() >= 2;
  float* const bus_pointers[6] = {buses.dry.channel(0).data(), buses.dry.channel(1).data(),
                                  has_reverb ? buses.reverb.channel(0).data() : nullptr,
                                  has_reverb ? buses.reverb.channel(1).data() : nullptr,
                                  has_chorus ? buses.chorus.channel(0).data() : nullptr,
                                  has_chorus ? buses.chorus.channel(1).data() : nullptr};
  // Reverb-only renders still carry the chorus lanes' zeros; chorus-only ones route the chorus
  // into the reverb slot's place (bus order is dry, reverb, chorus).
  const int bus_count = has_chorus ? 6 : has_reverb ? 4 : 2;
  float* segment_buses[6];
  std::size_t done = 0;
  while (done < frames) {
    const auto into_window = static_cast<std::size_t>(frame_ % kControlFrames);
    const std::size_t segment = std::min(frames - done, static_cast<std::size_t>(kControlFrames) - into_window);
    const bool sounding = render_segment(static_cast<int>(segment), bus_count);
    for (int bus = 0; bus < 6; ++bus)
      segment_buses[bus] = bus_pointers[bus] != nullptr ? bus_pointers[bus] + done : reverb_discard_.data();
    if (sounding) {
      kernel_->reduce(*sums_, static_cast<int>(segment), bus_count, segment_buses, master_gain_);
    } else {
      for (int bus = 0; bus < bus_count; ++bus) std::fill_n(segment_buses[bus], segment, 0.0f);  // silence: no lanes to add
    }
    frame_ += static_cast<std::int64_t>(segment);
    done += segment;
  }
  std::size_t active = 0;
  for (const auto& voice : voices_) active += voice.is_active();
  statistics_.active_voices = active;
  statistics_.peak_voices = std::max(statistics_.peak_voices, active);
}

void Synthesizer::assign_lanes() noexcept {
  if (frame_ % kControlFrames == 0) {
    for (auto slot : lane_voices_) slot_in_lanes_[slot] = 0;
    lane_voices_.clear();  // keeps its capacity (max_voices): no allocation below
  }
  for (std::size_t slot = 0; slot < voice_limit_; ++slot) {
    if (slot_in_lanes_[slot] != 0 || !voices_[slot].is_active()) continue;
    slot_in_lanes_[slot] = 1;
    lane_voices_.push_back(static_cast<std::uint32_t>(slot));
  }
}

bool Synthesizer::render_segment(int frames, int bus_count) noexcept {
  const int lanes = kernel_->lanes;
  detail::VoiceGroup& group = *group_;
  assign_lanes();
  const std::size_t lane_count = lane_voices_.size();
  if (lane_count == 0) return false;
  bool written = false;  // the first group rendered writes the sums, the others add to them
  for (std::size_t first = 0; first < lane_count; first += static_cast<std::size_t>(lanes)) {
    const int count = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(lanes), lane_count - first));
    unsigned active_lanes = 0;
    group.filtered_lanes = 0;
    for (int lane = 0; lane < lanes; ++lane) {
      Voice* voice = lane < count ? &voices_[lane_voices_[first + static_cast<std::size_t>(lane)]] : nullptr;
      const bool active = voice != nullptr && voice->is_active() && voice->begin_segment(frame_, frames, group, lane, *kernel_);
      if (active) {
        active_lanes |= 1u << lane;
        continue;
      }
      if (voice != nullptr && voice->state() == Voice::State::kFinished) {  // ended at its control update
        statistics_.voices_culled += voice->was_culled();
        voice->free();
      }
      // A silent lane: zero gain and a pass-through filter with zero state add exact zeros
      // (its stale input is finite: earlier interpolated values or the zeros it started with).
      group.gain_anchor[lane] = group.gain_step[lane] = 0.0f;
      group.b0[lane] = 1.0f;
      group.b1[lane] = group.b2[lane] = group.a1[lane] = group.a2[lane] = 0.0f;
      group.x1[lane] = group.x2[lane] = group.y1[lane] = group.y2[lane] = 0.0f;
    }
    if (active_lanes == 0) continue;
    kernel_->render_group(group, frames, bus_count, *sums_, written);
    written = true;
    for (int lane = 0; lane < count; ++lane) {
      if ((active_lanes & (1u << lane)) == 0) continue;
      Voice& voice = voices_[lane_voices_[first + static_cast<std::size_t>(lane)]];
      statistics_.voice_frames += static_cast<std::uint64_t>(frames);
      voice.end_segment(group, lane);
      if (voice.state() == Voice::State::kFinished) {
        statistics_.voices_culled += voice.was_culled();
        voice.free();
      }
    }
  }
  while (voice_limit_ > 0 && !voices_[voice_limit_ - 1].is_active()) --voice_limit_;
  return written;  // no group sounded: the caller writes silence (the zeros reduce would give)
}

void Synthesizer::prepare_preset_samples(const formats::SoundFontPreset& preset, unsigned thread_count) const {
  std::vector<std::size_t> samples;
  detail::collect_preset_samples(*font_, preset, samples);
  font_->ensure_decoded(samples, thread_count);
  if (options_.prepare_for_real_time)
    for (const std::size_t sample : samples) measure_peaks(sample);
}

std::size_t Synthesizer::measured_sample_count() const noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < sample_peaks_.size(); i += 2) count += sample_peaks_[i].load(std::memory_order_relaxed) >= 0.0f;
  return count;
}

SynthesizerStatistics Synthesizer::statistics() const noexcept { return statistics_; }

SimdPath Synthesizer::simd_path() const noexcept { return kernel_->path; }

}  // namespace resound::synth
