// render_to_file: pulls blocks from any Source and streams them to an audio file (constant memory).
#pragma once

#include <filesystem>

#include "resound/core/expected.hpp"
#include "resound/core/processor.hpp"
#include "resound/core/progress.hpp"
#include "resound/formats/audio_format.hpp"

namespace resound::host {

struct RenderToFileOptions {
  double sample_rate_hz = 44100.0;
  formats::AudioFormat format{};      ///< default wav16
  bool dither = false;                ///< TPDF dither when writing 16-bit
  std::size_t block_frames = 4096;    ///< render block size (output does not depend on it)
  /// Write at most this many frames (kUnknownLength: until the source ends). Rendering starts at the
  /// source's current position, so seek first to render an excerpt.
  std::int64_t max_frames = kUnknownLength;
};

struct RenderResult {
  std::int64_t frames_written = 0;
  double duration_s = 0.0;
};

/// Prepares `source`, pulls blocks until it ends (or max_frames), and writes them to `path`
/// atomically: on error or cancel nothing is left behind. Memory use does not grow with length.
/// Thread contract: OFF/CT (the calling thread renders; no audio device involved).
Expected<RenderResult> render_to_file(Source& source, const std::filesystem::path& path,
                                      const RenderToFileOptions& options = {}, const ProgressCallback& progress = {});

}  // namespace resound::host
