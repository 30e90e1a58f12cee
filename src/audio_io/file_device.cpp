// FileDevice: ClockedThread -> slot queue -> writer thread -> formats::AudioFileWriter.
#include "resound/audio_io/file_device.hpp"

#include <atomic>
#include <optional>
#include <thread>

#include "clocked_thread.hpp"
#include "resound/core/audio_buffer.hpp"
#include "resound/core/spsc_queue.hpp"
#include "resound/formats/audio_file_writer.hpp"

namespace resound::audio_io {

struct FileDevice::State {
  detail::ClockedThread clock;
  std::vector<AudioBuffer> slots;
  std::vector<std::size_t> slot_frames;
  std::unique_ptr<SpscQueue<std::size_t>> free_slots;    // writer -> audio thread
  std::unique_ptr<SpscQueue<std::size_t>> filled_slots;  // audio thread -> writer
  std::optional<formats::AudioFileWriter> writer;
  std::thread writer_thread;
  std::atomic<bool> audio_running{false};
  std::atomic<bool> writer_running{false};
  std::optional<Error> error;

  // Writes every filled slot; returns whether one was written.
  bool write_pending() {
    bool wrote = false;
    std::size_t slot = 0;
    while (filled_slots->try_pop(slot)) {
      if (!error) {
        auto written = writer->write(slots[slot].view().subview(0, slot_frames[slot]));
        if (!written) error = written.error();
      }
      free_slots->try_push(slot);
      wrote = true;
    }
    return wrote;
  }
};

FileDevice::FileDevice(DeviceConfig config, FileDeviceOptions options)
    : config_(std::move(config)), options_(std::move(options)), state_(std::make_unique<State>()) {}

FileDevice::~FileDevice() { stop(); }

Expected<void> FileDevice::start(AudioCallback& callback) {
  stop();
  Expected<formats::AudioFormat> format = options_.format.empty()
                                               ? Expected<formats::AudioFormat>(formats::default_format_for_path(options_.path))
                                               : formats::parse_audio_format(options_.format);
  if (!format) return format.error();
  auto writer = formats::AudioFileWriter::create(
      options_.path, {.sample_rate_hz = config_.sample_rate_hz, .channel_count = config_.channel_count,
                      .format = *format, .expected_frame_count = std::max<std::int64_t>(0, options_.max_frames)});
  if (!writer) return writer.error();

  state_ = std::make_unique<State>();
  State& state = *state_;
  state.writer.emplace(std::move(*writer));
  const std::size_t slot_count = std::max<std::size_t>(2, options_.queue_blocks);
  state.slots.assign(slot_count, AudioBuffer(config_.channel_count, config_.max_block_frames));
  state.slot_frames.assign(slot_count, 0);
  state.free_slots = std::make_unique<SpscQueue<std::size_t>>(slot_count);
  state.filled_slots = std::make_unique<SpscQueue<std::size_t>>(slot_count);
  for (std::size_t slot = 0; slot < slot_count; ++slot) state.free_slots->try_push(slot);

  state.writer_running = true;
  state.writer_thread = std::thread([&state] {
    while (state.writer_running.load()) {
      if (!state.write_pending()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    state.write_pending();
  });
  state.audio_running = true;
  const bool paced = options_.paced;
  state.clock.start(callback, config_, paced, options_.max_frames, [&state, paced](ConstAudioView block) {
    std::size_t slot = 0;
    while (!state.free_slots->try_pop(slot)) {
      // Paced like a card: a late writer means a lost block. Unpaced: wait, the file must be complete.
      if (paced || !state.audio_running.load(std::memory_order_relaxed)) return false;
      std::this_thread::yield();
    }
    copy_audio(block, state.slots[slot].view());
    state.slot_frames[slot] = block.frame_count();
    state.filled_slots->try_push(slot);
    return true;
  });
  return ok();
}

void FileDevice::stop(bool) {
  State& state = *state_;
  state.audio_running = false;
  state.clock.stop();
  if (!state.writer_thread.joinable()) return;
  state.writer_running = false;
  state.writer_thread.join();
  if (!state.error && state.writer) {
    auto committed = state.writer->commit();
    if (!committed) state.error = committed.error();
  }
  state.writer.reset();
}

std::uint64_t FileDevice::xrun_count() const noexcept { return state_->clock.xrun_count(); }
std::int64_t FileDevice::frames_rendered() const noexcept { return state_->clock.frames_rendered(); }
bool FileDevice::realtime_priority_granted() const noexcept { return state_->clock.realtime_priority_granted(); }
bool FileDevice::finished() const noexcept { return state_->clock.finished(); }
Expected<void> FileDevice::result() const {
  if (state_->error) return *state_->error;
  return ok();
}

}  // namespace resound::audio_io
