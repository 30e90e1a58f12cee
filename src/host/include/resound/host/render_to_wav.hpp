// render_to_file_fast: render_to_file with a fast path for PCM WAV (quantised here, written in large blocks).
#pragma once

#include <filesystem>

#include "resound/host/render_to_file.hpp"

namespace resound::host {

/// Same contract and same file content as render_to_file. For 16- and 24-bit PCM WAV without
/// dither (the usual MIDI render), the samples are quantised here with vector instructions (round
/// to nearest, clip at ±1, NaN → 0: exactly the foundation writer's rule) and written through an
/// AtomicOutputFile in 1 MiB blocks, as a classic RIFF WAV. libsndfile's per-sample conversion,
/// interleaving and small writes cost a quarter of a fast synthesizer's render. Anything else
/// (FLAC, float, dither, a WAV announced past 4 GiB) goes through render_to_file.
/// Thread contract: OFF/CT (the calling thread renders; no audio device involved).
Expected<RenderResult> render_to_file_fast(Source& source, const std::filesystem::path& path,
                                           const RenderToFileOptions& options = {}, const ProgressCallback& progress = {});

}  // namespace resound::host
