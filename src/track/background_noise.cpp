// BackgroundNoise: envelope (gain, start delay, fades, amp_envelope) around the noise generator.
#include "background_noise.hpp"

#include <algorithm>
#include <vector>

#include "clip_player.hpp"
#include "noise_generator.hpp"
#include "resound/dsp/vector_clones.hpp"

namespace resound::track {
namespace {

/// out += float(in·gain) for both channels, the product in double as on the per-sample path (same samples).
RESOUND_VECTOR_CLONES_AVX2
void add_scaled(const float* in_left, const float* in_right, std::size_t count, double g, float* out_left,
                float* out_right) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    out_left[i] += static_cast<float>(in_left[i] * g);
    out_right[i] += static_cast<float>(in_right[i] * g);
  }
}

}  // namespace

Expected<std::unique_ptr<BackgroundNoise>> BackgroundNoise::create(const BackgroundNoiseSpec& spec,
                                                                   double sample_rate_hz, std::uint64_t seed) {
  if (!spec.enabled) return std::unique_ptr<BackgroundNoise>();
  std::unique_ptr<BackgroundNoise> noise(new BackgroundNoise());
  noise->spec_ = spec;
  noise->sample_rate_hz_ = sample_rate_hz;
  auto generator = NoiseGenerator::create(spec.params, sample_rate_hz, seed);
  if (!generator) return generator.error();
  noise->generator_ = std::move(*generator);
  return noise;
}

BackgroundNoise::~BackgroundNoise() = default;

void BackgroundNoise::render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept {
  const auto start = static_cast<std::int64_t>(spec_.start_time_s * sample_rate_hz_);
  const std::int64_t block_end = std::min<std::int64_t>(first + static_cast<std::int64_t>(left.size()), track_frames_);
  const std::int64_t begin = std::max(first, start);
  if (block_end <= begin || !generator_) return;
  constexpr std::size_t kScratch = 1024;
  float noise_left[kScratch];
  float noise_right[kScratch];
  const auto fade_in = static_cast<std::int64_t>(spec_.fade_in_s * sample_rate_hz_);
  const auto fade_out = static_cast<std::int64_t>(spec_.fade_out_s * sample_rate_hz_);
  std::pair<double, double> envelope[64];
  const std::size_t points = std::min<std::size_t>(64, spec_.amp_envelope.size());
  for (std::size_t i = 0; i < points; ++i)
    envelope[i] = {spec_.amp_envelope[i].time_s * sample_rate_hz_, spec_.amp_envelope[i].amplitude};
  for (std::int64_t at = begin; at < block_end; at += static_cast<std::int64_t>(kScratch)) {
    const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kScratch, block_end - at));
    // The noise is delayed by start_time (its own frame 0 plays there).
    generator_->render(at - start, std::span<float>(noise_left, count), std::span<float>(noise_right, count));
    const std::int64_t run_end = at + static_cast<std::int64_t>(count);
    const auto offset = static_cast<std::size_t>(at - first);
    // Outside the fades and without an envelope the gain is constant: one vectorised multiply-add.
    if (points == 0 && (fade_in <= 0 || at >= fade_in) && (fade_out <= 0 || run_end <= track_frames_ - fade_out)) {
      add_scaled(noise_left, noise_right, count, spec_.gain, left.data() + offset, right.data() + offset);
      continue;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t t = at + static_cast<std::int64_t>(i);
      double gain = spec_.gain;
      // Fades run on the track timeline (the fade-in starts at t = 0, not at start_time), as the original.
      if (fade_in > 0 && t < fade_in) gain *= static_cast<double>(t) / static_cast<double>(fade_in);
      if (fade_out > 0 && t >= track_frames_ - fade_out)
        gain *= static_cast<double>(track_frames_ - 1 - t) / static_cast<double>(fade_out);
      if (points > 0) gain *= interpolate_envelope(std::span(envelope, points), static_cast<double>(t));
      left[offset + i] += static_cast<float>(noise_left[i] * gain);
      right[offset + i] += static_cast<float>(noise_right[i] * gain);
    }
  }
}

}  // namespace resound::track
