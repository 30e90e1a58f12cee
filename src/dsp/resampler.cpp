// Resampler over libsoxr in split-channel (planar) float mode.
#include "resound/dsp/resampler.hpp"

#include <soxr.h>

#include <cmath>
#include <string>
#include <vector>

namespace resound::dsp {

struct Resampler::State {
  soxr_t converter = nullptr;
  std::size_t channel_count = 0;
  double ratio = 1.0;
  std::vector<const float*> input_pointers;  // per-channel pointers offset to the view's start
  std::vector<float*> output_pointers;

  ~State() {
    if (converter != nullptr) soxr_delete(converter);
  }
};

Resampler::Resampler(std::unique_ptr<State> state) : state_(std::move(state)) {}
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

Expected<Resampler> Resampler::create(std::size_t channel_count, double input_rate_hz, double output_rate_hz,
                                      ResampleQuality quality) {
  if (channel_count == 0 || channel_count > 256)
    return Error{ErrorCode::kInvalidArgument, "cannot resample " + std::to_string(channel_count) + " channels"};
  if (!(input_rate_hz > 0.0) || !(output_rate_hz > 0.0) || !std::isfinite(input_rate_hz) ||
      !std::isfinite(output_rate_hz))
    return Error{ErrorCode::kInvalidArgument, "sample rates must be positive", {.field = "rate"}};
  unsigned long recipe = SOXR_HQ;
  switch (quality) {
    case ResampleQuality::kQuick: recipe = SOXR_QQ; break;
    case ResampleQuality::kMedium: recipe = SOXR_MQ; break;
    case ResampleQuality::kHigh: recipe = SOXR_HQ; break;
    case ResampleQuality::kVeryHigh: recipe = SOXR_VHQ; break;
  }
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
  const soxr_quality_spec_t quality_spec = soxr_quality_spec(recipe, 0);
  soxr_error_t error = nullptr;
  auto state = std::make_unique<State>();
  state->converter = soxr_create(input_rate_hz, output_rate_hz, static_cast<unsigned>(channel_count), &error, &io,
                                 &quality_spec, nullptr);
  if (error != nullptr || state->converter == nullptr)
    return Error{ErrorCode::kInternal, std::string("soxr: ") + (error ? error : "cannot create converter")};
  state->channel_count = channel_count;
  state->ratio = output_rate_hz / input_rate_hz;
  state->input_pointers.resize(channel_count);
  state->output_pointers.resize(channel_count);
  return Resampler(std::move(state));
}

double Resampler::ratio() const noexcept { return state_->ratio; }
std::size_t Resampler::channel_count() const noexcept { return state_->channel_count; }

std::size_t Resampler::max_output_frames(std::size_t input_frames) const noexcept {
  const double buffered = soxr_delay(state_->converter);
  return static_cast<std::size_t>(std::ceil(static_cast<double>(input_frames) * state_->ratio + buffered)) + 16;
}

Expected<std::size_t> Resampler::process(ConstAudioView input, AudioView output) {
  State& state = *state_;
  if (input.channel_count() != state.channel_count || output.channel_count() != state.channel_count)
    return Error{ErrorCode::kInvalidArgument, "channel count differs from the resampler's"};
  std::size_t consumed = 0;
  std::size_t produced = 0;
  // soxr may stop early when the output is full; loop so every input frame is consumed.
  while (true) {
    for (std::size_t c = 0; c < state.channel_count; ++c) {
      state.input_pointers[c] = input.channel(c).data() + consumed;
      state.output_pointers[c] = output.channel(c).data() + produced;
    }
    const bool end_of_input = input.channel_count() == 0;
    std::size_t input_done = 0;
    std::size_t output_done = 0;
    const soxr_error_t error = soxr_process(
        state.converter, end_of_input ? nullptr : static_cast<soxr_in_t>(state.input_pointers.data()),
        input.frame_count() - consumed, &input_done, static_cast<soxr_out_t>(state.output_pointers.data()),
        output.frame_count() - produced, &output_done);
    if (error != nullptr) return Error{ErrorCode::kInternal, std::string("soxr: ") + error};
    consumed += input_done;
    produced += output_done;
    if (consumed >= input.frame_count()) break;
    if (produced >= output.frame_count())
      return Error{ErrorCode::kInvalidArgument, "resampler output buffer too small"};
  }
  return produced;
}

Expected<std::size_t> Resampler::finish(AudioView output) {
  State& state = *state_;
  if (output.channel_count() != state.channel_count)
    return Error{ErrorCode::kInvalidArgument, "channel count differs from the resampler's"};
  for (std::size_t c = 0; c < state.channel_count; ++c) state.output_pointers[c] = output.channel(c).data();
  std::size_t output_done = 0;
  // A null input tells soxr the stream has ended, so it flushes its filter.
  const soxr_error_t error = soxr_process(state.converter, nullptr, 0, nullptr,
                                          static_cast<soxr_out_t>(state.output_pointers.data()),
                                          output.frame_count(), &output_done);
  if (error != nullptr) return Error{ErrorCode::kInternal, std::string("soxr: ") + error};
  return output_done;
}

Expected<AudioBuffer> resample(ConstAudioView input, double input_rate_hz, double output_rate_hz,
                               ResampleQuality quality) {
  auto resampler = Resampler::create(input.channel_count(), input_rate_hz, output_rate_hz, quality);
  if (!resampler) return resampler.error();
  const auto expected_frames =
      static_cast<std::size_t>(std::llround(static_cast<double>(input.frame_count()) * resampler->ratio()));
  AudioBuffer output(input.channel_count(), resampler->max_output_frames(input.frame_count()) + 1024);
  auto produced = resampler->process(input, output.view());
  if (!produced) return produced.error();
  std::size_t total = *produced;
  while (total < output.frame_count()) {
    auto drained = resampler->finish(output.view().subview(total, output.frame_count() - total));
    if (!drained) return drained.error();
    if (*drained == 0) break;
    total += *drained;
  }
  const std::size_t kept = std::min(total, expected_frames);
  AudioBuffer trimmed(input.channel_count(), kept);
  copy_audio(output.view().subview(0, kept), trimmed.view());
  return trimmed;
}

}  // namespace resound::dsp
