// AudioFileReader over libsndfile: files and memory blocks, integrity checks, interleaved→planar.
#include "resound/formats/audio_file_reader.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include "riff_integrity.hpp"

namespace resound::formats {
namespace {

// Decoding happens in chunks of this many frames through one interleaved scratch buffer.
constexpr std::size_t kChunkFrames = 4096;
// More channels than this is not audio we can do anything sensible with (and a corrupt header).
constexpr int kMaxChannels = 256;

struct MemorySource {
  std::span<const std::byte> bytes;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) { return static_cast<sf_count_t>(static_cast<MemorySource*>(user)->bytes.size()); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* source = static_cast<MemorySource*>(user);
  const auto size = static_cast<sf_count_t>(source->bytes.size());
  sf_count_t target = offset;
  if (whence == SEEK_CUR) target = source->position + offset;
  if (whence == SEEK_END) target = size + offset;
  source->position = std::clamp<sf_count_t>(target, 0, size);
  return source->position;
}

sf_count_t memory_read(void* destination, sf_count_t count, void* user) {
  auto* source = static_cast<MemorySource*>(user);
  const auto size = static_cast<sf_count_t>(source->bytes.size());
  const sf_count_t available = std::max<sf_count_t>(0, size - source->position);
  const sf_count_t taken = std::clamp<sf_count_t>(count, 0, available);
  std::memcpy(destination, source->bytes.data() + source->position, static_cast<std::size_t>(taken));
  source->position += taken;
  return taken;
}

sf_count_t memory_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t memory_tell(void* user) { return static_cast<MemorySource*>(user)->position; }

std::string describe_format(int format, bool major) {
  SF_FORMAT_INFO format_info{};
  format_info.format = major ? (format & SF_FORMAT_TYPEMASK) : (format & SF_FORMAT_SUBMASK);
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &format_info, sizeof(format_info)) != 0 || format_info.name == nullptr)
    return "unknown";
  if (major && format_info.extension != nullptr) {
    std::string name = format_info.extension;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
    return name == "OGA" ? "OGG" : name;
  }
  return format_info.name;
}

// libsndfile subtype names are long ("Signed 16 bit PCM"); report the short conventional ones.
std::string encoding_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM_S8";
    case SF_FORMAT_PCM_U8: return "PCM_U8";
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_PCM_32: return "PCM_32";
    case SF_FORMAT_FLOAT: return "FLOAT";
    case SF_FORMAT_DOUBLE: return "DOUBLE";
    case SF_FORMAT_ULAW: return "ULAW";
    case SF_FORMAT_ALAW: return "ALAW";
    case SF_FORMAT_IMA_ADPCM: return "IMA_ADPCM";
    case SF_FORMAT_MS_ADPCM: return "MS_ADPCM";
    case SF_FORMAT_VORBIS: return "VORBIS";
    case SF_FORMAT_OPUS: return "OPUS";
    case SF_FORMAT_MPEG_LAYER_III: return "MP3";
    default: return describe_format(format, false);
  }
}

std::string container_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_WAVEX: return "WAVEX";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_MPEG: return "MPEG";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_W64: return "W64";
    default: return describe_format(format, true);
  }
}

}  // namespace

struct AudioFileReader::State {
  std::string name;
  SNDFILE* file = nullptr;
  AudioFileInfo info;
  std::int64_t position = 0;
  std::vector<float> interleaved;
  std::unique_ptr<MemorySource> memory;  // owned here so libsndfile's user pointer stays valid

  ~State() {
    if (file != nullptr) sf_close(file);
  }
};

AudioFileReader::AudioFileReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
AudioFileReader::AudioFileReader(AudioFileReader&&) noexcept = default;
AudioFileReader& AudioFileReader::operator=(AudioFileReader&&) noexcept = default;
AudioFileReader::~AudioFileReader() = default;

const AudioFileInfo& AudioFileReader::info() const noexcept { return state_->info; }

namespace {

Expected<void> finish_open(AudioFileReader::State& state, const SF_INFO& sf_info) {
  if (sf_info.channels <= 0 || sf_info.channels > kMaxChannels)
    return Error{ErrorCode::kOutOfRange, "unsupported channel count " + std::to_string(sf_info.channels),
                 {.file = state.name, .field = "channels"}};
  if (sf_info.samplerate <= 0 || sf_info.samplerate > 1'536'000)
    return Error{ErrorCode::kOutOfRange, "implausible sample rate " + std::to_string(sf_info.samplerate) + " Hz",
                 {.file = state.name, .field = "sample rate"}};
  if (sf_info.frames < 0)
    return Error{ErrorCode::kCorruptData, "negative frame count", {.file = state.name, .field = "frames"}};
  state.info.container = container_name(sf_info.format);
  state.info.encoding = encoding_name(sf_info.format);
  state.info.sample_rate_hz = sf_info.samplerate;
  state.info.channel_count = static_cast<std::size_t>(sf_info.channels);
  state.info.frame_count = sf_info.frames;
  state.interleaved.resize(kChunkFrames * state.info.channel_count);
  // Float reads of integer files come back in [-1, 1); clip instead of wrapping on float files > 1.
  sf_command(state.file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  return ok();
}

Error open_error(const std::string& name, SNDFILE* failed) {
  const std::string reason = sf_strerror(failed);
  return Error{ErrorCode::kCorruptData, "not a readable audio file (" + reason + ")", {.file = name}};
}

}  // namespace

Expected<AudioFileReader> AudioFileReader::open(const std::filesystem::path& path, AudioReadOptions options) {
  auto state = std::make_unique<State>();
  state->name = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status))
    return Error{ErrorCode::kNotFound, "file not found", {.file = state->name}};
  if (std::filesystem::is_directory(status))
    return Error{ErrorCode::kInvalidArgument, "is a directory, not an audio file", {.file = state->name}};
  const auto total_size = std::filesystem::file_size(path, error);
  if (error) return Error{ErrorCode::kIo, "cannot read: " + error.message(), {.file = state->name}};

  std::ifstream stream(path, std::ios::binary);
  if (!stream) return Error{ErrorCode::kIo, "cannot open for reading", {.file = state->name}};
  if (!options.allow_truncated) {
    const detail::ReadAt read_at = [&stream](std::uint64_t offset, std::span<std::uint8_t> buffer) -> std::size_t {
      stream.clear();
      stream.seekg(static_cast<std::streamoff>(offset));
      stream.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
      return static_cast<std::size_t>(stream.gcount());
    };
    if (auto checked = detail::check_riff_data_chunk(read_at, total_size); !checked)
      return checked.error().in_file(state->name);
  }

  SF_INFO sf_info{};
  state->file = sf_open(state->name.c_str(), SFM_READ, &sf_info);
  if (state->file == nullptr) return open_error(state->name, nullptr);
  if (auto finished = finish_open(*state, sf_info); !finished) return finished.error();
  return AudioFileReader(std::move(state));
}

Expected<AudioFileReader> AudioFileReader::open_memory(std::span<const std::byte> bytes, std::string name,
                                                       AudioReadOptions options) {
  auto state = std::make_unique<State>();
  state->name = std::move(name);
  if (!options.allow_truncated) {
    const detail::ReadAt read_at = [bytes](std::uint64_t offset, std::span<std::uint8_t> buffer) -> std::size_t {
      if (offset >= bytes.size()) return 0;
      const std::size_t count = std::min<std::size_t>(buffer.size(), bytes.size() - offset);
      std::memcpy(buffer.data(), bytes.data() + offset, count);
      return count;
    };
    if (auto checked = detail::check_riff_data_chunk(read_at, bytes.size()); !checked)
      return checked.error().in_file(state->name);
  }
  state->memory = std::make_unique<MemorySource>(MemorySource{bytes, 0});
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  SF_INFO sf_info{};
  state->file = sf_open_virtual(&io, SFM_READ, &sf_info, state->memory.get());
  if (state->file == nullptr) return open_error(state->name, nullptr);
  if (auto finished = finish_open(*state, sf_info); !finished) return finished.error();
  return AudioFileReader(std::move(state));
}

Expected<std::size_t> AudioFileReader::read(AudioView destination) {
  State& state = *state_;
  const std::size_t channels = state.info.channel_count;
  if (destination.channel_count() != channels)
    return Error{ErrorCode::kInvalidArgument,
                 "read into " + std::to_string(destination.channel_count()) + " channels, file has " +
                     std::to_string(channels),
                 {.file = state.name}};
  std::size_t done = 0;
  while (done < destination.frame_count()) {
    const std::size_t wanted = std::min(kChunkFrames, destination.frame_count() - done);
    const sf_count_t got = sf_readf_float(state.file, state.interleaved.data(), static_cast<sf_count_t>(wanted));
    if (got < 0 || sf_error(state.file) != SF_ERR_NO_ERROR)
      return Error{ErrorCode::kCorruptData, std::string("decoding failed: ") + sf_strerror(state.file),
                   {.file = state.name}};
    if (got == 0) break;
    deinterleave(std::span<const float>(state.interleaved.data(), static_cast<std::size_t>(got) * channels),
                 destination.subview(done, static_cast<std::size_t>(got)));
    done += static_cast<std::size_t>(got);
    state.position += got;
  }
  return done;
}

Expected<void> AudioFileReader::seek(std::int64_t frame) {
  State& state = *state_;
  if (frame < 0 || frame > state.info.frame_count)
    return Error{ErrorCode::kOutOfRange, "seek to frame " + std::to_string(frame) + " outside the file",
                 {.file = state.name}};
  if (sf_seek(state.file, frame, SEEK_SET) < 0)
    return Error{ErrorCode::kIo, std::string("seek failed: ") + sf_strerror(state.file), {.file = state.name}};
  state.position = frame;
  return ok();
}

Error truncated_file_error(const std::string& file, std::int64_t declared_frames, std::int64_t decoded_frames) {
  return Error{ErrorCode::kCorruptData,
               "truncated: header declares " + std::to_string(declared_frames) + " frames, decoded " +
                   std::to_string(decoded_frames),
               {.file = file}};
}

Expected<AudioClip> read_audio_file(const std::filesystem::path& path, AudioReadOptions options,
                                    std::int64_t max_samples) {
  auto reader = AudioFileReader::open(path, options);
  if (!reader) return reader.error();
  const AudioFileInfo& info = reader->info();
  const auto total_samples = info.frame_count * static_cast<std::int64_t>(info.channel_count);
  if (total_samples > max_samples)
    return Error{ErrorCode::kOutOfRange,
                 "too large to load at once (" + std::to_string(info.frame_count) + " frames x " +
                     std::to_string(info.channel_count) + " channels)",
                 {.file = path.string()}};
  AudioClip clip{AudioBuffer(info.channel_count, static_cast<std::size_t>(info.frame_count)), info.sample_rate_hz};
  auto frames = reader->read(clip.audio.view());
  if (!frames) return frames.error();
  if (static_cast<std::int64_t>(*frames) < info.frame_count && !options.allow_truncated)
    return truncated_file_error(path.string(), info.frame_count, static_cast<std::int64_t>(*frames));
  return clip;
}

}  // namespace resound::formats
