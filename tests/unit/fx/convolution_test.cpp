// Convolution: exactness against a double-precision FFT reference, zero latency, block-size
// independence, channel routing, response conditioning and refusal of bad responses.
#include "resound/fx/convolution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <chrono>
#include <numbers>
#include <thread>

#include "fx_test_support.hpp"

namespace resound::fx {
namespace {

constexpr double kRate = 48000.0;

// Iterative radix-2 FFT in double precision: the reference the float convolver is held to.
void fft_double(std::vector<std::complex<double>>& data, bool inverse) {
  const std::size_t n = data.size();
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(data[i], data[j]);
  }
  for (std::size_t length = 2; length <= n; length <<= 1) {
    const double angle = 2.0 * std::numbers::pi / static_cast<double>(length) * (inverse ? 1.0 : -1.0);
    const std::complex<double> step(std::cos(angle), std::sin(angle));
    for (std::size_t start = 0; start < n; start += length) {
      std::complex<double> twiddle(1.0);
      for (std::size_t k = 0; k < length / 2; ++k) {
        const std::complex<double> a = data[start + k];
        const std::complex<double> b = data[start + k + length / 2] * twiddle;
        data[start + k] = a + b;
        data[start + k + length / 2] = a - b;
        twiddle *= step;
      }
    }
  }
}

std::vector<double> reference_convolution(const std::vector<float>& signal, const std::vector<float>& response) {
  std::size_t size = 1;
  while (size < signal.size() + response.size()) size *= 2;
  std::vector<std::complex<double>> a(size), b(size);
  for (std::size_t i = 0; i < signal.size(); ++i) a[i] = signal[i];
  for (std::size_t i = 0; i < response.size(); ++i) b[i] = response[i];
  fft_double(a, false);
  fft_double(b, false);
  for (std::size_t i = 0; i < size; ++i) a[i] *= b[i] / static_cast<double>(size);
  fft_double(a, true);
  std::vector<double> result(signal.size());
  for (std::size_t i = 0; i < signal.size(); ++i) result[i] = a[i].real();
  return result;
}

// A decaying noise response, like a room.
std::vector<float> room_response(std::size_t frames, unsigned seed) {
  std::vector<float> response = test::white_noise(frames, 1.0f, seed);
  for (std::size_t i = 0; i < frames; ++i) response[i] *= static_cast<float>(std::exp(-3.0 * static_cast<double>(i) / static_cast<double>(frames)));
  return response;
}

ImpulseResponse response_from(const std::vector<std::vector<float>>& channels, double rate = kRate) {
  AudioBuffer audio(channels.size(), channels[0].size());
  for (std::size_t c = 0; c < channels.size(); ++c) std::copy(channels[c].begin(), channels[c].end(), audio.channel(c).begin());
  Expected<ImpulseResponse> response = make_impulse_response(std::move(audio), rate, "test.wav");
  EXPECT_TRUE(response.has_value());
  return std::move(*response);
}

// The any-slicing mode (bit-identical output for every slicing); FixedBlock tests below cover the default.
const ConvolutionOptions kExact{.response = {.normalization = ImpulseResponseNormalization::kNone, .trim_trailing_silence = false},
                                .mix = 1.0, .fixed_block = false};

std::vector<float> convolve_in_blocks(const std::vector<float>& response, const std::vector<float>& signal,
                                      const std::vector<std::size_t>& blocks) {
  Convolution convolution(response_from({response}), kExact);
  convolution.prepare(kRate, *std::max_element(blocks.begin(), blocks.end()), 1);
  test::PlanarAudio audio(1, signal.size());
  audio.channels[0] = signal;
  test::process_in_blocks(convolution, audio, blocks);
  return audio.channels[0];
}

TEST(Convolution, MatchesDoublePrecisionFftConvolution) {
  // 40 000 taps reach every stage size (32 … 16384) with two partitions in the last.
  const std::vector<float> response = room_response(40000, 11);
  const std::vector<float> signal = test::white_noise(70000, 0.5f, 12);
  const std::vector<double> reference = reference_convolution(signal, response);
  const std::vector<float> output = convolve_in_blocks(response, signal, {256});
  double error_energy = 0.0, reference_energy = 0.0, worst = 0.0, reference_peak = 0.0;
  for (std::size_t i = 0; i < signal.size(); ++i) {
    const double difference = output[i] - reference[i];
    error_energy += difference * difference;
    reference_energy += reference[i] * reference[i];
    worst = std::max(worst, std::abs(difference));
    reference_peak = std::max(reference_peak, std::abs(reference[i]));
  }
  const double relative_error = std::sqrt(error_energy / reference_energy);
  std::printf("convolution vs double FFT: relative RMS error %.2e, worst sample %.2e of peak\n", relative_error, worst / reference_peak);
  EXPECT_LT(relative_error, 1e-5);
  EXPECT_LT(worst / reference_peak, 1e-5);
}

TEST(Convolution, ImpulseGivesTheResponseFromSampleZero) {
  const std::vector<float> response = room_response(20000, 13);
  std::vector<float> impulse(25000, 0.0f);
  impulse[0] = 1.0f;
  const std::vector<float> output = convolve_in_blocks(response, impulse, {64});
  for (std::size_t i = 0; i < PartitionedConvolver::kHeadFrames; ++i) ASSERT_EQ(output[i], response[i]) << i;  // the direct head is exact
  double worst = 0.0;
  for (std::size_t i = 0; i < response.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(output[i]) - response[i]));
  for (std::size_t i = response.size(); i < output.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(output[i])));
  EXPECT_LT(worst, 1e-6);
}

TEST(Convolution, OutputIsIdenticalForEveryBlockSize) {
  const std::vector<float> response = room_response(30000, 14);
  const std::vector<float> signal = test::white_noise(40000, 0.5f, 15);
  const std::vector<float> reference = convolve_in_blocks(response, signal, {4096});
  for (const std::vector<std::size_t>& blocks :
       std::vector<std::vector<std::size_t>>{{1}, {2}, {63}, {64}, {65}, {256}, {1000}, {1024}, {1, 4096, 17, 300, 64}}) {
    EXPECT_EQ(convolve_in_blocks(response, signal, blocks), reference) << "blocks starting " << blocks[0];
  }
}

// Live use: the largest stage's tail sums on a worker thread give the very same bits as offline.
std::vector<std::vector<float>> convolve_stereo(const ImpulseResponse& response, const std::vector<std::vector<float>>& signal,
                                                bool worker_thread, bool paced, PartitionedConvolver::TailStatistics& statistics) {
  ConvolutionOptions options = kExact;
  options.worker_thread = worker_thread;
  Convolution convolution(response, options);
  constexpr std::size_t kBlock = 256;
  convolution.prepare(kRate, kBlock, 2);
  EXPECT_EQ(convolution.convolver().has_worker_thread(), worker_thread);
  test::PlanarAudio audio(2, signal[0].size());
  audio.channels = signal;
  for (std::size_t position = 0; position < audio.frames(); position += kBlock) {
    convolution.process(audio.view().subview(position, std::min(kBlock, audio.frames() - position)));
    // Paced like a sound card (but faster): the worker gets time to finish ahead of its deadline.
    if (paced) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  statistics = convolution.convolver().tail_statistics();
  return audio.channels;
}

TEST(Convolution, WorkerThreadOutputIsBitIdenticalToOffline) {
  // 120 000 taps: the largest stage (16384) has several partitions, so the worker has a tail to sum.
  const ImpulseResponse response = response_from({room_response(120000, 21), room_response(120000, 22)});
  const std::vector<std::vector<float>> signal = {test::white_noise(200000, 0.5f, 23), test::white_noise(200000, 0.5f, 24)};
  PartitionedConvolver::TailStatistics offline_statistics, paced_statistics, unpaced_statistics;
  const auto offline = convolve_stereo(response, signal, false, false, offline_statistics);
  EXPECT_EQ(offline_statistics.by_worker, 0u);
  EXPECT_GT(offline_statistics.on_audio_thread, 0u);
  // Paced: the worker normally wins; unpaced: the audio thread outruns it and takes jobs back.
  // Either way — and for any mixture — the output must not change by a single bit.
  const auto paced = convolve_stereo(response, signal, true, true, paced_statistics);
  const auto unpaced = convolve_stereo(response, signal, true, false, unpaced_statistics);
  std::printf("tail sums: paced %llu by worker / %llu on audio thread; unpaced %llu / %llu\n",
              static_cast<unsigned long long>(paced_statistics.by_worker), static_cast<unsigned long long>(paced_statistics.on_audio_thread),
              static_cast<unsigned long long>(unpaced_statistics.by_worker), static_cast<unsigned long long>(unpaced_statistics.on_audio_thread));
  EXPECT_EQ(paced_statistics.by_worker + paced_statistics.on_audio_thread, offline_statistics.on_audio_thread);
  EXPECT_EQ(paced, offline);
  EXPECT_EQ(unpaced, offline);
  // And the threaded result is still the exact convolution (spot check against the offline exactness test's bound).
  const std::vector<double> reference = reference_convolution(signal[0], std::vector<float>(response.audio.channel(0).begin(), response.audio.channel(0).end()));
  double error_energy = 0.0, reference_energy = 0.0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    error_energy += (paced[0][i] - reference[i]) * (paced[0][i] - reference[i]);
    reference_energy += reference[i] * reference[i];
  }
  EXPECT_LT(std::sqrt(error_energy / reference_energy), 1e-5);
}

TEST(Convolution, FixedBlockModeIsExactZeroLatencyAndThreadSafe) {
  const std::vector<float> response = room_response(60000, 31);
  const std::vector<float> signal = test::white_noise(90000, 0.5f, 32);
  const std::vector<double> reference = reference_convolution(signal, response);
  for (const std::size_t block : {64u, 1024u}) {
    std::vector<float> outputs[2];
    for (const bool worker_thread : {false, true}) {
      ConvolutionOptions options = kExact;
      options.fixed_block = true;
      options.worker_thread = worker_thread;
      Convolution convolution(response_from({response}), options);
      convolution.prepare(kRate, block, 1);
      ASSERT_EQ(convolution.convolver().fixed_block_frames(), block);
      EXPECT_EQ(convolution.convolver().partition_sizes().front(), block);  // the first FFT partition is the block
      test::PlanarAudio audio(1, signal.size());  // 90 000 is no multiple of the block: the last call is short
      audio.channels[0] = signal;
      test::process_in_blocks(convolution, audio, std::vector<std::size_t>{block});
      outputs[worker_thread] = audio.channels[0];
    }
    EXPECT_EQ(outputs[1], outputs[0]) << "worker thread changed the output, block " << block;
    double error_energy = 0.0, reference_energy = 0.0;
    for (std::size_t i = 0; i < signal.size(); ++i) {
      error_energy += (outputs[0][i] - reference[i]) * (outputs[0][i] - reference[i]);
      reference_energy += reference[i] * reference[i];
    }
    std::printf("fixed block %zu vs double FFT: relative RMS error %.2e\n", block, std::sqrt(error_energy / reference_energy));
    EXPECT_LT(std::sqrt(error_energy / reference_energy), 1e-5) << block;
  }
  // An impulse gives the response from sample 0, within float rounding.
  ConvolutionOptions options = kExact;
  options.fixed_block = true;
  Convolution convolution(response_from({response}), options);
  convolution.prepare(kRate, 256, 1);
  test::PlanarAudio impulse(1, 70000);
  impulse.channels[0][0] = 1.0f;
  test::process_in_blocks(convolution, impulse, std::vector<std::size_t>{256});
  double worst = 0.0;
  for (std::size_t i = 0; i < impulse.frames(); ++i)
    worst = std::max(worst, std::abs(impulse.channels[0][i] - (i < response.size() ? response[i] : 0.0)));
  EXPECT_LT(worst, 1e-6);
}

// The default (fixed-block) mode under irregular slicing: calls that end mid-block get the first
// stage provisionally; every slicing matches whole blocks within float rounding and the reference.
TEST(Convolution, FixedBlockModeTakesAnySlicing) {
  const std::vector<float> response = room_response(40000, 41);
  const std::vector<float> signal = test::white_noise(60000, 0.5f, 42);
  const std::vector<double> reference = reference_convolution(signal, response);
  ConvolutionOptions options = kExact;
  options.fixed_block = true;
  EXPECT_TRUE(ConvolutionOptions{}.fixed_block);  // the default
  std::vector<float> whole;
  for (const std::vector<std::size_t>& blocks :
       std::vector<std::vector<std::size_t>>{{256}, {1}, {100}, {255, 1}, {1, 4096, 17, 300, 64}, {3000}}) {
    Convolution convolution(response_from({response}), options);
    convolution.prepare(kRate, 256, 1);  // calls larger than promised are sliced into blocks
    ASSERT_EQ(convolution.convolver().fixed_block_frames(), 256u);
    test::PlanarAudio audio(1, signal.size());
    audio.channels[0] = signal;
    test::process_in_blocks(convolution, audio, blocks);
    if (whole.empty()) whole = audio.channels[0];
    double error_energy = 0.0, reference_energy = 0.0, worst_to_whole = 0.0, peak = 0.0;
    for (std::size_t i = 0; i < signal.size(); ++i) {
      error_energy += (audio.channels[0][i] - reference[i]) * (audio.channels[0][i] - reference[i]);
      reference_energy += reference[i] * reference[i];
      worst_to_whole = std::max(worst_to_whole, static_cast<double>(std::abs(audio.channels[0][i] - whole[i])));
      peak = std::max(peak, std::abs(reference[i]));
    }
    EXPECT_LT(std::sqrt(error_energy / reference_energy), 1e-5) << "blocks starting " << blocks[0];
    EXPECT_LT(worst_to_whole / peak, 1e-6) << "blocks starting " << blocks[0];
  }
  // Same slicing, same bits; and block sizes round up to a power of two, small ones go exact.
  EXPECT_EQ(convolver_block_frames(options, 300), 512u);
  EXPECT_EQ(convolver_block_frames(options, 16), 0u);
  EXPECT_EQ(convolver_block_frames(options, 1u << 20), kMaxConvolutionBlockFrames);
}

TEST(Convolution, TrueStereoRoutesEveryInputToEveryOutput) {
  // Four channels whose single tap sits at distinct delays identifies each path.
  std::vector<std::vector<float>> channels(4, std::vector<float>(3000, 0.0f));
  const std::size_t delays[4] = {10, 500, 1200, 2900};  // LL, LR, RL, RR
  for (std::size_t c = 0; c < 4; ++c) channels[c][delays[c]] = 1.0f;
  Convolution convolution(response_from(channels), kExact);
  convolution.prepare(kRate, 512, 2);
  test::PlanarAudio audio(2, 4096);
  audio.channels[0][0] = 1.0f;   // left impulse at 0
  audio.channels[1][100] = 2.0f;  // right impulse at 100, twice as loud
  test::process_in_blocks(convolution, audio, std::vector<std::size_t>{512});
  EXPECT_NEAR(audio.channels[0][10], 1.0f, 1e-6f);
  EXPECT_NEAR(audio.channels[1][500], 1.0f, 1e-6f);
  EXPECT_NEAR(audio.channels[0][1300], 2.0f, 1e-6f);
  EXPECT_NEAR(audio.channels[1][3000], 2.0f, 1e-6f);
  double other_energy = 0.0;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < 4096; ++i)
      if (i != 10 && i != 500 && i != 1300 && i != 3000) other_energy += audio.channels[c][i] * audio.channels[c][i];
  EXPECT_LT(other_energy, 1e-10);
}

TEST(Convolution, MonoResponseFiltersEveryChannelAndStereoResponseFoldsForMonoAudio) {
  Convolution mono_response(response_from({{0.0f, 0.5f}}), kExact);
  mono_response.prepare(kRate, 64, 2);
  test::PlanarAudio stereo(2, 8);
  stereo.channels[0][0] = 1.0f;
  stereo.channels[1][2] = 1.0f;
  mono_response.process(stereo.view());
  EXPECT_EQ(stereo.channels[0][1], 0.5f);
  EXPECT_EQ(stereo.channels[1][3], 0.5f);

  Convolution stereo_response(response_from({{1.0f, 0.0f}, {0.0f, 1.0f}}), kExact);
  stereo_response.prepare(kRate, 64, 1);
  test::PlanarAudio mono(1, 4);
  mono.channels[0][0] = 1.0f;
  stereo_response.process(mono.view());
  EXPECT_EQ(mono.channels[0][0], 0.5f);
  EXPECT_EQ(mono.channels[0][1], 0.5f);
}

TEST(Convolution, ResponseAtAnotherRateIsResampled) {
  std::vector<float> response(8820, 0.0f);
  response[4410] = 1.0f;  // 100 ms at 44.1 kHz
  Convolution convolution(response_from({response}, 44100.0), kExact);
  convolution.prepare(kRate, 1024, 1);
  const AudioBuffer& conditioned = convolution.conditioned_response();
  EXPECT_NEAR(static_cast<double>(conditioned.frame_count()), 9600.0, 2.0);
  const auto peak = std::max_element(conditioned.channel(0).begin(), conditioned.channel(0).end());
  EXPECT_EQ(peak - conditioned.channel(0).begin(), 4800);
}

TEST(Convolution, ConditioningNormalisesTrimsAndPredelays) {
  std::vector<float> response = room_response(4800, 16);
  response.insert(response.begin(), 100, 0.0f);  // recorded pre-delay
  response.resize(20000, 0.0f);                  // silent tail
  const ImpulseResponse source = response_from({response});

  Expected<AudioBuffer> energy = condition_impulse_response(source, kRate, {});
  ASSERT_TRUE(energy.has_value());
  double sum = 0.0;
  for (const float sample : energy->channel(0)) sum += static_cast<double>(sample) * sample;
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_LE(energy->frame_count(), 4900u);  // silent tail trimmed

  Expected<AudioBuffer> shaped = condition_impulse_response(
      source, kRate, {.normalization = ImpulseResponseNormalization::kPeak, .trim_leading_silence = true, .predelay_s = 0.01});
  ASSERT_TRUE(shaped.has_value());
  float peak = 0.0f;
  for (const float sample : shaped->channel(0)) peak = std::max(peak, std::abs(sample));
  EXPECT_FLOAT_EQ(peak, 1.0f);
  // Leading silence removed, then exactly 10 ms (480 frames) of pre-delay inserted.
  for (std::size_t i = 0; i < 480; ++i) ASSERT_EQ(shaped->channel(0)[i], 0.0f);
  EXPECT_NE(shaped->channel(0)[480], 0.0f);

  Expected<AudioBuffer> cut = condition_impulse_response(source, kRate, {.max_length_s = 0.05});
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->frame_count(), 2400u);
  EXPECT_LT(std::abs(cut->channel(0).back()), 1e-3f);  // faded, not chopped
}

TEST(Convolution, BadResponsesAreRefusedWithTheFileName) {
  const auto message_for = [](AudioBuffer audio, double rate) {
    Expected<ImpulseResponse> response = make_impulse_response(std::move(audio), rate, "hall.wav");
    EXPECT_FALSE(response.has_value());
    return response.has_value() ? std::string() : response.error().describe();
  };
  EXPECT_NE(message_for(AudioBuffer(2, 0), kRate).find("empty"), std::string::npos);
  EXPECT_NE(message_for(AudioBuffer(3, 100), kRate).find("3 channels"), std::string::npos);
  EXPECT_NE(message_for(AudioBuffer(1, 100), kRate).find("silence"), std::string::npos);
  AudioBuffer huge(1, static_cast<std::size_t>(61 * 8000));
  huge.channel(0)[0] = 1.0f;
  EXPECT_NE(message_for(std::move(huge), 8000.0).find("61.0 s"), std::string::npos);
  AudioBuffer broken(1, 10);
  broken.channel(0)[3] = std::nanf("");
  const std::string nan_message = message_for(std::move(broken), kRate);
  EXPECT_NE(nan_message.find("NaN"), std::string::npos);
  EXPECT_NE(nan_message.find("hall.wav"), std::string::npos);
}

TEST(Convolution, MixZeroIsDryAndMixGlides) {
  const std::vector<float> signal = test::white_noise(4800, 0.5f, 17);
  Convolution convolution(response_from({room_response(2000, 18)}), {.mix = 0.0});
  convolution.prepare(kRate, 4800, 1);
  test::PlanarAudio audio(1, signal.size());
  audio.channels[0] = signal;
  convolution.process(audio.view());
  EXPECT_EQ(audio.channels[0], signal);
}

}  // namespace
}  // namespace resound::fx
