// ClipPlayer: overlay clips decoded once, resampled to the track rate, added with gain, fades and envelope.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"
#include "streamed_clip_buffer.hpp"

namespace resound::track {

/// Thread contract: create OFF (reads and resamples files); render_add RT; push_samples CT (one thread).
class ClipPlayer {
 public:
  /// With `stream_unreadable_clips`, a clip whose file cannot be read becomes a streamed clip that
  /// plays what push_samples delivers (the realtime_backend's streamed clips); otherwise it is an error.
  static Expected<std::unique_ptr<ClipPlayer>> create(const std::vector<ClipSpec>& clips, double sample_rate_hz,
                                                      bool stream_unreadable_clips = false);
  /// Adds the file clips' samples at track frames [first, first+n).
  void render_add(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept;
  /// Adds the streamed clips' samples at track frames [first, first+n): the frames pushed so far
  /// (silence past them), faded out only once a clip is finished and its length known.
  void render_add_streamed(std::int64_t first, std::span<float> left, std::span<float> right) const noexcept;
  /// The frame just after the last clip ends (clips extend the track, as the original). Streamed
  /// clips do not extend the track: their length is not known when it is planned.
  [[nodiscard]] std::int64_t end_frame() const noexcept;
  /// Appends interleaved stereo frames, at the track rate, to streamed clip `clip_index` (its index in
  /// `overlay_clips`). Errors: no such clip, a clip that plays its file, or what StreamedClipBuffer::append refuses.
  Expected<void> push_samples(std::size_t clip_index, std::span<const float> interleaved_stereo, bool finished);

 private:
  struct Clip {
    AudioBuffer audio;  // stereo at the track rate
    std::int64_t start_frame = 0;
    double gain = 1.0;
    std::int64_t fade_in_frames = 0;
    std::int64_t fade_out_frames = 0;
    std::vector<std::pair<double, double>> envelope;  // (track frame, amplitude)
    std::unique_ptr<StreamedClipBuffer> stream;        // set for a streamed clip (then `audio` is empty)
    std::string path;                                  // for messages
  };
  template <typename SampleAt>
  static void add_clip(const Clip& clip, std::int64_t length, bool length_known, SampleAt sample_at, std::int64_t first,
                       std::span<float> left, std::span<float> right) noexcept;
  [[nodiscard]] static double envelope_at(const Clip& clip, double frame) noexcept;
  std::vector<Clip> clips_;
};

/// np.interp-style piecewise-linear value over (frame, value) points, held at both ends.
double interpolate_envelope(std::span<const std::pair<double, double>> points, double frame) noexcept;

}  // namespace resound::track
