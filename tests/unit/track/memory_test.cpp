// Constant memory: a 10-hour track is analysed and rendered through the Source with peak RSS < 50 MB.
// Runs as its own executable so ru_maxrss measures only this render.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "resound/core/audio_buffer.hpp"
#include "resound/track/schema.hpp"
#include "resound/track/track_source.hpp"

namespace resound::track {
namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

TEST(TrackMemory, TenHourTrackRendersInConstantMemory) {
  // 1 kHz keeps the test within the ctest budget; memory does not grow with the rate (all state is
  // per block or per 16384-frame checkpoint). The steps use vibrato (checkpointed phase sums), transitions
  // and crossfades; the noise bed uses swept notches.
  const std::string json = R"json({"global": {"sample_rate": 1000, "crossfade_duration": 5},
    "progression": [
      {"duration": 18000, "voices": [{"synth_function_name": "binaural_beat", "is_transition": true,
        "params": {"startBaseFreq": 200, "endBaseFreq": 150, "startBeatFreq": 10, "endBeatFreq": 4,
                   "freqOscRangeL": 2, "freqOscFreqL": 0.1}},
        {"synth_function_name": "isochronic_tone", "params": {"baseFreq": 300, "beatFreq": 6}}]},
      {"duration": 18005, "voices": [{"synth_function_name": "binaural_beat", "params": {"baseFreq": 150, "beatFreq": 4}}]}],
    "background_noise": {"gain": 0.3, "params": {"noise_type": "brown", "sweeps": [{"start_min": 300, "start_max": 1500,
      "start_q": 20, "start_casc": 2}]}}})json";
  auto loaded = load_track_json(json, ".");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().describe();
  auto source = make_track_source(loaded->spec);
  ASSERT_TRUE(source.has_value()) << source.error().describe();
  EXPECT_NEAR(static_cast<double>((*source)->length_frames()), 36000.0 * 1000, 5000.0);  // ± the alignment shift
  constexpr std::size_t kBlock = 4096;
  AudioBuffer block(2, kBlock);
  (*source)->prepare((*source)->sample_rate_hz(), kBlock);
  double peak = 0.0;
  std::int64_t frames = 0;
  while (true) {
    const std::size_t produced = (*source)->process(block.view());
    for (std::size_t i = 0; i < produced; ++i) peak = std::max(peak, double(std::abs(block.channel(0)[i])));
    frames += static_cast<std::int64_t>(produced);
    if (produced < kBlock) break;
  }
  EXPECT_EQ(frames, (*source)->length_frames());
  EXPECT_NEAR(peak, 0.25, 0.01);  // normalised to target_level: the whole 10 h was rendered
  const double rss_mb = peak_rss_mb();
  std::printf("peak RSS %.1f MB for a 10-hour track\n", rss_mb);
  EXPECT_LT(rss_mb, 50.0);
}

}  // namespace
}  // namespace resound::track
