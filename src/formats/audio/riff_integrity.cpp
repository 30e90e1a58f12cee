// RIFF chunk walk that finds the data chunk and compares its declared size with the stream size.
#include "riff_integrity.hpp"

#include <array>
#include <cstring>
#include <string>

namespace resound::formats::detail {
namespace {

std::uint32_t read_le32(const std::uint8_t* bytes) {
  return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
         static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

// A WAV holds a handful of chunks; a walk longer than this is a corrupt or hostile file.
constexpr int kMaxChunksWalked = 4096;

}  // namespace

Expected<void> check_riff_data_chunk(const ReadAt& read_at, std::uint64_t total_size) {
  std::array<std::uint8_t, 12> header{};
  if (read_at(0, header) < header.size()) return ok();
  if (std::memcmp(header.data(), "RIFF", 4) != 0 || std::memcmp(header.data() + 8, "WAVE", 4) != 0) return ok();

  std::uint64_t offset = 12;
  for (int chunk = 0; chunk < kMaxChunksWalked && offset + 8 <= total_size; ++chunk) {
    std::array<std::uint8_t, 8> chunk_header{};
    if (read_at(offset, chunk_header) < chunk_header.size()) break;
    const std::uint32_t declared_size = read_le32(chunk_header.data() + 4);
    const std::uint64_t body_offset = offset + 8;
    if (std::memcmp(chunk_header.data(), "data", 4) == 0) {
      if (declared_size == 0 || declared_size == 0xFFFFFFFFu) return ok();
      const std::uint64_t available = total_size - body_offset;
      if (declared_size > available) {
        return Error{ErrorCode::kCorruptData,
                     "truncated WAV: the data chunk declares " + std::to_string(declared_size) +
                         " bytes but only " + std::to_string(available) + " follow",
                     {.field = "data chunk", .byte_offset = offset}};
      }
      return ok();
    }
    offset = body_offset + declared_size + (declared_size & 1u);  // chunks are padded to even sizes
  }
  return ok();
}

}  // namespace resound::formats::detail
