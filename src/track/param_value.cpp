// Typed access to voice parameters, with the original engine's fallback rules.
#include "resound/track/param_value.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace resound::track {

const ParamList* ParamValue::list() const noexcept {
  if (auto* pointer = std::get_if<3>(&value)) return pointer->get();
  return nullptr;
}

const ParamMap* ParamValue::object() const noexcept {
  if (auto* pointer = std::get_if<4>(&value)) return pointer->get();
  return nullptr;
}

std::optional<double> ParamValue::as_number() const noexcept {
  if (auto* number = std::get_if<0>(&value)) return *number;
  if (auto* flag = std::get_if<1>(&value)) return *flag ? 1.0 : 0.0;
  if (auto* text = std::get_if<2>(&value)) {
    const char* begin = text->c_str();
    char* end = nullptr;
    const double parsed = std::strtod(begin, &end);
    if (end == begin) return std::nullopt;
    while (*end != '\0' && std::isspace(static_cast<unsigned char>(*end))) ++end;
    if (*end != '\0') return std::nullopt;
    return parsed;
  }
  return std::nullopt;
}

bool ParamValue::truthy() const noexcept {
  if (auto* text = std::get_if<2>(&value)) {
    std::string lower;
    for (char c : *text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return lower == "true" || lower == "yes" || lower == "on" || lower == "1" || lower == "y";
  }
  if (auto number = as_number()) return *number != 0.0;
  if (const auto* items = list()) return !items->empty();
  if (const auto* members = object()) return !members->empty();
  return false;
}

std::string ParamValue::as_string() const {
  if (auto* text = std::get_if<2>(&value)) return *text;
  if (auto* flag = std::get_if<1>(&value)) return *flag ? "True" : "False";
  if (auto* number = std::get_if<0>(&value)) return std::to_string(*number);
  return {};
}

const ParamValue* find_param(const ParamMap& params, std::string_view key) noexcept {
  auto found = params.find(key);
  return found == params.end() ? nullptr : &found->second;
}

double number_param(const ParamMap& params, std::string_view key, double fallback) noexcept {
  const ParamValue* value = find_param(params, key);
  if (value == nullptr) return fallback;
  return value->as_number().value_or(fallback);
}

bool flag_param(const ParamMap& params, std::string_view key, bool fallback) noexcept {
  const ParamValue* value = find_param(params, key);
  return value == nullptr ? fallback : value->truthy();
}

std::string string_param(const ParamMap& params, std::string_view key, std::string_view fallback) {
  const ParamValue* value = find_param(params, key);
  return value == nullptr ? std::string(fallback) : value->as_string();
}

namespace {
std::string capitalised(std::string_view name) {
  std::string result(name);
  if (!result.empty()) result[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(result[0])));
  return result;
}
}  // namespace

StartEnd transition_keys(const ParamMap& params, std::string_view start_key, std::string_view end_key,
                         std::string_view static_key, double fallback, std::optional<double> end_fallback) {
  double base = static_key.empty() ? fallback : number_param(params, static_key, fallback);
  StartEnd pair;
  pair.start = number_param(params, start_key, base);
  pair.end = number_param(params, end_key, end_fallback.value_or(pair.start));
  return pair;
}

StartEnd transition_param(const ParamMap& params, std::string_view name, std::string_view static_key,
                          double fallback) {
  const std::string suffix = capitalised(name);
  return transition_keys(params, "start" + suffix, "end" + suffix, static_key, fallback);
}

}  // namespace resound::track
