// inspect_audio_file: header facts plus measured peak and RMS of an audio file, in constant memory.
#pragma once

#include <filesystem>

#include "resound/core/expected.hpp"
#include "resound/core/progress.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace resound::host {

struct AudioFileReport {
  formats::AudioFileInfo info;
  double peak_dbfs = 0.0;            ///< largest |sample| over all channels, dB re full scale
  double rms_dbfs = 0.0;             ///< RMS over all samples of all channels, dB re full scale
  std::int64_t non_finite_samples = 0;  ///< NaN/inf samples found (float files only)
};

/// Decodes the whole file block by block and measures it. Thread contract: OFF/CT.
Expected<AudioFileReport> inspect_audio_file(const std::filesystem::path& path, const ProgressCallback& progress = {});

}  // namespace resound::host
