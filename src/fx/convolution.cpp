// Convolution: response conditioning at prepare(), channel routing, and the dry/wet mix.
#include "resound/fx/convolution.hpp"

#include <algorithm>
#include <vector>

#include "resound/core/denormals.hpp"

namespace resound::fx {
namespace {
constexpr double kMixGlideS = 0.02;
}  // namespace

std::size_t convolver_block_frames(const ConvolutionOptions& options, std::size_t max_block_frames) {
  // Below one head's worth of frames the any-slicing schedule is as cheap, and exact.
  if (!options.fixed_block || max_block_frames < PartitionedConvolver::kHeadFrames) return 0;
  std::size_t block = PartitionedConvolver::kHeadFrames;
  while (block < max_block_frames && block < kMaxConvolutionBlockFrames) block *= 2;
  return block;
}

Convolution::Convolution(ImpulseResponse response, const ConvolutionOptions& options)
    : response_(std::move(response)), options_(options) {
  options_.mix = std::clamp(options_.mix, 0.0, 1.0);
}

void Convolution::set_mix(double mix) noexcept {
  options_.mix = std::isfinite(mix) ? std::clamp(mix, 0.0, 1.0) : 1.0;
  mix_gains_.set_mix(options_.mix);
}

void Convolution::prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) {
  prepare_error_.reset();
  max_block_frames_ = std::max<std::size_t>(1, max_block_frames);
  Expected<AudioBuffer> conditioned = condition_impulse_response(response_, sample_rate_hz, options_.response);
  std::vector<ConvolutionPath> paths;
  wet_channels_ = 0;
  if (!conditioned) {
    prepare_error_ = conditioned.error();
    conditioned_ = AudioBuffer();
  } else {
    conditioned_ = std::move(*conditioned);
    const std::size_t response_channels = conditioned_.channel_count();
    const ConstAudioView response = conditioned_.view();
    if (response_channels == 1) {
      wet_channels_ = channel_count;
      for (std::size_t c = 0; c < channel_count; ++c) paths.push_back({c, c, response.channel(0)});
    } else if (channel_count == 1) {
      // Mono audio: fold the response to what a mono listener of the stereo result would hear.
      wet_channels_ = 1;
      mono_response_ = AudioBuffer(1, conditioned_.frame_count());
      // Half the sum: the average of a stereo pair, or the mono sum of a true-stereo matrix's two outputs, halved.
      constexpr float kWeight = 0.5f;
      for (std::size_t c = 0; c < response_channels; ++c)
        for (std::size_t i = 0; i < conditioned_.frame_count(); ++i) mono_response_.channel(0)[i] += kWeight * response.channel(c)[i];
      paths.push_back({0, 0, std::as_const(mono_response_).channel(0)});
    } else if (channel_count >= 2) {
      wet_channels_ = 2;
      if (response_channels == 2) {
        paths.push_back({0, 0, response.channel(0)});
        paths.push_back({1, 1, response.channel(1)});
      } else {
        paths.push_back({0, 0, response.channel(0)});
        paths.push_back({0, 1, response.channel(1)});
        paths.push_back({1, 0, response.channel(2)});
        paths.push_back({1, 1, response.channel(3)});
      }
    }
  }
  convolver_.prepare(wet_channels_, wet_channels_, paths, options_.worker_thread, convolver_block_frames(options_, max_block_frames_));
  dry_ = AudioBuffer(std::max<std::size_t>(wet_channels_, 1), max_block_frames_);
  mix_gains_.configure(kMixGlideS, sample_rate_hz);
  set_mix(options_.mix);
  reset();
}

void Convolution::reset() noexcept {
  convolver_.reset();
  mix_gains_.snap_to_target();
}

void Convolution::process(AudioView audio) noexcept {
  if (wet_channels_ == 0 || audio.channel_count() < wet_channels_) return;
  const ScopedDenormalGuard denormal_guard;
  const AudioView wet = audio.first_channels(wet_channels_);
  for (std::size_t position = 0; position < audio.frame_count(); position += max_block_frames_) {
    const std::size_t frames = std::min(max_block_frames_, audio.frame_count() - position);
    const AudioView block = wet.subview(position, frames);
    // A settled 100 % wet send (the common case) needs neither the dry copy nor the mix loop.
    const bool wet_only = mix_gains_.dry.current() == 0.0 && mix_gains_.dry.target() == 0.0 && mix_gains_.wet.current() == 1.0 &&
                          mix_gains_.wet.target() == 1.0;
    if (wet_only) {
      convolver_.process(block, block);
      continue;
    }
    const AudioView dry = dry_.view().subview(0, frames);
    copy_audio(block, dry);
    convolver_.process(block, block);
    for (std::size_t i = 0; i < frames; ++i) {
      const auto dry_gain = static_cast<float>(mix_gains_.dry.next());
      const auto wet_gain = static_cast<float>(mix_gains_.wet.next());
      for (std::size_t c = 0; c < wet_channels_; ++c) block.channel(c)[i] = wet_gain * block.channel(c)[i] + dry_gain * dry.channel(c)[i];
    }
  }
}

}  // namespace resound::fx
