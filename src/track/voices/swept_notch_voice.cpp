// generate_swept_notch_pink_sound(_transition) as a voice: the background-noise generator driven by voice keys.
#include <algorithm>

#include "noise_generator.hpp"
#include "voices/voice_families.hpp"

namespace resound::track::voices {
namespace {

/// A list of (min, max) pairs (`filter_sweeps`), defaulting to [(1000, 10000)] as the original.
std::vector<std::pair<double, double>> read_ranges(const ParamMap& params, std::string_view key,
                                                   std::vector<std::pair<double, double>> fallback) {
  const ParamValue* value = find_param(params, key);
  if (value == nullptr || value->list() == nullptr) return fallback;
  std::vector<std::pair<double, double>> ranges;
  for (const ParamValue& item : *value->list()) {
    if (const ParamList* pair = item.list(); pair != nullptr && pair->size() == 2) {
      ranges.emplace_back((*pair)[0].as_number().value_or(1000.0), (*pair)[1].as_number().value_or(10000.0));
    } else if (const ParamMap* object = item.object()) {  // the GUI's {"min": …, "max": …} form
      ranges.emplace_back(number_param(*object, "min", 1000.0), number_param(*object, "max", 10000.0));
    }
  }
  return ranges.empty() ? fallback : ranges;
}

/// notch_q / cascade_count: one number for every sweep, or a list with one value per sweep.
double per_sweep(const ParamMap& params, std::string_view key, std::size_t index, double fallback) {
  const ParamValue* value = find_param(params, key);
  if (value == nullptr) return fallback;
  if (const ParamList* list = value->list()) return index < list->size() ? (*list)[index].as_number().value_or(fallback) : fallback;
  return value->as_number().value_or(fallback);
}

class SweptNotchVoice final : public Voice {
 public:
  SweptNotchVoice(std::int64_t frames, std::unique_ptr<NoiseGenerator> generator)
      : Voice(frames), generator_(std::move(generator)) {}
  void render(std::int64_t first, std::span<float> left, std::span<float> right) noexcept override {
    generator_->render(first, left, right);
  }

 private:
  std::unique_ptr<NoiseGenerator> generator_;
};

}  // namespace

Expected<std::unique_ptr<Voice>> create_swept_notch_voice(const VoiceContext& context, bool transition) {
  const ParamMap& p = context.params;
  NoiseParams noise;
  noise.noise_type = string_param(p, "noise_type", "pink");
  noise.lfo_waveform = string_param(p, "lfo_waveform", "sine");
  noise.transition = transition;
  noise.duration_seconds = context.duration_s;
  const std::vector<std::pair<double, double>> kDefault = {{1000.0, 10000.0}};
  std::vector<std::pair<double, double>> start_ranges;
  std::vector<std::pair<double, double>> end_ranges;
  if (transition) {
    noise.start_lfo_freq_hz = number_param(p, "start_lfo_freq", 1.0 / 12.0);
    noise.end_lfo_freq_hz = number_param(p, "end_lfo_freq", 1.0 / 12.0);
    start_ranges = read_ranges(p, "start_filter_sweeps", kDefault);
    end_ranges = read_ranges(p, "end_filter_sweeps", start_ranges);
    noise.start_lfo_phase_offset_deg = number_param(p, "start_lfo_phase_offset_deg", 90.0);
    noise.end_lfo_phase_offset_deg = number_param(p, "end_lfo_phase_offset_deg", 90.0);
    noise.start_intra_phase_offset_deg = number_param(p, "start_intra_phase_offset_deg", 0.0);
    noise.end_intra_phase_offset_deg = number_param(p, "end_intra_phase_offset_deg", 0.0);
    noise.initial_offset_s = number_param(p, "initial_offset", 0.0);
    noise.transition_duration_s = std::max(0.0, context.duration_s - noise.initial_offset_s - number_param(p, "post_offset", 0.0));
  } else {
    noise.lfo_freq_hz = number_param(p, "lfo_freq", 1.0 / 12.0);
    start_ranges = end_ranges = read_ranges(p, "filter_sweeps", kDefault);
    noise.start_lfo_phase_offset_deg = noise.end_lfo_phase_offset_deg = number_param(p, "lfo_phase_offset_deg", 90.0);
    noise.start_intra_phase_offset_deg = noise.end_intra_phase_offset_deg = number_param(p, "intra_phase_offset_deg", 0.0);
  }
  for (std::size_t i = 0; i < start_ranges.size(); ++i) {
    const auto& end = i < end_ranges.size() ? end_ranges[i] : start_ranges[i];
    NoiseSweep sweep;
    sweep.start_min_hz = start_ranges[i].first;
    sweep.start_max_hz = start_ranges[i].second;
    sweep.end_min_hz = end.first;
    sweep.end_max_hz = end.second;
    sweep.start_q = per_sweep(p, transition ? "start_notch_q" : "notch_q", i, 25.0);
    sweep.end_q = transition ? per_sweep(p, "end_notch_q", i, 25.0) : sweep.start_q;
    sweep.start_cascade = per_sweep(p, transition ? "start_cascade_count" : "cascade_count", i, 10.0);
    sweep.end_cascade = transition ? per_sweep(p, "end_cascade_count", i, 10.0) : sweep.start_cascade;
    noise.sweeps.push_back(sweep);
  }
  auto generator = NoiseGenerator::create(noise, context.sample_rate_hz, context.seed);
  if (!generator) return generator.error();
  return std::unique_ptr<Voice>(std::make_unique<SweptNotchVoice>(context.frames, std::move(*generator)));
}

}  // namespace resound::track::voices
