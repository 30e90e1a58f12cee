// Audio files: write then read back — float exact, 16/24-bit within one LSB, metadata right.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstring>

#include <cmath>
#include <fstream>
#include <random>
#include <vector>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::formats {
namespace {

AudioBuffer random_audio(std::size_t channels, std::size_t frames, float amplitude = 0.99f) {
  std::mt19937 generator(1234);
  std::uniform_real_distribution<float> distribution(-amplitude, amplitude);
  AudioBuffer buffer(channels, frames);
  for (std::size_t c = 0; c < channels; ++c)
    for (float& sample : buffer.channel(c)) sample = distribution(generator);
  return buffer;
}

double max_abs_difference(const AudioBuffer& a, const AudioBuffer& b) {
  double worst = 0.0;
  for (std::size_t c = 0; c < a.channel_count(); ++c)
    for (std::size_t i = 0; i < a.frame_count(); ++i)
      worst = std::max(worst, std::abs(static_cast<double>(a.channel(c)[i]) - b.channel(c)[i]));
  return worst;
}

AudioClip write_and_read(const std::filesystem::path& path, const AudioBuffer& audio, AudioFormat format) {
  auto written = write_audio_file(path, audio, 48000.0, format);
  EXPECT_TRUE(written) << written.error().describe();
  auto clip = read_audio_file(path);
  EXPECT_TRUE(clip) << clip.error().describe();
  return std::move(clip).value();
}

TEST(AudioFileRoundTrip, FloatWavIsBitExact) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(2, 48000, 1.5f);  // float WAV keeps values beyond full scale
  const AudioClip clip = write_and_read(folder / "float.wav", audio, *parse_audio_format("float"));
  ASSERT_EQ(clip.audio.channel_count(), 2u);
  ASSERT_EQ(clip.audio.frame_count(), 48000u);
  EXPECT_EQ(clip.sample_rate_hz, 48000.0);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < 48000; ++i) ASSERT_EQ(clip.audio.channel(c)[i], audio.channel(c)[i]) << i;
}

TEST(AudioFileRoundTrip, Flac24IsWithinOneLsb) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(2, 48000);
  const AudioClip clip = write_and_read(folder / "deep.flac", audio, *parse_audio_format("flac"));
  auto reader = AudioFileReader::open(folder / "deep.flac");
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().container, "FLAC");
  EXPECT_EQ(reader->info().encoding, "PCM_24");
  EXPECT_LE(max_abs_difference(audio, clip.audio), 0.5 / 8388608.0 + 1e-9);
}

TEST(AudioFileRoundTrip, Wav16And24RoundToTheNearestStep) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(1, 10000);
  // Rounding (not truncation): the error never exceeds half an LSB.
  EXPECT_LE(max_abs_difference(audio, write_and_read(folder / "a.wav", audio, *parse_audio_format("wav16")).audio),
            0.5 / 32768.0 + 1e-9);
  EXPECT_LE(max_abs_difference(audio, write_and_read(folder / "b.wav", audio, *parse_audio_format("wav24")).audio),
            0.5 / 8388608.0 + 1e-9);
  AudioBuffer steps(1, 3);
  steps.channel(0)[0] = 1.7f / 32768.0f;
  steps.channel(0)[1] = -0.4f / 32768.0f;
  steps.channel(0)[2] = 100.51f / 32768.0f;
  const AudioClip clip = write_and_read(folder / "c.wav", steps, *parse_audio_format("wav16"));
  EXPECT_EQ(clip.audio.channel(0)[0] * 32768.0f, 2.0f);
  EXPECT_EQ(clip.audio.channel(0)[1] * 32768.0f, 0.0f);
  EXPECT_EQ(clip.audio.channel(0)[2] * 32768.0f, 101.0f);
}

TEST(AudioFileRoundTrip, IntegerFormatsClipInsteadOfWrapping) {
  test::TempDirectory folder;
  AudioBuffer loud(1, 4);
  loud.channel(0)[0] = 1.7f;
  loud.channel(0)[1] = -3.0f;
  const AudioClip clip = write_and_read(folder / "loud.wav", loud, *parse_audio_format("wav16"));
  EXPECT_GT(clip.audio.channel(0)[0], 0.999f);
  EXPECT_LE(clip.audio.channel(0)[1], -0.999f);
}

TEST(AudioFileRoundTrip, DitheredSixteenBitStaysWithinTwoLsbAndIsReproducible) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(1, 20000, 0.5f);
  auto first = write_audio_file(folder / "d1.wav", audio, 44100.0, *parse_audio_format("wav16"), true);
  auto second = write_audio_file(folder / "d2.wav", audio, 44100.0, *parse_audio_format("wav16"), true);
  ASSERT_TRUE(first && second);
  const AudioClip one = *read_audio_file(folder / "d1.wav");
  const AudioClip two = *read_audio_file(folder / "d2.wav");
  EXPECT_LE(max_abs_difference(audio, one.audio), 2.0 / 32768.0);
  EXPECT_EQ(max_abs_difference(one.audio, two.audio), 0.0);
}

TEST(AudioFileReader, StreamsInBlocksAndSeeks) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(2, 10000);
  ASSERT_TRUE(write_audio_file(folder / "s.wav", audio, 22050.0, *parse_audio_format("float")));
  auto reader = AudioFileReader::open(folder / "s.wav");
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->info().frame_count, 10000);
  EXPECT_NEAR(reader->info().duration_s(), 10000.0 / 22050.0, 1e-12);
  AudioBuffer block(2, 3000);
  std::size_t total = 0;
  while (true) {
    auto frames = reader->read(block.view());
    ASSERT_TRUE(frames);
    if (*frames == 0) break;
    EXPECT_EQ(block.channel(1)[0], audio.channel(1)[total]);
    total += *frames;
  }
  EXPECT_EQ(total, 10000u);
  ASSERT_TRUE(reader->seek(9000));
  auto frames = reader->read(block.view());
  ASSERT_TRUE(frames);
  EXPECT_EQ(*frames, 1000u);
  EXPECT_EQ(block.channel(0)[0], audio.channel(0)[9000]);
  EXPECT_FALSE(reader->seek(20000));
}

TEST(AudioFileReader, ReadsFromMemory) {
  test::TempDirectory folder;
  const AudioBuffer audio = random_audio(1, 500);
  ASSERT_TRUE(write_audio_file(folder / "m.flac", audio, 44100.0, *parse_audio_format("flac16")));
  std::ifstream stream(folder / "m.flac", std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(raw.size());
  std::memcpy(bytes.data(), raw.data(), raw.size());
  auto reader = AudioFileReader::open_memory(bytes, "upload.flac");
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_EQ(reader->info().frame_count, 500);
  AudioBuffer decoded(1, 500);
  ASSERT_EQ(*reader->read(decoded.view()), 500u);
  EXPECT_LE(max_abs_difference(audio, decoded), 1.0 / 32768.0);
}

// Lossy formats are encoded here with libsndfile directly (our writer only makes WAV/FLAC), then
// decoded through AudioFileReader: the tone must come back at the right pitch and length.
void expect_lossy_format_decodes(int sndfile_format, const char* name) {
  test::TempDirectory folder;
  const auto path = (folder / name).string();
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 1;
  info.format = sndfile_format;
  if (!sf_format_check(&info)) GTEST_SKIP() << "libsndfile cannot encode " << name;
  const std::vector<float> tone = test::sine(1000.0, 44100.0, 44100);
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  ASSERT_EQ(sf_writef_float(file, tone.data(), 44100), 44100);
  sf_close(file);

  auto clip = read_audio_file(path);
  ASSERT_TRUE(clip) << clip.error().describe();
  EXPECT_NEAR(static_cast<double>(clip->audio.frame_count()), 44100.0, 2048.0);  // encoder padding
  const auto decoded = clip->audio.channel(0);
  EXPECT_NEAR(test::measure_frequency_hz(decoded.subspan(4096, 32768), 44100.0), 1000.0, 0.5);
  EXPECT_NEAR(test::rms(decoded.subspan(4096, 32768)), 0.5 / std::sqrt(2.0), 0.02);
}

TEST(AudioFileReader, DecodesOggVorbis) { expect_lossy_format_decodes(SF_FORMAT_OGG | SF_FORMAT_VORBIS, "tone.ogg"); }

TEST(AudioFileReader, DecodesMp3) { expect_lossy_format_decodes(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, "tone.mp3"); }

}  // namespace
}  // namespace resound::formats
