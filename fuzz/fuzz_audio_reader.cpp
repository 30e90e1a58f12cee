// Fuzz target: AudioFileReader on arbitrary bytes must return audio or an Error — never crash or hang.
#include <cstddef>
#include <cstdint>
#include <span>

#include "resound/formats/audio_file_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace resound;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto reader = formats::AudioFileReader::open_memory(bytes, "fuzz-input");
  if (!reader) return 0;
  const std::size_t channels = reader->info().channel_count;
  AudioBuffer block(channels, 1024);
  // Decode at most a bounded amount so a header claiming hours of audio cannot stall the fuzzer.
  for (int i = 0; i < 64; ++i) {
    auto frames = reader->read(block.view());
    if (!frames || *frames == 0) break;
  }
  (void)reader->seek(reader->info().frame_count / 2);
  return 0;
}
