// libFuzzer target: the track JSON reader (schema), and for tiny tracks the whole plan + render path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "resound/core/audio_buffer.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = resound::track::load_track_json(text, "/nonexistent-fuzz-folder");
  if (!loaded) return 0;
  // Render only tracks short enough to keep each input fast (voices are built in O(length)).
  double frames = 0.0;
  for (const auto& step : loaded->spec.steps) frames += std::max(0.0, step.duration_s) * loaded->spec.global.sample_rate_hz;
  if (frames > 20000.0 || loaded->spec.steps.size() > 16) return 0;
  auto source = resound::track::make_track_source(loaded->spec);
  if (!source) return 0;
  resound::AudioBuffer block(2, 512);
  (*source)->prepare((*source)->sample_rate_hz(), 512);
  (*source)->seek((*source)->length_frames() / 3);
  for (int i = 0; i < 8 && (*source)->process(block.view()) == 512; ++i) {
  }
  return 0;
}
