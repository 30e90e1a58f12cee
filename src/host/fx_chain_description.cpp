// Effect-chain descriptions: JSON ↔ fx::Chain, the CLI's short specs, impulse-response files.
#include "resound/host/fx_chain_description.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/fx/algorithmic_reverb.hpp"
#include "resound/fx/chorus.hpp"
#include "resound/fx/convolution.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/fx/utility.hpp"

namespace resound::host {
namespace {

using Json = nlohmann::json;

Error field_error(const std::string& source, const std::string& field, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, message, ErrorContext{.file = source, .field = field});
}

const std::map<std::string, fx::FilterType>& filter_types() {
  static const std::map<std::string, fx::FilterType> types = {
      {"peak", fx::FilterType::kPeak},         {"lowshelf", fx::FilterType::kLowShelf}, {"highshelf", fx::FilterType::kHighShelf},
      {"lowpass", fx::FilterType::kLowPass},   {"highpass", fx::FilterType::kHighPass}, {"bandpass", fx::FilterType::kBandPass},
      {"notch", fx::FilterType::kNotch}};
  return types;
}

std::string filter_type_name(fx::FilterType type) {
  for (const auto& [name, value] : filter_types())
    if (value == type) return name;
  return "peak";
}

const std::map<std::string, fx::ImpulseResponseNormalization>& normalizations() {
  static const std::map<std::string, fx::ImpulseResponseNormalization> values = {
      {"none", fx::ImpulseResponseNormalization::kNone},
      {"peak", fx::ImpulseResponseNormalization::kPeak},
      {"energy", fx::ImpulseResponseNormalization::kEnergy}};
  return values;
}

// Reads the fields of one JSON object, remembering which were used so leftovers are reported.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, std::string source)
      : object_(object), path_(std::move(path)), source_(std::move(source)) {}

  Expected<double> number(const std::string& key, double fallback) {
    used_.insert(key);
    if (!object_.contains(key)) return fallback;
    const Json& value = object_.at(key);
    if (!value.is_number()) return field_error(source_, path_ + "." + key, "expected a number");
    return value.get<double>();
  }
  Expected<std::string> text(const std::string& key, const std::string& fallback) {
    used_.insert(key);
    if (!object_.contains(key)) return fallback;
    const Json& value = object_.at(key);
    if (!value.is_string()) return field_error(source_, path_ + "." + key, "expected a string");
    return value.get<std::string>();
  }
  Expected<bool> flag(const std::string& key, bool fallback) {
    used_.insert(key);
    if (!object_.contains(key)) return fallback;
    const Json& value = object_.at(key);
    if (!value.is_boolean()) return field_error(source_, path_ + "." + key, "expected true or false");
    return value.get<bool>();
  }
  const Json* child(const std::string& key) {
    used_.insert(key);
    return object_.contains(key) ? &object_.at(key) : nullptr;
  }
  Expected<void> finish() const {
    for (const auto& [key, value] : object_.items())
      if (!used_.count(key)) return field_error(source_, path_ + "." + key, "unknown field");
    return ok();
  }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  const Json& object_;
  std::string path_;
  std::string source_;
  std::set<std::string> used_;
};

#define RESOUND_TRY_ASSIGN(target, expression)        \
  do {                                                \
    auto resound_value_ = (expression);               \
    if (!resound_value_) return resound_value_.error(); \
    target = *resound_value_;                          \
  } while (false)

// Reads each field of `table` from `fields` into `parameters` (absent keys keep their values).
template <class Parameters>
Expected<void> read_number_fields(ObjectReader& fields, Parameters& parameters, std::span<const fx::NumberField<Parameters>> table) {
  for (const fx::NumberField<Parameters>& field : table)
    RESOUND_TRY_ASSIGN(parameters.*field.member, fields.number(field.name, parameters.*field.member));
  return ok();
}

// The JSON object {"type": type, field: value…} for the fields of `table`.
template <class Parameters>
Json describe_number_fields(const char* type, const Parameters& parameters, std::span<const fx::NumberField<Parameters>> table) {
  Json object{{"type", type}};
  for (const fx::NumberField<Parameters>& field : table) object[field.name] = parameters.*field.member;
  return object;
}

struct BuildContext {
  std::string source;
  std::filesystem::path base_directory;
  double tail_s = 0.0;
};

Expected<std::shared_ptr<fx::Chain>> build_chain(const Json& list, const std::string& path, BuildContext& context);

Expected<std::shared_ptr<Processor>> build_processor(const Json& item, const std::string& path, BuildContext& context) {
  if (!item.is_object()) return field_error(context.source, path, "expected an object with a \"type\"");
  ObjectReader fields(item, path, context.source);
  std::string type;
  RESOUND_TRY_ASSIGN(type, fields.text("type", ""));
  std::shared_ptr<Processor> processor;
  if (type == "convolution") {
    std::string ir;
    RESOUND_TRY_ASSIGN(ir, fields.text("ir", ""));
    if (ir.empty()) return field_error(context.source, path + ".ir", "convolution needs \"ir\": an impulse-response file");
    fx::ConvolutionOptions options;
    std::string normalize;
    RESOUND_TRY_ASSIGN(options.mix, fields.number("mix", 1.0));
    RESOUND_TRY_ASSIGN(normalize, fields.text("normalize", "energy"));
    if (!normalizations().count(normalize)) return field_error(context.source, path + ".normalize", "expected none, peak or energy");
    options.response.normalization = normalizations().at(normalize);
    RESOUND_TRY_ASSIGN(options.response.predelay_s, fields.number("predelay_s", 0.0));
    RESOUND_TRY_ASSIGN(options.response.max_length_s, fields.number("max_length_s", 0.0));
    RESOUND_TRY_ASSIGN(options.response.trim_leading_silence, fields.flag("trim_leading", false));
    RESOUND_TRY_ASSIGN(options.response.trim_trailing_silence, fields.flag("trim_trailing", true));
    RESOUND_TRY_ASSIGN(options.fixed_block, fields.flag("fixed_block", true));
    RESOUND_TRY_ASSIGN(options.worker_thread, fields.flag("worker_thread", false));
    std::filesystem::path ir_path(ir);
    if (ir_path.is_relative()) ir_path = context.base_directory / ir_path;
    Expected<fx::ImpulseResponse> response = read_impulse_response_file(ir_path);
    if (!response) return response.error().in_field(path + ".ir");
    context.tail_s = std::max(context.tail_s, static_cast<double>(response->audio.frame_count()) / response->sample_rate_hz +
                                                  options.response.predelay_s);
    processor = std::make_shared<fx::Convolution>(std::move(*response), options);
  } else if (type == "reverb") {
    fx::ReverbParameters parameters;
    if (auto read = read_number_fields(fields, parameters, fx::reverb_parameter_fields()); !read) return read.error();
    context.tail_s = std::max(context.tail_s, parameters.decay_s + parameters.predelay_s);
    processor = std::make_shared<fx::AlgorithmicReverb>(parameters);
  } else if (type == "chorus") {
    fx::ChorusParameters parameters;
    double voices = parameters.voices;
    if (auto read = read_number_fields(fields, parameters, fx::chorus_parameter_fields()); !read) return read.error();
    RESOUND_TRY_ASSIGN(voices, fields.number("voices", voices));
    parameters.voices = static_cast<int>(std::clamp(voices, 1.0, 8.0));
    processor = std::make_shared<fx::Chorus>(parameters);
  } else if (type == "eq") {
    std::vector<fx::EqBand> bands;
    const Json* list = fields.child("bands");
    if (list == nullptr || !list->is_array()) return field_error(context.source, path + ".bands", "eq needs \"bands\": an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string band_path = path + ".bands[" + std::to_string(i) + "]";
      if (!(*list)[i].is_object()) return field_error(context.source, band_path, "expected an object");
      ObjectReader band_fields((*list)[i], band_path, context.source);
      fx::EqBand band;
      std::string band_type;
      RESOUND_TRY_ASSIGN(band_type, band_fields.text("type", "peak"));
      if (!filter_types().count(band_type))
        return field_error(context.source, band_path + ".type", "expected peak, lowshelf, highshelf, lowpass, highpass, bandpass or notch");
      band.type = filter_types().at(band_type);
      RESOUND_TRY_ASSIGN(band.frequency_hz, band_fields.number("frequency_hz", band.frequency_hz));
      RESOUND_TRY_ASSIGN(band.gain_db, band_fields.number("gain_db", band.gain_db));
      RESOUND_TRY_ASSIGN(band.q, band_fields.number("q", band.q));
      RESOUND_TRY_ASSIGN(band.enabled, band_fields.flag("enabled", true));
      if (!(band.frequency_hz > 0.0)) return field_error(context.source, band_path + ".frequency_hz", "must be above 0 Hz");
      if (auto done = band_fields.finish(); !done) return done.error();
      bands.push_back(band);
    }
    if (bands.size() > fx::ParametricEq::kMaxBands)
      return field_error(context.source, path + ".bands", "at most " + std::to_string(fx::ParametricEq::kMaxBands) + " bands");
    processor = std::make_shared<fx::ParametricEq>(bands);
  } else if (type == "compressor") {
    fx::CompressorParameters parameters;
    std::string detector;
    if (auto read = read_number_fields(fields, parameters, fx::compressor_parameter_fields()); !read) return read.error();
    RESOUND_TRY_ASSIGN(detector, fields.text("detector", "peak"));
    if (detector != "peak" && detector != "rms") return field_error(context.source, path + ".detector", "expected peak or rms");
    parameters.detector = detector == "rms" ? fx::LevelDetector::kRms : fx::LevelDetector::kPeak;
    processor = std::make_shared<fx::Compressor>(parameters);
  } else if (type == "limiter") {
    fx::LimiterParameters parameters;
    if (auto read = read_number_fields(fields, parameters, fx::limiter_parameter_fields()); !read) return read.error();
    processor = std::make_shared<fx::Limiter>(parameters);
  } else if (type == "gain") {
    double gain_db = 0.0;
    RESOUND_TRY_ASSIGN(gain_db, fields.number("gain_db", 0.0));
    processor = std::make_shared<fx::Gain>(gain_db);
  } else if (type == "pan") {
    double position = 0.0;
    RESOUND_TRY_ASSIGN(position, fields.number("position", 0.0));
    processor = std::make_shared<fx::Pan>(position);
  } else if (type == "bus") {
    auto bus = std::make_shared<fx::Bus>();
    const Json* branches = fields.child("branches");
    if (branches == nullptr || !branches->is_array()) return field_error(context.source, path + ".branches", "bus needs \"branches\": an array");
    for (std::size_t i = 0; i < branches->size(); ++i) {
      const std::string branch_path = path + ".branches[" + std::to_string(i) + "]";
      if (!(*branches)[i].is_object()) return field_error(context.source, branch_path, "expected {\"gain_db\": …, \"chain\": […]}");
      ObjectReader branch_fields((*branches)[i], branch_path, context.source);
      double gain_db = 0.0;
      RESOUND_TRY_ASSIGN(gain_db, branch_fields.number("gain_db", 0.0));
      const Json* list = branch_fields.child("chain");
      if (list == nullptr) return field_error(context.source, branch_path + ".chain", "branch needs \"chain\": an array");
      auto chain = build_chain(*list, branch_path + ".chain", context);
      if (!chain) return chain.error();
      if (auto done = branch_fields.finish(); !done) return done.error();
      bus->add_branch(*chain, gain_db);
    }
    processor = bus;
  } else {
    return field_error(context.source, path + ".type",
                       "unknown processor type \"" + type + "\" (convolution, reverb, chorus, eq, compressor, limiter, gain, pan, bus)");
  }
  if (auto done = fields.finish(); !done) return done.error();
  return processor;
}

Expected<std::shared_ptr<fx::Chain>> build_chain(const Json& list, const std::string& path, BuildContext& context) {
  if (!list.is_array()) return field_error(context.source, path, "expected an array of processors");
  auto chain = std::make_shared<fx::Chain>();
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto processor = build_processor(list[i], path + "[" + std::to_string(i) + "]", context);
    if (!processor) return processor.error();
    chain->add(*processor);
  }
  return chain;
}

Json describe_processor(const Processor& processor);

Json describe_list(const fx::Chain& chain) {
  Json list = Json::array();
  for (const auto& processor : chain.processors()) list.push_back(describe_processor(*processor));
  return list;
}

Json describe_processor(const Processor& processor) {
  if (const auto* convolution = dynamic_cast<const fx::Convolution*>(&processor)) {
    const fx::ConvolutionOptions& options = convolution->options();
    std::string normalize = "energy";
    for (const auto& [name, value] : normalizations())
      if (value == options.response.normalization) normalize = name;
    return {{"type", "convolution"}, {"ir", convolution->response().name}, {"mix", options.mix}, {"normalize", normalize},
            {"predelay_s", options.response.predelay_s}, {"max_length_s", options.response.max_length_s},
            {"trim_leading", options.response.trim_leading_silence}, {"trim_trailing", options.response.trim_trailing_silence},
            {"fixed_block", options.fixed_block}, {"worker_thread", options.worker_thread}};
  }
  if (const auto* reverb = dynamic_cast<const fx::AlgorithmicReverb*>(&processor)) {
    return describe_number_fields("reverb", reverb->parameters(), fx::reverb_parameter_fields());
  }
  if (const auto* chorus = dynamic_cast<const fx::Chorus*>(&processor)) {
    Json object = describe_number_fields("chorus", chorus->parameters(), fx::chorus_parameter_fields());
    object["voices"] = chorus->parameters().voices;
    return object;
  }
  if (const auto* eq = dynamic_cast<const fx::ParametricEq*>(&processor)) {
    Json bands = Json::array();
    for (const fx::EqBand& band : eq->bands())
      bands.push_back({{"type", filter_type_name(band.type)}, {"frequency_hz", band.frequency_hz}, {"gain_db", band.gain_db},
                       {"q", band.q}, {"enabled", band.enabled}});
    return {{"type", "eq"}, {"bands", bands}};
  }
  if (const auto* compressor = dynamic_cast<const fx::Compressor*>(&processor)) {
    Json object = describe_number_fields("compressor", compressor->parameters(), fx::compressor_parameter_fields());
    object["detector"] = compressor->parameters().detector == fx::LevelDetector::kRms ? "rms" : "peak";
    return object;
  }
  if (const auto* limiter = dynamic_cast<const fx::Limiter*>(&processor)) {
    return describe_number_fields("limiter", limiter->parameters(), fx::limiter_parameter_fields());
  }
  if (const auto* gain = dynamic_cast<const fx::Gain*>(&processor)) return {{"type", "gain"}, {"gain_db", gain->gain_db()}};
  if (const auto* pan = dynamic_cast<const fx::Pan*>(&processor)) return {{"type", "pan"}, {"position", pan->position()}};
  if (const auto* bus = dynamic_cast<const fx::Bus*>(&processor)) {
    Json branches = Json::array();
    for (std::size_t i = 0; i < bus->branch_count(); ++i) {
      const auto* chain = dynamic_cast<const fx::Chain*>(bus->branch(i).get());
      const Json list = chain != nullptr ? describe_list(*chain) : Json::array({describe_processor(*bus->branch(i))});
      branches.push_back({{"gain_db", bus->branch_gain_db(i)}, {"chain", list}});
    }
    return {{"type", "bus"}, {"branches", branches}};
  }
  if (const auto* chain = dynamic_cast<const fx::Chain*>(&processor)) {
    return {{"type", "bus"}, {"branches", Json::array({{{"gain_db", 0.0}, {"chain", describe_list(*chain)}}})}};
  }
  return {{"type", "unknown"}};
}

// Splits on `separator`, keeping empty pieces (so "a,,b" reports an empty item).
std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    pieces.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

std::optional<double> to_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

Error spec_error(const std::string& option, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument, message, ErrorContext{.field = option});
}

}  // namespace

Expected<fx::ImpulseResponse> read_impulse_response_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  auto reader = formats::AudioFileReader::open(path);
  if (!reader) return reader.error().in_file(name);
  const formats::AudioFileInfo info = reader->info();
  if (info.duration_s() > fx::kMaxImpulseResponseSeconds) {
    std::ostringstream message;
    message.precision(1);
    message << std::fixed << "impulse response is " << info.duration_s() << " s long; at most "
            << fx::kMaxImpulseResponseSeconds << " s is supported (is it really an impulse response?)";
    return Error(ErrorCode::kOutOfRange, message.str(), ErrorContext{.file = name});
  }
  Expected<AudioClip> clip = formats::read_audio_file(path);
  if (!clip) return clip.error().in_file(name);
  return fx::make_impulse_response(std::move(clip->audio), clip->sample_rate_hz, name);
}

Expected<FxChainDescription> parse_fx_chain_json(std::string_view text, const std::string& source_name,
                                                 const std::filesystem::path& base_directory) {
  Json document = Json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded())
    return Error(ErrorCode::kCorruptData, "not valid JSON", ErrorContext{.file = source_name});
  BuildContext context{source_name, base_directory, 0.0};
  const Json* list = &document;
  if (document.is_object()) {
    for (const auto& [key, value] : document.items())
      if (key != "chain") return field_error(source_name, key, "unknown field (expected \"chain\")");
    if (!document.contains("chain")) return field_error(source_name, "chain", "missing \"chain\": an array of processors");
    list = &document.at("chain");
  }
  auto chain = build_chain(*list, "chain", context);
  if (!chain) return chain.error();
  return FxChainDescription{*chain, context.tail_s};
}

Expected<FxChainDescription> read_fx_chain_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error(ErrorCode::kNotFound, "cannot open the chain file", ErrorContext{.file = path.string()});
  std::ostringstream contents;
  contents << file.rdbuf();
  constexpr std::size_t kMaxChainFileBytes = 1 << 20;
  if (contents.str().size() > kMaxChainFileBytes)
    return Error(ErrorCode::kOutOfRange, "chain file is larger than 1 MiB", ErrorContext{.file = path.string()});
  return parse_fx_chain_json(contents.str(), path.string(), path.parent_path());
}

std::string describe_fx_chain_json(const fx::Chain& chain) {
  return Json{{"chain", describe_list(chain)}}.dump(2);
}

Expected<std::vector<fx::EqBand>> parse_eq_spec(std::string_view spec) {
  std::vector<fx::EqBand> bands;
  for (const std::string& item : split(spec, ',')) {
    const std::vector<std::string> parts = split(item, ':');
    if (parts.size() < 2 || parts.size() > 4 || !filter_types().count(parts[0]))
      return spec_error("--eq", "band \"" + item + "\": expected TYPE:FREQ_HZ[:GAIN_DB[:Q]] with TYPE peak, lowshelf, highshelf, lowpass, highpass, bandpass or notch");
    fx::EqBand band;
    band.type = filter_types().at(parts[0]);
    const auto frequency = to_number(parts[1]);
    if (!frequency || *frequency <= 0.0) return spec_error("--eq", "band \"" + item + "\": frequency must be a positive number of Hz");
    band.frequency_hz = *frequency;
    if (parts.size() > 2) {
      const auto gain = to_number(parts[2]);
      if (!gain) return spec_error("--eq", "band \"" + item + "\": gain must be a number of dB");
      band.gain_db = *gain;
    }
    if (parts.size() > 3) {
      const auto q = to_number(parts[3]);
      if (!q || *q <= 0.0) return spec_error("--eq", "band \"" + item + "\": Q must be a positive number");
      band.q = *q;
    }
    bands.push_back(band);
  }
  if (bands.size() > fx::ParametricEq::kMaxBands) return spec_error("--eq", "at most 16 bands");
  return bands;
}

Expected<fx::CompressorParameters> parse_compressor_spec(std::string_view spec) {
  fx::CompressorParameters parameters;
  if (spec.empty() || spec == "default") return parameters;
  for (const std::string& item : split(spec, ',')) {
    const std::size_t equals = item.find('=');
    const std::string key = item.substr(0, equals);
    const std::string value = equals == std::string::npos ? "" : item.substr(equals + 1);
    if (key == "detector") {
      if (value != "peak" && value != "rms") return spec_error("--compress", "detector must be peak or rms");
      parameters.detector = value == "rms" ? fx::LevelDetector::kRms : fx::LevelDetector::kPeak;
      continue;
    }
    const auto number = to_number(value);
    if (!number) return spec_error("--compress", "\"" + item + "\": expected KEY=NUMBER");
    if (key == "threshold") parameters.threshold_db = *number;
    else if (key == "ratio") parameters.ratio = *number;
    else if (key == "knee") parameters.knee_db = *number;
    else if (key == "attack") parameters.attack_s = *number / 1000.0;
    else if (key == "release") parameters.release_s = *number / 1000.0;
    else if (key == "makeup") parameters.makeup_db = *number;
    else return spec_error("--compress", "unknown key \"" + key + "\" (threshold, ratio, knee, attack, release, makeup, detector)");
  }
  if (parameters.ratio < 1.0) return spec_error("--compress", "ratio must be at least 1");
  return parameters;
}

Expected<double> parse_ceiling_spec(std::string_view spec) {
  std::string text(spec);
  for (const char* suffix : {"dBTP", "dbtp", "dB", "db"}) {
    const std::string unit(suffix);
    if (text.size() > unit.size() && text.compare(text.size() - unit.size(), unit.size(), unit) == 0) {
      text.resize(text.size() - unit.size());
      break;
    }
  }
  const auto value = to_number(text);
  if (!value || *value > 0.0 || *value < -60.0) return spec_error("--limit", "expected a ceiling like -1dBTP (between -60 and 0)");
  return *value;
}

}  // namespace resound::host
