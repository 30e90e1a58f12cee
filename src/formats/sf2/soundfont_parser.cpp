// SoundFont::load: RIFF sfbk parsing (INFO, sdta smpl/sm24, pdta hydra) with validation and documented repairs.
#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

#include "../binary/byte_reader.hpp"
#include "../binary/mapped_file.hpp"
#include "resound/formats/soundfont.hpp"

namespace resound::formats {

using detail::ByteReader;

namespace {

// The largest SoundFonts in use are a few GB; beyond 4 GiB the 32-bit RIFF sizes cannot describe them.
constexpr std::uint64_t kMaxSoundFontBytes = 4ull << 30;
constexpr std::uint16_t kGeneratorKeyRange = 43;
constexpr std::uint16_t kGeneratorVelocityRange = 44;
constexpr std::uint16_t kGeneratorInstrument = 41;
constexpr std::uint16_t kGeneratorSampleId = 53;

struct Chunk {
  std::span<const std::uint8_t> data;
  std::uint64_t offset = 0;  // of the data in the file
};

struct Hydra {
  Chunk phdr, pbag, pmod, pgen, inst, ibag, imod, igen, shdr;
};

std::string fixed_string(std::span<const std::uint8_t> bytes) {
  std::size_t length = 0;
  while (length < bytes.size() && bytes[length] != 0) ++length;
  std::string text(reinterpret_cast<const char*>(bytes.data()), length);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// True when the 4 bytes `ahead` bytes past the cursor are printable ASCII (a chunk tag).
bool looks_like_tag(const ByteReader& reader, std::size_t ahead) {
  if (!reader.has(ahead + 4)) return false;
  ByteReader probe = reader;
  probe.skip(ahead);
  for (int i = 0; i < 4; ++i) {
    const auto byte = probe.u8();
    if (byte < 0x20 || byte > 0x7E) return false;
  }
  return true;
}

}  // namespace

struct SoundFont::Loader {
  SoundFont& font;
  std::string name;
  Hydra hydra;
  // The file mapped copy-on-write (load from a path), or empty (load_memory). When the samples can
  // be read in place, `guards` are the byte ranges just outside smpl to zero once parsing is done
  // (they hold other chunks' headers, which the parser still reads until then).
  std::span<std::uint8_t> mapping{};
  std::span<std::uint8_t> guards[2]{};

  Error corrupt(std::uint64_t offset, std::string message, std::string field) const {
    return Error{ErrorCode::kCorruptData, std::move(message), {.file = name, .field = std::move(field), .byte_offset = offset}};
  }

  // Reads the sub-chunks of a LIST, calling `visit(tag, chunk)` for each.
  template <typename Visit>
  Expected<void> for_each_chunk(Chunk list, Visit&& visit) {
    ByteReader reader(list.data, list.offset);
    while (reader.remaining() >= 8) {
      const std::uint64_t header_offset = reader.offset();
      const std::string tag = reader.tag();
      const std::uint32_t size = reader.u32_little();
      if (size > reader.remaining())
        return corrupt(header_offset, "chunk '" + tag + "' declares " + std::to_string(size) + " bytes but only " +
                                          std::to_string(reader.remaining()) + " remain (truncated file)", tag);
      Chunk chunk{reader.take(size), reader.offset() - size};
      RESOUND_TRY_VOID(visit(tag, chunk));
      // RIFF pads odd chunks to even sizes, but some SoundFont writers (SF3 converters) do not:
      // skip the pad byte unless a chunk tag starts right at it.
      if ((size & 1u) && !reader.at_end() && !looks_like_tag(reader, 0)) reader.skip(1);
    }
    return ok();
  }

  Expected<void> parse(std::span<const std::uint8_t> bytes) {
    ByteReader reader(bytes);
    if (reader.remaining() < 12 || reader.tag() != "RIFF") return corrupt(0, "not a SoundFont (no RIFF header)", "RIFF");
    const std::uint32_t riff_size = reader.u32_little();
    if (reader.tag() != "sfbk") return corrupt(8, "not a SoundFont (RIFF form is not 'sfbk')", "RIFF");
    // Some writers get the RIFF size wrong by a few bytes; the chunks inside are checked one by one.
    const std::size_t body = std::min<std::size_t>(riff_size >= 4 ? riff_size - 4 : 0, reader.remaining());
    Chunk top{bytes.subspan(12, body), 12};
    Chunk smpl, sm24;
    bool have_pdta = false;
    RESOUND_TRY_VOID(for_each_chunk(top, [&](const std::string& tag, Chunk chunk) -> Expected<void> {
      if (tag != "LIST" || chunk.data.size() < 4) return ok();
      const std::string kind(reinterpret_cast<const char*>(chunk.data.data()), 4);
      Chunk inner{chunk.data.subspan(4), chunk.offset + 4};
      if (kind == "INFO") {
        return for_each_chunk(inner, [&](const std::string& info_tag, Chunk info) -> Expected<void> {
          if (info_tag == "ifil" && info.data.size() >= 4) {
            ByteReader version(info.data);
            const auto major = version.u16_little();
            const auto minor = version.u16_little();
            font.version_ = std::to_string(major) + "." + (minor < 10 ? "0" : "") + std::to_string(minor);
          } else if (info_tag == "INAM") {
            font.name_ = fixed_string(info.data);
          }
          return ok();
        });
      }
      if (kind == "sdta") {
        return for_each_chunk(inner, [&](const std::string& sample_tag, Chunk sample_chunk) -> Expected<void> {
          if (sample_tag == "smpl") smpl = sample_chunk;
          if (sample_tag == "sm24") sm24 = sample_chunk;
          return ok();
        });
      }
      if (kind == "pdta") {
        have_pdta = true;
        return for_each_chunk(inner, [&](const std::string& hydra_tag, Chunk part) -> Expected<void> {
          if (hydra_tag == "phdr") hydra.phdr = part;
          else if (hydra_tag == "pbag") hydra.pbag = part;
          else if (hydra_tag == "pmod") hydra.pmod = part;
          else if (hydra_tag == "pgen") hydra.pgen = part;
          else if (hydra_tag == "inst") hydra.inst = part;
          else if (hydra_tag == "ibag") hydra.ibag = part;
          else if (hydra_tag == "imod") hydra.imod = part;
          else if (hydra_tag == "igen") hydra.igen = part;
          else if (hydra_tag == "shdr") hydra.shdr = part;
          return ok();
        });
      }
      return ok();
    }));
    if (!have_pdta) return corrupt(12, "no 'pdta' list (preset data)", "pdta");
    const bool is_sf3 = !font.version_.empty() && font.version_[0] == '3';
    RESOUND_TRY_VOID(load_samples(smpl, sm24, is_sf3));
    RESOUND_TRY_VOID(load_instruments());
    RESOUND_TRY_VOID(load_presets());
    return ok();
  }

  // Checks that a hydra chunk is a whole number of records, at least `minimum` of them.
  Expected<std::size_t> record_count(const Chunk& chunk, std::size_t record_size, std::size_t minimum, const char* tag) {
    if (chunk.data.size() % record_size != 0 || chunk.data.size() / record_size < minimum)
      return corrupt(chunk.offset, std::string("chunk '") + tag + "' has an invalid size of " +
                                       std::to_string(chunk.data.size()) + " bytes", tag);
    return chunk.data.size() / record_size;
  }

  Expected<void> load_samples(Chunk smpl, Chunk sm24, bool is_sf3) {
    auto count = record_count(hydra.shdr, 46, 1, "shdr");
    if (!count) return std::move(count).error();
    const std::size_t sample_count = *count - 1;  // the last record is the terminal "EOS"
    const bool any_compressed = [&] {
      ByteReader reader(hydra.shdr.data);
      for (std::size_t i = 0; i < sample_count; ++i) {
        reader.skip(44);
        if (reader.u16_little() & kVorbisFlag) return true;
      }
      return false;
    }();
    const std::size_t pool_frames = smpl.data.size() / 2;
    if (any_compressed || is_sf3) {
      font.compressed_bytes_.assign(smpl.data.begin(), smpl.data.end());
      font.compressed_ = std::make_unique<CompressedSample[]>(sample_count);
    } else {
      // The host is little-endian like SF2 (x86-64, ARM64): the file's bytes are the frames.
      static_assert(std::endian::native == std::endian::little, "big-endian hosts need a byte swap here");
      constexpr std::uint64_t kGuardBytes = 2 * kGuardFrames;
      const std::uint64_t pool_end = smpl.offset + pool_frames * 2;
      if (pool_frames > 0 && smpl.offset % 2 == 0 && smpl.offset >= kGuardBytes && pool_end + kGuardBytes <= mapping.size()) {
        // In place: a big bank's samples are not copied, and only the pages a song plays are read.
        font.frames_ = reinterpret_cast<const std::int16_t*>(mapping.data() + smpl.offset);
        guards[0] = mapping.subspan(smpl.offset - kGuardBytes, kGuardBytes);
        guards[1] = mapping.subspan(pool_end, kGuardBytes);
      } else {
        font.sample_pool_.assign(pool_frames + 2 * kGuardFrames, 0);
        if (pool_frames > 0) std::memcpy(font.sample_pool_.data() + kGuardFrames, smpl.data.data(), pool_frames * 2);
        font.frames_ = font.sample_pool_.data() + kGuardFrames;
      }
      // sm24 holds one low byte per frame; a size mismatch means it does not belong to smpl.
      if (sm24.data.size() >= pool_frames && !sm24.data.empty() && font.version_ >= "2.04") {
        font.low_byte_pool_.assign(pool_frames + 2 * kGuardFrames, 0);
        if (pool_frames > 0) std::memcpy(font.low_byte_pool_.data() + kGuardFrames, sm24.data.data(), pool_frames);
      } else if (!sm24.data.empty()) {
        font.warnings_.push_back("sm24 chunk ignored: its size does not match smpl or the version is below 2.04");
      }
    }
    font.samples_.resize(sample_count);
    font.sample_pool_start_.assign(sample_count, 0);
    ByteReader reader(hydra.shdr.data, hydra.shdr.offset);
    for (std::size_t i = 0; i < sample_count; ++i) {
      auto& header = font.samples_[i];
      const std::uint64_t record_offset = reader.offset();
      header.name = fixed_string(reader.take(20));
      const std::uint32_t start = reader.u32_little();
      std::uint32_t end = reader.u32_little();
      std::uint32_t loop_start = reader.u32_little();
      std::uint32_t loop_end = reader.u32_little();
      header.sample_rate_hz = reader.u32_little();
      header.original_key = reader.u8();
      header.pitch_correction_cents = static_cast<std::int8_t>(reader.u8());
      header.link = reader.u16_little();
      header.type = reader.u16_little();
      if (header.original_key > 127) header.original_key = 60;  // 255 = "unpitched"; SF2 §7.10 says use 60
      if (header.sample_rate_hz < 400 || header.sample_rate_hz > 384000) {
        font.warnings_.push_back("sample '" + header.name + "': sample rate " + std::to_string(header.sample_rate_hz) +
                                 " Hz replaced by 44100 Hz");
        header.sample_rate_hz = 44100;
      }
      if (header.type & kRomSample) {
        font.warnings_.push_back("sample '" + header.name + "': ROM sample, plays silent");
        header.frame_count = 0;
        continue;
      }
      if (font.compressed_) {
        header.compressed = (header.type & kVorbisFlag) != 0;
        if (!header.compressed || end <= start || end > font.compressed_bytes_.size()) {
          font.warnings_.push_back("sample '" + header.name + "': invalid compressed data range, plays silent");
          header.compressed = false;
          continue;
        }
        font.compressed_[i].byte_offset = start;
        font.compressed_[i].byte_count = end - start;
        // SF3 loop points are relative to the sample's start; the frame count is known after decoding.
        header.loop_start = loop_start;
        header.loop_end = loop_end;
        header.frame_count = 0;
        continue;
      }
      if (start >= pool_frames || end <= start) {
        font.warnings_.push_back("sample '" + header.name + "' at byte " + std::to_string(record_offset) +
                                 ": start/end outside the sample data, plays silent");
        continue;
      }
      if (end > pool_frames) {
        font.warnings_.push_back("sample '" + header.name + "': end clamped to the sample data");
        end = static_cast<std::uint32_t>(pool_frames);
      }
      font.sample_pool_start_[i] = start;
      header.frame_count = end - start;
      loop_start = loop_start >= start ? loop_start - start : 0;
      loop_end = loop_end >= start ? loop_end - start : 0;
      header.loop_start = loop_start;
      header.loop_end = loop_end;
    }
    for (auto& header : font.samples_) {
      if (header.compressed) continue;
      validate_loop(header);
    }
    return ok();
  }

  void validate_loop(SoundFontSampleHeader& header) {
    if (header.loop_end > header.frame_count) header.loop_end = header.frame_count;
    if (header.loop_start >= header.loop_end || header.loop_end - header.loop_start < 2) {
      header.loop_valid = false;
      header.loop_start = 0;
      header.loop_end = header.frame_count;
    }
  }

  // Reads a bag list (pbag/ibag) + gen + mod into zones for items [first_bag, next_bag).
  struct BagTables {
    std::vector<std::pair<std::uint16_t, std::uint16_t>> bags;  // (gen index, mod index)
    std::vector<SoundFontGenerator> generators;
    std::vector<SoundFontModulator> modulators;
  };

  Expected<BagTables> read_bags(const Chunk& bag_chunk, const Chunk& mod_chunk, const Chunk& gen_chunk, const char* bag_tag,
                                const char* mod_tag, const char* gen_tag) {
    BagTables tables;
    auto bag_count = record_count(bag_chunk, 4, 1, bag_tag);
    if (!bag_count) return std::move(bag_count).error();
    auto gen_count = record_count(gen_chunk, 4, 1, gen_tag);
    if (!gen_count) return std::move(gen_count).error();
    auto mod_count = record_count(mod_chunk, 10, 1, mod_tag);
    if (!mod_count) return std::move(mod_count).error();
    ByteReader bags(bag_chunk.data);
    for (std::size_t i = 0; i < *bag_count; ++i) {
      const auto gen_index = bags.u16_little();
      const auto mod_index = bags.u16_little();
      if (gen_index > *gen_count || mod_index > *mod_count ||
          (!tables.bags.empty() && (gen_index < tables.bags.back().first || mod_index < tables.bags.back().second)))
        return corrupt(bag_chunk.offset + 4 * i, "zone generator/modulator indices out of order or out of range", bag_tag);
      tables.bags.emplace_back(gen_index, mod_index);
    }
    ByteReader gens(gen_chunk.data);
    for (std::size_t i = 0; i < *gen_count; ++i) {
      SoundFontGenerator generator;
      generator.type = gens.u16_little();
      generator.raw_amount = gens.u16_little();
      tables.generators.push_back(generator);
    }
    ByteReader mods(mod_chunk.data);
    for (std::size_t i = 0; i < *mod_count; ++i) {
      SoundFontModulator modulator;
      modulator.source = mods.u16_little();
      modulator.destination = mods.u16_little();
      modulator.amount = mods.s16_little();
      modulator.amount_source = mods.u16_little();
      modulator.transform = mods.u16_little();
      tables.modulators.push_back(modulator);
    }
    return tables;
  }

  // Builds the zones of one preset or instrument from bags [first, last). The terminal generator
  // (instrument/sample) must be last in a zone; zones without it are global only in first place.
  template <typename Item>
  void build_zones(Item& item, const BagTables& tables, std::size_t first, std::size_t last, std::uint16_t terminal,
                   std::size_t link_limit) {
    for (std::size_t bag = first; bag < last; ++bag) {
      SoundFontZone zone;
      const auto [gen_begin, mod_begin] = tables.bags[bag];
      const auto [gen_end, mod_end] = tables.bags[bag + 1];
      for (std::size_t g = gen_begin; g < gen_end && g < tables.generators.size(); ++g) {
        const auto& generator = tables.generators[g];
        if (generator.type == kGeneratorKeyRange) {
          zone.key_low = generator.range_low();
          zone.key_high = generator.range_high();
        } else if (generator.type == kGeneratorVelocityRange) {
          zone.velocity_low = generator.range_low();
          zone.velocity_high = generator.range_high();
        } else if (generator.type == terminal) {
          zone.link = generator.raw_amount;
          break;  // generators after the terminal one are ignored (SF2 §7.5)
        } else {
          zone.generators.push_back(generator);
        }
      }
      for (std::size_t m = mod_begin; m < mod_end && m < tables.modulators.size(); ++m)
        zone.modulators.push_back(tables.modulators[m]);
      if (zone.link < 0) {
        if (bag == first && !item.global_zone) item.global_zone = std::move(zone);
        continue;  // a non-first zone without a terminal generator is ignored (SF2 §7.3)
      }
      if (static_cast<std::size_t>(zone.link) >= link_limit) {
        font.warnings_.push_back("'" + item.name + "': zone refers to missing index " + std::to_string(zone.link) +
                                 ", dropped");
        continue;
      }
      item.zones.push_back(std::move(zone));
    }
  }

  // The names of one hydra level's chunks (instruments: inst/ibag/imod/igen; presets: phdr/pbag/pmod/pgen).
  struct LevelChunks {
    const Chunk& header;
    const Chunk& bags;
    const Chunk& modulators;
    const Chunk& generators;
    std::size_t record_size;
    const char* tags[4];  // header, bag, modulator, generator
  };

  // Reads one level's header records (each by `read_record`: the item and its first bag; the
  // terminal record only ends the last item's zones), then builds every item's zones from the bag
  // tables. Instruments and presets share everything but their record layout.
  template <typename Item, typename ReadRecord>
  Expected<void> load_level(const LevelChunks& level, std::uint16_t terminal_generator, std::size_t link_limit,
                            const char* what, ReadRecord read_record, std::vector<Item>& items) {
    auto count = record_count(level.header, level.record_size, 1, level.tags[0]);
    if (!count) return std::move(count).error();
    auto tables = read_bags(level.bags, level.modulators, level.generators, level.tags[1], level.tags[2], level.tags[3]);
    if (!tables) return std::move(tables).error();
    ByteReader reader(level.header.data, level.header.offset);
    std::vector<std::pair<Item, std::size_t>> records;
    for (std::size_t i = 0; i < *count; ++i) records.push_back(read_record(reader));
    for (std::size_t i = 0; i + 1 < records.size(); ++i) {
      const std::size_t first = records[i].second, last = records[i + 1].second;
      if (first > last || last >= tables->bags.size())
        return corrupt(level.header.offset + level.record_size * i,
                       std::string(what) + " zone indices out of order or out of range", level.tags[0]);
      Item item = std::move(records[i].first);
      build_zones(item, *tables, first, last, terminal_generator, link_limit);
      items.push_back(std::move(item));
    }
    return ok();
  }

  Expected<void> load_instruments() {
    const LevelChunks level{hydra.inst, hydra.ibag, hydra.imod, hydra.igen, 22, {"inst", "ibag", "imod", "igen"}};
    return load_level(level, kGeneratorSampleId, font.samples_.size(), "instrument",
                      [](ByteReader& reader) {
                        SoundFontInstrument instrument;
                        instrument.name = fixed_string(reader.take(20));
                        const std::size_t bag = reader.u16_little();
                        return std::pair{std::move(instrument), bag};
                      },
                      font.instruments_);
  }

  Expected<void> load_presets() {
    const LevelChunks level{hydra.phdr, hydra.pbag, hydra.pmod, hydra.pgen, 38, {"phdr", "pbag", "pmod", "pgen"}};
    auto loaded = load_level(level, kGeneratorInstrument, font.instruments_.size(), "preset",
                             [](ByteReader& reader) {
                               SoundFontPreset preset;
                               preset.name = fixed_string(reader.take(20));
                               preset.program = reader.u16_little();
                               preset.bank = reader.u16_little();
                               const std::size_t bag = reader.u16_little();
                               reader.skip(12);  // library, genre, morphology: reserved
                               return std::pair{std::move(preset), bag};
                             },
                             font.presets_);
    if (!loaded) return loaded;
    std::stable_sort(font.presets_.begin(), font.presets_.end(), [](const SoundFontPreset& a, const SoundFontPreset& b) {
      return a.bank != b.bank ? a.bank < b.bank : a.program < b.program;
    });
    return ok();
  }
};

SoundFont::SoundFont() = default;
SoundFont::~SoundFont() = default;

void SoundFont::decode_all_if_asked(const SoundFontLoadOptions& options) {
  if (!compressed_ || options.decode_threads == 0) return;
  std::vector<std::size_t> all(samples_.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  ensure_decoded(all, options.decode_threads);
}

Expected<std::shared_ptr<const SoundFont>> SoundFont::load_memory(std::span<const std::byte> bytes, std::string name,
                                                                  const SoundFontLoadOptions& options) {
  auto font = std::make_shared<SoundFont>();
  Loader loader{*font, name, {}};
  RESOUND_TRY_VOID(loader.parse({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  font->path_ = name;
  font->decode_all_if_asked(options);
  return std::shared_ptr<const SoundFont>(std::move(font));
}

Expected<std::shared_ptr<const SoundFont>> SoundFont::load(const std::filesystem::path& path,
                                                           const SoundFontLoadOptions& options) {
  if (auto mapped = detail::map_file_copy_on_write(path.string(), kMaxSoundFontBytes)) {
    auto font = std::make_shared<SoundFont>();
    Loader loader{*font, path.string(), {}, mapped->bytes};
    RESOUND_TRY_VOID(loader.parse(mapped->bytes));
    font->path_ = path.string();
    if (font->frames_ != nullptr && font->sample_pool_.empty()) {
      // Samples read in place: the frames just outside smpl become the zero guards the
      // interpolator may read (copy-on-write: the file is untouched), and the font keeps the mapping.
      for (const auto guard : loader.guards) std::fill(guard.begin(), guard.end(), std::uint8_t{0});
      mapped->seal();
      font->file_mapping_ = mapped->owner;
      font->mapped_bytes_ = mapped->bytes;
    }
    font->decode_all_if_asked(options);
    return std::shared_ptr<const SoundFont>(std::move(font));
  }
  auto bytes = detail::read_binary_file(path.string(), kMaxSoundFontBytes);
  if (!bytes) return std::move(bytes).error();
  return load_memory({reinterpret_cast<const std::byte*>(bytes->data()), bytes->size()}, path.string(), options);
}

bool SoundFont::make_samples_resident() const noexcept { return detail::make_resident(mapped_bytes_); }

const SoundFontPreset* SoundFont::find_preset(int bank, int program) const noexcept {
  auto it = std::lower_bound(presets_.begin(), presets_.end(), std::pair{bank, program},
                             [](const SoundFontPreset& preset, const std::pair<int, int>& key) {
                               return preset.bank != key.first ? preset.bank < key.first : preset.program < key.second;
                             });
  if (it != presets_.end() && it->bank == bank && it->program == program) return &*it;
  return nullptr;
}

SoundFontSampleData SoundFont::sample_data(std::size_t sample_index) const noexcept {
  if (sample_index >= samples_.size()) return {};
  const auto& header = samples_[sample_index];
  if (compressed_) {
    const std::int16_t* decoded = compressed_[sample_index].published.load(std::memory_order_acquire);
    if (!decoded) return {};
    return compressed_[sample_index].data;
  }
  if (header.frame_count == 0) return {};
  const std::size_t start = sample_pool_start_[sample_index];
  return {frames_ + start, low_byte_pool_.empty() ? nullptr : low_byte_pool_.data() + kGuardFrames + start,
          header.frame_count, header.loop_start, header.loop_end, header.loop_valid};
}

Expected<std::filesystem::path> default_soundfont_path() {
  std::vector<std::filesystem::path> candidates;
  if (const char* from_environment = std::getenv("RESOUND_SOUNDFONT"); from_environment && *from_environment)
    candidates.emplace_back(from_environment);
  candidates.emplace_back("/usr/share/sounds/sf2/default-GM.sf2");
  candidates.emplace_back("/usr/share/sounds/sf2/TimGM6mb.sf2");
  candidates.emplace_back("/usr/share/sounds/sf2/FluidR3_GM.sf2");
  std::string looked;
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  return Error{ErrorCode::kNotFound, "no SoundFont found (set RESOUND_SOUNDFONT or pass one); looked at " + looked};
}

}  // namespace resound::formats
