// MidiFile: a Standard MIDI File (formats 0/1/2, SMPTE or metrical time) as one merged, time-stamped timeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::formats {

/// One event of the merged timeline. Channel messages keep their status byte (0x80…0xEF) and up to
/// two data bytes; sysex (0xF0 / 0xF7) and meta (0xFF, type in `data1`) events point into
/// `MidiFile::payload` through `payload_offset` / `payload_size`.
struct MidiEvent {
  double time_s = 0.0;           ///< exact time from the start of the file, through the tempo map
  std::int64_t tick = 0;         ///< time in file ticks (format 2: tracks laid end to end)
  std::uint32_t track = 0;       ///< index of the track (MTrk chunk) it came from
  std::uint8_t status = 0;       ///< 0x80…0xEF channel message, 0xF0/0xF7 sysex, 0xFF meta
  std::uint8_t data1 = 0;        ///< first data byte (note, controller, program…); meta type for 0xFF
  std::uint8_t data2 = 0;        ///< second data byte (velocity, value…); 0 when the message has one byte
  std::uint32_t payload_offset = 0;  ///< sysex/meta data: where it starts in MidiFile::payload
  std::uint32_t payload_size = 0;    ///< sysex/meta data: its length in bytes

  [[nodiscard]] bool is_channel_message() const noexcept { return status >= 0x80 && status < 0xF0; }
  [[nodiscard]] bool is_meta() const noexcept { return status == 0xFF; }
  [[nodiscard]] bool is_sysex() const noexcept { return status == 0xF0 || status == 0xF7; }
  /// Upper nibble of a channel message: 0x80 note off, 0x90 note on, 0xB0 controller, …
  [[nodiscard]] std::uint8_t message_type() const noexcept { return status & 0xF0; }
  [[nodiscard]] std::uint8_t channel() const noexcept { return status & 0x0F; }
  /// A note-on with velocity > 0 (a note-on with velocity 0 is a note-off by the MIDI standard).
  [[nodiscard]] bool is_note_on() const noexcept { return message_type() == 0x90 && data2 > 0; }
  [[nodiscard]] bool is_note_off() const noexcept {
    return message_type() == 0x80 || (message_type() == 0x90 && data2 == 0);
  }
  /// 14-bit pitch-bend value (0…16383, centre 8192) of a 0xE0 message.
  [[nodiscard]] int pitch_bend_value() const noexcept { return data1 | (data2 << 7); }
};

/// Meta event types Resound interprets.
inline constexpr std::uint8_t kMetaTrackName = 0x03;
inline constexpr std::uint8_t kMetaEndOfTrack = 0x2F;
inline constexpr std::uint8_t kMetaTempo = 0x51;
inline constexpr std::uint8_t kMetaTimeSignature = 0x58;

/// A tempo in force from `tick` on (metrical files only).
struct MidiTempoChange {
  std::int64_t tick = 0;
  double time_s = 0.0;
  std::uint32_t microseconds_per_quarter = 500000;  ///< 120 BPM is the SMF default

  [[nodiscard]] double beats_per_minute() const noexcept { return 60.0e6 / microseconds_per_quarter; }
};

/// Summary of one MTrk chunk.
struct MidiTrack {
  std::string name;               ///< from the first track-name meta event, if any
  std::size_t event_count = 0;    ///< events it contributed to the timeline (end-of-track excluded)
  std::int64_t end_tick = 0;      ///< tick of its end (format 2: in the laid-end-to-end timeline)
};

/// A parsed Standard MIDI File. A plain value: immutable once built, shareable between threads.
struct MidiFile {
  int format = 1;                          ///< 0, 1 or 2
  std::uint16_t ticks_per_quarter = 0;     ///< metrical division (0 for SMPTE files)
  int smpte_frames_per_second = 0;         ///< 24, 25, 29 (=29.97 drop-frame) or 30; 0 for metrical files
  int ticks_per_smpte_frame = 0;
  std::vector<MidiTrack> tracks;
  /// Every event of every track (end-of-track metas excluded), ordered by tick, then by track,
  /// then by position in its track: the order in which a player must apply them.
  std::vector<MidiEvent> events;
  /// Tempo changes in time order; always starts with the tempo at tick 0 (120 BPM when unset).
  std::vector<MidiTempoChange> tempo_map;
  std::vector<std::uint8_t> payload;       ///< bytes of sysex and meta events
  double duration_s = 0.0;                 ///< time of the last track end (end-of-track events count)

  /// Data bytes of a sysex or meta event (empty for channel messages).
  [[nodiscard]] std::span<const std::uint8_t> payload_of(const MidiEvent& event) const noexcept {
    if (event.payload_size == 0) return {};
    return {payload.data() + event.payload_offset, event.payload_size};
  }
  /// Time in seconds of any tick (ticks past the end extrapolate with the last tempo).
  [[nodiscard]] double seconds_at_tick(std::int64_t tick) const noexcept;
};

/// Parses SMF bytes (also RIFF "RMID" wrappers). `name` is used in error messages.
/// Errors (kCorruptData with byte offset): bad magic, truncated chunks or events, running status
/// without a previous status, invalid status bytes; kOutOfRange: absurd counts or sizes.
/// Thread contract: any thread except RT (allocates).
Expected<MidiFile> parse_midi(std::span<const std::byte> bytes, std::string name);

/// Reads and parses a MIDI file. Errors as parse_midi, plus kNotFound / kIo.
/// Thread contract: OFF/CT (I/O).
Expected<MidiFile> read_midi_file(const std::filesystem::path& path);

}  // namespace resound::formats
