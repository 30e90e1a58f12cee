// Fuzz target: SF2/SF3 loading, then notes on every preset, must give sound or an Error — never crash or hang.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "resound/core/audio_buffer.hpp"
#include "resound/formats/soundfont.hpp"
#include "resound/synth/synthesizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace resound;
  auto font = formats::SoundFont::load_memory({reinterpret_cast<const std::byte*>(data), size}, "fuzz-input");
  if (!font) return 0;
  const auto& samples = (*font)->samples();
  for (std::size_t i = 0; i < std::min<std::size_t>(samples.size(), 8); ++i) (*font)->ensure_decoded(i);
  synth::SynthesizerOptions options;
  options.max_voices = 16;
  options.max_block_frames = 256;
  synth::Synthesizer synthesizer(*font, options);
  AudioBuffer block(2, 256);
  const auto& presets = (*font)->presets();
  for (std::size_t p = 0; p < std::min<std::size_t>(presets.size(), 4); ++p) {
    synthesizer.control_change(0, 0, presets[p].bank & 127);
    synthesizer.program_change(0, presets[p].program);
    synthesizer.note_on(0, 60, 100);
    synthesizer.note_on(9, 38, 127);
    synthesizer.render({block.view(), {}, {}});
    synthesizer.note_off(0, 60);
    synthesizer.render({block.view(), {}, {}});
  }
  return 0;
}
