// process_audio_file_with_chain: streams a file through an effect chain into a new file.
#pragma once

#include <filesystem>
#include <optional>

#include "resound/core/expected.hpp"
#include "resound/core/progress.hpp"
#include "resound/formats/audio_format.hpp"
#include "resound/fx/chain.hpp"

namespace resound::host {

struct FxFileOptions {
  std::optional<formats::AudioFormat> format;  ///< default: from the output's extension, keeping precision
  double tail_s = 0.0;                         ///< silence fed after the input so reverbs ring out
  std::size_t block_frames = 4096;
};

struct FxFileResult {
  double sample_rate_hz = 0.0;
  std::size_t channel_count = 0;
  std::int64_t frames_written = 0;
  std::size_t latency_frames = 0;  ///< compensated: the output is aligned with the input
};

/// Reads `input` block by block, runs `chain` (prepared at the file's rate and channel count) and
/// writes `output` atomically through host::render_to_file — constant memory for any length. The
/// chain's latency is compensated (output frame i corresponds to input frame i) and `tail_s` of
/// the tail is kept after the input's end.
/// Thread contract: OFF/CT.
Expected<FxFileResult> process_audio_file_with_chain(const std::filesystem::path& input, const std::filesystem::path& output,
                                                     fx::Chain& chain, const FxFileOptions& options = {},
                                                     const ProgressCallback& progress = {});

}  // namespace resound::host
