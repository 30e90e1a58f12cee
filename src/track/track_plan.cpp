// build_track_plan: step placement as the original assembler, per-step peaks, FFT phase alignment, track peak.
#include "resound/track/track_plan.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <optional>
#include <thread>

#include "peak_meter.hpp"
#include "phase_alignment.hpp"
#include "track_mixer.hpp"

namespace resound::track {
namespace {

/// Renders frames [begin, end) of some signal block by block (render(mixer, first, left, right)) and returns
/// the peak of |x|. Used by every peak pass.
template <typename Render>
double range_peak(TrackMixer& mixer, std::int64_t begin, std::int64_t end, Render& render, const std::atomic<bool>& cancelled,
                  const std::function<bool(double)>& report) {
  std::vector<float> left(TrackMixer::kBlockFrames), right(TrackMixer::kBlockFrames);
  float peak = 0.0f;
  for (std::int64_t first = begin; first < end; first += TrackMixer::kBlockFrames) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(TrackMixer::kBlockFrames, end - first));
    render(mixer, first, std::span<float>(left.data(), count), std::span<float>(right.data(), count));
    peak = peak_abs(std::span<const float>(left.data(), count), peak);
    peak = peak_abs(std::span<const float>(right.data(), count), peak);
    if ((first - begin) / TrackMixer::kBlockFrames % 64 == 63) {
      if (cancelled.load(std::memory_order_relaxed)) break;
      if (report && !report(static_cast<double>(first + static_cast<std::int64_t>(count) - begin) /
                            static_cast<double>(end - begin)))
        break;
    }
  }
  return peak;
}

/// The peak of the track mix over frames [begin, end), at least `start_peak` (a peak already measured
/// exactly elsewhere), without rendering the steps where they cannot matter: every block renders its noise
/// (in order, so the noise generator never jumps), and only when |noise| + the steps' bound could reach the
/// running peak are the steps rendered too and added to that noise exactly as render_mix adds noise to
/// steps (so the samples measured are the mix's own). A skipped block's peak is below the running peak,
/// which never exceeds the true one: the result is the same as measuring every block.
double bounded_mix_peak(TrackMixer& mixer, std::span<const StepPlacement> steps, CrossfadeCurve curve, std::int64_t begin,
                        std::int64_t end, float start_peak, const std::atomic<bool>& cancelled,
                        const std::function<bool(double)>& report) {
  std::vector<float> left(TrackMixer::kBlockFrames), right(TrackMixer::kBlockFrames);
  std::vector<float> noise_left(TrackMixer::kBlockFrames), noise_right(TrackMixer::kBlockFrames);
  float peak = start_peak;
  for (std::int64_t first = begin; first < end; first += TrackMixer::kBlockFrames) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(TrackMixer::kBlockFrames, end - first));
    const std::span<float> noise_l(noise_left.data(), count), noise_r(noise_right.data(), count);
    mixer.render_noise(first, noise_l, noise_r);
    const float noise_peak = peak_abs(noise_r, peak_abs(noise_l));
    // The margin covers the rounding of the float sums against the bound's exact arithmetic.
    const double bound = (mixer.steps_bound(steps, first, count) + noise_peak) * (1.0 + 1e-6);
    if (!(bound < peak)) {
      const std::span<float> l(left.data(), count), r(right.data(), count);
      mixer.render_mix(steps, curve, first, l, r, false);
      for (std::size_t i = 0; i < count; ++i) {
        l[i] += noise_l[i];
        r[i] += noise_r[i];
      }
      peak = peak_abs(r, peak_abs(l, peak));
    }
    if ((first - begin) / TrackMixer::kBlockFrames % 64 == 63) {
      if (cancelled.load(std::memory_order_relaxed)) break;
      if (report && !report(static_cast<double>(first + static_cast<std::int64_t>(count) - begin) /
                            static_cast<double>(end - begin)))
        break;
    }
  }
  return peak;
}

/// The peak over frames [0, frames) as `range(mixer, begin, end, cancelled, report)` measures it (range_peak or
/// bounded_mix_peak): on the calling thread with `mixer`, or split into `threads` time ranges,
/// the first on the calling thread, the others on their own threads with mixers of their own (every part of a
/// mixer renders by absolute frame, so a range renders the same samples as the whole pass). `report` gets
/// the fraction done of the first range; false cancels (the result is then nullopt).
template <typename Range>
Expected<std::optional<double>> peak_pass(TrackMixer& mixer, const TrackSpec& spec, double rate,
                                          const TrackPlanOptions& options, std::int64_t track_length,
                                          std::int64_t frames, Range range,
                                          const std::function<bool(double)>& report) {
  std::atomic<bool> cancelled{false};
  const std::int64_t parts =
      std::clamp<std::int64_t>(options.threads, 1, std::max<std::int64_t>(1, frames / (1 << 16)));
  std::vector<std::unique_ptr<TrackMixer>> helpers;
  for (std::int64_t part = 1; part < parts; ++part) {
    auto created = TrackMixer::create(spec, rate, options.seed, options.stream_unreadable_clips);
    if (!created) return created.error();
    (*created)->set_track_length(track_length);
    helpers.push_back(std::move(*created));
  }
  std::vector<double> peaks(static_cast<std::size_t>(parts), 0.0);
  std::vector<std::thread> workers;
  for (std::int64_t part = 1; part < parts; ++part) {
    workers.emplace_back([&, part] {
      peaks[static_cast<std::size_t>(part)] = range(*helpers[static_cast<std::size_t>(part - 1)], frames * part / parts,
                                                    frames * (part + 1) / parts, cancelled, std::function<bool(double)>{});
    });
  }
  bool keep_going = true;
  const std::function<bool(double)> first_report = [&](double fraction) {
    keep_going = !report || report(fraction);
    if (!keep_going) cancelled.store(true, std::memory_order_relaxed);
    return keep_going;
  };
  peaks[0] = range(mixer, 0, frames / parts, cancelled, first_report);
  for (auto& worker : workers) worker.join();
  if (!keep_going) return std::optional<double>{};
  return std::optional<double>{*std::max_element(peaks.begin(), peaks.end())};
}

}  // namespace

Expected<std::shared_ptr<const TrackPlan>> build_track_plan(const TrackSpec& spec, const TrackPlanOptions& options,
                                                            const ProgressCallback& progress) {
  auto plan = std::make_shared<TrackPlan>();
  plan->spec = spec;
  plan->options = options;
  plan->sample_rate_hz = options.sample_rate_hz > 0.0 ? options.sample_rate_hz : spec.global.sample_rate_hz;
  plan->crossfade_curve = spec.global.crossfade_curve;
  const double rate = plan->sample_rate_hz;
  auto created = TrackMixer::create(spec, rate, options.seed, options.stream_unreadable_clips);
  if (!created) return created.error();
  TrackMixer& mixer = **created;

  // Progress: step peaks count as the first half, the track peak as the second.
  double total_step_frames = 0.0;
  for (const auto& step : spec.steps) total_step_frames += std::max(0.0, step.duration_s) * rate;
  double done_frames = 0.0;
  auto report = [&](double fraction) { return !progress || progress(std::clamp(fraction, 0.0, 1.0)); };

  const auto crossfade_frames = static_cast<std::int64_t>(spec.global.crossfade_duration_s * rate);
  std::int64_t last_end = 0;
  bool first_step = true;
  std::vector<double> step_peaks;  // after the per-step gain
  for (std::size_t index = 0; index < spec.steps.size(); ++index) {
    const StepSpec& step = spec.steps[index];
    if (!(step.duration_s > 0.0)) continue;
    StepPlacement placement;
    placement.spec_index = index;
    placement.frames = static_cast<std::int64_t>(step.duration_s * rate);
    placement.start_frame = static_cast<std::int64_t>(step.start_s * rate);
    // A step whose voices cannot reach 1 keeps gain 1; its exact peak is needed only when the track peak
    // may be the largest step peak (no noise, clips or crossfades: then there is no mix pass).
    const bool mix_pass_follows = spec.background_noise.enabled || !spec.clips.empty() || crossfade_frames > 0;
    const double bound = mixer.step_peak_bound(index);
    double peak = bound;
    if (!(mix_pass_follows && bound <= 1.0)) {
      auto render = [index](TrackMixer& m, std::int64_t first, std::span<float> l, std::span<float> r) {
        m.render_step(index, first, l, r);
      };
      auto measured = peak_pass(mixer, spec, rate, options, 0, placement.frames,
                                [&render](TrackMixer& m, std::int64_t begin, std::int64_t end, const std::atomic<bool>& cancelled,
                                          const std::function<bool(double)>& range_report) {
                                  return range_peak(m, begin, end, render, cancelled, range_report);
                                }, {});
      if (!measured) return measured.error();
      peak = **measured;
    }
    placement.gain = peak > 1.0 ? 1.0 / peak : 1.0;
    step_peaks.push_back(peak * placement.gain);
    done_frames += static_cast<double>(placement.frames);
    if (!report(0.5 * done_frames / std::max(1.0, total_step_frames)))
      return Error(ErrorCode::kCancelled, "cancelled");
    if (!first_step && crossfade_frames > 0) {
      const std::int64_t s = placement.start_frame;
      if (last_end > s) {
        placement.crossfade_frames = std::min(std::min(last_end, s + placement.frames) - s, crossfade_frames);
      } else {
        // No overlap: the original forces a crossfade by moving the step back onto the previous audio.
        placement.crossfade_frames = std::min({crossfade_frames, placement.frames, last_end});
        placement.start_frame = last_end - placement.crossfade_frames;
      }
      const std::int64_t n = placement.crossfade_frames;
      if (options.phase_align && n > 1) {
        std::vector<float> out_l(static_cast<std::size_t>(n)), out_r(static_cast<std::size_t>(n));
        std::vector<float> in_l(static_cast<std::size_t>(n)), in_r(static_cast<std::size_t>(n));
        mixer.render_mix(plan->steps, plan->crossfade_curve, placement.start_frame, out_l, out_r, false);
        for (std::int64_t at = 0; at < n; at += TrackMixer::kBlockFrames) {
          const auto count = static_cast<std::size_t>(std::min<std::int64_t>(TrackMixer::kBlockFrames, n - at));
          mixer.render_step(index, at, std::span<float>(in_l.data() + at, count), std::span<float>(in_r.data() + at, count));
        }
        placement.content_shift = best_alignment_lag(out_l, out_r, in_l, in_r);
      }
    }
    // The whole step moves with its alignment shift, so its audio ends at start + shift + frames.
    last_end = std::max(last_end, placement.start_frame + placement.content_shift + placement.frames);
    plan->steps.push_back(placement);
    first_step = false;
  }
  plan->length_frames = std::max(last_end, mixer.clips_end_frame());
  mixer.set_track_length(last_end);

  // Track peak. Steps that never overlap, without noise or clips, add nothing to each other: the track
  // peak is then the largest step peak, already measured. Otherwise one streaming pass over the mix.
  bool disjoint = !spec.background_noise.enabled && spec.clips.empty();
  for (std::size_t k = 1; k < plan->steps.size() && disjoint; ++k) {
    const StepPlacement& previous = plan->steps[k - 1];
    disjoint = plan->steps[k].crossfade_frames == 0 && plan->steps[k].content_shift == 0 && previous.content_shift == 0 &&
               plan->steps[k].start_frame >= previous.start_frame + previous.frames;
  }
  disjoint = disjoint && !(crossfade_frames > 0);  // step peaks are exact only without crossfades (see above)
  double peak = 0.0;
  if (disjoint) {
    for (double step_peak : step_peaks) peak = std::max(peak, step_peak);
  } else {
    const std::vector<StepPlacement>& steps = plan->steps;
    const CrossfadeCurve curve = plan->crossfade_curve;
    auto render = [&steps, curve](TrackMixer& m, std::int64_t first, std::span<float> l, std::span<float> r) {
      m.render_mix(steps, curve, first, l, r, true);
    };
    // Without clips every block's steps can be bounded, so blocks that cannot beat the peak found so far
    // skip their voices (see bounded_mix_peak). The crossfades, where steps add up, are measured first.
    const bool bounded = spec.clips.empty();
    float start_peak = 0.0f;
    if (bounded) {
      const std::atomic<bool> never{false};
      for (const StepPlacement& step : steps) {
        const std::int64_t begin = std::clamp<std::int64_t>(step.start_frame, 0, plan->length_frames);
        const std::int64_t end = std::clamp<std::int64_t>(step.start_frame + step.crossfade_frames, 0, plan->length_frames);
        if (end > begin)
          start_peak = std::max(start_peak, static_cast<float>(range_peak(mixer, begin, end, render, never, {})));
      }
    }
    auto measured = peak_pass(mixer, spec, rate, options, last_end, plan->length_frames,
                              [&](TrackMixer& m, std::int64_t begin, std::int64_t end, const std::atomic<bool>& cancelled,
                                  const std::function<bool(double)>& range_report) {
                                return bounded ? bounded_mix_peak(m, steps, curve, begin, end, start_peak, cancelled, range_report)
                                               : range_peak(m, begin, end, render, cancelled, range_report);
                              },
                              [&](double fraction) { return report(0.5 + 0.5 * fraction); });
    if (!measured) return measured.error();
    if (!*measured) return Error(ErrorCode::kCancelled, "cancelled");
    peak = **measured;
  }
  plan->measured_peak = peak;
  plan->final_gain = (options.target_level > 0.0 && peak > 0.0) ? options.target_level / peak : 1.0;
  report(1.0);
  return std::shared_ptr<const TrackPlan>(std::move(plan));
}

}  // namespace resound::track
