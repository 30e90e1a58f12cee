// Names and defaults of the audio formats Resound writes.
#include "resound/formats/audio_format.hpp"

#include <algorithm>
#include <cctype>

namespace resound::formats {

std::string AudioFormat::name() const {
  if (container == AudioContainer::kFlac) return encoding == SampleEncoding::kPcm16 ? "flac16" : "flac";
  switch (encoding) {
    case SampleEncoding::kPcm16: return "wav16";
    case SampleEncoding::kPcm24: return "wav24";
    case SampleEncoding::kFloat32: return "float";
  }
  return "wav16";
}

Expected<AudioFormat> parse_audio_format(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "wav16" || lower == "wav") return AudioFormat{AudioContainer::kWav, SampleEncoding::kPcm16};
  if (lower == "wav24") return AudioFormat{AudioContainer::kWav, SampleEncoding::kPcm24};
  if (lower == "float" || lower == "wav32f" || lower == "float32")
    return AudioFormat{AudioContainer::kWav, SampleEncoding::kFloat32};
  if (lower == "flac" || lower == "flac24") return AudioFormat{AudioContainer::kFlac, SampleEncoding::kPcm24};
  if (lower == "flac16") return AudioFormat{AudioContainer::kFlac, SampleEncoding::kPcm16};
  return Error{ErrorCode::kInvalidArgument,
               "unknown audio format '" + std::string(name) + "' (expected " + std::string(kAudioFormatNames) + ")",
               {.field = "format"}};
}

AudioFormat default_format_for_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (extension == ".flac") return {AudioContainer::kFlac, SampleEncoding::kPcm24};
  return {AudioContainer::kWav, SampleEncoding::kPcm16};
}

}  // namespace resound::formats
