// Waveform pictures: PNG images of the min/max envelope, one lane per channel (libpng).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "resound/analysis/waveform.hpp"
#include "resound/core/expected.hpp"

namespace resound::analysis {

struct Colour {
  std::uint8_t red = 0, green = 0, blue = 0, alpha = 255;
};

/// "#rrggbb" or "#rrggbbaa" (the # is optional). Errors name the text.
Expected<Colour> parse_colour(std::string_view text);

struct WaveformImageOptions {
  std::size_t width = 1000;
  std::size_t height = 200;
  Colour background{255, 255, 255, 255};
  Colour waveform{0x1f, 0x5f, 0xa8, 255};
  Colour axis{0xc0, 0xc0, 0xc0, 255};
  bool split_channels = true;  ///< one lane per channel (false: all channels merged into one)
};

/// Renders the picture as PNG bytes. Errors: width/height 0 or above 20000. OFF/CT.
Expected<std::vector<std::uint8_t>> render_waveform_png(const WaveformPyramid& pyramid, const WaveformImageOptions& options);
/// Renders and writes atomically to `path`. OFF/CT.
Expected<void> write_waveform_png(const std::filesystem::path& path, const WaveformPyramid& pyramid,
                                  const WaveformImageOptions& options);

}  // namespace resound::analysis
