// LevelStatistics: peak and RMS of known signals, across blocks, ignoring NaN.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/units.hpp"
#include "resound/dsp/level_statistics.hpp"
#include "resound_test/signals.hpp"

namespace resound::dsp {
namespace {

TEST(LevelStatistics, SineLevelsAcrossBlocks) {
  AudioBuffer buffer(2, 48000);
  const auto tone = test::sine(1000.0, 48000.0, 48000, 0.5);
  std::copy(tone.begin(), tone.end(), buffer.channel(0).begin());
  LevelStatistics levels(2);
  for (std::size_t offset = 0; offset < 48000; offset += 1000) levels.add(buffer.view().subview(offset, 1000));
  EXPECT_EQ(levels.frame_count(), 48000);
  EXPECT_NEAR(levels.peak_dbfs(), 20.0 * std::log10(0.5), 0.01);
  EXPECT_NEAR(levels.channel_rms(0), 0.5 / std::sqrt(2.0), 1e-6);
  EXPECT_EQ(levels.channel_rms(1), 0.0);
  // Overall RMS averages both channels: one silent channel halves the power (-3 dB).
  EXPECT_NEAR(levels.rms_dbfs(), 20.0 * std::log10(0.5 / std::sqrt(2.0)) - 3.0103, 1e-3);
}

TEST(LevelStatistics, NonFiniteSamplesAreCountedNotMeasured) {
  AudioBuffer buffer(1, 4);
  buffer.channel(0)[0] = 0.5f;
  buffer.channel(0)[1] = std::numeric_limits<float>::quiet_NaN();
  buffer.channel(0)[2] = std::numeric_limits<float>::infinity();
  LevelStatistics levels(1);
  levels.add(buffer);
  EXPECT_EQ(levels.non_finite_count(), 2);
  EXPECT_DOUBLE_EQ(levels.peak(), 0.5);
}

TEST(LevelStatistics, SilenceIsTheFloor) {
  LevelStatistics levels(1);
  EXPECT_EQ(levels.rms_dbfs(), kSilenceFloorDb);
  EXPECT_EQ(levels.peak_dbfs(), kSilenceFloorDb);
}

}  // namespace
}  // namespace resound::dsp
