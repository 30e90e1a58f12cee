// Background noise from `input_audio_path`: the file's first channel is notched instead of generated noise.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

#include "noise_generator.hpp"
#include "resound/core/audio_buffer.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::track {
namespace {

constexpr double kTrackRate = 48000.0;

// Amplitude of the component at `frequency_hz` in `signal` (a single-bin DFT over whole periods).
double amplitude_at(std::span<const float> signal, double frequency_hz) {
  std::complex<double> sum = 0.0;
  for (std::size_t i = 0; i < signal.size(); ++i)
    sum += double(signal[i]) * std::polar(1.0, -2.0 * std::numbers::pi * frequency_hz * double(i) / kTrackRate);
  return 2.0 * std::abs(sum) / double(signal.size());
}

// 3 s at 44.1 kHz: 440 Hz and 3 kHz at equal level on the left, silence on the right (ignored).
std::filesystem::path write_two_tones(const std::filesystem::path& folder) {
  constexpr double kRate = 44100.0;
  AudioBuffer audio(2, static_cast<std::size_t>(3 * kRate));
  for (std::size_t i = 0; i < audio.frame_count(); ++i) {
    const double t = double(i) / kRate;
    audio.view().channel(0)[i] = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 440 * t) +
                                                    0.3 * std::sin(2 * std::numbers::pi * 3000 * t));
  }
  const auto path = folder / "tones.wav";
  EXPECT_TRUE(formats::write_audio_file(path, audio.view(), kRate, formats::AudioFormat{.encoding = formats::SampleEncoding::kFloat32}).has_value());
  return path;
}

AudioBuffer render(NoiseGenerator& generator, std::int64_t first, std::size_t frames) {
  AudioBuffer out(2, frames);
  for (std::size_t done = 0; done < frames; done += 1000) {
    const std::size_t count = std::min<std::size_t>(1000, frames - done);
    generator.render(first + static_cast<std::int64_t>(done), out.view().channel(0).subspan(done, count),
                     out.view().channel(1).subspan(done, count));
  }
  return out;
}

TEST(NoiseInput, TheFilesFirstChannelIsPlayedResampledAndScaledToTheOriginalsPeak) {
  test::TempDirectory folder;
  NoiseParams params;
  params.input_audio_path = write_two_tones(folder.path());  // no sweeps: no notches
  auto generator = NoiseGenerator::create(params, kTrackRate, 7);
  ASSERT_TRUE(generator.has_value()) << generator.error().describe();
  const AudioBuffer out = render(**generator, 0, static_cast<std::size_t>(3.5 * kTrackRate));
  const auto middle = out.view().channel(0).subspan(48000, 48000);  // 1 s … 2 s, whole periods of both tones
  const double low = amplitude_at(middle, 440.0);
  const double high = amplitude_at(middle, 3000.0);
  EXPECT_NEAR(high / low, 1.0, 0.05);                 // both tones pass the 50 Hz – 10 kHz conditioning
  EXPECT_LT(amplitude_at(middle, 1000.0), 1e-3 * low);  // and nothing else: no generated noise
  double peak = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (float x : out.view().channel(c)) peak = std::max(peak, double(std::fabs(x)));
  EXPECT_NEAR(peak, 0.95, 0.01);
  // Both channels carry the same (first) channel, and the file's end is silence from then on.
  EXPECT_NEAR(amplitude_at(out.view().channel(1).subspan(48000, 48000), 440.0), low, 1e-6);
  for (std::size_t i = static_cast<std::size_t>(3.2 * kTrackRate); i < out.frame_count(); ++i)
    ASSERT_LT(std::fabs(out.view().channel(0)[i]), 1e-4) << i;
}

TEST(NoiseInput, ASweepFixedAtOneToneNotchesItOut) {
  test::TempDirectory folder;
  NoiseParams params;
  params.input_audio_path = write_two_tones(folder.path());
  NoiseSweep sweep;
  sweep.start_min_hz = sweep.start_max_hz = 3000.0;  // the LFO cannot move it
  params.sweeps.push_back(sweep);
  auto generator = NoiseGenerator::create(params, kTrackRate, 7);
  ASSERT_TRUE(generator.has_value()) << generator.error().describe();
  const AudioBuffer out = render(**generator, 0, static_cast<std::size_t>(2.5 * kTrackRate));
  const auto middle = out.view().channel(0).subspan(48000, 48000);
  EXPECT_LT(amplitude_at(middle, 3000.0), 0.01 * amplitude_at(middle, 440.0));  // > 40 dB down
  // Seeking renders the same samples as the whole render (filters warm up from a pre-roll).
  const AudioBuffer part = render(**generator, 60000, 5000);
  for (std::size_t i = 0; i < 5000; ++i) ASSERT_NEAR(part.view().channel(0)[i], out.view().channel(0)[60000 + i], 1e-5) << i;
}

TEST(NoiseInput, AMissingFileIsAnErrorNamingIt) {
  NoiseParams params;
  params.input_audio_path = "/nonexistent/hum.wav";
  auto generator = NoiseGenerator::create(params, kTrackRate, 7);
  ASSERT_FALSE(generator.has_value());
  EXPECT_NE(generator.error().describe().find("hum.wav"), std::string::npos) << generator.error().describe();
  EXPECT_NE(generator.error().describe().find("input_audio_path"), std::string::npos) << generator.error().describe();
}

}  // namespace
}  // namespace resound::track
