// render_to_file_fast: the offline render loop writing PCM WAV itself — vector quantisation, 1 MiB writes.
#include "resound/host/render_to_wav.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "resound/core/audio_buffer.hpp"
#include "resound/core/denormals.hpp"
#include "resound/formats/atomic_file.hpp"

namespace resound::host {
namespace {

constexpr std::size_t kHeaderBytes = 44;  // RIFF + fmt (PCM, 16 bytes) + data chunk headers
// A classic RIFF WAV's sizes are 32-bit; the foundation writer keeps the same margin, so both
// refuse (or announce RF64) at the same length.
constexpr std::uint64_t kMaxWavDataBytes = 0xFFFFFFFFull - 4096;
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

void put_le(std::uint8_t* at, std::uint32_t value, int bytes) noexcept {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

// The foundation writer's rule: round(sample × full scale) to nearest (ties to even, the default
// rounding mode), clipped to the integer range, NaN → 0. Scaling by a power of two is exact in
// float, and clipping before rounding gives the same integer as clipping after.
std::int32_t quantise(float sample, float full_scale) noexcept {
  if (std::isnan(sample)) return 0;
  const float scaled = std::clamp(sample * full_scale, -full_scale, full_scale - 1.0f);
  return static_cast<std::int32_t>(std::lrint(scaled));
}

// Interleaves and quantises `frames` frames to 16-bit little-endian PCM at `out`.
void write_pcm16(const ConstAudioView& audio, std::size_t frames, std::uint8_t* out) noexcept {
  const std::size_t channels = audio.channel_count();
  std::size_t frame = 0;
#if defined(__SSE2__)
  if (channels == 2) {
    const float* left = audio.channel(0).data();
    const float* right = audio.channel(1).data();
    const __m128 scale = _mm_set1_ps(32768.0f), low = _mm_set1_ps(-32768.0f), high = _mm_set1_ps(32767.0f);
    auto to_int = [&](__m128 x) noexcept {
      x = _mm_and_ps(x, _mm_cmpord_ps(x, x));  // NaN → 0
      return _mm_cvtps_epi32(_mm_min_ps(_mm_max_ps(_mm_mul_ps(x, scale), low), high));
    };
    for (; frame + 4 <= frames; frame += 4) {
      const __m128i l = to_int(_mm_loadu_ps(left + frame)), r = to_int(_mm_loadu_ps(right + frame));
      const __m128i pairs = _mm_packs_epi32(_mm_unpacklo_epi32(l, r), _mm_unpackhi_epi32(l, r));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + frame * 4), pairs);
    }
  }
#endif
  for (; frame < frames; ++frame)
    for (std::size_t c = 0; c < channels; ++c)
      put_le(out + (frame * channels + c) * 2, static_cast<std::uint32_t>(quantise(audio.channel(c)[frame], 32768.0f)), 2);
}

void write_pcm24(const ConstAudioView& audio, std::size_t frames, std::uint8_t* out) noexcept {
  const std::size_t channels = audio.channel_count();
  for (std::size_t frame = 0; frame < frames; ++frame)
    for (std::size_t c = 0; c < channels; ++c)
      put_le(out + (frame * channels + c) * 3, static_cast<std::uint32_t>(quantise(audio.channel(c)[frame], 8388608.0f)), 3);
}

Expected<void> write_all(int descriptor, const std::uint8_t* data, std::size_t size, const std::string& name) {
  while (size > 0) {
    const ssize_t written = ::write(descriptor, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Error{ErrorCode::kIo, std::string("write failed: ") + std::strerror(errno), {.file = name}};
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return ok();
}

std::vector<std::uint8_t> wav_header(double sample_rate_hz, std::size_t channels, std::size_t sample_bytes,
                                     std::uint64_t data_bytes) {
  std::vector<std::uint8_t> header(kHeaderBytes);
  auto* at = header.data();
  std::memcpy(at, "RIFF", 4);
  put_le(at + 4, static_cast<std::uint32_t>(data_bytes + data_bytes % 2 + kHeaderBytes - 8), 4);  // + the pad byte
  std::memcpy(at + 8, "WAVEfmt ", 8);
  put_le(at + 16, 16, 4);
  put_le(at + 20, 1, 2);  // WAVE_FORMAT_PCM
  put_le(at + 22, static_cast<std::uint32_t>(channels), 2);
  const auto rate = static_cast<std::uint32_t>(sample_rate_hz + 0.5);
  put_le(at + 24, rate, 4);
  put_le(at + 28, static_cast<std::uint32_t>(rate * channels * sample_bytes), 4);
  put_le(at + 32, static_cast<std::uint32_t>(channels * sample_bytes), 2);
  put_le(at + 34, static_cast<std::uint32_t>(sample_bytes * 8), 2);
  std::memcpy(at + 36, "data", 4);
  put_le(at + 40, static_cast<std::uint32_t>(data_bytes), 4);
  return header;
}

}  // namespace

Expected<RenderResult> render_to_file_fast(Source& source, const std::filesystem::path& path,
                                           const RenderToFileOptions& options, const ProgressCallback& progress) {
  const auto& format = options.format;
  const bool pcm = format.encoding == formats::SampleEncoding::kPcm16 || format.encoding == formats::SampleEncoding::kPcm24;
  const std::size_t channels = source.channel_count();
  if (format.container != formats::AudioContainer::kWav || !pcm || options.dither || options.block_frames == 0 ||
      channels == 0 || channels > 256 || !(options.sample_rate_hz >= 1.0 && options.sample_rate_hz <= 1'536'000.0))
    return render_to_file(source, path, options, progress);  // the general path (and its errors)
  const std::size_t sample_bytes = format.encoding == formats::SampleEncoding::kPcm16 ? 2 : 3;
  const std::size_t frame_bytes = channels * sample_bytes;

  source.prepare(options.sample_rate_hz, options.block_frames);
  // Frames to write, as render_to_file counts them: what remains of the source, capped by max_frames.
  const std::int64_t length = source.length_frames();
  std::int64_t limit = length == kUnknownLength ? kUnknownLength
                                                : std::max<std::int64_t>(0, length - source.position_frames());
  if (options.max_frames != kUnknownLength)
    limit = limit == kUnknownLength ? options.max_frames : std::min(limit, options.max_frames);
  if (limit != kUnknownLength && static_cast<std::uint64_t>(limit) * frame_bytes > kMaxWavDataBytes)
    return render_to_file(source, path, options, progress);  // RF64, which the foundation writer makes
  const std::string name = path.string();

  auto output = formats::AtomicOutputFile::create(path);
  if (!output) return output.error();
  const int descriptor = output->descriptor();
  const auto placeholder = wav_header(options.sample_rate_hz, channels, sample_bytes, 0);
  if (auto started = write_all(descriptor, placeholder.data(), placeholder.size(), name); !started) return started.error();

  ScopedDenormalGuard denormal_guard;
  AudioBuffer block(channels, options.block_frames);
  const std::size_t block_bytes = options.block_frames * frame_bytes;
  std::vector<std::uint8_t> pending(std::max(kFlushBytes, block_bytes) + block_bytes);
  std::size_t pending_bytes = 0;
  std::uint64_t data_bytes = 0;
  std::int64_t written = 0;
  while (limit == kUnknownLength || written < limit) {
    std::size_t wanted = options.block_frames;
    if (limit != kUnknownLength) wanted = static_cast<std::size_t>(std::min<std::int64_t>(limit - written, wanted));
    const AudioView view = block.view().subview(0, wanted);
    const std::size_t produced = source.process(view);
    if (data_bytes + produced * frame_bytes > kMaxWavDataBytes)
      return Error{ErrorCode::kOutOfRange,
                   "a WAV file cannot hold more than 4 GiB of audio; write FLAC, or announce the length to get RF64",
                   {.file = name}};
    if (sample_bytes == 2)
      write_pcm16(view, produced, pending.data() + pending_bytes);
    else
      write_pcm24(view, produced, pending.data() + pending_bytes);
    pending_bytes += produced * frame_bytes;
    data_bytes += produced * frame_bytes;
    written += static_cast<std::int64_t>(produced);
    if (pending_bytes >= kFlushBytes || produced < wanted) {
      if (auto flushed = write_all(descriptor, pending.data(), pending_bytes, name); !flushed) return flushed.error();
      pending_bytes = 0;
    }
    if (produced < wanted) break;
    const double fraction = limit > 0 ? static_cast<double>(written) / static_cast<double>(limit) : 0.0;
    if (!report_progress(progress, fraction)) return Error{ErrorCode::kCancelled, "render cancelled", {.file = name}};
  }
  if (auto flushed = write_all(descriptor, pending.data(), pending_bytes, name); !flushed) return flushed.error();
  // The sizes are known now: the header is rewritten in place (RIFF pads odd chunk sizes).
  if (data_bytes % 2 != 0) {
    const std::uint8_t pad = 0;
    if (auto padded = write_all(descriptor, &pad, 1, name); !padded) return padded.error();
  }
  const auto header = wav_header(options.sample_rate_hz, channels, sample_bytes, data_bytes);
  if (::pwrite(descriptor, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    return Error{ErrorCode::kIo, std::string("cannot finish file: ") + std::strerror(errno), {.file = name}};
  if (auto committed = output->commit(); !committed) return committed.error();
  return RenderResult{written, static_cast<double>(written) / options.sample_rate_hz};
}

}  // namespace resound::host
