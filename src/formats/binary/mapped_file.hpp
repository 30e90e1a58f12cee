// MappedFile: a whole file mapped copy-on-write, so a parser can read large payloads (SF2 samples) in place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace resound::formats::detail {

/// A private, writable mapping of a file: reads come from the page cache on first touch (no copy
/// of the parts never read); writes stay in this process (copy-on-write). Shared ownership, so
/// the object built from it can keep it alive.
struct MappedFile {
  std::shared_ptr<std::uint8_t> owner;  ///< unmaps when the last owner goes
  std::span<std::uint8_t> bytes;

  /// Makes the mapping read-only (after the parser's last write). Thread contract: OFF/CT.
  void seal() const noexcept;
};

/// Maps `path`, or nullopt when it cannot be (missing, empty, larger than `max_bytes`, mmap
/// unavailable): the caller then reads the file the ordinary way, which reports the error.
/// Thread contract: OFF/CT.
std::optional<MappedFile> map_file_copy_on_write(const std::string& path, std::uint64_t max_bytes);

/// Best effort to keep `bytes` (part of a mapping) in RAM: madvise(MADV_WILLNEED) starts reading
/// it ahead, then mlock() faults every page in and pins it. Returns whether mlock succeeded; it
/// fails beyond RLIMIT_MEMLOCK (often 8 MiB for a user), which is no error: the pages are then
/// read but the kernel may evict them again under memory pressure. Thread contract: OFF/CT.
bool make_resident(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace resound::formats::detail
