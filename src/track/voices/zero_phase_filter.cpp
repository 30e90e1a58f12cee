// Segmented sosfiltfilt: forward/backward passes over a segment plus settling margins, cached per segment.
#include "voices/zero_phase_filter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace resound::track::voices {
namespace {

constexpr std::int64_t kSegmentFrames = 32768;
// 30 Hz high-pass (the slowest filter used): its slowest pole decays by e every ~610 samples at 44.1 kHz,
// so 16384 samples of margin leave < 1e-11 of the unknown state. Scaled with the rate below.
constexpr double kMarginSeconds = 0.375;

/// Steady-state DF2T state of each section for a constant input x0 (scipy.signal.sosfilt_zi · x0).
void steady_state(const std::vector<Section>& sections, double x0, std::vector<double>& z1, std::vector<double>& z2) {
  double input = x0;
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const Section& f = sections[s];
    const double y = f.dc_gain() * input;
    z1[s] = y - f.b0 * input;
    z2[s] = f.b2 * input - f.a2 * y;
    input = y;
  }
}

/// Filters data[0..n) in place through the cascade, starting from state (z1, z2), forwards.
void run(const std::vector<Section>& sections, double* data, std::size_t n, std::ptrdiff_t stride,
         std::vector<double>& z1, std::vector<double>& z2) {
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const Section& f = sections[s];
    double a = z1[s], b = z2[s];
    double* p = data;
    for (std::size_t i = 0; i < n; ++i, p += stride) {
      const double x = *p;
      const double y = f.b0 * x + a;
      a = f.b1 * x - f.a1 * y + b;
      b = f.b2 * x - f.a2 * y;
      *p = y;
    }
    z1[s] = a;
    z2[s] = b;
  }
}

class ZeroPhaseVoice final : public Voice {
 public:
  ZeroPhaseVoice(std::unique_ptr<Voice> inner, std::vector<std::vector<Section>> stages, double margin_frames)
      : Voice(inner->length_frames()), inner_(std::move(inner)), stages_(std::move(stages)),
        margin_(static_cast<std::int64_t>(margin_frames)) {
    const std::size_t total = static_cast<std::size_t>(kSegmentFrames + 2 * margin_ * static_cast<std::int64_t>(stages_.size()) + 64);
    for (auto& channel : work_) channel.assign(total, 0.0);
    for (auto& channel : cache_) channel.assign(static_cast<std::size_t>(kSegmentFrames), 0.0f);
    render_left_.assign(4096, 0.0f);
    render_right_.assign(4096, 0.0f);
    std::size_t most_sections = 0;
    for (const auto& stage : stages_) most_sections = std::max(most_sections, stage.size());
    z1_.assign(most_sections, 0.0);
    z2_.assign(most_sections, 0.0);
  }

  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    std::size_t done = 0;
    while (done < left.size()) {
      const std::int64_t at = first + static_cast<std::int64_t>(done);
      const std::int64_t segment = at / kSegmentFrames;
      if (segment != cached_segment_) compute_segment(segment);
      const std::int64_t offset = at - segment * kSegmentFrames;
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(kSegmentFrames - offset, static_cast<std::int64_t>(left.size() - done)));
      std::copy_n(cache_[0].begin() + offset, count, left.begin() + static_cast<std::ptrdiff_t>(done));
      std::copy_n(cache_[1].begin() + offset, count, right.begin() + static_cast<std::ptrdiff_t>(done));
      done += count;
    }
  }

 private:
  void compute_segment(std::int64_t segment) noexcept {
    const std::int64_t n = length_frames();
    const std::int64_t out_begin = segment * kSegmentFrames;
    const std::int64_t out_end = std::min(n, out_begin + kSegmentFrames);
    const auto stage_count = static_cast<std::int64_t>(stages_.size());
    // Raw input range: each stage needs `margin_` more on both sides than the next.
    std::int64_t begin = std::max<std::int64_t>(0, out_begin - stage_count * margin_);
    std::int64_t end = std::min(n, out_end + stage_count * margin_);
    // Render the raw voice into the work buffers.
    for (std::int64_t at = begin; at < end;) {
      const auto count = static_cast<std::size_t>(std::min<std::int64_t>(4096, end - at));
      inner_->render(at, std::span<float>(render_left_.data(), count), std::span<float>(render_right_.data(), count));
      for (std::size_t i = 0; i < count; ++i) {
        work_[0][static_cast<std::size_t>(at - begin) + i] = render_left_[i];
        work_[1][static_cast<std::size_t>(at - begin) + i] = render_right_[i];
      }
      at += static_cast<std::int64_t>(count);
    }
    for (std::int64_t s = 0; s < stage_count; ++s) {
      const auto& sections = stages_[static_cast<std::size_t>(s)];
      const auto pad = static_cast<std::int64_t>(3 * (2 * sections.size() + 1));
      for (int c = 0; c < 2; ++c) filter_range(sections, work_[static_cast<std::size_t>(c)], begin, end, n, pad);
      // The next stage only needs a narrower range; shrink (keeping the buffer origin at `begin`).
      const std::int64_t next_begin = std::max<std::int64_t>(0, out_begin - (stage_count - s - 1) * margin_);
      const std::int64_t next_end = std::min(n, out_end + (stage_count - s - 1) * margin_);
      for (auto& channel : work_)
        std::copy(channel.begin() + (next_begin - begin), channel.begin() + (next_end - begin), channel.begin());
      begin = next_begin;
      end = next_end;
    }
    for (int c = 0; c < 2; ++c)
      for (std::int64_t t = out_begin; t < out_end; ++t)
        cache_[static_cast<std::size_t>(c)][static_cast<std::size_t>(t - out_begin)] =
            static_cast<float>(work_[static_cast<std::size_t>(c)][static_cast<std::size_t>(t - begin)]);
    cached_segment_ = segment;
  }

  /// filtfilt of data[begin..end) (part of a voice of n frames): scipy's odd padding and steady-state
  /// initial conditions where the range touches 0 or n, zero state settled over the margin elsewhere.
  void filter_range(const std::vector<Section>& sections, std::vector<double>& data, std::int64_t begin,
                    std::int64_t end, std::int64_t n, std::int64_t pad) noexcept {
    const auto count = static_cast<std::size_t>(end - begin);
    if (n <= pad || pad > 32) {  // scipy refuses signals this short; the original voice is then silent
      std::fill_n(data.begin(), count, 0.0);
      return;
    }
    double* x = data.data();
    const bool at_start = begin == 0;
    const bool at_end = end == n;
    std::size_t length = count;
    if (at_end) {
      // Right odd extension 2·x[n−1] − x[n−2−i], appended in the buffer's slack.
      for (std::int64_t i = 0; i < pad; ++i) x[count + static_cast<std::size_t>(i)] = 2.0 * x[count - 1] - x[count - 2 - static_cast<std::size_t>(i)];
      length += static_cast<std::size_t>(pad);
    }
    std::fill(z1_.begin(), z1_.end(), 0.0);
    std::fill(z2_.begin(), z2_.end(), 0.0);
    if (at_start) {
      double extension[32];
      for (std::int64_t i = 0; i < pad; ++i) extension[i] = 2.0 * x[0] - x[pad - i];
      steady_state(sections, extension[0], z1_, z2_);
      run(sections, extension, static_cast<std::size_t>(pad), 1, z1_, z2_);
    }
    run(sections, x, length, 1, z1_, z2_);
    std::fill(z1_.begin(), z1_.end(), 0.0);
    std::fill(z2_.begin(), z2_.end(), 0.0);
    if (at_end) steady_state(sections, x[length - 1], z1_, z2_);
    run(sections, x + length - 1, length, -1, z1_, z2_);
  }

  std::unique_ptr<Voice> inner_;
  std::vector<std::vector<Section>> stages_;
  std::int64_t margin_;
  std::vector<double> work_[2];
  std::vector<float> cache_[2];
  std::vector<float> render_left_, render_right_;
  std::vector<double> z1_, z2_;
  std::int64_t cached_segment_ = -1;
};

}  // namespace

std::vector<Section> butterworth4(bool high_pass, double cutoff_hz, double sample_rate_hz) {
  std::vector<Section> sections;
  for (double q : {0.54119610014619698, 1.3065629648763766}) {
    const double w = 2.0 * std::numbers::pi * cutoff_hz / sample_rate_hz;
    const double alpha = std::sin(w) / (2.0 * q);
    const double c = std::cos(w);
    const double a0 = 1.0 + alpha;
    Section f;
    f.b0 = (high_pass ? (1.0 + c) : (1.0 - c)) / 2.0 / a0;
    f.b1 = (high_pass ? -(1.0 + c) : (1.0 - c)) / a0;
    f.b2 = f.b0;
    f.a1 = -2.0 * c / a0;
    f.a2 = (1.0 - alpha) / a0;
    sections.push_back(f);
  }
  return sections;
}

std::vector<std::vector<Section>> apply_filters_stages(double sample_rate_hz) {
  return {butterworth4(true, 30.0, sample_rate_hz), butterworth4(false, 0.45 * sample_rate_hz, sample_rate_hz)};
}

std::unique_ptr<Voice> wrap_zero_phase(std::unique_ptr<Voice> voice, std::vector<std::vector<Section>> stages,
                                       double sample_rate_hz) {
  return std::make_unique<ZeroPhaseVoice>(std::move(voice), std::move(stages), kMarginSeconds * sample_rate_hz);
}

}  // namespace resound::track::voices
