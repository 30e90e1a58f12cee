// AudioFormat: the container + sample encoding of an audio file Resound writes (wav16, flac, …).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "resound/core/expected.hpp"

namespace resound::formats {

enum class AudioContainer { kWav, kFlac };
enum class SampleEncoding { kPcm16, kPcm24, kFloat32 };

/// What to write: a container and a sample encoding. FLAC holds PCM only (16 or 24 bit).
struct AudioFormat {
  AudioContainer container = AudioContainer::kWav;
  SampleEncoding encoding = SampleEncoding::kPcm16;

  /// The CLI/Python name: "wav16", "wav24", "float", "flac" (24-bit), "flac16".
  [[nodiscard]] std::string name() const;
  friend bool operator==(const AudioFormat&, const AudioFormat&) = default;
};

/// Parses a format name: wav16, wav24, float (or wav32f), flac (= flac24), flac16, flac24.
Expected<AudioFormat> parse_audio_format(std::string_view name);

/// The usual format for a path's extension: .flac -> flac (24-bit), anything else -> wav16.
AudioFormat default_format_for_path(const std::filesystem::path& path);

/// The names parse_audio_format accepts, for help texts.
inline constexpr std::string_view kAudioFormatNames = "wav16|wav24|float|flac|flac16";

}  // namespace resound::formats
