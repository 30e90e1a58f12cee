// TailPolicy: where a MIDI render ends — exactly at the MIDI end, a fixed time after it, or when the mix falls silent.
#pragma once

#include <string>
#include <string_view>

#include "resound/core/expected.hpp"

namespace resound::synth {

struct TailPolicy {
  enum class Kind { kExact, kSeconds, kSilence };
  Kind kind = Kind::kSilence;
  double seconds = 0.0;          ///< kSeconds: time added after the MIDI end
  double threshold_db = -60.0;   ///< kSilence: the mix's peak level (dBFS) below which the render stops
  double max_tail_s = 30.0;      ///< kSilence: never run on longer than this after the MIDI end

  /// "exact" | "SECONDS" (e.g. "2.5") | "silence" | "silence:-60". Errors: kInvalidArgument.
  /// Thread contract: any thread except RT.
  static Expected<TailPolicy> parse(std::string_view text);
  [[nodiscard]] std::string describe() const;
};

}  // namespace resound::synth
