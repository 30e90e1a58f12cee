// TailPolicy::parse: the --tail / tail= option grammar.
#include "resound/synth/tail_policy.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace resound::synth {
namespace {

bool parse_number(std::string_view text, double& value) {
  if (text.empty()) return false;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() && std::isfinite(value);
}

}  // namespace

Expected<TailPolicy> TailPolicy::parse(std::string_view text) {
  TailPolicy policy;
  if (text == "exact") {
    policy.kind = Kind::kExact;
    return policy;
  }
  if (text == "silence") return policy;
  if (text.starts_with("silence:")) {
    double level = 0.0;
    if (!parse_number(text.substr(8), level) || level >= 0.0 || level < -200.0)
      return Error{ErrorCode::kInvalidArgument, "tail threshold must be a negative dBFS level, like silence:-60",
                   {.field = "tail"}};
    policy.threshold_db = level;
    return policy;
  }
  double seconds = 0.0;
  if (parse_number(text, seconds) && seconds >= 0.0 && seconds <= 3600.0) {
    policy.kind = Kind::kSeconds;
    policy.seconds = seconds;
    return policy;
  }
  return Error{ErrorCode::kInvalidArgument,
               "unknown tail policy '" + std::string(text) + "' (use exact, SECONDS or silence:-60)", {.field = "tail"}};
}

std::string TailPolicy::describe() const {
  char text[64];
  switch (kind) {
    case Kind::kExact: return "exact";
    case Kind::kSeconds: std::snprintf(text, sizeof text, "%g s", seconds); return text;
    case Kind::kSilence: std::snprintf(text, sizeof text, "silence:%g", threshold_db); return text;
  }
  return {};
}

}  // namespace resound::synth
