// AtomicOutputFile: write to a hidden temp file beside the target, rename into place on commit.
#pragma once

#include <filesystem>
#include <string>

#include "resound/core/expected.hpp"

namespace resound::formats {

/// Owns a temp file in the target's folder. `commit()` flushes it to disk and renames it over the
/// target in one step, so readers see the old file or the complete new one, never a partial one.
/// Destroying it without committing (an error, a cancel, an exception in the caller) deletes the
/// temp file: a failed write leaves nothing behind.
/// Thread contract: OFF/CT, one thread at a time.
class AtomicOutputFile {
 public:
  /// Creates the temp file. Errors name `target` (folder missing, not writable, …).
  static Expected<AtomicOutputFile> create(const std::filesystem::path& target);

  AtomicOutputFile(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile& operator=(AtomicOutputFile&& other) noexcept;
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;
  ~AtomicOutputFile();

  /// The open file descriptor of the temp file (valid until commit/discard).
  [[nodiscard]] int descriptor() const noexcept { return descriptor_; }
  [[nodiscard]] const std::filesystem::path& target() const noexcept { return target_; }
  [[nodiscard]] const std::filesystem::path& temp_path() const noexcept { return temp_path_; }

  /// fsyncs, closes and renames the temp file to the target.
  Expected<void> commit();
  /// Closes and deletes the temp file (also done by the destructor when not committed).
  void discard() noexcept;

 private:
  AtomicOutputFile(std::filesystem::path target, std::filesystem::path temp_path, int descriptor);

  std::filesystem::path target_;
  std::filesystem::path temp_path_;
  int descriptor_ = -1;
};

}  // namespace resound::formats
