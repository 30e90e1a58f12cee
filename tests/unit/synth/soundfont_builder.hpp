// SoundFontBuilder: writes tiny SF2 files in tests (sine samples with known loops, chosen generators).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "resound/formats/soundfont.hpp"

namespace resound::test {

struct TestSample {
  std::string name = "sine";
  std::vector<std::int16_t> frames;
  std::uint32_t loop_start = 0, loop_end = 0;  // relative to the sample's first frame
  std::uint32_t sample_rate_hz = 44100;
  std::uint8_t root_key = 69;
  std::int8_t correction_cents = 0;
};

struct TestZone {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> generators;  // (type, raw amount)
  std::vector<formats::SoundFontModulator> modulators;
  int link = -1;  // sample (instrument zones) or instrument (preset zones); -1: global zone
};

struct TestInstrument {
  std::string name = "instrument";
  std::vector<TestZone> zones;
};

struct TestPreset {
  std::string name = "preset";
  std::uint16_t bank = 0, program = 0;
  std::vector<TestZone> zones;
};

/// A generator amount for a key or velocity range.
inline std::uint16_t range(int low, int high) { return static_cast<std::uint16_t>(low | (high << 8)); }
inline std::uint16_t amount(int value) { return static_cast<std::uint16_t>(static_cast<std::int16_t>(value)); }

/// Whole periods of a sine of `period_frames` frames: a perfect loop over [loop_start, end).
inline TestSample sine_sample(double period_frames, int periods, std::uint8_t root_key, double level = 0.5,
                              std::uint32_t sample_rate_hz = 44100) {
  TestSample sample;
  sample.root_key = root_key;
  sample.sample_rate_hz = sample_rate_hz;
  const auto count = static_cast<std::size_t>(std::lround(period_frames * periods));
  for (std::size_t i = 0; i < count; ++i)
    sample.frames.push_back(static_cast<std::int16_t>(
        std::lround(32767.0 * level * std::sin(2.0 * std::numbers::pi * static_cast<double>(i) / period_frames))));
  sample.loop_start = static_cast<std::uint32_t>(std::lround(period_frames * (periods / 2)));
  sample.loop_end = static_cast<std::uint32_t>(count);
  return sample;
}

namespace detail {
inline void put_u16(std::vector<std::uint8_t>& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>(value));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}
inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  put_u16(out, value & 0xFFFF);
  put_u16(out, value >> 16);
}
inline void put_name(std::vector<std::uint8_t>& out, const std::string& name) {
  char buffer[20] = {};
  std::memcpy(buffer, name.data(), std::min<std::size_t>(name.size(), 19));
  out.insert(out.end(), buffer, buffer + 20);
}
inline std::vector<std::uint8_t> chunk(const std::string& tag, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> out(tag.begin(), tag.end());
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
  if (data.size() & 1u) out.push_back(0);
  return out;
}
inline std::vector<std::uint8_t> list(const std::string& kind, const std::vector<std::vector<std::uint8_t>>& chunks) {
  std::vector<std::uint8_t> data(kind.begin(), kind.end());
  for (const auto& part : chunks) data.insert(data.end(), part.begin(), part.end());
  return chunk("LIST", data);
}
// Writes bag/mod/gen chunks for a list of zone lists; returns the bag index of each item + terminal.
inline void write_zones(const std::vector<std::vector<TestZone>>& items, std::uint16_t terminal, std::vector<std::uint8_t>& bags,
                        std::vector<std::uint8_t>& mods, std::vector<std::uint8_t>& gens, std::vector<std::uint16_t>& first_bag) {
  std::uint16_t bag_index = 0, gen_index = 0, mod_index = 0;
  for (const auto& zones : items) {
    first_bag.push_back(bag_index);
    for (const auto& zone : zones) {
      put_u16(bags, gen_index);
      put_u16(bags, mod_index);
      ++bag_index;
      // Key and velocity ranges must come first (SF2 §7.5).
      auto ordered = zone.generators;
      std::stable_sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) {
        auto rank = [](std::uint16_t type) { return type == 43 ? 0 : type == 44 ? 1 : 2; };
        return rank(a.first) < rank(b.first);
      });
      for (const auto& [type, raw] : ordered) {
        put_u16(gens, type);
        put_u16(gens, raw);
        ++gen_index;
      }
      if (zone.link >= 0) {
        put_u16(gens, terminal);
        put_u16(gens, static_cast<std::uint16_t>(zone.link));
        ++gen_index;
      }
      for (const auto& modulator : zone.modulators) {
        put_u16(mods, modulator.source);
        put_u16(mods, modulator.destination);
        put_u16(mods, static_cast<std::uint16_t>(modulator.amount));
        put_u16(mods, modulator.amount_source);
        put_u16(mods, modulator.transform);
        ++mod_index;
      }
    }
  }
  first_bag.push_back(bag_index);
  put_u16(bags, gen_index);  // terminal bag
  put_u16(bags, mod_index);
  for (int i = 0; i < 4; ++i) gens.push_back(0);   // terminal generator
  for (int i = 0; i < 10; ++i) mods.push_back(0);  // terminal modulator
}
}  // namespace detail

/// Builds a complete SF2 2.04 file.
inline std::vector<std::uint8_t> build_soundfont(const std::vector<TestSample>& samples,
                                                 const std::vector<TestInstrument>& instruments,
                                                 const std::vector<TestPreset>& presets) {
  using namespace detail;
  std::vector<std::uint8_t> ifil, name(std::begin("Test bank"), std::end("Test bank"));
  put_u16(ifil, 2);
  put_u16(ifil, 4);
  std::vector<std::uint8_t> smpl, shdr;
  for (const auto& sample : samples) {
    const auto start = static_cast<std::uint32_t>(smpl.size() / 2);
    for (auto frame : sample.frames) put_u16(smpl, static_cast<std::uint16_t>(frame));
    for (int i = 0; i < 46; ++i) put_u16(smpl, 0);  // the 46 zero frames SF2 asks for after each sample
    put_name(shdr, sample.name);
    put_u32(shdr, start);
    put_u32(shdr, start + static_cast<std::uint32_t>(sample.frames.size()));
    put_u32(shdr, start + sample.loop_start);
    put_u32(shdr, start + sample.loop_end);
    put_u32(shdr, sample.sample_rate_hz);
    shdr.push_back(sample.root_key);
    shdr.push_back(static_cast<std::uint8_t>(sample.correction_cents));
    put_u16(shdr, 0);
    put_u16(shdr, formats::kMonoSample);
  }
  put_name(shdr, "EOS");
  for (int i = 0; i < 26; ++i) shdr.push_back(0);

  std::vector<std::uint8_t> ibag, imod, igen, inst, pbag, pmod, pgen, phdr;
  std::vector<std::vector<TestZone>> instrument_zones, preset_zones;
  for (const auto& instrument : instruments) instrument_zones.push_back(instrument.zones);
  for (const auto& preset : presets) preset_zones.push_back(preset.zones);
  std::vector<std::uint16_t> instrument_bags, preset_bags;
  write_zones(instrument_zones, 53, ibag, imod, igen, instrument_bags);
  write_zones(preset_zones, 41, pbag, pmod, pgen, preset_bags);
  for (std::size_t i = 0; i < instruments.size(); ++i) {
    put_name(inst, instruments[i].name);
    put_u16(inst, instrument_bags[i]);
  }
  put_name(inst, "EOI");
  put_u16(inst, instrument_bags.back());
  for (std::size_t i = 0; i < presets.size(); ++i) {
    put_name(phdr, presets[i].name);
    put_u16(phdr, presets[i].program);
    put_u16(phdr, presets[i].bank);
    put_u16(phdr, preset_bags[i]);
    for (int k = 0; k < 12; ++k) phdr.push_back(0);
  }
  put_name(phdr, "EOP");
  put_u16(phdr, 0);
  put_u16(phdr, 0);
  put_u16(phdr, preset_bags.back());
  for (int k = 0; k < 12; ++k) phdr.push_back(0);

  std::vector<std::uint8_t> body = {'s', 'f', 'b', 'k'};
  for (const auto& part : {list("INFO", {chunk("ifil", ifil), chunk("INAM", name)}), list("sdta", {chunk("smpl", smpl)}),
                           list("pdta", {chunk("phdr", phdr), chunk("pbag", pbag), chunk("pmod", pmod), chunk("pgen", pgen),
                                         chunk("inst", inst), chunk("ibag", ibag), chunk("imod", imod), chunk("igen", igen),
                                         chunk("shdr", shdr)})})
    body.insert(body.end(), part.begin(), part.end());
  return chunk("RIFF", body);
}

/// One preset (bank 0 program 0) -> one instrument -> one zone per sample, with extra generators.
inline std::vector<std::uint8_t> single_preset_soundfont(const std::vector<TestSample>& samples,
                                                         std::vector<std::pair<std::uint16_t, std::uint16_t>> generators = {}) {
  TestInstrument instrument;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    TestZone zone;
    zone.generators = generators;
    zone.link = static_cast<int>(i);
    instrument.zones.push_back(zone);
  }
  TestPreset preset;
  preset.zones.push_back({{}, {}, 0});
  return build_soundfont(samples, {instrument}, {preset});
}

}  // namespace resound::test
