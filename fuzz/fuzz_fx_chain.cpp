// Fuzz target: effect-chain JSON and the CLI's --eq/--compress/--limit specs on arbitrary text must
// give a chain or an Error — never crash; a chain that parses must also process audio safely.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "resound/core/audio_buffer.hpp"
#include "resound/host/fx_chain_description.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace resound;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)host::parse_eq_spec(text);
  (void)host::parse_compressor_spec(text);
  (void)host::parse_ceiling_spec(text);
  // A folder that does not exist: IR paths in the input can never reach real files.
  auto described = host::parse_fx_chain_json(text, "fuzz.json", "/nonexistent-resound-fuzz");
  if (!described) return 0;
  AudioBuffer audio(2, 256);
  audio.channel(0)[0] = 1.0f;
  described->chain->prepare(48000.0, 256, 2);
  described->chain->process(audio.view());
  (void)host::describe_fx_chain_json(*described->chain);
  return 0;
}
