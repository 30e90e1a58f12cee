// TrackMixer: renders any frame range of a placed track — steps with their crossfades, noise and clips.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/track/track_plan.hpp"
#include "voices/voice.hpp"

namespace resound::track {

class BackgroundNoise;
class ClipPlayer;

/// Owns the voices of every step plus the noise and clip players. All rendering is random access:
/// a call for frames [first, first+n) gives the same samples whatever was rendered before.
/// Thread contract: create OFF; render_* RT on one thread (no allocation).
class TrackMixer {
 public:
  static constexpr std::size_t kBlockFrames = 4096;

  /// `stream_unreadable_clips`: see ClipPlayer::create.
  static Expected<std::unique_ptr<TrackMixer>> create(const TrackSpec& spec, double sample_rate_hz, std::uint64_t seed,
                                                      bool stream_unreadable_clips = false);
  ~TrackMixer();

  /// The raw sum of the voices of spec step `step_index`, its frames [first, first+n) (n <= kBlockFrames).
  /// Σ of the step's voices' peak bounds (+∞ when one cannot bound itself). Thread contract: OFF.
  [[nodiscard]] double step_peak_bound(std::size_t step_index) const noexcept;
  void render_step(std::size_t step_index, std::int64_t first, std::span<float> left, std::span<float> right) noexcept;

  /// Overwrites left/right with the track frames [first, first+n) (any n): steps[0, step_limit) with their
  /// gains and crossfades, plus noise and clips when `extras`.
  void render_mix(std::span<const StepPlacement> steps, CrossfadeCurve curve, std::int64_t first,
                  std::span<float> left, std::span<float> right, bool extras) noexcept;

  /// An upper bound of |steps' audio| (before noise and clips) over track frames [first, first+n): the sum of
  /// the peak bounds of the steps playing there, each times its gain (fades never exceed 1). +∞ when a
  /// voice cannot bound itself. Thread contract: RT (no allocation).
  [[nodiscard]] double steps_bound(std::span<const StepPlacement> steps, std::int64_t first, std::size_t frames) const noexcept;
  /// Overwrites left/right with the background noise alone at track frames [first, first+n) (silence without
  /// noise): the exact values render_mix adds to the steps' audio. Thread contract: RT.
  void render_noise(std::int64_t first, std::span<float> left, std::span<float> right) noexcept;

  [[nodiscard]] std::int64_t clips_end_frame() const noexcept;
  /// Adds the streamed clips at track frames [first, first+n) (see ClipPlayer::render_add_streamed). RT.
  void render_streamed_clips(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept;
  /// See ClipPlayer::push_samples. Thread contract: CT (one thread), while render_* run on the audio thread.
  Expected<void> push_clip_samples(std::size_t clip_index, std::span<const float> interleaved_stereo, bool finished);
  /// Total noise length, fixed once the track length is known (noise is truncated to the track).
  void set_track_length(std::int64_t frames) noexcept;

 private:
  TrackMixer() = default;
  /// Adds the step's voices to left/right (render_step without clearing).
  void add_step(std::size_t step_index, std::int64_t first, std::span<float> left, std::span<float> right) noexcept;
  void render_block(std::span<const StepPlacement> steps, CrossfadeCurve curve, std::int64_t first,
                    std::span<float> left, std::span<float> right, bool extras) noexcept;

  double sample_rate_hz_ = 44100.0;
  std::vector<std::vector<std::unique_ptr<voices::Voice>>> step_voices_;
  std::unique_ptr<BackgroundNoise> noise_;
  std::unique_ptr<ClipPlayer> clips_;
  std::vector<float> scratch_;  // 2 × kBlockFrames: step sum L/R
};

/// Crossfade gains at position i of n (n >= 1): fade-out and fade-in (linspace / cos-sin, endpoints included).
struct CrossfadeGains {
  double fade_out;
  double fade_in;
};
CrossfadeGains crossfade_gains(CrossfadeCurve curve, std::int64_t i, std::int64_t n) noexcept;

}  // namespace resound::track
