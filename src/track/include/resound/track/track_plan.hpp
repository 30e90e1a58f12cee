// TrackPlan: an immutable, fully analysed track — exact frame placement of every step, gains, phase-alignment shifts.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "resound/core/expected.hpp"
#include "resound/core/progress.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track {

/// How a track is turned into a plan.
struct TrackPlanOptions {
  double sample_rate_hz = 0.0;   ///< 0: the track's own `sample_rate`
  double target_level = 0.25;    ///< final peak (the original's default); <= 0 disables the final normalisation
  std::uint64_t seed = 0;        ///< noise seed (the same seed renders bit-identically)
  bool phase_align = true;       ///< align each incoming step to the outgoing audio by FFT correlation
  int threads = 1;               ///< peak passes split over this many time ranges, each on its own thread and mixer
  /// An overlay clip whose file cannot be read becomes a streamed clip, fed by
  /// TrackSource::push_clip_samples while the track plays, instead of failing the track.
  bool stream_unreadable_clips = false;
};

/// Where one step sits on the track timeline.
struct StepPlacement {
  std::int64_t start_frame = 0;      ///< where the step (and its crossfade) begins
  std::int64_t frames = 0;           ///< int(duration·rate)
  std::int64_t content_shift = 0;    ///< phase alignment: step frame j plays at start_frame + shift + j
  std::int64_t crossfade_frames = 0; ///< fade-in of this step / fade-out of earlier audio from start_frame
  double gain = 1.0;                 ///< per-step normalisation (1/peak when the step peaks above 1)
  std::size_t spec_index = 0;        ///< index into TrackSpec::steps
};

/// Thread contract: built OFF (it renders the track once or twice to measure peaks); immutable after.
struct TrackPlan {
  TrackSpec spec;
  TrackPlanOptions options;
  double sample_rate_hz = 44100.0;
  CrossfadeCurve crossfade_curve = CrossfadeCurve::kLinear;
  std::vector<StepPlacement> steps;
  std::int64_t length_frames = 0;    ///< trimmed to the last step end, extended by clips
  double final_gain = 1.0;           ///< target_level / track peak
  double measured_peak = 0.0;        ///< track peak before final_gain

  [[nodiscard]] double duration_s() const noexcept { return static_cast<double>(length_frames) / sample_rate_hz; }
};

/// Analyses `spec`: places steps (gaps, overlaps, forced crossfades as the original), measures each
/// step's peak, computes phase alignment, and the whole track's peak (constant memory, streaming).
Expected<std::shared_ptr<const TrackPlan>> build_track_plan(const TrackSpec& spec, const TrackPlanOptions& options = {},
                                                            const ProgressCallback& progress = {});

}  // namespace resound::track
