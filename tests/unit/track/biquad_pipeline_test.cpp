// BiquadPipeline: the lane-shifted cascade equals a plain cascade of direct-form biquads, delayed by its latency.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "biquad_pipeline.hpp"

namespace resound::track {
namespace {

/// A notch-like stage whose frequency depends on the stage and channel, so a lane mix-up shows.
BiquadCoefficients stage_design(int stage, int channel) {
  const double w0 = 2.0 * std::numbers::pi * (300.0 + 450.0 * stage + 70.0 * channel) / 44100.0;
  const double beta = std::tan(w0 / 40.0);
  const double gain = 1.0 / (1.0 + beta);
  // A little gain tilt (b0 ≠ b2) so the stages do not commute exactly.
  return {gain * 1.1, -2.0 * gain * std::cos(w0), gain * 0.9, -2.0 * gain * std::cos(w0), 2.0 * gain - 1.0};
}

std::vector<double> plain_cascade(const std::vector<float>& input, int stages, int channel) {
  std::vector<double> signal(input.begin(), input.end());
  for (int stage = 0; stage < stages; ++stage) {
    const BiquadCoefficients c = stage_design(stage, channel);
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (double& value : signal) {
      const double y = c.b0 * value + c.b1 * x1 + c.b2 * x2 - c.a1 * y1 - c.a2 * y2;
      x2 = x1;
      x1 = value;
      y2 = y1;
      y1 = y;
      value = y;
    }
  }
  return signal;
}

TEST(BiquadPipeline, EqualsThePlainCascadeDelayedByItsLatencyForAnyStageCount) {
  // 1–3 stages fit one vector row, up to 12 use the unrolled paths, 15 the general one.
  std::mt19937 random(5);
  std::normal_distribution<float> normal;
  std::vector<float> left(6000), right(6000);
  for (std::size_t i = 0; i < left.size(); ++i) {
    left[i] = normal(random);
    right[i] = normal(random);
  }
  for (int stages : {1, 2, 3, 5, 8, 12, 15}) {
    BiquadPipeline pipeline;
    pipeline.configure(stages);
    for (int stage = 0; stage < stages; ++stage)
      for (int channel = 0; channel < 2; ++channel) pipeline.set_stage(stage, channel, stage_design(stage, channel));
    std::vector<float> out_left(left.size()), out_right(right.size());
    // Uneven call sizes: the state carries across calls.
    for (std::size_t done = 0, size = 1; done < left.size(); done += size, size = size % 97 + 13) {
      const std::size_t count = std::min(size, left.size() - done);
      pipeline.process(left.data() + done, right.data() + done, count, out_left.data() + done, out_right.data() + done);
    }
    const auto latency = static_cast<std::size_t>(pipeline.latency_frames());
    ASSERT_LT(latency, 200u);
    const std::vector<double> expected_left = plain_cascade(left, stages, 0);
    const std::vector<double> expected_right = plain_cascade(right, stages, 1);
    double peak = 0.0;
    for (double x : expected_left) peak = std::max(peak, std::fabs(x));
    for (std::size_t i = 0; i + latency < left.size(); ++i) {
      ASSERT_NEAR(out_left[i + latency], expected_left[i], 1e-6 * peak) << "stages " << stages << " frame " << i;
      ASSERT_NEAR(out_right[i + latency], expected_right[i], 1e-6 * peak) << "stages " << stages << " frame " << i;
    }
    for (std::size_t i = 0; i < latency; ++i) ASSERT_EQ(out_left[i], 0.0f);  // nothing before the latency
  }
}

}  // namespace
}  // namespace resound::track
