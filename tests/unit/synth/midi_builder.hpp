// MidiBuilder: writes small Standard MIDI Files in tests (notes, controllers, tempo) without fixture files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <vector>

namespace resound::test {

/// Builds one MTrk chunk from (delta ticks, raw bytes) events.
class MidiTrackBuilder {
 public:
  /// Appends an event `delta_ticks` after the previous one; `bytes` are written as given (running
  /// status is the caller's choice).
  MidiTrackBuilder& event(std::uint32_t delta_ticks, std::initializer_list<std::uint8_t> bytes) {
    write_variable_length(delta_ticks);
    data_.insert(data_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  MidiTrackBuilder& tempo(std::uint32_t delta_ticks, std::uint32_t microseconds_per_quarter) {
    return event(delta_ticks, {0xFF, 0x51, 0x03, static_cast<std::uint8_t>(microseconds_per_quarter >> 16),
                               static_cast<std::uint8_t>(microseconds_per_quarter >> 8),
                               static_cast<std::uint8_t>(microseconds_per_quarter)});
  }
  MidiTrackBuilder& note_on(std::uint32_t delta, int channel, int key, int velocity) {
    return event(delta, {static_cast<std::uint8_t>(0x90 | channel), static_cast<std::uint8_t>(key),
                         static_cast<std::uint8_t>(velocity)});
  }
  MidiTrackBuilder& note_off(std::uint32_t delta, int channel, int key) {
    return event(delta, {static_cast<std::uint8_t>(0x80 | channel), static_cast<std::uint8_t>(key), 64});
  }
  MidiTrackBuilder& control(std::uint32_t delta, int channel, int controller, int value) {
    return event(delta, {static_cast<std::uint8_t>(0xB0 | channel), static_cast<std::uint8_t>(controller),
                         static_cast<std::uint8_t>(value)});
  }
  MidiTrackBuilder& program(std::uint32_t delta, int channel, int program_number) {
    return event(delta, {static_cast<std::uint8_t>(0xC0 | channel), static_cast<std::uint8_t>(program_number)});
  }
  MidiTrackBuilder& end(std::uint32_t delta = 0) { return event(delta, {0xFF, 0x2F, 0x00}); }

  [[nodiscard]] const std::vector<std::uint8_t>& bytes() const { return data_; }

 private:
  void write_variable_length(std::uint32_t value) {
    std::uint8_t buffer[4];
    int count = 0;
    buffer[count++] = value & 0x7F;
    while ((value >>= 7) != 0) buffer[count++] = static_cast<std::uint8_t>(0x80 | (value & 0x7F));
    while (count > 0) data_.push_back(buffer[--count]);
  }
  std::vector<std::uint8_t> data_;
};

/// Assembles MThd + tracks. `division` is ticks per quarter (or an SMPTE division word).
inline std::vector<std::uint8_t> build_midi(int format, std::uint16_t division, const std::vector<MidiTrackBuilder>& tracks) {
  std::vector<std::uint8_t> out = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, static_cast<std::uint8_t>(format),
                                   static_cast<std::uint8_t>(tracks.size() >> 8), static_cast<std::uint8_t>(tracks.size()),
                                   static_cast<std::uint8_t>(division >> 8), static_cast<std::uint8_t>(division)};
  for (const auto& track : tracks) {
    const auto& data = track.bytes();
    const auto size = static_cast<std::uint32_t>(data.size());
    out.insert(out.end(), {'M', 'T', 'r', 'k', static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
                           static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)});
    out.insert(out.end(), data.begin(), data.end());
  }
  return out;
}

inline void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

}  // namespace resound::test
