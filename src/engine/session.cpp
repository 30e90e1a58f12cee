// Session: command draining, fades, crossfade and the effect chain around one Source.
#include "resound/engine/session.hpp"

#include <algorithm>
#include <cmath>

namespace resound::engine {

namespace {
std::size_t milliseconds_to_frames(double milliseconds, double sample_rate_hz) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(milliseconds * sample_rate_hz / 1000.0)));
}
}  // namespace

Session::Session(std::unique_ptr<Source> source, SessionOptions options)
    : options_(options),
      active_(source.release()),
      commands_(std::max<std::size_t>(4, options.command_capacity)),
      retired_(std::max<std::size_t>(4, options.command_capacity)) {
  if (options_.channel_count == 0) options_.channel_count = 2;
  if (active_) length_ = active_->length_frames();
}

Session::~Session() {
  Command command;
  while (commands_.try_pop(command))
    if (command.kind == Command::Kind::kReplace) delete command.source;
  collect_garbage();
  delete outgoing_;
  delete active_;
}

void Session::add_effect(std::unique_ptr<Processor> effect) {
  if (effect) effects_.push_back(std::move(effect));
}

void Session::prepare(double sample_rate_hz, std::size_t max_block_frames) {
  sample_rate_hz_ = sample_rate_hz;
  max_block_frames_ = std::max<std::size_t>(1, max_block_frames);
  if (active_) active_->prepare(sample_rate_hz_, max_block_frames_);
  if (outgoing_) outgoing_->prepare(sample_rate_hz_, max_block_frames_);
  for (auto& effect : effects_) effect->prepare(sample_rate_hz_, max_block_frames_, options_.channel_count);
  source_scratch_.resize(kMaxSourceChannels, max_block_frames_);
  outgoing_scratch_.resize(options_.channel_count, max_block_frames_);
  master_.configure(milliseconds_to_frames(options_.ramp_ms, sample_rate_hz_), want_paused_ ? 0.0f : 1.0f);
  const std::size_t crossfade_frames = milliseconds_to_frames(options_.crossfade_ms, sample_rate_hz_);
  incoming_fade_.configure(crossfade_frames, 1.0f);
  outgoing_fade_.configure(crossfade_frames, 0.0f);
  if (active_) position_ = active_->position_frames();
}

// ---------------------------------------------------------------- control thread

bool Session::request_pause() noexcept { return commands_.try_push(Command{Command::Kind::kPause, 0, nullptr}); }
bool Session::request_resume() noexcept { return commands_.try_push(Command{Command::Kind::kResume, 0, nullptr}); }
bool Session::request_seek(std::int64_t frame) noexcept {
  return commands_.try_push(Command{Command::Kind::kSeek, std::max<std::int64_t>(0, frame), nullptr});
}

Expected<void> Session::replace_source(std::unique_ptr<Source> source) {
  collect_garbage();
  if (!source) return Error{ErrorCode::kInvalidArgument, "replace_source: no source"};
  if (source->channel_count() == 0 || source->channel_count() > kMaxSourceChannels)
    return Error{ErrorCode::kInvalidArgument, "replace_source: the source has an unsupported channel count"};
  // The retire queue must always have room for what the audio thread hands back.
  if (sources_in_flight_ + 2 >= retired_.capacity())
    return Error{ErrorCode::kUnavailable, "replace_source: too many replacements pending"};
  if (sample_rate_hz_ > 0.0) source->prepare(sample_rate_hz_, max_block_frames_);
  Source* raw = source.release();
  if (!commands_.try_push(Command{Command::Kind::kReplace, 0, raw})) {
    delete raw;
    return Error{ErrorCode::kUnavailable, "replace_source: command queue full"};
  }
  ++sources_in_flight_;
  return ok();
}

void Session::collect_garbage() {
  Source* source = nullptr;
  while (retired_.try_pop(source)) {
    delete source;
    if (sources_in_flight_ > 0) --sources_in_flight_;
  }
}

// ---------------------------------------------------------------- audio thread

void Session::retire(Source*& source) noexcept {
  if (source && !retired_.try_push(source)) {
    // Cannot happen: replace_source keeps the queue from filling. Leaking beats freeing here.
  }
  source = nullptr;
}

void Session::start_replacement(Source* incoming) noexcept {
  if (!incoming) return;
  if (active_) incoming->seek(active_->position_frames());
  // A crossfade already running ends now: its old source leaves at once.
  retire(outgoing_);
  if (master_.gain() == 0.0f && master_.settled()) {
    retire(active_);  // silent: nothing to crossfade
  } else {
    outgoing_ = active_;
    incoming_fade_.jump_to(0.0f);
    incoming_fade_.set_target(1.0f);
    outgoing_fade_.jump_to(1.0f);
    outgoing_fade_.set_target(0.0f);
  }
  active_ = incoming;
  length_.store(active_->length_frames(), std::memory_order_relaxed);
  finished_.store(false, std::memory_order_relaxed);
}

void Session::drain_commands() noexcept {
  Command command;
  while (commands_.try_pop(command)) {
    switch (command.kind) {
      case Command::Kind::kPause: want_paused_ = true; break;
      case Command::Kind::kResume: want_paused_ = false; break;
      case Command::Kind::kSeek:
        pending_seek_ = command.frame;
        finished_.store(false, std::memory_order_relaxed);
        break;
      case Command::Kind::kReplace: start_replacement(command.source); break;
    }
  }
  master_.set_target(want_paused_ || pending_seek_ >= 0 ? 0.0f : 1.0f);
}

std::size_t Session::render_source(Source& source, AudioView output) noexcept {
  const std::size_t source_channels = source.channel_count();
  if (source_channels == output.channel_count()) return source.process(output);
  const AudioView scratch = source_scratch_.view().first_channels(source_channels).subview(0, output.frame_count());
  const std::size_t produced = source.process(scratch);
  for (std::size_t c = 0; c < output.channel_count(); ++c) {
    const auto from = scratch.channel(c % source_channels);
    std::copy(from.begin(), from.end(), output.channel(c).begin());
  }
  return produced;
}

std::size_t Session::process(AudioView output) noexcept {
  drain_commands();
  const std::size_t frames = std::min(output.frame_count(), max_block_frames_);
  output = output.subview(0, frames);
  std::size_t done = 0;
  std::size_t produced = frames;
  while (done < frames) {
    AudioView rest = output.subview(done, frames - done);
    if (!active_) {
      rest.clear();
      produced = done;
      break;
    }
    if (master_.gain() == 0.0f && master_.settled()) {
      // Silent: the moment to jump (nothing audible is cut) — or to stay paused.
      if (pending_seek_ >= 0) {
        active_->seek(pending_seek_);
        pending_seek_ = -1;
        if (outgoing_) retire(outgoing_);
        incoming_fade_.jump_to(1.0f);
      }
      if (want_paused_) {
        rest.clear();
        break;
      }
      master_.set_target(1.0f);
    }
    std::size_t count = rest.frame_count();
    if (!master_.settled()) count = std::min(count, master_.remaining_frames());
    if (outgoing_) count = std::min(count, incoming_fade_.remaining_frames());
    const AudioView part = rest.subview(0, count);
    const std::size_t got = render_source(*active_, part);
    if (outgoing_) {
      const AudioView old_part = outgoing_scratch_.view().subview(0, count);
      render_source(*outgoing_, old_part);
      outgoing_fade_.apply(old_part);
      incoming_fade_.apply(part);
      mix_audio(old_part, part);
      if (incoming_fade_.settled()) retire(outgoing_);
    }
    master_.apply(part);
    done += count;
    if (got < count) {
      produced = done - (count - got);
      output.subview(produced, frames - produced).clear();
      finished_.store(true, std::memory_order_relaxed);
      break;
    }
  }
  for (auto& effect : effects_) effect->process(output);
  paused_meter_.store(want_paused_ && master_.gain() == 0.0f, std::memory_order_relaxed);
  if (active_) position_.store(active_->position_frames(), std::memory_order_relaxed);
  publish_meters(output);
  return produced;
}

void Session::publish_meters(ConstAudioView output) noexcept {
  float peak = 0.0f;
  double sum_squares = 0.0;
  for (std::size_t c = 0; c < output.channel_count(); ++c)
    for (const float sample : output.channel(c)) {
      peak = std::max(peak, std::abs(sample));
      sum_squares += static_cast<double>(sample) * sample;
    }
  const double count = static_cast<double>(output.channel_count() * output.frame_count());
  peak_.store(peak, std::memory_order_relaxed);
  rms_.store(count > 0 ? static_cast<float>(std::sqrt(sum_squares / count)) : 0.0f, std::memory_order_relaxed);
}

void Session::seek(std::int64_t frame) noexcept {
  if (!active_) return;
  active_->seek(frame);
  pending_seek_ = -1;
  retire(outgoing_);
  incoming_fade_.jump_to(1.0f);
  finished_.store(false, std::memory_order_relaxed);
  position_.store(active_->position_frames(), std::memory_order_relaxed);
}

void Session::fade_in_from_silence() noexcept { master_.jump_to(0.0f); }

std::int64_t Session::position_frames() const noexcept { return position_.load(std::memory_order_relaxed); }
std::int64_t Session::length_frames() const noexcept { return length_.load(std::memory_order_relaxed); }

}  // namespace resound::engine
