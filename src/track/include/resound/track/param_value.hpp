// ParamValue / ParamMap: JSON-free voice parameters (numbers, bools, strings, lists, objects) with typed getters.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace resound::track {

struct ParamValue;
using ParamList = std::vector<ParamValue>;
using ParamMap = std::map<std::string, ParamValue, std::less<>>;

/// One parameter value as written in the track JSON. `null` values are dropped by the schema
/// (as the original does), so there is no null alternative.
struct ParamValue {
  std::variant<double, bool, std::string, std::shared_ptr<const ParamList>, std::shared_ptr<const ParamMap>> value;

  [[nodiscard]] bool is_number() const noexcept { return value.index() == 0; }
  [[nodiscard]] bool is_bool() const noexcept { return value.index() == 1; }
  [[nodiscard]] bool is_string() const noexcept { return value.index() == 2; }
  [[nodiscard]] const ParamList* list() const noexcept;
  [[nodiscard]] const ParamMap* object() const noexcept;
  /// Number (bools count as 0/1, numeric strings are parsed as Python's float() would).
  [[nodiscard]] std::optional<double> as_number() const noexcept;
  /// Python truthiness for flags: numbers ≠ 0, true, and "true"/"yes"/"on"/"1".
  [[nodiscard]] bool truthy() const noexcept;
  [[nodiscard]] std::string as_string() const;
};

/// Typed look-ups with defaults. Thread contract: const, any thread (OFF/CT: they may allocate strings).
[[nodiscard]] const ParamValue* find_param(const ParamMap& params, std::string_view key) noexcept;
[[nodiscard]] double number_param(const ParamMap& params, std::string_view key, double fallback) noexcept;
[[nodiscard]] bool flag_param(const ParamMap& params, std::string_view key, bool fallback) noexcept;
[[nodiscard]] std::string string_param(const ParamMap& params, std::string_view key, std::string_view fallback);

/// A transition pair: start falls back to `static_key` then `fallback`; end falls back to start.
struct StartEnd {
  double start = 0.0;
  double end = 0.0;
};
/// Reads `start<Name>`/`end<Name>` (camel case) with the spec's fallbacks. `static_key` may be empty.
[[nodiscard]] StartEnd transition_param(const ParamMap& params, std::string_view name, std::string_view static_key,
                                        double fallback);
/// Reads explicit keys: `start_key` (falls back to `static_key`, then `fallback`), `end_key` (falls back to start,
/// or to `end_fallback` when given: some voices' end values do not default to their start values).
[[nodiscard]] StartEnd transition_keys(const ParamMap& params, std::string_view start_key, std::string_view end_key,
                                       std::string_view static_key, double fallback,
                                       std::optional<double> end_fallback = std::nullopt);

}  // namespace resound::track
