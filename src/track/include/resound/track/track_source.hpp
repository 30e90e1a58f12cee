// TrackSource: streams an analysed track block by block with exact random access (the Source contract).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "resound/core/processor.hpp"
#include "resound/track/track_plan.hpp"

namespace resound::track {

class TrackMixer;

/// Plays a TrackPlan. seek(S) followed by process() yields the full render's samples from S
/// (within 1e-5) without rendering the skipped audio: voice phases are computed in closed form or
/// from checkpoints, noise comes from a counter-based generator, filters warm up from a short pre-roll.
/// The source renders at the plan's sample rate; prepare() with another rate rebuilds the plan at
/// that rate (OFF thread; it re-analyses the track).
/// Thread contract: construction and prepare OFF; process/seek RT (no allocation, lock or I/O);
/// queries any thread.
class TrackSource final : public Source {
 public:
  explicit TrackSource(std::shared_ptr<const TrackPlan> plan);
  ~TrackSource() override;

  void prepare(double sample_rate_hz, std::size_t max_block_frames) override;
  std::size_t process(AudioView output) noexcept override;
  void seek(std::int64_t frame) noexcept override;
  [[nodiscard]] std::int64_t position_frames() const noexcept override { return position_; }
  [[nodiscard]] std::int64_t length_frames() const noexcept override { return plan_->length_frames; }
  [[nodiscard]] std::size_t channel_count() const noexcept override { return 2; }

  /// Feeds a streamed overlay clip (TrackPlanOptions::stream_unreadable_clips): interleaved stereo
  /// frames at the plan's rate, appended to what the clip will play; `finished` marks its end. Frames
  /// arriving after the play position passed them are not heard (until a seek back). They are mixed
  /// after the track's final normalisation, at the clip's own gain, fades and envelope. Lock-free
  /// towards process(). Errors name the clip. Thread contract: CT (one thread, any time after prepare).
  Expected<void> push_clip_samples(std::size_t clip_index, std::span<const float> interleaved_stereo, bool finished);

  [[nodiscard]] const TrackPlan& plan() const noexcept { return *plan_; }
  [[nodiscard]] double sample_rate_hz() const noexcept { return plan_->sample_rate_hz; }

 private:
  void adopt(std::shared_ptr<const TrackPlan> plan);

  std::shared_ptr<const TrackPlan> plan_;
  std::unique_ptr<TrackMixer> mixer_;
  std::int64_t position_ = 0;
};

/// Convenience: load + plan + source. Thread contract: OFF.
Expected<std::unique_ptr<TrackSource>> make_track_source(const TrackSpec& spec, const TrackPlanOptions& options = {},
                                                         const ProgressCallback& progress = {});

}  // namespace resound::track
