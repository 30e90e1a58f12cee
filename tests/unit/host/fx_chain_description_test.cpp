// Effect-chain descriptions and file processing: JSON round trip, errors naming the JSON path and
// file, CLI specs, latency-compensated streaming through a chain, bad impulse-response files.
#include "resound/host/fx_chain_description.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "resound/formats/audio_file_reader.hpp"
#include "resound/formats/audio_file_writer.hpp"
#include "resound/fx/convolution.hpp"
#include "resound/fx/limiter.hpp"
#include "resound/host/fx_file_processing.hpp"
#include "resound_test/signals.hpp"
#include "resound_test/temp_directory.hpp"

namespace resound::host {
namespace {

void write_file(const std::filesystem::path& path, const std::vector<std::vector<float>>& channels, double rate) {
  AudioBuffer audio(channels.size(), channels[0].size());
  for (std::size_t c = 0; c < channels.size(); ++c) std::copy(channels[c].begin(), channels[c].end(), audio.channel(c).begin());
  auto written = formats::write_audio_file(path, audio.view(), rate, formats::parse_audio_format("float").value());
  ASSERT_TRUE(written.has_value()) << written.error().describe();
}

TEST(FxChainDescription, JsonBuildsEveryProcessorAndDescribesItBack) {
  test::TempDirectory directory;
  std::vector<float> response(4800, 0.0f);
  response[0] = 1.0f;
  response[2400] = 0.5f;
  write_file(directory.path() / "ir.wav", {response}, 48000.0);
  const std::string text = R"({"chain": [
    {"type": "eq", "bands": [{"type": "highpass", "frequency_hz": 40}, {"type": "peak", "frequency_hz": 2500, "gain_db": 2, "q": 1.5}]},
    {"type": "compressor", "threshold_db": -20, "ratio": 3, "detector": "rms"},
    {"type": "bus", "branches": [{"chain": [{"type": "gain", "gain_db": -3}]},
                                 {"gain_db": -6, "chain": [{"type": "convolution", "ir": "ir.wav", "mix": 1.0}]}]},
    {"type": "reverb", "room_size": 0.7, "mix": 0.2},
    {"type": "chorus", "voices": 2},
    {"type": "pan", "position": 0.1},
    {"type": "limiter", "ceiling_db": -1}]})";
  auto described = parse_fx_chain_json(text, "chain.json", directory.path());
  ASSERT_TRUE(described.has_value()) << described.error().describe();
  EXPECT_EQ(described->chain->size(), 7u);
  EXPECT_NEAR(described->tail_s, 1.8 + 0.01, 1e-9);  // the reverb rings longer than the 0.1 s IR
  const std::string description = describe_fx_chain_json(*described->chain);
  for (const char* expected : {"\"highpass\"", "\"rms\"", "\"room_size\": 0.7", "\"ceiling_db\": -1.0", "\"voices\": 2"})
    EXPECT_NE(description.find(expected), std::string::npos) << expected << " in " << description;
  // Described JSON parses back into the same description.
  auto again = parse_fx_chain_json(description, "again.json", directory.path());
  ASSERT_TRUE(again.has_value()) << again.error().describe();
  EXPECT_EQ(describe_fx_chain_json(*again->chain), description);
}

TEST(FxChainDescription, ErrorsNameTheJsonPathAndFile) {
  auto unknown_type = parse_fx_chain_json(R"([{"type": "flanger"}])", "c.json", ".");
  ASSERT_FALSE(unknown_type.has_value());
  EXPECT_EQ(unknown_type.error().context().field, "chain[0].type");
  auto unknown_field = parse_fx_chain_json(R"([{"type": "eq", "bands": [{"type": "peak", "freq": 3}]}])", "c.json", ".");
  ASSERT_FALSE(unknown_field.has_value());
  EXPECT_EQ(unknown_field.error().context().field, "chain[0].bands[0].freq");
  auto wrong_kind = parse_fx_chain_json(R"({"chain": [{"type": "gain", "gain_db": "loud"}]})", "c.json", ".");
  ASSERT_FALSE(wrong_kind.has_value());
  EXPECT_NE(wrong_kind.error().describe().find("c.json"), std::string::npos);
  auto missing_ir = parse_fx_chain_json(R"([{"type": "convolution", "ir": "nope.wav"}])", "c.json", "/nonexistent");
  ASSERT_FALSE(missing_ir.has_value());
  EXPECT_NE(missing_ir.error().describe().find("nope.wav"), std::string::npos);
  EXPECT_FALSE(parse_fx_chain_json("{not json", "c.json", ".").has_value());
}

TEST(FxChainDescription, CliSpecsParse) {
  auto bands = parse_eq_spec("highpass:40,lowshelf:120:-3,peak:2500:+2:1.5");
  ASSERT_TRUE(bands.has_value());
  ASSERT_EQ(bands->size(), 3u);
  EXPECT_EQ((*bands)[1].type, fx::FilterType::kLowShelf);
  EXPECT_DOUBLE_EQ((*bands)[1].gain_db, -3.0);
  EXPECT_DOUBLE_EQ((*bands)[2].q, 1.5);
  EXPECT_FALSE(parse_eq_spec("peak").has_value());
  EXPECT_FALSE(parse_eq_spec("peak:-5").has_value());
  auto compressor = parse_compressor_spec("threshold=-20,ratio=3,attack=5,detector=rms");
  ASSERT_TRUE(compressor.has_value());
  EXPECT_DOUBLE_EQ(compressor->attack_s, 0.005);
  EXPECT_EQ(compressor->detector, fx::LevelDetector::kRms);
  EXPECT_FALSE(parse_compressor_spec("speed=3").has_value());
  EXPECT_DOUBLE_EQ(parse_ceiling_spec("-1dBTP").value(), -1.0);
  EXPECT_DOUBLE_EQ(parse_ceiling_spec("-0.5").value(), -0.5);
  EXPECT_FALSE(parse_ceiling_spec("+3dB").has_value());
}

TEST(FxFileProcessing, OutputIsAlignedWithTheInputDespiteLatencyAndKeepsTheTail) {
  test::TempDirectory directory;
  const double rate = 44100.0;
  std::vector<float> input(44100, 0.0f);
  input[1000] = 0.5f;  // a click well under the ceiling: the limiter passes it unchanged
  write_file(directory.path() / "in.wav", {input}, rate);
  std::vector<float> response(2205, 0.0f);
  response[0] = 1.0f;
  response[2000] = 0.25f;
  write_file(directory.path() / "ir.wav", {response}, rate);
  auto ir = read_impulse_response_file(directory.path() / "ir.wav");
  ASSERT_TRUE(ir.has_value());
  fx::Chain chain;
  chain.add(std::make_shared<fx::Convolution>(std::move(*ir), fx::ConvolutionOptions{.response = {.normalization = fx::ImpulseResponseNormalization::kNone}}));
  chain.add(std::make_shared<fx::Limiter>());
  auto result = process_audio_file_with_chain(directory.path() / "in.wav", directory.path() / "out.wav", chain, {.tail_s = 0.5});
  ASSERT_TRUE(result.has_value()) << result.error().describe();
  EXPECT_GT(result->latency_frames, 200u);
  auto output = formats::read_audio_file(directory.path() / "out.wav");
  ASSERT_TRUE(output.has_value());
  EXPECT_EQ(output->audio.frame_count(), 44100u + 22050u);
  EXPECT_NEAR(output->audio.channel(0)[1000], 0.5f, 1e-6f);
  EXPECT_NEAR(output->audio.channel(0)[3000], 0.125f, 1e-6f);
  EXPECT_NEAR(output->audio.channel(0)[999], 0.0f, 1e-6f);
}

TEST(FxFileProcessing, BadImpulseResponseFilesAreRefusedWithTheirName) {
  test::TempDirectory directory;
  write_file(directory.path() / "three.wav", {{1.0f, 0.0f}, {1.0f, 0.0f}, {1.0f, 0.0f}}, 48000.0);
  auto three = read_impulse_response_file(directory.path() / "three.wav");
  ASSERT_FALSE(three.has_value());
  EXPECT_NE(three.error().describe().find("three.wav"), std::string::npos);
  EXPECT_NE(three.error().describe().find("3 channels"), std::string::npos);
  write_file(directory.path() / "silent.wav", {std::vector<float>(100, 0.0f)}, 48000.0);
  EXPECT_NE(read_impulse_response_file(directory.path() / "silent.wav").error().describe().find("silence"), std::string::npos);
  // 61 s at 1 kHz: refused from the header, before decoding.
  write_file(directory.path() / "long.wav", {std::vector<float>(61000, 0.1f)}, 1000.0);
  auto long_file = read_impulse_response_file(directory.path() / "long.wav");
  ASSERT_FALSE(long_file.has_value());
  EXPECT_NE(long_file.error().describe().find("61.0 s"), std::string::npos);
  std::ofstream(directory.path() / "text.wav") << "not audio";
  EXPECT_FALSE(read_impulse_response_file(directory.path() / "text.wav").has_value());
}

}  // namespace
}  // namespace resound::host
