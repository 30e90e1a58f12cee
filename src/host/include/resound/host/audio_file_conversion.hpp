// convert_audio_file: any readable audio file -> WAV/FLAC, optionally resampled, streamed and atomic.
#pragma once

#include <filesystem>
#include <optional>

#include "resound/core/expected.hpp"
#include "resound/core/progress.hpp"
#include "resound/dsp/resampler.hpp"
#include "resound/formats/audio_format.hpp"

namespace resound::host {

struct ConversionOptions {
  std::optional<double> sample_rate_hz;           ///< unset: keep the input's rate
  std::optional<formats::AudioFormat> format;     ///< unset: from the output extension and input encoding
  dsp::ResampleQuality quality = dsp::ResampleQuality::kHigh;
  bool dither = false;                            ///< TPDF dither when writing 16-bit
};

struct ConversionResult {
  formats::AudioFormat format;
  double sample_rate_hz = 0.0;
  std::size_t channel_count = 0;
  std::int64_t frames_written = 0;
};

/// The format a conversion picks when none is given: FLAC (24-bit) for .flac; for other
/// extensions a WAV that keeps the input's precision (16-bit sources -> wav16, float -> float, else wav24).
formats::AudioFormat choose_output_format(const std::filesystem::path& output, const std::string& input_encoding);

/// Streams `input` into `output` with constant memory. On any error or cancel, `output` is left
/// untouched (an existing file keeps its old contents). Thread contract: OFF/CT.
Expected<ConversionResult> convert_audio_file(const std::filesystem::path& input, const std::filesystem::path& output,
                                              const ConversionOptions& options = {},
                                              const ProgressCallback& progress = {});

}  // namespace resound::host
