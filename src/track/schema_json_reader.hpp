// JsonReader: typed access to nlohmann::json values that reports errors with their JSON path (schema only).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track::detail {

using Json = nlohmann::json;

/// Joins a parent path and a key: "progression[2]" + "voices" → "progression[2].voices".
std::string child_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t index);

Error type_error(const std::string& path, std::string_view expected);

/// A number (or a numeric string, as Python's float() accepts), else an error naming `path`.
Expected<double> read_number(const Json& value, const std::string& path);
Expected<std::string> read_string(const Json& value, const std::string& path);
Expected<bool> read_bool(const Json& value, const std::string& path);

/// The first present, non-null key among `keys` in `object`, or nullptr.
const Json* first_key(const Json& object, std::initializer_list<std::string_view> keys, std::string* found_key = nullptr);

/// Optional number under any of `keys` (first present wins).
Expected<std::optional<double>> optional_number(const Json& object, std::initializer_list<std::string_view> keys,
                                                const std::string& path);

/// Appends "path.key: unknown key (ignored)" for keys of `object` not in `known`.
void collect_unknown_keys(const Json& object, std::initializer_list<std::string_view> known, const std::string& path,
                          std::vector<std::string>& warnings);

/// Converts a JSON value to a ParamValue (nulls inside lists/objects are dropped).
ParamValue to_param_value(const Json& value);

/// `[[t, amp], …]` → points, validated.
Expected<std::vector<EnvelopePoint>> read_envelope_points(const Json& value, const std::string& path);

}  // namespace resound::track::detail
