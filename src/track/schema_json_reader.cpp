// JsonReader helpers: typed JSON access with path-naming errors for the track schema.
#include "schema_json_reader.hpp"

#include "resound/track/track_spec.hpp"

namespace resound::track::detail {

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

Error type_error(const std::string& path, std::string_view expected) {
  return Error(ErrorCode::kInvalidArgument, "expected " + std::string(expected), ErrorContext{.field = path});
}

Expected<double> read_number(const Json& value, const std::string& path) {
  if (value.is_number()) return value.get<double>();
  if (value.is_boolean()) return value.get<bool>() ? 1.0 : 0.0;
  if (value.is_string()) {
    ParamValue text{value.get<std::string>()};
    if (auto number = text.as_number()) return *number;
  }
  return type_error(path, "a number");
}

Expected<std::string> read_string(const Json& value, const std::string& path) {
  if (value.is_string()) return value.get<std::string>();
  return type_error(path, "a string");
}

Expected<bool> read_bool(const Json& value, const std::string& path) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number() || value.is_string()) return to_param_value(value).truthy();
  return type_error(path, "true or false");
}

const Json* first_key(const Json& object, std::initializer_list<std::string_view> keys, std::string* found_key) {
  for (std::string_view key : keys) {
    auto found = object.find(std::string(key));
    if (found != object.end() && !found->is_null()) {
      if (found_key != nullptr) *found_key = std::string(key);
      return &*found;
    }
  }
  return nullptr;
}

Expected<std::optional<double>> optional_number(const Json& object, std::initializer_list<std::string_view> keys,
                                                const std::string& path) {
  std::string key;
  const Json* value = first_key(object, keys, &key);
  if (value == nullptr) return std::optional<double>{};
  auto number = read_number(*value, child_path(path, key));
  if (!number) return number.error();
  return std::optional<double>{*number};
}

void collect_unknown_keys(const Json& object, std::initializer_list<std::string_view> known, const std::string& path,
                          std::vector<std::string>& warnings) {
  for (const auto& item : object.items()) {
    bool is_known = false;
    for (std::string_view key : known) is_known = is_known || item.key() == key;
    if (!is_known) warnings.push_back(child_path(path, item.key()) + ": unknown key (ignored)");
  }
}

ParamValue to_param_value(const Json& value) {
  if (value.is_boolean()) return ParamValue{value.get<bool>()};
  if (value.is_number()) return ParamValue{value.get<double>()};
  if (value.is_string()) return ParamValue{value.get<std::string>()};
  if (value.is_array()) {
    auto items = std::make_shared<ParamList>();
    for (const auto& item : value)
      if (!item.is_null()) items->push_back(to_param_value(item));
    return ParamValue{std::shared_ptr<const ParamList>(std::move(items))};
  }
  auto members = std::make_shared<ParamMap>();
  if (value.is_object())
    for (const auto& item : value.items())
      if (!item.value().is_null()) members->emplace(item.key(), to_param_value(item.value()));
  return ParamValue{std::shared_ptr<const ParamMap>(std::move(members))};
}

Expected<std::vector<EnvelopePoint>> read_envelope_points(const Json& value, const std::string& path) {
  std::vector<EnvelopePoint> points;
  if (!value.is_array()) return type_error(path, "a list of [time_s, amplitude] pairs");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = index_path(path, i);
    const Json& item = value[i];
    if (!item.is_array() || item.size() < 2) return type_error(item_path, "a [time_s, amplitude] pair");
    auto time_s = read_number(item[0], index_path(item_path, 0));
    if (!time_s) return time_s.error();
    auto amplitude = read_number(item[1], index_path(item_path, 1));
    if (!amplitude) return amplitude.error();
    points.push_back({*time_s, *amplitude});
  }
  return points;
}

}  // namespace resound::track::detail
