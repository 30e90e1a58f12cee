// Helpers for synthesizer tests: tiny generated banks, rendering a MIDI file at a block size, measurements.
#pragma once

#include <cmath>
#include <memory>
#include <vector>

#include "midi_builder.hpp"
#include "resound/core/audio_buffer.hpp"
#include "resound/synth/midi_source.hpp"
#include "resound/synth/synthesizer.hpp"
#include "soundfont_builder.hpp"

namespace resound::test {

inline std::shared_ptr<const formats::SoundFont> load_font(const std::vector<std::uint8_t>& bytes) {
  auto font = formats::SoundFont::load_memory({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "test.sf2");
  return font ? *font : nullptr;
}

inline std::shared_ptr<const formats::MidiFile> parse_song(const std::vector<std::uint8_t>& bytes) {
  auto midi = formats::parse_midi({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "test.mid");
  return midi ? std::make_shared<const formats::MidiFile>(std::move(*midi)) : nullptr;
}

/// Renders a whole MidiSource with process() blocks of `block_frames`; returns (2, frames).
inline AudioBuffer render_source(synth::MidiSource& source, std::size_t block_frames, double rate_hz = 44100.0) {
  source.prepare(rate_hz, block_frames);
  std::vector<float> left, right;
  AudioBuffer block(2, block_frames);
  for (int guard = 0; guard < 100000000; ++guard) {
    const std::size_t produced = source.process(block.view());
    left.insert(left.end(), block.channel(0).begin(), block.channel(0).begin() + static_cast<std::ptrdiff_t>(produced));
    right.insert(right.end(), block.channel(1).begin(), block.channel(1).begin() + static_cast<std::ptrdiff_t>(produced));
    if (produced < block_frames) break;
  }
  AudioBuffer out(2, left.size());
  std::copy(left.begin(), left.end(), out.channel(0).begin());
  std::copy(right.begin(), right.end(), out.channel(1).begin());
  return out;
}

/// Renders `frames` frames from a Synthesizer (dry bus only).
inline AudioBuffer render_synth(synth::Synthesizer& synthesizer, std::size_t frames) {
  AudioBuffer out(2, frames);
  for (std::size_t done = 0; done < frames;) {
    const std::size_t count = std::min<std::size_t>(4096, frames - done);
    synthesizer.render({out.view().subview(done, count), {}, {}});
    done += count;
  }
  return out;
}

inline double rms_of(std::span<const float> samples) {
  double sum = 0.0;
  for (float sample : samples) sum += static_cast<double>(sample) * sample;
  return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

/// Amplitude of `frequency_hz` in `samples` (single-bin DFT with a Hann window).
inline double tone_amplitude(std::span<const float> samples, double frequency_hz, double rate_hz) {
  double real = 0.0, imaginary = 0.0, window_sum = 0.0;
  const double n = static_cast<double>(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double window = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / n);
    const double phase = 2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) / rate_hz;
    real += samples[i] * window * std::cos(phase);
    imaginary += samples[i] * window * std::sin(phase);
    window_sum += window;
  }
  return 2.0 * std::hypot(real, imaginary) / window_sum;
}

}  // namespace resound::test
