// Error naming and formatting.
#include "resound/core/error.hpp"

namespace resound {

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kCorruptData: return "corrupt_data";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kOutOfRange: return "out_of_range";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

Error Error::in_file(std::string file) const {
  Error copy = *this;
  if (copy.context_.file.empty()) copy.context_.file = std::move(file);
  return copy;
}

Error Error::in_field(const std::string& parent_field) const {
  Error copy = *this;
  if (copy.context_.field.empty()) {
    copy.context_.field = parent_field;
  } else if (!parent_field.empty()) {
    const bool is_index = copy.context_.field.front() == '[';
    copy.context_.field = parent_field + (is_index ? "" : ".") + copy.context_.field;
  }
  return copy;
}

Error Error::at_offset(std::uint64_t byte_offset) const {
  Error copy = *this;
  copy.context_.byte_offset = byte_offset;
  return copy;
}

std::string Error::describe() const {
  std::string text;
  if (!context_.file.empty()) text += context_.file + ": ";
  if (context_.byte_offset) text += "byte " + std::to_string(*context_.byte_offset) + ": ";
  if (!context_.field.empty()) text += context_.field + ": ";
  text += message_;
  return text;
}

}  // namespace resound
