// Voice: one synth voice of a step, rendered on demand at any frame (random access for seeking).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>

#include "resound/core/expected.hpp"
#include "resound/track/track_spec.hpp"

namespace resound::track::voices {

/// A voice renders its own frames [0, length). Most voices are pure functions of the frame index
/// (phases in closed form); stateful ones (filters, vibrato sums) notice a jump and re-derive
/// their state from checkpoints or a short warm-up, so output never depends on block boundaries.
/// Thread contract: construction OFF; render RT (no allocation) on one thread at a time.
class Voice {
 public:
  virtual ~Voice() = default;
  /// Overwrites `left`/`right` (same size) with frames [first, first + size). Requires first >= 0 and
  /// first + size <= length_frames().
  virtual void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept = 0;
  /// Adds frames [first, first + size) to `left`/`right` (same contract as render). The default renders
  /// into a stack chunk and adds it; voices that can accumulate directly override it (no extra pass).
  virtual void render_add(std::int64_t first, std::span<float> left, std::span<float> right) noexcept;
  [[nodiscard]] std::int64_t length_frames() const noexcept { return length_frames_; }
  /// An upper bound of |sample| over the whole voice, or +∞ when the voice cannot bound itself cheaply.
  /// Lets the planner skip a step's peak pass when its voices cannot reach 1 (the "peak > 1 → 1" rule).
  [[nodiscard]] virtual double peak_bound() const noexcept { return std::numeric_limits<double>::infinity(); }

 protected:
  explicit Voice(std::int64_t length_frames) : length_frames_(length_frames) {}

 private:
  std::int64_t length_frames_;
};

/// What every voice constructor receives.
struct VoiceContext {
  const ParamMap& params;
  double sample_rate_hz;
  double duration_s;
  std::int64_t frames;  ///< int(duration·rate)
  std::uint64_t seed;
};

/// Builds the voice named `name` (already resolved for is_transition), without envelope or post-processing.
/// Unknown names give nullptr (silence, as the original).
Expected<std::unique_ptr<Voice>> create_synth_voice(const std::string& name, const VoiceContext& context);

/// Builds a full voice as generate_voice_audio: name resolution, synth, envelope or 10 ms de-click, flanger.
Expected<std::unique_ptr<Voice>> create_voice(const VoiceSpec& spec, double sample_rate_hz, double duration_s,
                                              std::uint64_t seed);

/// Whether `name` is one of the synth functions (after is_transition resolution).
bool is_known_synth(const std::string& name);

}  // namespace resound::track::voices
