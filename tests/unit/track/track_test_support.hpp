// Helpers for track tests: build a TrackSource from JSON text and render ranges of it.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "resound/core/audio_buffer.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_source.hpp"

namespace resound::track::testing {

inline std::unique_ptr<TrackSource> source_from_json(const std::string& json, TrackPlanOptions options = {},
                                                     const std::filesystem::path& base = ".") {
  auto loaded = load_track_json(json, base);
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().describe());
  if (!loaded) return nullptr;
  auto source = make_track_source(loaded->spec, options);
  EXPECT_TRUE(source.has_value()) << (source ? "" : source.error().describe());
  if (!source) return nullptr;
  return std::move(*source);
}

/// Renders `frames` frames from the source's current position in blocks of `block` frames.
inline AudioBuffer render_frames(TrackSource& source, std::int64_t frames, std::size_t block = 1024) {
  AudioBuffer out(2, static_cast<std::size_t>(frames));
  source.prepare(source.sample_rate_hz(), block);
  std::size_t done = 0;
  while (done < out.frame_count()) {
    const std::size_t count = std::min(block, out.frame_count() - done);
    const std::size_t produced = source.process(out.view().subview(done, count));
    done += count;
    if (produced < count) break;
  }
  return out;
}

inline double max_difference(const AudioBuffer& a, std::size_t a_offset, const AudioBuffer& b, std::size_t frames) {
  double worst = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < frames; ++i)
      worst = std::max(worst, std::fabs(double(a.channel(c)[a_offset + i]) - double(b.channel(c)[i])));
  return worst;
}

inline double peak_of(const AudioBuffer& audio) {
  double peak = 0.0;
  for (std::size_t c = 0; c < audio.channel_count(); ++c)
    for (float x : audio.channel(c)) peak = std::max(peak, double(std::fabs(x)));
  return peak;
}

}  // namespace resound::track::testing
