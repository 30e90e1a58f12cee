// Phase alignment of an incoming step: the lag maximising the stereo cross-correlation, by FFT.
#pragma once

#include <cstdint>
#include <span>

namespace resound::track {

/// Lag (frames) such that `incoming` delayed by it best matches `outgoing`:
/// argmax over lag of Σ_c Σ_i outgoing_c[i+lag]·incoming_c[i], lag in [−(n−1), n−1], ties to the
/// most negative lag as np.argmax over np.correlate(…, 'full') does. O(n log n).
/// Thread contract: OFF (allocates).
std::int64_t best_alignment_lag(std::span<const float> outgoing_left, std::span<const float> outgoing_right,
                                std::span<const float> incoming_left, std::span<const float> incoming_right);

}  // namespace resound::track
