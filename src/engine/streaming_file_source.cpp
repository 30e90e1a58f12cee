// StreamingFileSource: the decoder thread's loop and the audio thread's block hand-over.
#include "resound/engine/streaming_file_source.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "resound/dsp/resampler.hpp"

namespace resound::engine {

namespace {
constexpr std::size_t kNoBlock = SIZE_MAX;
// How long the decoder sleeps when every block is full (a fraction of a block's duration would be
// tighter, but read-ahead is seconds: a few ms of wake-up delay costs nothing).
constexpr auto kDecoderIdleSleep = std::chrono::milliseconds(2);
}  // namespace

Expected<std::unique_ptr<StreamingFileSource>> StreamingFileSource::open(const std::filesystem::path& path,
                                                                         StreamingFileOptions options) {
  auto reader = formats::AudioFileReader::open(path);
  if (!reader) return reader.error();
  if (reader->info().channel_count == 0 || reader->info().sample_rate_hz <= 0.0)
    return Error{ErrorCode::kCorruptData, "audio file has no channels or no sample rate", {.file = path.string()}};
  options.block_frames = std::max<std::size_t>(64, options.block_frames);
  options.read_ahead_s = std::max(0.05, options.read_ahead_s);
  return std::unique_ptr<StreamingFileSource>(new StreamingFileSource(path, std::move(*reader), options));
}

StreamingFileSource::StreamingFileSource(std::filesystem::path path, formats::AudioFileReader reader,
                                         StreamingFileOptions options)
    : path_(std::move(path)), info_(reader.info()), options_(options), reader_(std::move(reader)) {
  sample_rate_hz_ = info_.sample_rate_hz;
  length_frames_ = info_.frame_count;
}

StreamingFileSource::~StreamingFileSource() { stop_decoder(); }

void StreamingFileSource::stop_decoder() {
  stopping_ = true;
  if (decoder_.joinable()) decoder_.join();
  stopping_ = false;
}

void StreamingFileSource::prepare(double sample_rate_hz, std::size_t) {
  stop_decoder();
  if (sample_rate_hz > 0.0 && sample_rate_hz != sample_rate_hz_) {
    position_ = std::llround(static_cast<double>(position_) * sample_rate_hz / sample_rate_hz_);
    sample_rate_hz_ = sample_rate_hz;
  }
  length_frames_ = std::llround(static_cast<double>(info_.frame_count) * sample_rate_hz_ / info_.sample_rate_hz);
  position_ = std::clamp<std::int64_t>(position_, 0, length_frames_);

  const std::size_t block_count = std::max<std::size_t>(
      4, static_cast<std::size_t>(std::ceil(options_.read_ahead_s * sample_rate_hz_ /
                                            static_cast<double>(options_.block_frames))));
  blocks_.assign(block_count, Block{});
  for (auto& block : blocks_) block.audio.resize(info_.channel_count, options_.block_frames);
  buffer_bytes_ = block_count * options_.block_frames * info_.channel_count * sizeof(float);
  filled_ = std::make_unique<SpscQueue<std::size_t>>(block_count);
  free_ = std::make_unique<SpscQueue<std::size_t>>(block_count);
  for (std::size_t index = 0; index < block_count; ++index) free_->try_push(index);
  current_ = kNoBlock;
  fade_frames_ = std::max<std::size_t>(1, static_cast<std::size_t>(options_.gap_fade_ms * sample_rate_hz_ / 1000.0));
  in_gap_ = false;
  waiting_for_seek_ = true;
  seek_target_.store(position_, std::memory_order_relaxed);
  position_meter_.store(position_, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  decoder_ = std::thread([this] { decode_loop(); });
}

// ---------------------------------------------------------------- decoder thread

void StreamingFileSource::decode_loop() {
  // Like a DAW's disk thread: real-time priority below the audio thread (SCHED_RR 4) where permitted,
  // so that after a seek the first block arrives in a millisecond or two even on a busy machine.
  // Harmless when refused (the thread then stays SCHED_OTHER).
  sched_param parameters{};
  parameters.sched_priority = 1;
  pthread_setschedparam(pthread_self(), SCHED_RR, &parameters);
  const std::size_t channels = info_.channel_count;
  const bool resampling = sample_rate_hz_ != info_.sample_rate_hz;
  std::optional<dsp::Resampler> resampler;
  AudioBuffer input(channels, options_.block_frames);
  AudioBuffer staged;         // resampled frames not yet in a block
  std::size_t staged_frames = 0;
  std::uint64_t generation = ~std::uint64_t{0};
  std::int64_t position = 0;  // session-rate frame of the next decoded frame
  bool input_ended = false;
  bool ended = false;         // the last block of this generation is queued

  const auto fail = [&] {
    decoder_failed_.store(true, std::memory_order_relaxed);
    input_ended = true;
    staged_frames = 0;
  };

  while (!stopping_.load(std::memory_order_relaxed)) {
    const std::uint64_t wanted = generation_.load(std::memory_order_acquire);
    if (wanted != generation) {  // a seek (or the start): restart decoding at the target
      generation = wanted;
      position = seek_target_.load(std::memory_order_relaxed);
      const auto file_frame = std::clamp<std::int64_t>(
          std::llround(static_cast<double>(position) * info_.sample_rate_hz / sample_rate_hz_), 0, info_.frame_count);
      input_ended = false;
      ended = false;
      staged_frames = 0;
      if (!reader_.seek(file_frame)) fail();
      if (resampling) {
        auto created = dsp::Resampler::create(channels, info_.sample_rate_hz, sample_rate_hz_);
        if (created) {
          resampler = std::move(*created);
          staged.resize(channels, resampler->max_output_frames(options_.block_frames) + options_.block_frames * 2);
        } else {
          fail();
        }
      }
    }
    std::size_t index = 0;
    if (ended || !free_->try_pop(index)) {
      std::this_thread::sleep_for(kDecoderIdleSleep);
      continue;
    }
    Block& block = blocks_[index];
    const AudioView destination = block.audio.view();
    std::size_t produced = 0;
    if (!resampling) {
      while (produced < options_.block_frames && !input_ended) {
        auto read = reader_.read(destination.subview(produced, options_.block_frames - produced));
        if (!read) fail();
        else if (*read == 0) input_ended = true;
        else produced += *read;
      }
    } else {
      while (staged_frames < options_.block_frames && resampler) {
        const AudioView room = staged.view().subview(staged_frames, staged.frame_count() - staged_frames);
        Expected<std::size_t> converted = std::size_t{0};
        if (!input_ended) {
          auto read = reader_.read(input.view());
          if (!read) {
            fail();
            break;
          }
          if (*read == 0) {
            input_ended = true;
            continue;
          }
          converted = resampler->process(input.view().subview(0, *read), room);
        } else {
          converted = resampler->finish(room);
          if (converted && *converted == 0) break;
        }
        if (!converted) {
          fail();
          break;
        }
        staged_frames += *converted;
      }
      produced = std::min(staged_frames, options_.block_frames);
      copy_audio(staged.view().subview(0, produced), destination.subview(0, produced));
      for (std::size_t c = 0; c < channels; ++c) {  // keep the rest for the next block
        const auto channel = staged.view().channel(c);
        std::copy(channel.begin() + static_cast<std::ptrdiff_t>(produced),
                  channel.begin() + static_cast<std::ptrdiff_t>(staged_frames), channel.begin());
      }
      staged_frames -= produced;
    }
    // The header's length is the contract: never play past it, and end where the decoder ends.
    produced = static_cast<std::size_t>(
        std::clamp<std::int64_t>(length_frames_ - position, 0, static_cast<std::int64_t>(produced)));
    block.generation = generation;
    block.start_frame = position;
    block.frame_count = produced;
    position += static_cast<std::int64_t>(produced);
    block.last = position >= length_frames_ || (input_ended && staged_frames == 0);
    ended = block.last;
    decoded_until_.store(position, std::memory_order_relaxed);
    decoded_generation_.store(generation, std::memory_order_release);
    filled_->try_push(index);  // never full: it holds at most every block
  }
}

// ---------------------------------------------------------------- audio thread

void StreamingFileSource::release_current() noexcept {
  if (current_ != kNoBlock && free_) free_->try_push(current_);  // never full: it holds at most every block
  current_ = kNoBlock;
  current_offset_ = 0;
}

std::size_t StreamingFileSource::process(AudioView output) noexcept {
  const std::size_t frames = output.frame_count();
  const std::uint64_t generation = generation_.load(std::memory_order_relaxed);  // only this thread writes it
  std::size_t done = 0;
  bool ended = position_ >= length_frames_;
  while (done < frames && !ended) {
    if (current_ == kNoBlock) {
      std::size_t index = 0;
      if (!filled_ || !filled_->try_pop(index)) break;
      const Block& block = blocks_[index];
      // Decoded for a position we left (an older seek), or wholly behind us (we played silence
      // in its place while waiting for it): drop it.
      if (block.generation != generation || block.start_frame + static_cast<std::int64_t>(block.frame_count) <= position_) {
        if (block.last && block.generation == generation) ended = true;
        free_->try_push(index);
        continue;
      }
      current_ = index;
      // Blocks start where the decoder was sent (the seek target) and follow on, so the play
      // position is inside this one: skip what a gap already covered in silence.
      current_offset_ = static_cast<std::size_t>(std::max<std::int64_t>(0, position_ - block.start_frame));
    }
    const Block& block = blocks_[current_];
    const std::size_t count = std::min(frames - done, block.frame_count - current_offset_);
    const AudioView part = output.subview(done, count);
    copy_audio(block.audio.view().subview(current_offset_, count), part);
    if (in_gap_) {  // audio resumes after silence: fade in rather than jump
      for (std::size_t i = 0; i < count && fade_done_frames_ < fade_frames_; ++i, ++fade_done_frames_) {
        const float gain = static_cast<float>(fade_done_frames_) / static_cast<float>(fade_frames_);
        for (std::size_t c = 0; c < part.channel_count(); ++c) part.channel(c)[i] *= gain;
      }
      if (fade_done_frames_ >= fade_frames_) in_gap_ = false;
    }
    if (count > 0) waiting_for_seek_ = false;
    current_offset_ += count;
    done += count;
    position_ += static_cast<std::int64_t>(count);
    if (current_offset_ >= block.frame_count) {
      ended = block.last;
      release_current();
    }
  }
  output.subview(done, frames - done).clear();
  if (ended || position_ >= length_frames_) {
    position_meter_.store(position_, std::memory_order_relaxed);
    return done;
  }
  if (done < frames) {
    // Nothing decoded in time: silence in its place, and time goes on (the audio stays in step
    // with the clock and with what it replaces — it is not delayed by the wait).
    if (!waiting_for_seek_) dropouts_.fetch_add(1, std::memory_order_relaxed);
    if (!in_gap_) fade_done_frames_ = 0;
    in_gap_ = true;
    const auto silent = static_cast<std::int64_t>(frames - done);
    position_ = std::min(length_frames_, position_ + silent);
  }
  position_meter_.store(position_, std::memory_order_relaxed);
  return position_ >= length_frames_ && done < frames ? done : frames;
}

void StreamingFileSource::seek(std::int64_t frame) noexcept {
  release_current();
  position_ = std::clamp<std::int64_t>(frame, 0, length_frames_);
  position_meter_.store(position_, std::memory_order_relaxed);
  seek_target_.store(position_, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  waiting_for_seek_ = true;
}

std::int64_t StreamingFileSource::position_frames() const noexcept {
  return position_meter_.load(std::memory_order_relaxed);
}
std::int64_t StreamingFileSource::length_frames() const noexcept { return length_frames_; }

std::int64_t StreamingFileSource::buffered_frames() const noexcept {
  if (decoded_generation_.load(std::memory_order_acquire) != generation_.load(std::memory_order_acquire)) return 0;
  return std::max<std::int64_t>(0, decoded_until_.load(std::memory_order_relaxed) -
                                       position_meter_.load(std::memory_order_relaxed));
}

}  // namespace resound::engine
