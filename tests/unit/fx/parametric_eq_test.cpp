// ParametricEq: measured sine gains against the analog prototypes the RBJ designs map exactly
// (bilinear transform prewarped at the band frequency), and click-free live changes.
#include "resound/fx/parametric_eq.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <numbers>

#include "fx_test_support.hpp"
#include "resound/core/units.hpp"
#include "resound_test/signals.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

// |H(jΩ)| of the RBJ analog prototype at the prewarped frequency of `frequency_hz`.
double analytic_gain_db(const EqBand& band, double frequency_hz) {
  const double omega = std::tan(std::numbers::pi * frequency_hz / kRate) / std::tan(std::numbers::pi * band.frequency_hz / kRate);
  const std::complex<double> s(0.0, omega);
  const double q = band.q;
  const double a = std::pow(10.0, band.gain_db / 40.0);
  std::complex<double> h;
  switch (band.type) {
    case FilterType::kLowPass: h = 1.0 / (s * s + s / q + 1.0); break;
    case FilterType::kHighPass: h = s * s / (s * s + s / q + 1.0); break;
    case FilterType::kBandPass: h = (s / q) / (s * s + s / q + 1.0); break;
    case FilterType::kNotch: h = (s * s + 1.0) / (s * s + s / q + 1.0); break;
    case FilterType::kPeak: h = (s * s + s * (a / q) + 1.0) / (s * s + s / (a * q) + 1.0); break;
    case FilterType::kLowShelf: h = a * (s * s + (std::sqrt(a) / q) * s + a) / (a * s * s + (std::sqrt(a) / q) * s + 1.0); break;
    case FilterType::kHighShelf: h = a * (a * s * s + (std::sqrt(a) / q) * s + 1.0) / (s * s + (std::sqrt(a) / q) * s + a); break;
  }
  return 20.0 * std::log10(std::abs(h));
}

double measured_gain_db(const EqBand& band, double frequency_hz) {
  const std::size_t frames = 48000;
  test::PlanarAudio audio(1, frames);
  audio.channels[0] = resound::test::sine(frequency_hz, kRate, frames);
  ParametricEq eq(std::span<const EqBand>(&band, 1));
  eq.prepare(kRate, 1024, 1);
  test::process_in_blocks(eq, audio, std::vector<std::size_t>{1024});
  // Skip the first 0.5 s of transient; measure over the rest.
  const std::span<const float> settled = std::span<const float>(audio.channels[0]).subspan(24000);
  return gain_to_db(resound::test::rms(settled) / (0.5 / std::sqrt(2.0)));
}

TEST(ParametricEq, MagnitudeMatchesTheAnalyticCurvesWithinATenthOfADecibel) {
  const std::vector<EqBand> bands = {
      {FilterType::kPeak, 1000.0, 9.0, 1.4},      {FilterType::kPeak, 250.0, -12.0, 0.7},
      {FilterType::kLowShelf, 200.0, 6.0, 0.7071}, {FilterType::kHighShelf, 4000.0, -6.0, 0.7071},
      {FilterType::kLowPass, 2000.0, 0.0, 0.7071}, {FilterType::kHighPass, 120.0, 0.0, 2.0},
      {FilterType::kBandPass, 1000.0, 0.0, 2.0},   {FilterType::kNotch, 3000.0, 0.0, 4.0}};
  const std::vector<double> frequencies_hz = {40.0, 100.0, 250.0, 700.0, 1000.0, 1900.0, 3000.0, 5000.0, 9000.0, 15000.0};
  double worst_db = 0.0;
  for (const EqBand& band : bands) {
    for (const double frequency_hz : frequencies_hz) {
      const double expected_db = analytic_gain_db(band, frequency_hz);
      if (expected_db < -50.0) continue;  // the sine is buried under its own start-up transient's tail
      const double measured_db = measured_gain_db(band, frequency_hz);
      worst_db = std::max(worst_db, std::abs(measured_db - expected_db));
      EXPECT_NEAR(measured_db, expected_db, 0.1) << "type " << static_cast<int>(band.type) << " at " << frequency_hz << " Hz";
    }
  }
  std::printf("EQ: worst deviation from the analytic curves %.4f dB\n", worst_db);
}

TEST(ParametricEq, DesignHitsItsDefiningPoints) {
  const auto at = [](FilterType type, double gain_db, double q, double frequency_hz) {
    return gain_to_db(std::abs(biquad_response(design_biquad(type, 1000.0, q, gain_db, kRate), frequency_hz, kRate)), -400.0);
  };
  EXPECT_NEAR(at(FilterType::kPeak, 6.0, 1.0, 1000.0), 6.0, 1e-9);
  EXPECT_NEAR(at(FilterType::kLowPass, 0.0, 0.7071067811865476, 1000.0), -3.0103, 1e-3);
  EXPECT_NEAR(at(FilterType::kHighPass, 0.0, 0.7071067811865476, 1000.0), -3.0103, 1e-3);
  EXPECT_NEAR(at(FilterType::kBandPass, 0.0, 3.0, 1000.0), 0.0, 1e-9);
  EXPECT_LT(at(FilterType::kNotch, 0.0, 3.0, 1000.0), -100.0);
  EXPECT_NEAR(at(FilterType::kLowShelf, 6.0, 0.7071, 1.0), 6.0, 1e-3);
  EXPECT_NEAR(at(FilterType::kHighShelf, -6.0, 0.7071, 23999.0), -6.0, 1e-3);
}

TEST(ParametricEq, LiveChangesGlideWithoutClicksAndSettleOnTheNewCurve) {
  const std::size_t frames = 96000;
  test::PlanarAudio audio(1, frames);
  audio.channels[0] = resound::test::sine(1000.0, kRate, frames);
  std::vector<EqBand> bands = {{FilterType::kPeak, 1000.0, 0.0, 1.0}};
  ParametricEq eq(bands);
  eq.prepare(kRate, 480, 1);
  for (std::size_t start = 0; start < frames; start += 480) {
    if (start == 48000) {
      bands[0].gain_db = 12.0;
      eq.set_bands(bands);
    }
    eq.process(audio.view().subview(start, 480));
  }
  float largest_step = 0.0f;
  for (std::size_t i = 47000; i < 50000; ++i) largest_step = std::max(largest_step, std::abs(audio.channels[0][i] - audio.channels[0][i - 1]));
  // A 1 kHz sine of amplitude 0.5·4 (+12 dB) moves at most 0.262 per sample; a jump would show more.
  EXPECT_LT(largest_step, 0.27f);
  const double final_db = gain_to_db(resound::test::rms(std::span<const float>(audio.channels[0]).subspan(72000)) / (0.5 / std::sqrt(2.0)));
  EXPECT_NEAR(final_db, 12.0, 0.05);
}

TEST(ParametricEq, OutputDoesNotDependOnBlockSizes) {
  const std::vector<EqBand> bands = {{FilterType::kPeak, 500.0, 6.0, 1.0}, {FilterType::kHighPass, 80.0, 0.0, 0.7071}};
  const std::vector<float> noise = test::white_noise(20000, 0.5f, 21);
  std::vector<float> reference;
  for (const std::vector<std::size_t>& blocks : std::vector<std::vector<std::size_t>>{{4096}, {1}, {77, 3, 1000}}) {
    test::PlanarAudio audio(1, noise.size());
    audio.channels[0] = noise;
    ParametricEq eq(bands);
    eq.prepare(kRate, 4096, 1);
    test::process_in_blocks(eq, audio, blocks);
    if (reference.empty()) reference = audio.channels[0];
    EXPECT_EQ(audio.channels[0], reference);
  }
}

}  // namespace
}  // namespace resound::fx
