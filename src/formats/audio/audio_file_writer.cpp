// AudioFileWriter over libsndfile, writing through an AtomicOutputFile.
#include "resound/formats/audio_file_writer.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/formats/atomic_file.hpp"

namespace resound::formats {
namespace {

constexpr std::size_t kChunkFrames = 4096;

// A RIFF WAV's sizes are 32-bit; keep a margin for the header chunks.
constexpr std::uint64_t kMaxWavDataBytes = 0xFFFFFFFFull - 4096;

std::uint64_t bytes_per_sample(SampleEncoding encoding) {
  switch (encoding) {
    case SampleEncoding::kPcm16: return 2;
    case SampleEncoding::kPcm24: return 3;
    case SampleEncoding::kFloat32: return 4;
  }
  return 4;
}

int libsndfile_format(const AudioWriteOptions& options) {
  const AudioFormat& format = options.format;
  int subtype = SF_FORMAT_PCM_16;
  if (format.encoding == SampleEncoding::kPcm24) subtype = SF_FORMAT_PCM_24;
  if (format.encoding == SampleEncoding::kFloat32) subtype = SF_FORMAT_FLOAT;
  if (format.container == AudioContainer::kFlac) return SF_FORMAT_FLAC | subtype;
  const std::uint64_t expected_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, options.expected_frame_count)) *
                                       options.channel_count * bytes_per_sample(format.encoding);
  return (expected_bytes > kMaxWavDataBytes ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | subtype;
}

// SplitMix64: a tiny, well-mixed generator for reproducible dither noise.
class DitherNoise {
 public:
  explicit DitherNoise(std::uint64_t seed) : state_(seed) {}
  /// Uniform in [0, 1).
  float next_uniform() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<float>(z >> 40) * (1.0f / 16777216.0f);
  }
  /// Triangular noise spanning ±1 LSB of 16-bit audio.
  float next_tpdf_16bit() noexcept { return (next_uniform() - next_uniform()) * (1.0f / 32768.0f); }

 private:
  std::uint64_t state_;
};

// libsndfile's own float -> integer conversion truncates toward -inf (1.7 LSB becomes 1); Resound
// rounds to the nearest step and clips, so quantisation error stays within half an LSB.
std::int32_t quantise(float sample, double full_scale, std::int32_t smallest, std::int32_t largest) {
  const double scaled = std::nearbyint(static_cast<double>(sample) * full_scale);
  if (scaled < smallest) return smallest;
  if (scaled > largest) return largest;
  return static_cast<std::int32_t>(scaled);
}

}  // namespace

struct AudioFileWriter::State {
  AudioWriteOptions options;
  AtomicOutputFile output;
  SNDFILE* file = nullptr;
  std::vector<float> interleaved;
  std::vector<std::int32_t> quantised;  // integer encodings: rounded here, not by libsndfile
  std::int64_t frames_written = 0;
  std::uint64_t max_frames = UINT64_MAX;  // the RIFF size limit of a classic WAV
  DitherNoise dither;

  State(AudioWriteOptions write_options, AtomicOutputFile atomic_output)
      : options(write_options), output(std::move(atomic_output)), dither(write_options.dither_seed) {}
  ~State() { close_without_publishing(); }

  void close_without_publishing() noexcept {
    if (file != nullptr) {
      sf_close(file);
      file = nullptr;
    }
    output.discard();
  }
  Error error(ErrorCode code, const std::string& message) const {
    return Error{code, message, {.file = output.target().string()}};
  }
};

namespace {

// Writes one interleaved chunk in the file's encoding; returns the frames written.
sf_count_t write_chunk(AudioFileWriter::State& state, std::span<float> chunk, std::size_t frames) {
  const auto frame_count = static_cast<sf_count_t>(frames);
  switch (state.options.format.encoding) {
    case SampleEncoding::kFloat32:
      return sf_writef_float(state.file, chunk.data(), frame_count);
    case SampleEncoding::kPcm16:
      // libsndfile's int path takes the top 16 bits of a 32-bit value.
      for (std::size_t i = 0; i < chunk.size(); ++i)
        state.quantised[i] = (std::isnan(chunk[i]) ? 0 : quantise(chunk[i], 32768.0, -32768, 32767)) * 65536;
      return sf_writef_int(state.file, state.quantised.data(), frame_count);
    case SampleEncoding::kPcm24:
      for (std::size_t i = 0; i < chunk.size(); ++i)
        state.quantised[i] = (std::isnan(chunk[i]) ? 0 : quantise(chunk[i], 8388608.0, -8388608, 8388607)) * 256;
      return sf_writef_int(state.file, state.quantised.data(), frame_count);
  }
  return 0;
}

}  // namespace

AudioFileWriter::AudioFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
AudioFileWriter::AudioFileWriter(AudioFileWriter&&) noexcept = default;
AudioFileWriter& AudioFileWriter::operator=(AudioFileWriter&&) noexcept = default;
AudioFileWriter::~AudioFileWriter() = default;

Expected<AudioFileWriter> AudioFileWriter::create(const std::filesystem::path& path, const AudioWriteOptions& options) {
  const std::string name = path.string();
  if (options.channel_count == 0 || options.channel_count > 256)
    return Error{ErrorCode::kInvalidArgument, "cannot write " + std::to_string(options.channel_count) + " channels",
                 {.file = name, .field = "channels"}};
  if (!(options.sample_rate_hz >= 1.0 && options.sample_rate_hz <= 1'536'000.0))
    return Error{ErrorCode::kInvalidArgument, "invalid sample rate " + std::to_string(options.sample_rate_hz),
                 {.file = name, .field = "sample rate"}};
  if (options.format.container == AudioContainer::kFlac && options.format.encoding == SampleEncoding::kFloat32)
    return Error{ErrorCode::kUnsupported, "FLAC cannot hold float samples (use flac or flac16)",
                 {.file = name, .field = "format"}};

  auto output = AtomicOutputFile::create(path);
  if (!output) return output.error();
  auto state = std::make_unique<State>(options, std::move(output).value());

  SF_INFO info{};
  info.samplerate = static_cast<int>(options.sample_rate_hz + 0.5);
  info.channels = static_cast<int>(options.channel_count);
  info.format = libsndfile_format(options);
  if (!sf_format_check(&info))
    return state->error(ErrorCode::kUnsupported, "libsndfile cannot write " + options.format.name() + " at " +
                                                     std::to_string(info.samplerate) + " Hz");
  state->file = sf_open_fd(state->output.descriptor(), SFM_WRITE, &info, SF_FALSE);
  if (state->file == nullptr)
    return state->error(ErrorCode::kIo, std::string("cannot start writing: ") + sf_strerror(nullptr));
  if ((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_WAV)
    state->max_frames = kMaxWavDataBytes / (options.channel_count * bytes_per_sample(options.format.encoding));
  sf_command(state->file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  state->interleaved.resize(kChunkFrames * options.channel_count);
  if (options.format.encoding != SampleEncoding::kFloat32) state->quantised.resize(state->interleaved.size());
  return AudioFileWriter(std::move(state));
}

Expected<void> AudioFileWriter::write(ConstAudioView audio) {
  State& state = *state_;
  if (state.file == nullptr) return state.error(ErrorCode::kInvalidArgument, "write after commit or cancel");
  const std::size_t channels = state.options.channel_count;
  if (audio.channel_count() != channels)
    return state.error(ErrorCode::kInvalidArgument, "block has " + std::to_string(audio.channel_count()) +
                                                        " channels, file has " + std::to_string(channels));
  if (static_cast<std::uint64_t>(state.frames_written) + audio.frame_count() > state.max_frames) {
    state.close_without_publishing();
    return state.error(ErrorCode::kOutOfRange,
                       "a WAV file cannot hold more than 4 GiB of audio; write FLAC, or announce the length "
                       "(expected_frame_count) to get RF64");
  }
  const bool dither = state.options.dither && state.options.format.encoding == SampleEncoding::kPcm16;
  for (std::size_t done = 0; done < audio.frame_count();) {
    const std::size_t count = std::min(kChunkFrames, audio.frame_count() - done);
    const std::span<float> chunk(state.interleaved.data(), count * channels);
    interleave(audio.subview(done, count), chunk);
    if (dither)
      for (float& sample : chunk) sample += state.dither.next_tpdf_16bit();
    const sf_count_t written = write_chunk(state, chunk, count);
    if (written != static_cast<sf_count_t>(count)) {
      const std::string reason = sf_strerror(state.file);
      state.close_without_publishing();
      return state.error(ErrorCode::kIo, "write failed (" + reason + ")");
    }
    done += count;
    state.frames_written += static_cast<std::int64_t>(count);
  }
  return ok();
}

Expected<void> AudioFileWriter::commit() {
  State& state = *state_;
  if (state.file == nullptr) return state.error(ErrorCode::kInvalidArgument, "commit after commit or cancel");
  const int close_status = sf_close(state.file);
  state.file = nullptr;
  if (close_status != 0) {
    state.close_without_publishing();
    return state.error(ErrorCode::kIo, std::string("cannot finish file: ") + sf_error_number(close_status));
  }
  return state.output.commit();
}

void AudioFileWriter::cancel() noexcept { state_->close_without_publishing(); }

std::int64_t AudioFileWriter::frames_written() const noexcept { return state_->frames_written; }
const AudioWriteOptions& AudioFileWriter::options() const noexcept { return state_->options; }

Expected<void> write_audio_file(const std::filesystem::path& path, ConstAudioView audio, double sample_rate_hz,
                                AudioFormat format, bool dither) {
  auto writer = AudioFileWriter::create(
      path, {.sample_rate_hz = sample_rate_hz, .channel_count = audio.channel_count(), .format = format, .dither = dither});
  if (!writer) return writer.error();
  if (auto written = writer->write(audio); !written) return written.error();
  return writer->commit();
}

}  // namespace resound::formats
