// Chain, Bus, Gain and Pan: levels, latency sums, latency-aligned parallel branches.
#include "resound/fx/chain.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "fx_test_support.hpp"
#include "resound/core/units.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/fx/utility.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

TEST(Utility, GainAndPanSetTheExpectedLevels) {
  test::PlanarAudio audio(2, 4800);
  std::fill(audio.channels[0].begin(), audio.channels[0].end(), 0.5f);
  std::fill(audio.channels[1].begin(), audio.channels[1].end(), 0.5f);
  Chain chain({std::make_shared<Gain>(-6.0), std::make_shared<Pan>(0.5)});
  chain.prepare(kRate, 4800, 2);
  chain.process(audio.view());
  EXPECT_NEAR(gain_to_db(audio.channels[0].back() / 0.5f), -6.0 + gain_to_db(std::cos(std::numbers::pi / 4.0)), 1e-4);
  EXPECT_NEAR(gain_to_db(audio.channels[1].back() / 0.5f), -6.0, 1e-4);
}

TEST(Chain, ReportsTheSumOfItsLatenciesAndRunsInOrder) {
  Chain chain;
  chain.add(std::make_shared<Limiter>(LimiterParameters{.lookahead_s = 0.001}));
  chain.add(std::make_shared<Gain>(6.0));
  chain.insert(0, std::make_shared<Limiter>(LimiterParameters{.lookahead_s = 0.002}));
  chain.prepare(kRate, 256, 1);
  EXPECT_EQ(chain.size(), 3u);
  const std::size_t single = Limiter::kTapsPerPhase / 2 - 1;
  EXPECT_EQ(chain.latency_frames(), 48u + 96u + 2 * single);
  chain.remove(0);
  chain.prepare(kRate, 256, 1);
  EXPECT_EQ(chain.latency_frames(), 48u + single);
}

TEST(Bus, SumsBranchesAlignedToTheSlowestOne) {
  // Branch 1: a limiter (latency L, quiet input passes unchanged); branch 2: plain gain (no latency).
  Bus bus;
  bus.add_branch(std::make_shared<Limiter>(LimiterParameters{.lookahead_s = 0.001}));
  bus.add_branch(std::make_shared<Gain>(0.0), -6.0206);
  bus.prepare(kRate, 128, 1);
  const std::size_t latency = bus.latency_frames();
  test::PlanarAudio audio(1, 1024);
  audio.channels[0][10] = 0.25f;
  test::process_in_blocks(bus, audio, std::vector<std::size_t>{128});
  // Both branches' copies of the impulse land at 10 + latency: 0.25 + 0.125.
  EXPECT_NEAR(audio.channels[0][10 + latency], 0.375f, 1e-5f);
  double elsewhere = 0.0;
  for (std::size_t i = 0; i < 1024; ++i)
    if (i != 10 + latency) elsewhere += std::abs(audio.channels[0][i]);
  EXPECT_LT(elsewhere, 1e-6);
}

}  // namespace
}  // namespace resound::fx
