// read_binary_file: loads a whole (bounded) file into memory for the in-memory SMF and SF2 parsers.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "byte_reader.hpp"

namespace resound::formats::detail {

Expected<std::vector<std::uint8_t>> read_binary_file(const std::string& path, std::uint64_t max_bytes) {
  std::error_code status_error;
  if (!std::filesystem::exists(path, status_error))
    return Error{ErrorCode::kNotFound, "file not found", {.file = path}};
  const auto size = std::filesystem::file_size(path, status_error);
  if (status_error) return Error{ErrorCode::kIo, "cannot read file size: " + status_error.message(), {.file = path}};
  if (size > max_bytes)
    return Error{ErrorCode::kOutOfRange, "file is too large (" + std::to_string(size) + " bytes)", {.file = path}};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{ErrorCode::kIo, "cannot open file", {.file = path}};
  std::vector<std::uint8_t> bytes(size);
  if (size > 0 && std::fread(bytes.data(), 1, size, file.get()) != size)
    return Error{ErrorCode::kIo, "short read", {.file = path}};
  return bytes;
}

}  // namespace resound::formats::detail
