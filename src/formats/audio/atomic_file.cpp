// AtomicOutputFile: mkstemp in the target folder, fsync + rename to publish, unlink to discard.
#include "resound/formats/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace resound::formats {

AtomicOutputFile::AtomicOutputFile(std::filesystem::path target, std::filesystem::path temp_path, int descriptor)
    : target_(std::move(target)), temp_path_(std::move(temp_path)), descriptor_(descriptor) {}

AtomicOutputFile::AtomicOutputFile(AtomicOutputFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::move(other.temp_path_)),
      descriptor_(std::exchange(other.descriptor_, -1)) {}

AtomicOutputFile& AtomicOutputFile::operator=(AtomicOutputFile&& other) noexcept {
  if (this != &other) {
    discard();
    target_ = std::move(other.target_);
    temp_path_ = std::move(other.temp_path_);
    descriptor_ = std::exchange(other.descriptor_, -1);
  }
  return *this;
}

AtomicOutputFile::~AtomicOutputFile() { discard(); }

Expected<AtomicOutputFile> AtomicOutputFile::create(const std::filesystem::path& target) {
  const std::string target_name = target.string();
  if (target.filename().empty())
    return Error{ErrorCode::kInvalidArgument, "output path names a folder, not a file", {.file = target_name}};
  std::error_code error;
  if (std::filesystem::is_directory(target, error))
    return Error{ErrorCode::kInvalidArgument, "output path is a directory", {.file = target_name}};
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  // Hidden name in the same folder: rename() is only atomic within one filesystem.
  std::string pattern = (folder / ("." + target.filename().string() + ".resound-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int descriptor = ::mkostemp(name.data(), O_CLOEXEC);
  if (descriptor < 0)
    return Error{ErrorCode::kIo, std::string("cannot create output file: ") + std::strerror(errno),
                 {.file = target_name}};
  ::fchmod(descriptor, 0644);  // mkstemp makes 0600; rendered audio is meant to be shared
  return AtomicOutputFile(target, std::filesystem::path(name.data()), descriptor);
}

Expected<void> AtomicOutputFile::commit() {
  if (descriptor_ < 0)
    return Error{ErrorCode::kInternal, "output file already committed or discarded", {.file = target_.string()}};
  if (::fsync(descriptor_) != 0 || ::close(descriptor_) != 0) {
    const std::string reason = std::strerror(errno);
    descriptor_ = -1;
    discard();
    return Error{ErrorCode::kIo, "cannot finish writing: " + reason, {.file = target_.string()}};
  }
  descriptor_ = -1;
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    discard();
    return Error{ErrorCode::kIo, "cannot move output into place: " + reason, {.file = target_.string()}};
  }
  temp_path_.clear();
  return ok();
}

void AtomicOutputFile::discard() noexcept {
  if (descriptor_ >= 0) {
    ::close(descriptor_);
    descriptor_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

}  // namespace resound::formats
