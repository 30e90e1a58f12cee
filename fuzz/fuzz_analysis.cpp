// Fuzz target: audio bytes → decode → every analysis (pitch, onsets, tempo, loudness, waveform,
// transcription, scoring, streaming) must give results or an Error — never crash, hang or emit NaN times.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "resound/analysis/analyze.hpp"
#include "resound/analysis/performance_score.hpp"
#include "resound/analysis/streaming.hpp"
#include "resound/analysis/transcription.hpp"
#include "resound/analysis/waveform_image.hpp"
#include "resound/core/audio_buffer.hpp"
#include "resound/formats/audio_file_reader.hpp"

namespace {

using namespace resound;

// Bounded so one input cannot stall the fuzzer: ~0.75 s at 44.1 kHz (long inputs are the unit tests' job).
constexpr std::size_t kMaxFrames = 1 << 15;

void check_times(const std::vector<double>& times) {
  for (const double time : times)
    if (!std::isfinite(time) || time < 0.0) std::abort();
}

void analyse(ConstAudioView audio, double sample_rate_hz) {
  auto report = analysis::analyze_audio(audio, sample_rate_hz);
  if (!report) return;
  if (report->onsets) check_times(report->onsets->onset_times_s);
  if (report->beats) check_times(report->beats->beat_times_s);
  if (report->waveform && report->waveform->level_count() > 0) {
    analysis::WaveformImageOptions picture;
    picture.width = 64;
    picture.height = 16;
    (void)analysis::render_waveform_png(*report->waveform, picture);
  }
  if (report->pitch && report->onsets) {
    const auto notes = analysis::transcribe_notes(*report->pitch, *report->onsets);
    (void)analysis::score_recording(audio, sample_rate_hz, notes);
  }
  // The streaming analyzers on the first channel, in uneven blocks.
  const auto first = audio.channel(0);
  auto pitch = analysis::StreamingPitchTracker::create(sample_rate_hz);
  auto onsets = analysis::StreamingOnsetDetector::create(sample_rate_hz);
  if (!pitch || !onsets) return;
  for (std::size_t offset = 0; offset < first.size();) {
    const std::size_t take = std::min<std::size_t>(first.size() - offset, 1 + offset % 997);
    (void)(*pitch)->push(first.subspan(offset, take));
    check_times((*onsets)->push(first.subspan(offset, take)));
    offset += take;
  }
  (void)(*pitch)->flush();
  check_times((*onsets)->flush());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] == 'F' && size >= 9) {
    // Raw mode: a float rate, then float samples (NaN, infinities, denormals reach the analysers directly).
    float rate = 0.0f;
    std::memcpy(&rate, data + 1, sizeof rate);
    const std::size_t count = std::min((size - 5) / sizeof(float), kMaxFrames);
    std::vector<float> samples(count);
    if (count > 0) std::memcpy(samples.data(), data + 5, count * sizeof(float));
    const float* pointer = samples.data();
    analyse(ConstAudioView(&pointer, 1, samples.size()), static_cast<double>(rate));
    return 0;
  }
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  auto reader = formats::AudioFileReader::open_memory(bytes, "fuzz-input");
  if (!reader) return 0;
  const std::size_t channels = reader->info().channel_count;
  if (channels == 0 || channels > 8) return 0;
  AudioBuffer clip(channels, kMaxFrames);
  std::size_t filled = 0;
  while (filled < kMaxFrames) {
    auto frames = reader->read(clip.view().subview(filled, kMaxFrames - filled));
    if (!frames || *frames == 0) break;
    filled += *frames;
  }
  analyse(clip.view().subview(0, filled), reader->info().sample_rate_hz);
  return 0;
}
