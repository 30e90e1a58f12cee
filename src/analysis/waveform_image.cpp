// PNG waveform rendering: fill between min and max per column in each channel lane, encode with libpng.
#include "resound/analysis/waveform_image.hpp"

#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>

#include "resound/formats/atomic_file.hpp"

namespace resound::analysis {

namespace {

constexpr std::size_t kMaxDimension = 20000;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void write_to_vector(png_structp png, png_bytep data, png_size_t length) {
  auto* output = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  output->insert(output->end(), data, data + length);
}

void flush_nothing(png_structp) {}

[[noreturn]] void raise_png_error(png_structp png, png_const_charp) { png_longjmp(png, 1); }

}  // namespace

Expected<Colour> parse_colour(std::string_view text) {
  const std::string original(text);
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  if (text.size() != 6 && text.size() != 8)
    return Error{ErrorCode::kInvalidArgument, "colour '" + original + "' is not #rrggbb or #rrggbbaa", {.field = "colour"}};
  std::uint8_t channels[4] = {0, 0, 0, 255};
  for (std::size_t i = 0; i < text.size() / 2; ++i) {
    const int high = hex_digit(text[2 * i]);
    const int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0)
      return Error{ErrorCode::kInvalidArgument, "colour '" + original + "' has a non-hex digit", {.field = "colour"}};
    channels[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return Colour{channels[0], channels[1], channels[2], channels[3]};
}

Expected<std::vector<std::uint8_t>> render_waveform_png(const WaveformPyramid& pyramid, const WaveformImageOptions& options) {
  if (options.width == 0 || options.height == 0 || options.width > kMaxDimension || options.height > kMaxDimension)
    return Error{ErrorCode::kInvalidArgument, "image width and height must be between 1 and 20000", {.field = "width"}};
  const std::size_t width = options.width;
  const std::size_t height = options.height;
  std::vector<std::uint8_t> pixels(width * height * 4);
  const auto paint = [&](std::size_t x, std::size_t y, const Colour& colour) {
    std::uint8_t* pixel = pixels.data() + (y * width + x) * 4;
    pixel[0] = colour.red;
    pixel[1] = colour.green;
    pixel[2] = colour.blue;
    pixel[3] = colour.alpha;
  };
  for (std::size_t y = 0; y < height; ++y)
    for (std::size_t x = 0; x < width; ++x) paint(x, y, options.background);

  const WaveformLevel columns = pyramid.columns(width);
  const std::size_t channels = std::max<std::size_t>(1, pyramid.channel_count());
  const std::size_t lanes = options.split_channels ? channels : 1;
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    const std::size_t top = lane * height / lanes;
    const std::size_t bottom = (lane + 1) * height / lanes;  // exclusive
    if (bottom <= top) continue;
    const double lane_height = static_cast<double>(bottom - top);
    const auto to_row = [&](float value) {
      const double position = (1.0 - static_cast<double>(std::clamp(value, -1.0f, 1.0f))) * 0.5 * (lane_height - 1.0);
      return top + static_cast<std::size_t>(std::lround(position));
    };
    const std::size_t centre = to_row(0.0f);
    for (std::size_t x = 0; x < width; ++x) paint(x, centre, options.axis);
    if (pyramid.channel_count() == 0 || pyramid.frame_count() == 0) continue;
    for (std::size_t x = 0; x < width; ++x) {
      float low = columns.minimum(options.split_channels ? lane : 0, x);
      float high = columns.maximum(options.split_channels ? lane : 0, x);
      if (!options.split_channels)
        for (std::size_t c = 1; c < pyramid.channel_count(); ++c) {
          low = std::min(low, columns.minimum(c, x));
          high = std::max(high, columns.maximum(c, x));
        }
      const std::size_t first_row = to_row(high);
      const std::size_t last_row = to_row(low);
      for (std::size_t y = first_row; y <= last_row && y < bottom; ++y) paint(x, y, options.waveform);
    }
  }

  std::vector<std::uint8_t> encoded;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, raise_png_error, nullptr);
  if (png == nullptr) return Error{ErrorCode::kInternal, "libpng could not start"};
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return Error{ErrorCode::kInternal, "libpng failed to encode the waveform image"};
  }
  png_set_write_fn(png, &encoded, write_to_vector, flush_nothing);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGBA,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (std::size_t y = 0; y < height; ++y) png_write_row(png, pixels.data() + y * width * 4);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return encoded;
}

Expected<void> write_waveform_png(const std::filesystem::path& path, const WaveformPyramid& pyramid,
                                  const WaveformImageOptions& options) {
  auto encoded = render_waveform_png(pyramid, options);
  if (!encoded) return std::move(encoded).error();
  auto file = formats::AtomicOutputFile::create(path);
  if (!file) return std::move(file).error();
  std::size_t written = 0;
  while (written < encoded->size()) {
    const ssize_t result = ::write(file->descriptor(), encoded->data() + written, encoded->size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorCode::kIo, std::string("cannot write the image: ") + std::strerror(errno), {.file = path.string()}};
    }
    written += static_cast<std::size_t>(result);
  }
  return file->commit();
}

}  // namespace resound::analysis
