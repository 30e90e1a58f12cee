// parse_midi / read_midi_file: Standard MIDI File bytes -> a merged timeline with a tempo map.
#include <algorithm>
#include <limits>

#include "../binary/byte_reader.hpp"
#include "resound/formats/midi_file.hpp"

namespace resound::formats {
namespace {

using detail::ByteReader;

// Real files are at most a few MB; 256 MiB leaves room for generated stress files while keeping
// a corrupt size field from asking for gigabytes.
constexpr std::uint64_t kMaxMidiFileBytes = 256ull << 20;

Error corrupt(const std::string& name, std::uint64_t offset, std::string message, std::string field = {}) {
  return Error{ErrorCode::kCorruptData, std::move(message), {.file = name, .field = std::move(field), .byte_offset = offset}};
}

// Variable-length quantity: at most 4 bytes (28 bits) by the SMF standard.
Expected<std::uint32_t> read_variable_length(ByteReader& reader, const std::string& name) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    if (reader.at_end()) return corrupt(name, reader.offset(), "truncated variable-length number");
    const std::uint8_t byte = reader.u8();
    value = (value << 7) | (byte & 0x7F);
    if ((byte & 0x80) == 0) return value;
  }
  return corrupt(name, reader.offset(), "variable-length number longer than 4 bytes");
}

// Number of data bytes after a channel status byte.
int channel_data_length(std::uint8_t status) noexcept {
  const std::uint8_t type = status & 0xF0;
  return (type == 0xC0 || type == 0xD0) ? 1 : 2;
}

struct TrackParse {
  std::vector<MidiEvent> events;
  std::int64_t end_tick = 0;
};

Expected<TrackParse> parse_track(ByteReader reader, std::uint32_t track_index, std::int64_t start_tick,
                                 std::vector<std::uint8_t>& payload, MidiTrack& summary, const std::string& name) {
  TrackParse result;
  std::int64_t tick = start_tick;
  std::uint8_t running_status = 0;
  while (!reader.at_end()) {
    auto delta = read_variable_length(reader, name);
    if (!delta) return std::move(delta).error();
    tick += *delta;
    if (reader.at_end()) return corrupt(name, reader.offset(), "truncated event after delta time");
    const std::uint64_t event_offset = reader.offset();
    std::uint8_t status = reader.peek_u8();
    if (status < 0x80) {
      if (running_status == 0) return corrupt(name, event_offset, "data byte without a running status");
      status = running_status;
    } else {
      reader.skip(1);
    }
    MidiEvent event;
    event.tick = tick;
    event.track = track_index;
    event.status = status;
    if (status < 0xF0) {
      running_status = status;
      const int length = channel_data_length(status);
      if (!reader.has(static_cast<std::size_t>(length))) return corrupt(name, event_offset, "truncated channel message");
      event.data1 = reader.u8() & 0x7F;
      if (length == 2) event.data2 = reader.u8() & 0x7F;
      result.events.push_back(event);
      continue;
    }
    if (status == 0xFF) {
      // Meta events cancel running status in practice (most players do so; the standard is silent).
      running_status = 0;
      if (reader.at_end()) return corrupt(name, event_offset, "truncated meta event");
      event.data1 = reader.u8();
    } else if (status == 0xF0 || status == 0xF7) {
      running_status = 0;
    } else {
      return corrupt(name, event_offset, "invalid status byte " + std::to_string(status) + " in a track");
    }
    auto length = read_variable_length(reader, name);
    if (!length) return std::move(length).error();
    if (*length > reader.remaining()) return corrupt(name, reader.offset(), "event data runs past the end of its track");
    if (payload.size() + *length > std::numeric_limits<std::uint32_t>::max())
      return Error{ErrorCode::kOutOfRange, "too much sysex/meta data", {.file = name}};
    const auto data = reader.take(*length);
    if (status == 0xFF && event.data1 == kMetaEndOfTrack) {
      result.end_tick = tick;
      summary.end_tick = tick;
      return result;
    }
    if (status == 0xFF && event.data1 == kMetaTrackName && summary.name.empty())
      summary.name.assign(reinterpret_cast<const char*>(data.data()), data.size());
    event.payload_offset = static_cast<std::uint32_t>(payload.size());
    event.payload_size = *length;
    payload.insert(payload.end(), data.begin(), data.end());
    result.events.push_back(event);
  }
  // A missing end-of-track is common in the wild and harmless: the track ends at its last event.
  result.end_tick = tick;
  summary.end_tick = tick;
  return result;
}

// Unwraps RIFF "RMID" files to the SMF bytes of their "data" chunk.
std::span<const std::uint8_t> unwrap_rmid(std::span<const std::uint8_t> bytes, std::uint64_t& base_offset) {
  if (bytes.size() < 20 || std::memcmp(bytes.data(), "RIFF", 4) != 0 || std::memcmp(bytes.data() + 8, "RMID", 4) != 0)
    return bytes;
  ByteReader reader(bytes);
  reader.skip(12);
  while (reader.has(8)) {
    const std::string tag = reader.tag();
    const std::uint32_t size = reader.u32_little();
    if (tag == "data") {
      base_offset = reader.offset();
      return bytes.subspan(reader.position(), std::min<std::size_t>(size, reader.remaining()));
    }
    // Chunks are padded to even sizes; a size (plus pad) beyond the data ends the walk.
    if (static_cast<std::uint64_t>(size) + (size & 1u) > reader.remaining()) break;
    reader.skip(size + (size & 1u));
  }
  return bytes;
}

void build_tempo_map(MidiFile& file) {
  file.tempo_map.clear();
  file.tempo_map.push_back({});
  if (file.ticks_per_quarter == 0) return;  // SMPTE: tempo events do not change time
  for (const auto& event : file.events) {
    if (!event.is_meta() || event.data1 != kMetaTempo || event.payload_size != 3) continue;
    const auto data = file.payload_of(event);
    const std::uint32_t microseconds = (data[0] << 16) | (data[1] << 8) | data[2];
    if (microseconds == 0) continue;  // meaningless; keep the tempo in force
    MidiTempoChange change{.tick = event.tick, .time_s = 0.0, .microseconds_per_quarter = microseconds};
    if (file.tempo_map.back().tick == event.tick)
      file.tempo_map.back().microseconds_per_quarter = microseconds;
    else
      file.tempo_map.push_back(change);
  }
  for (std::size_t i = 1; i < file.tempo_map.size(); ++i) {
    const auto& previous = file.tempo_map[i - 1];
    file.tempo_map[i].time_s = previous.time_s + static_cast<double>(file.tempo_map[i].tick - previous.tick) *
                                                     previous.microseconds_per_quarter * 1e-6 / file.ticks_per_quarter;
  }
}

}  // namespace

double MidiFile::seconds_at_tick(std::int64_t tick) const noexcept {
  if (ticks_per_quarter == 0) {
    const double frames_per_second = smpte_frames_per_second == 29 ? 30000.0 / 1001.0 : smpte_frames_per_second;
    const double ticks_per_second = frames_per_second * std::max(1, ticks_per_smpte_frame);
    return ticks_per_second > 0.0 ? static_cast<double>(tick) / ticks_per_second : 0.0;
  }
  // Last tempo change at or before `tick` (the map is short; binary search keeps huge maps cheap).
  auto it = std::upper_bound(tempo_map.begin(), tempo_map.end(), tick,
                             [](std::int64_t value, const MidiTempoChange& change) { return value < change.tick; });
  const MidiTempoChange& change = it == tempo_map.begin() ? tempo_map.front() : *(it - 1);
  return change.time_s +
         static_cast<double>(tick - change.tick) * change.microseconds_per_quarter * 1e-6 / ticks_per_quarter;
}

Expected<MidiFile> parse_midi(std::span<const std::byte> raw_bytes, std::string name) {
  std::uint64_t base_offset = 0;
  auto bytes = unwrap_rmid({reinterpret_cast<const std::uint8_t*>(raw_bytes.data()), raw_bytes.size()}, base_offset);
  ByteReader reader(bytes, base_offset);
  if (!reader.has(14) || reader.tag() != "MThd") return corrupt(name, base_offset, "not a Standard MIDI File (no MThd header)");
  const std::uint32_t header_size = reader.u32_big();
  if (header_size < 6 || header_size > reader.remaining())
    return corrupt(name, base_offset + 4, "invalid MThd header size " + std::to_string(header_size), "MThd");
  MidiFile file;
  file.format = reader.u16_big();
  const std::uint16_t declared_tracks = reader.u16_big();
  const std::uint16_t division = reader.u16_big();
  reader.skip(header_size - 6);
  if (file.format > 2) return corrupt(name, base_offset + 8, "unknown SMF format " + std::to_string(file.format), "MThd");
  if (division & 0x8000) {
    file.smpte_frames_per_second = -static_cast<std::int8_t>(division >> 8);
    file.ticks_per_smpte_frame = division & 0xFF;
    if ((file.smpte_frames_per_second != 24 && file.smpte_frames_per_second != 25 && file.smpte_frames_per_second != 29 &&
         file.smpte_frames_per_second != 30) || file.ticks_per_smpte_frame == 0)
      return corrupt(name, base_offset + 12, "invalid SMPTE time division", "MThd.division");
  } else {
    file.ticks_per_quarter = division;
    if (division == 0) return corrupt(name, base_offset + 12, "time division of 0 ticks per quarter note", "MThd.division");
  }

  std::vector<std::vector<MidiEvent>> per_track;
  std::int64_t format2_start_tick = 0;
  while (reader.has(8)) {
    const std::uint64_t chunk_offset = reader.offset();
    const std::string tag = reader.tag();
    const std::uint32_t size = reader.u32_big();
    if (size > reader.remaining()) {
      return corrupt(name, chunk_offset, "chunk '" + tag + "' declares " + std::to_string(size) + " bytes but only " +
                                             std::to_string(reader.remaining()) + " remain (truncated file)");
    }
    const std::uint64_t data_offset = reader.offset();
    ByteReader chunk(reader.take(size), data_offset);
    if (tag != "MTrk") continue;  // unknown chunks are skipped, as the standard asks
    if (per_track.size() >= 65535) return Error{ErrorCode::kOutOfRange, "too many tracks", {.file = name}};
    MidiTrack summary;
    auto track = parse_track(chunk, static_cast<std::uint32_t>(per_track.size()), format2_start_tick, file.payload,
                             summary, name);
    if (!track) return std::move(track).error().in_field("MTrk[" + std::to_string(per_track.size()) + "]");
    summary.event_count = track->events.size();
    if (file.format == 2) format2_start_tick = track->end_tick;
    file.tracks.push_back(std::move(summary));
    per_track.push_back(std::move(track->events));
  }
  if (per_track.empty()) return corrupt(name, reader.offset(), "no MTrk track chunk");
  (void)declared_tracks;  // files often miscount their tracks; the chunks found are what count

  std::size_t total = 0;
  for (const auto& events : per_track) total += events.size();
  file.events.reserve(total);
  for (auto& events : per_track) file.events.insert(file.events.end(), events.begin(), events.end());
  // Stable sort keeps (track, position in track) order among events on the same tick.
  std::stable_sort(file.events.begin(), file.events.end(),
                   [](const MidiEvent& a, const MidiEvent& b) { return a.tick < b.tick; });
  build_tempo_map(file);
  for (auto& event : file.events) event.time_s = file.seconds_at_tick(event.tick);
  std::int64_t last_tick = 0;
  for (const auto& track : file.tracks) last_tick = std::max(last_tick, track.end_tick);
  file.duration_s = file.seconds_at_tick(last_tick);
  return file;
}

Expected<MidiFile> read_midi_file(const std::filesystem::path& path) {
  auto bytes = detail::read_binary_file(path.string(), kMaxMidiFileBytes);
  if (!bytes) return std::move(bytes).error();
  return parse_midi({reinterpret_cast<const std::byte*>(bytes->data()), bytes->size()}, path.string());
}

}  // namespace resound::formats
