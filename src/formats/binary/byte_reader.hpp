// ByteReader: a bounds-checked cursor over file bytes, shared by the SMF and SF2 parsers (never trusts sizes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "resound/core/expected.hpp"

namespace resound::formats::detail {

/// Reads little- and big-endian integers and tags from a byte span. Every read checks the
/// remaining length first; `base_offset` makes reported offsets absolute within the file.
/// Thread contract: a plain value; any thread.
class ByteReader {
 public:
  ByteReader(std::span<const std::uint8_t> bytes, std::uint64_t base_offset = 0) noexcept
      : bytes_(bytes), base_offset_(base_offset) {}

  [[nodiscard]] std::size_t remaining() const noexcept {
    return position_ < bytes_.size() ? bytes_.size() - position_ : 0;
  }
  [[nodiscard]] bool at_end() const noexcept { return position_ >= bytes_.size(); }
  [[nodiscard]] std::size_t position() const noexcept { return position_; }
  /// Absolute offset of the cursor in the file.
  [[nodiscard]] std::uint64_t offset() const noexcept { return base_offset_ + position_; }
  [[nodiscard]] bool has(std::size_t count) const noexcept { return remaining() >= count; }

  std::uint8_t u8() noexcept { return bytes_[position_++]; }
  std::uint8_t peek_u8() const noexcept { return bytes_[position_]; }
  std::uint16_t u16_big() noexcept {
    const std::uint16_t value = static_cast<std::uint16_t>((bytes_[position_] << 8) | bytes_[position_ + 1]);
    position_ += 2;
    return value;
  }
  std::uint32_t u32_big() noexcept {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | bytes_[position_ + i];
    position_ += 4;
    return value;
  }
  std::uint16_t u16_little() noexcept {
    const std::uint16_t value = static_cast<std::uint16_t>(bytes_[position_] | (bytes_[position_ + 1] << 8));
    position_ += 2;
    return value;
  }
  std::int16_t s16_little() noexcept { return static_cast<std::int16_t>(u16_little()); }
  std::uint32_t u32_little() noexcept {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | bytes_[position_ + i];
    position_ += 4;
    return value;
  }
  /// Four-character code ("MThd", "RIFF").
  std::string tag() {
    std::string value(reinterpret_cast<const char*>(bytes_.data() + position_), 4);
    position_ += 4;
    return value;
  }
  /// The next `count` bytes as a span (caller checked has(count)).
  std::span<const std::uint8_t> take(std::size_t count) noexcept {
    auto part = bytes_.subspan(position_, count);
    position_ += count;
    return part;
  }
  /// Moves forward by `count` bytes, never past the end (a size field may point beyond it).
  void skip(std::size_t count) noexcept { position_ += count < remaining() ? count : remaining(); }

 private:
  std::span<const std::uint8_t> bytes_;
  std::uint64_t base_offset_ = 0;
  std::size_t position_ = 0;
};

/// Reads a whole file into memory. Errors: kNotFound, kIo, kOutOfRange (over `max_bytes`).
/// Thread contract: OFF/CT (I/O).
Expected<std::vector<std::uint8_t>> read_binary_file(const std::string& path, std::uint64_t max_bytes);

}  // namespace resound::formats::detail
