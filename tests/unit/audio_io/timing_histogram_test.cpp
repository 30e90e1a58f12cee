// TimingHistogram: counts, mean, max and percentiles of known durations, exact to one 10 µs bin.
#include "resound/audio_io/timing_histogram.hpp"

#include <gtest/gtest.h>

namespace resound::audio_io {
namespace {

TEST(TimingHistogram, PercentilesOfAKnownDistribution) {
  TimingHistogram histogram;
  EXPECT_EQ(histogram.percentile_us(0.5), 0.0);
  // 998 short requests of 95 µs, one of 2.5 ms, one of 80 ms (beyond the last bin: kept as the max).
  for (int i = 0; i < 998; ++i) histogram.record(95.0);
  histogram.record(2500.0);
  histogram.record(80000.0);
  EXPECT_EQ(histogram.count(), 1000u);
  EXPECT_DOUBLE_EQ(histogram.max_us(), 80000.0);
  EXPECT_NEAR(histogram.mean_us(), (998 * 95.0 + 2500.0 + 80000.0) / 1000.0, 1e-9);
  EXPECT_DOUBLE_EQ(histogram.percentile_us(0.5), 100.0);    // upper edge of the 90–100 µs bin
  EXPECT_DOUBLE_EQ(histogram.percentile_us(0.998), 2510.0);  // the 999th value
  EXPECT_DOUBLE_EQ(histogram.percentile_us(1.0), 80000.0);
  EXPECT_EQ(histogram.count_above_us(1000.0), 2u);
  EXPECT_EQ(histogram.count_above_us(100.0), 2u);
  histogram.reset();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.max_us(), 0.0);
}

}  // namespace
}  // namespace resound::audio_io
