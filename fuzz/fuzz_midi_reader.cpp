// Fuzz target: the SMF reader on arbitrary bytes must return a timeline or an Error — never crash or hang.
#include <cstddef>
#include <cstdint>
#include <span>

#include "resound/formats/midi_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace resound;
  auto midi = formats::parse_midi({reinterpret_cast<const std::byte*>(data), size}, "fuzz-input");
  if (!midi) return 0;
  double previous = 0.0;
  for (const auto& event : midi->events) {
    // Times must be monotonic and finite; payloads must lie inside the payload store.
    if (!(event.time_s >= previous) || event.payload_offset + static_cast<std::size_t>(event.payload_size) > midi->payload.size())
      __builtin_trap();
    previous = event.time_s;
    (void)midi->payload_of(event);
  }
  (void)midi->seconds_at_tick(1 << 30);
  return 0;
}
