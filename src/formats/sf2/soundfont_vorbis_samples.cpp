// SF3 sample decoding: Ogg Vorbis streams in the smpl chunk -> 16-bit frames, on demand and thread-safe.
#include <vorbis/vorbisfile.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

#include "resound/formats/soundfont.hpp"

namespace resound::formats {
namespace {

struct MemoryStream {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t position = 0;
};

std::size_t read_memory(void* destination, std::size_t size, std::size_t count, void* source) {
  auto* stream = static_cast<MemoryStream*>(source);
  const std::size_t wanted = size * count;
  const std::size_t available = std::min(wanted, stream->size - stream->position);
  std::memcpy(destination, stream->data + stream->position, available);
  stream->position += available;
  return size > 0 ? available / size : 0;
}

int seek_memory(void* source, ogg_int64_t offset, int whence) {
  auto* stream = static_cast<MemoryStream*>(source);
  ogg_int64_t target = offset;
  if (whence == SEEK_CUR) target += static_cast<ogg_int64_t>(stream->position);
  if (whence == SEEK_END) target += static_cast<ogg_int64_t>(stream->size);
  if (target < 0 || target > static_cast<ogg_int64_t>(stream->size)) return -1;
  stream->position = static_cast<std::size_t>(target);
  return 0;
}

long tell_memory(void* source) { return static_cast<long>(static_cast<MemoryStream*>(source)->position); }

// A decoded sample bigger than this (16-bit frames) is treated as corrupt: ~3 hours at 44.1 kHz.
constexpr std::size_t kMaxDecodedFrames = std::size_t{1} << 29;

// Decodes one Ogg Vorbis stream (first channel) into 16-bit frames with guard zeros on both sides.
bool decode_vorbis(const std::uint8_t* bytes, std::size_t size, std::uint32_t guard_frames,
                   std::unique_ptr<std::int16_t[]>& out, std::uint32_t& frame_count) {
  MemoryStream stream{bytes, size};
  OggVorbis_File file;
  ov_callbacks callbacks{read_memory, seek_memory, nullptr, tell_memory};
  if (ov_open_callbacks(&stream, &file, nullptr, 0, callbacks) != 0) return false;
  const vorbis_info* info = ov_info(&file, -1);
  const int channels = info ? info->channels : 1;
  std::vector<std::int16_t> frames;
  const ogg_int64_t total = ov_pcm_total(&file, -1);
  if (total > 0 && static_cast<std::size_t>(total) < kMaxDecodedFrames) frames.reserve(static_cast<std::size_t>(total));
  float** pcm = nullptr;
  int section = 0;
  for (;;) {
    const long got = ov_read_float(&file, &pcm, 4096, &section);
    if (got < 0) continue;  // a damaged packet: skip it (libvorbisfile reports OV_HOLE and goes on)
    if (got == 0) break;
    for (long i = 0; i < got; ++i) {
      const float value = std::clamp(pcm[0][i], -1.0f, 1.0f) * 32767.0f;
      frames.push_back(static_cast<std::int16_t>(std::lrint(value)));
    }
    if (frames.size() > kMaxDecodedFrames) break;
  }
  (void)channels;
  ov_clear(&file);
  out = std::make_unique<std::int16_t[]>(frames.size() + 2 * guard_frames);
  std::fill_n(out.get(), frames.size() + 2 * guard_frames, std::int16_t{0});
  std::copy(frames.begin(), frames.end(), out.get() + guard_frames);
  frame_count = static_cast<std::uint32_t>(frames.size());
  return true;
}

}  // namespace

bool SoundFont::ensure_decoded(std::size_t sample_index) const {
  if (!compressed_ || sample_index >= samples_.size()) return true;
  const auto& header = samples_[sample_index];
  if (!header.compressed) return false;
  auto& slot = compressed_[sample_index];
  std::call_once(slot.once, [&] {
    std::uint32_t frame_count = 0;
    if (!decode_vorbis(compressed_bytes_.data() + slot.byte_offset, slot.byte_count, kGuardFrames, slot.decoded,
                       frame_count))
      return;
    // The slot's data is completed before publication: readers see it only after the acquire
    // load of `published` in sample_data().
    auto& data = slot.data;
    data.frames = slot.decoded.get() + kGuardFrames;
    data.frame_count = frame_count;
    data.loop_start = header.loop_start;
    data.loop_end = std::min(header.loop_end, frame_count);
    data.loop_valid = data.loop_start < data.loop_end && data.loop_end - data.loop_start >= 2;
    if (!data.loop_valid) {
      data.loop_start = 0;
      data.loop_end = frame_count;
    }
    slot.published.store(slot.decoded.get(), std::memory_order_release);
  });
  return slot.published.load(std::memory_order_acquire) != nullptr;
}

void SoundFont::ensure_decoded(std::span<const std::size_t> sample_indices, unsigned thread_count) const {
  if (!compressed_) return;
  thread_count = std::max(1u, std::min<unsigned>(thread_count, static_cast<unsigned>(sample_indices.size())));
  if (thread_count <= 1) {
    for (auto index : sample_indices) ensure_decoded(index);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < thread_count; ++t) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < sample_indices.size(); i = next++) ensure_decoded(sample_indices[i]);
    });
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace resound::formats
