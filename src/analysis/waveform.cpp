// Min/max pyramid construction, column resampling and the audiowaveform JSON writer.
#include "resound/analysis/analysis_signal.hpp"
#include "resound/analysis/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace resound::analysis {

namespace {
constexpr std::size_t kMaxLevels = 16;
}

Expected<WaveformPyramid> WaveformPyramid::build(ConstAudioView audio, double sample_rate_hz,
                                                 std::size_t base_samples_per_pixel) {
  if (base_samples_per_pixel == 0)
    return Error{ErrorCode::kInvalidArgument, "samples per pixel must be at least 1", {.field = "samples_per_pixel"}};
  RESOUND_TRY_VOID(check_sample_rate(sample_rate_hz));
  WaveformPyramid pyramid;
  pyramid.sample_rate_hz_ = sample_rate_hz;
  pyramid.frame_count_ = audio.frame_count();
  pyramid.channel_count_ = audio.channel_count();
  WaveformLevel base;
  base.samples_per_pixel = base_samples_per_pixel;
  base.channel_count = audio.channel_count();
  base.pixel_count = (audio.frame_count() + base_samples_per_pixel - 1) / base_samples_per_pixel;
  base.minima.assign(base.channel_count * base.pixel_count, 0.0f);
  base.maxima.assign(base.channel_count * base.pixel_count, 0.0f);
  for (std::size_t c = 0; c < base.channel_count; ++c) {
    const auto samples = audio.channel(c);
    for (std::size_t pixel = 0; pixel < base.pixel_count; ++pixel) {
      const std::size_t first = pixel * base_samples_per_pixel;
      const std::size_t last = std::min(samples.size(), first + base_samples_per_pixel);
      float low = std::numeric_limits<float>::max();
      float high = std::numeric_limits<float>::lowest();
      for (std::size_t i = first; i < last; ++i) {
        const float value = std::isfinite(samples[i]) ? samples[i] : 0.0f;
        low = std::min(low, value);
        high = std::max(high, value);
      }
      base.minima[c * base.pixel_count + pixel] = low;
      base.maxima[c * base.pixel_count + pixel] = high;
    }
  }
  pyramid.levels_.push_back(std::move(base));
  while (pyramid.levels_.size() < kMaxLevels && pyramid.levels_.back().pixel_count > 1) {
    const WaveformLevel& below = pyramid.levels_.back();
    WaveformLevel level;
    level.samples_per_pixel = below.samples_per_pixel * 2;
    level.channel_count = below.channel_count;
    level.pixel_count = (below.pixel_count + 1) / 2;
    level.minima.resize(level.channel_count * level.pixel_count);
    level.maxima.resize(level.channel_count * level.pixel_count);
    for (std::size_t c = 0; c < level.channel_count; ++c)
      for (std::size_t pixel = 0; pixel < level.pixel_count; ++pixel) {
        const std::size_t a = 2 * pixel;
        const std::size_t b = std::min(a + 1, below.pixel_count - 1);
        level.minima[c * level.pixel_count + pixel] = std::min(below.minimum(c, a), below.minimum(c, b));
        level.maxima[c * level.pixel_count + pixel] = std::max(below.maximum(c, a), below.maximum(c, b));
      }
    pyramid.levels_.push_back(std::move(level));
  }
  return pyramid;
}

const WaveformLevel& WaveformPyramid::level_for(std::size_t samples_per_pixel) const noexcept {
  for (const auto& level : levels_)
    if (level.samples_per_pixel >= samples_per_pixel) return level;
  return levels_.back();
}

WaveformLevel WaveformPyramid::columns(std::size_t width) const {
  WaveformLevel result;
  result.channel_count = channel_count_;
  result.pixel_count = width;
  result.samples_per_pixel = width > 0 ? std::max<std::size_t>(1, frame_count_ / width) : 0;
  result.minima.assign(channel_count_ * width, 0.0f);
  result.maxima.assign(channel_count_ * width, 0.0f);
  if (width == 0 || frame_count_ == 0 || levels_.empty()) return result;
  // The coarsest level that still gives every column at least one of its pixels.
  const WaveformLevel* source = &levels_.front();
  for (const auto& level : levels_)
    if (level.samples_per_pixel * width <= frame_count_) source = &level;
  for (std::size_t c = 0; c < channel_count_; ++c)
    for (std::size_t column = 0; column < width; ++column) {
      const std::size_t first_frame = column * frame_count_ / width;
      const std::size_t end_frame = std::max(first_frame + 1, (column + 1) * frame_count_ / width);
      const std::size_t first = std::min(first_frame / source->samples_per_pixel, source->pixel_count - 1);
      const std::size_t last = std::min((end_frame - 1) / source->samples_per_pixel, source->pixel_count - 1);
      float low = source->minimum(c, first);
      float high = source->maximum(c, first);
      for (std::size_t pixel = first + 1; pixel <= last; ++pixel) {
        low = std::min(low, source->minimum(c, pixel));
        high = std::max(high, source->maximum(c, pixel));
      }
      result.minima[c * width + column] = low;
      result.maxima[c * width + column] = high;
    }
  return result;
}

Expected<std::string> waveform_json(const WaveformLevel& level, double sample_rate_hz, int bits) {
  if (bits != 8 && bits != 16)
    return Error{ErrorCode::kInvalidArgument, "waveform bits must be 8 or 16", {.field = "bits"}};
  const double scale = bits == 8 ? 127.0 : 32767.0;
  std::string json;
  json.reserve(64 + level.pixel_count * level.channel_count * 12);
  char header[256];
  std::snprintf(header, sizeof header,
                "{\"version\":2,\"channels\":%zu,\"sample_rate\":%.0f,\"samples_per_pixel\":%zu,\"bits\":%d,\"length\":%zu,\"data\":[",
                level.channel_count, sample_rate_hz, level.samples_per_pixel, bits, level.pixel_count);
  json += header;
  const auto quantise = [&](float value) {
    return static_cast<long>(std::lround(std::clamp(static_cast<double>(value), -1.0, 1.0) * scale));
  };
  bool first = true;
  char number[32];
  for (std::size_t pixel = 0; pixel < level.pixel_count; ++pixel)
    for (std::size_t c = 0; c < level.channel_count; ++c) {
      std::snprintf(number, sizeof number, "%s%ld,%ld", first ? "" : ",", quantise(level.minimum(c, pixel)),
                    quantise(level.maximum(c, pixel)));
      json += number;
      first = false;
    }
  json += "]}";
  return json;
}

}  // namespace resound::analysis
