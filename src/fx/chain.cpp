// Chain and Bus implementations.
#include "resound/fx/chain.hpp"

#include <algorithm>

#include "resound/core/units.hpp"

namespace resound::fx {

void Chain::insert(std::size_t index, std::shared_ptr<Processor> processor) {
  processors_.insert(processors_.begin() + static_cast<std::ptrdiff_t>(std::min(index, processors_.size())), std::move(processor));
}

void Chain::remove(std::size_t index) {
  if (index < processors_.size()) processors_.erase(processors_.begin() + static_cast<std::ptrdiff_t>(index));
}

void Chain::prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) {
  for (const auto& processor : processors_) processor->prepare(sample_rate_hz, max_block_frames, channel_count);
}

void Chain::process(AudioView audio) noexcept {
  for (const auto& processor : processors_) processor->process(audio);
}

void Chain::reset() noexcept {
  for (const auto& processor : processors_) processor->reset();
}

std::size_t Chain::latency_frames() const noexcept {
  std::size_t total = 0;
  for (const auto& processor : processors_) total += processor->latency_frames();
  return total;
}

void Bus::add_branch(std::shared_ptr<Processor> branch, double gain_db) {
  branches_.push_back(Branch{std::move(branch), gain_db, static_cast<float>(db_to_gain(gain_db)), 0, AudioBuffer(), 0});
}

void Bus::prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) {
  max_block_frames_ = std::max<std::size_t>(1, max_block_frames);
  latency_frames_ = 0;
  for (Branch& branch : branches_) {
    branch.processor->prepare(sample_rate_hz, max_block_frames_, channel_count);
    latency_frames_ = std::max(latency_frames_, branch.processor->latency_frames());
  }
  for (Branch& branch : branches_) {
    branch.compensation_frames = latency_frames_ - branch.processor->latency_frames();
    branch.delay = AudioBuffer(channel_count, branch.compensation_frames + 1);
  }
  input_copy_ = AudioBuffer(channel_count, max_block_frames_);
  branch_output_ = AudioBuffer(channel_count, max_block_frames_);
  reset();
}

void Bus::reset() noexcept {
  for (Branch& branch : branches_) {
    branch.processor->reset();
    branch.delay.view().clear();
    branch.delay_position = 0;
  }
}

void Bus::process(AudioView audio) noexcept {
  const std::size_t channels = std::min(audio.channel_count(), input_copy_.channel_count());
  for (std::size_t position = 0; position < audio.frame_count(); position += max_block_frames_) {
    const std::size_t frames = std::min(max_block_frames_, audio.frame_count() - position);
    const AudioView block = audio.subview(position, frames).first_channels(channels);
    const AudioView input = input_copy_.view().subview(0, frames).first_channels(channels);
    const AudioView output = branch_output_.view().subview(0, frames).first_channels(channels);
    copy_audio(block, input);
    block.clear();
    for (Branch& branch : branches_) {
      copy_audio(input, output);
      branch.processor->process(output);
      if (branch.compensation_frames > 0) {
        const std::size_t ring = branch.compensation_frames + 1;
        for (std::size_t i = 0; i < frames; ++i) {
          const std::size_t read = (branch.delay_position + 1) % ring;  // oldest = compensation frames ago
          for (std::size_t c = 0; c < channels; ++c) {
            branch.delay.channel(c)[branch.delay_position] = output.channel(c)[i];
            output.channel(c)[i] = branch.delay.channel(c)[read];
          }
          branch.delay_position = read;
        }
      }
      mix_audio(output, block, branch.gain);
    }
  }
}

}  // namespace resound::fx
