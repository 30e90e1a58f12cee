// Error: what went wrong in library code, with enough context (file, field, byte offset) to act on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace resound {

/// Broad classes of failure; outer layers map them to exit codes, exceptions and HTTP statuses.
enum class ErrorCode {
  kInvalidArgument,  ///< the caller passed a bad value (option, range, shape)
  kNotFound,         ///< a file, preset or key does not exist
  kIo,               ///< the operating system refused a read or write
  kCorruptData,      ///< a file's contents break its format (truncated, inconsistent sizes, bad magic)
  kUnsupported,      ///< valid input that Resound does not handle (yet)
  kOutOfRange,       ///< a value or size beyond what Resound accepts (absurd sizes from a file)
  kCancelled,        ///< the caller cancelled a long operation
  kUnavailable,      ///< a device or service is not there (no audio server, no GPU)
  kInternal,         ///< a Resound bug
};

/// Stable lower-case name of an error code ("corrupt_data"), used in JSON and messages.
const char* error_code_name(ErrorCode code) noexcept;

/// Where an error happened: any of the fields may be empty.
struct ErrorContext {
  std::string file;                         ///< path of the file being read or written
  std::string field;                        ///< offending field or JSON path ("progression[2].voices[0]")
  std::optional<std::uint64_t> byte_offset; ///< offset in the file where the problem was found
};

/// An error value: code, human message, context. Cheap enough to return by value.
/// Thread contract: a plain value; any thread except RT (it allocates).
class Error {
 public:
  Error(ErrorCode code, std::string message, ErrorContext context = {})
      : code_(code), message_(std::move(message)), context_(std::move(context)) {}

  [[nodiscard]] ErrorCode code() const noexcept { return code_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  [[nodiscard]] const ErrorContext& context() const noexcept { return context_; }

  /// Returns a copy with the file set (when not already set): lets an outer function name the file.
  [[nodiscard]] Error in_file(std::string file) const;
  /// Returns a copy with the field set, or prefixed with `parent_field` when one is already set.
  [[nodiscard]] Error in_field(const std::string& parent_field) const;
  /// Returns a copy with the byte offset set.
  [[nodiscard]] Error at_offset(std::uint64_t byte_offset) const;

  /// One line for people: "song.mid: byte 1234: tempo: truncated event".
  [[nodiscard]] std::string describe() const;

 private:
  ErrorCode code_;
  std::string message_;
  ErrorContext context_;
};

}  // namespace resound
