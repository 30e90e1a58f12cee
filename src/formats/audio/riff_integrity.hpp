// Checks that a RIFF/WAVE file really holds the data its header declares (libsndfile shortens silently).
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "resound/core/expected.hpp"

namespace resound::formats::detail {

/// Reads up to `buffer.size()` bytes at `offset`; returns how many were read.
using ReadAt = std::function<std::size_t(std::uint64_t offset, std::span<std::uint8_t> buffer)>;

/// For a RIFF WAVE stream of `total_size` bytes: an error naming the byte offset when the `data`
/// chunk declares more bytes than the stream has. Anything that is not RIFF WAVE passes unchecked
/// (libsndfile validates the rest); so does a placeholder size (0 or 0xFFFFFFFF, written by
/// streaming recorders that never patched the header).
Expected<void> check_riff_data_chunk(const ReadAt& read_at, std::uint64_t total_size);

}  // namespace resound::formats::detail
