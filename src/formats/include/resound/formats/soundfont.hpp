// SoundFont: a validated, immutable SF2 2.01/2.04 or SF3 bank (hydra + 16/24-bit or Ogg Vorbis samples), shareable by threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::formats {

/// One generator of a zone: operator number (SF2 §8.1.2) and its 16-bit amount.
struct SoundFontGenerator {
  std::uint16_t type = 0;
  std::uint16_t raw_amount = 0;
  [[nodiscard]] std::int16_t amount() const noexcept { return static_cast<std::int16_t>(raw_amount); }
  [[nodiscard]] std::uint8_t range_low() const noexcept { return raw_amount & 0xFF; }
  [[nodiscard]] std::uint8_t range_high() const noexcept { return raw_amount >> 8; }
};

/// One modulator of a zone as stored (SF2 §8.2): sources, destination (a generator or, with bit 15
/// set, the index of another modulator of the zone: a linked modulator), amount, transform.
struct SoundFontModulator {
  std::uint16_t source = 0;
  std::uint16_t destination = 0;
  std::int16_t amount = 0;
  std::uint16_t amount_source = 0;
  std::uint16_t transform = 0;
};

/// A zone: key/velocity ranges, generators (range generators and the terminal instrument/sample
/// generator included), modulators, and `link`: the instrument (preset zones) or sample
/// (instrument zones) it plays; -1 for a global zone.
struct SoundFontZone {
  std::uint8_t key_low = 0, key_high = 127;
  std::uint8_t velocity_low = 0, velocity_high = 127;
  std::vector<SoundFontGenerator> generators;
  std::vector<SoundFontModulator> modulators;
  int link = -1;

  [[nodiscard]] bool matches(int key, int velocity) const noexcept {
    return key >= key_low && key <= key_high && velocity >= velocity_low && velocity <= velocity_high;
  }
};

struct SoundFontInstrument {
  std::string name;
  std::optional<SoundFontZone> global_zone;
  std::vector<SoundFontZone> zones;
};

struct SoundFontPreset {
  std::string name;
  std::uint16_t program = 0;
  std::uint16_t bank = 0;  ///< 128 = percussion in GM banks
  std::optional<SoundFontZone> global_zone;
  std::vector<SoundFontZone> zones;
};

/// Sample types (SF2 §7.10); kVorbisFlag marks SF3 compressed samples.
enum SoundFontSampleType : std::uint16_t {
  kMonoSample = 1, kRightSample = 2, kLeftSample = 4, kLinkedSample = 8, kVorbisFlag = 0x10, kRomSample = 0x8000,
};

/// A sample header after validation. Positions are frames relative to the sample's own first frame.
/// For SF3 samples frame_count is 0 and the loop is as stored: use SoundFont::sample_data().
struct SoundFontSampleHeader {
  std::string name;
  std::uint32_t frame_count = 0;
  std::uint32_t loop_start = 0;
  std::uint32_t loop_end = 0;
  std::uint32_t sample_rate_hz = 44100;
  std::uint8_t original_key = 60;
  std::int8_t pitch_correction_cents = 0;
  std::uint16_t link = 0;
  std::uint16_t type = kMonoSample;
  bool compressed = false;           ///< SF3: Ogg Vorbis, decoded on demand
  bool loop_valid = true;            ///< false when the loop points were unusable (the sample plays unlooped)
};

/// The playable frames of one sample. `frames` has guard frames before index 0 and after
/// frame_count (zeros, or the loop continuation), so 4-point interpolation may read index -1 … +2.
/// `low_bytes` (sm24) is null for 16-bit banks. `frames == nullptr`: not decoded yet (SF3).
/// Frame count and loop are the decoded ones (for SF3 the header cannot know them before decoding).
struct SoundFontSampleData {
  const std::int16_t* frames = nullptr;
  const std::uint8_t* low_bytes = nullptr;
  std::uint32_t frame_count = 0;
  std::uint32_t loop_start = 0;
  std::uint32_t loop_end = 0;
  bool loop_valid = false;
};

struct SoundFontLoadOptions {
  /// SF3: decode every sample at load with this many threads (0 = decode lazily, on first use
  /// through ensure_decoded(); the default, so that loading a big SF3 takes milliseconds).
  unsigned decode_threads = 0;
};

/// An immutable SoundFont. Load once, share (std::shared_ptr<const SoundFont>) between any number
/// of synthesizers and threads. The only mutable part is the SF3 decode cache, which is
/// thread-safe and invisible to readers except through ensure_decoded().
class SoundFont {
 public:
  /// Guard frames on each side of every sample's data (interpolation reads up to 3 around a position).
  static constexpr std::uint32_t kGuardFrames = 8;

  /// Loads an SF2 or SF3 file. Errors: kNotFound, kIo, kCorruptData (with byte offset and chunk),
  /// kOutOfRange. Thread contract: OFF/CT.
  static Expected<std::shared_ptr<const SoundFont>> load(const std::filesystem::path& path,
                                                         const SoundFontLoadOptions& options = {});
  /// Parses a SoundFont held in memory (copied). `name` appears in error messages. Thread contract: OFF/CT.
  static Expected<std::shared_ptr<const SoundFont>> load_memory(std::span<const std::byte> bytes, std::string name,
                                                                const SoundFontLoadOptions& options = {});

  SoundFont();
  ~SoundFont();
  SoundFont(const SoundFont&) = delete;
  SoundFont& operator=(const SoundFont&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// File version ("2.01", "2.04", "3.01").
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  [[nodiscard]] const std::vector<SoundFontPreset>& presets() const noexcept { return presets_; }
  [[nodiscard]] const std::vector<SoundFontInstrument>& instruments() const noexcept { return instruments_; }
  [[nodiscard]] const std::vector<SoundFontSampleHeader>& samples() const noexcept { return samples_; }
  [[nodiscard]] bool has_24_bit_samples() const noexcept { return !low_byte_pool_.empty(); }
  /// Repairs made while loading (clamped loops, dropped zones…), one line each.
  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  /// The preset for bank/program, or null. Thread contract: any thread (RT-safe: no allocation).
  [[nodiscard]] const SoundFontPreset* find_preset(int bank, int program) const noexcept;

  /// The sample frames of `sample_index` (frames == nullptr while an SF3 sample is not decoded).
  /// Thread contract: any thread, RT-safe.
  [[nodiscard]] SoundFontSampleData sample_data(std::size_t sample_index) const noexcept;

  /// Live playback: keeps the sample data in RAM so reading it never waits for the disk. An SF2
  /// loaded from a path reads its samples in place from a file mapping (pages load on first
  /// touch); this reads the mapping ahead (madvise WILLNEED) and tries to lock it (mlock).
  /// Returns true when the samples are pinned or live on the heap anyway (load_memory, SF3,
  /// copied pools); false when mlock was refused (RLIMIT_MEMLOCK, often 8 MiB for a user) — not
  /// an error: the pages are read but may be evicted under memory pressure, so touch them after
  /// this call (the Synthesizer's prepare_for_real_time does, measuring every peak).
  /// Thread contract: OFF/CT, any number of threads.
  bool make_samples_resident() const noexcept;

  /// Decodes an SF3 sample if needed (no-op for SF2). Returns false if it cannot be decoded.
  /// Thread contract: CT/OFF, any number of threads at once.
  bool ensure_decoded(std::size_t sample_index) const;
  /// Decodes the given samples using up to `thread_count` threads. Thread contract: CT/OFF.
  void ensure_decoded(std::span<const std::size_t> sample_indices, unsigned thread_count) const;

  struct Loader;  ///< the parser fills the fields

 private:
  friend struct Loader;
  void decode_all_if_asked(const SoundFontLoadOptions& options);  // SF3 with decode_threads > 0
  struct CompressedSample {
    std::uint32_t byte_offset = 0;  ///< into compressed_bytes_
    std::uint32_t byte_count = 0;
    std::unique_ptr<std::int16_t[]> decoded;  ///< guard + frames + guard
    SoundFontSampleData data;                 ///< complete once `published` is set
    std::atomic<const std::int16_t*> published{nullptr};
    std::once_flag once;
  };

  std::string name_, path_, version_;
  std::vector<SoundFontPreset> presets_;         // sorted by (bank, program)
  std::vector<SoundFontInstrument> instruments_;
  std::vector<SoundFontSampleHeader> samples_;
  std::vector<std::uint32_t> sample_pool_start_;  // SF2: start of each sample in the pools
  std::vector<std::int16_t> sample_pool_;         // guard + smpl + guard (when not read in place)
  // Frame 0 of smpl, with kGuardFrames zero frames readable on each side: in sample_pool_, or in
  // the file's mapping (SF2 loaded from a file: its samples are read in place, never copied).
  const std::int16_t* frames_ = nullptr;
  std::shared_ptr<const void> file_mapping_;      // keeps that mapping alive
  std::span<const std::uint8_t> mapped_bytes_;    // the whole mapping (empty when not mapped)
  std::vector<std::uint8_t> low_byte_pool_;       // sm24, same layout; empty when absent
  std::vector<std::uint8_t> compressed_bytes_;    // SF3: the smpl chunk
  std::unique_ptr<CompressedSample[]> compressed_;  // SF3: one per sample header
  std::vector<std::string> warnings_;
};

/// The SoundFont to use when none is given: $RESOUND_SOUNDFONT if set, else the first existing of
/// /usr/share/sounds/sf2/default-GM.sf2, TimGM6mb.sf2, FluidR3_GM.sf2. Error kNotFound naming
/// every place looked at. Thread contract: any thread except RT.
Expected<std::filesystem::path> default_soundfont_path();

}  // namespace resound::formats
