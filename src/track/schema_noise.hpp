// Internal schema helpers shared by the track and noise readers (JSON text, files, NoiseParams).
#pragma once

#include <filesystem>
#include <string>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"
#include "schema_json_reader.hpp"

namespace resound::track::detail {

Expected<NoiseParams> read_noise_params(const Json& object, const std::string& path,
                                        const std::filesystem::path& base_folder);
Expected<Json> parse_json_text(std::string_view text, const std::string& file);
Expected<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace resound::track::detail
