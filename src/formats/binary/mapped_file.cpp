// MappedFile: mmap(MAP_PRIVATE) of a whole file, unmapped by its last owner.
#include "mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>

namespace resound::formats::detail {

std::optional<MappedFile> map_file_copy_on_write(const std::string& path, std::uint64_t max_bytes) {
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) return std::nullopt;
  struct stat status {};
  if (::fstat(descriptor, &status) != 0 || !S_ISREG(status.st_mode) || status.st_size <= 0 ||
      static_cast<std::uint64_t>(status.st_size) > max_bytes) {
    ::close(descriptor);
    return std::nullopt;
  }
  const auto size = static_cast<std::size_t>(status.st_size);
  void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0);
  ::close(descriptor);  // the mapping keeps the file
  if (address == MAP_FAILED) return std::nullopt;
  auto* bytes = static_cast<std::uint8_t*>(address);
  return MappedFile{std::shared_ptr<std::uint8_t>(bytes, [size](std::uint8_t* at) { ::munmap(at, size); }), {bytes, size}};
}

bool make_resident(std::span<const std::uint8_t> bytes) noexcept {
  if (bytes.empty()) return true;
  // madvise wants a page-aligned start; mlock rounds down by itself.
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(bytes.data()) & ~(page - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(bytes.data() + bytes.size());
  (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_WILLNEED);  // advice only: failure changes nothing
  return ::mlock(bytes.data(), bytes.size()) == 0;
}

void MappedFile::seal() const noexcept { ::mprotect(bytes.data(), bytes.size(), PROT_READ); }

}  // namespace resound::formats::detail
