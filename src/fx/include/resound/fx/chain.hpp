// Chain and Bus: processors in series (reporting total latency) and parallel branches summed.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "resound/core/audio_buffer.hpp"
#include "resound/core/processor.hpp"

namespace resound::fx {

/// Processors run one after another, in place. latency_frames() is the sum of the members'.
/// Thread contract: structure changes (add, insert, remove) and prepare OFF, never while another
/// thread is inside process(); process and reset RT; queries any thread.
class Chain final : public Processor {
 public:
  Chain() = default;
  explicit Chain(std::vector<std::shared_ptr<Processor>> processors) : processors_(std::move(processors)) {}

  void add(std::shared_ptr<Processor> processor) { processors_.push_back(std::move(processor)); }
  void insert(std::size_t index, std::shared_ptr<Processor> processor);
  void remove(std::size_t index);
  [[nodiscard]] std::size_t size() const noexcept { return processors_.size(); }
  [[nodiscard]] const std::shared_ptr<Processor>& at(std::size_t index) const { return processors_.at(index); }
  [[nodiscard]] const std::vector<std::shared_ptr<Processor>>& processors() const noexcept { return processors_; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;
  [[nodiscard]] std::size_t latency_frames() const noexcept override;

 private:
  std::vector<std::shared_ptr<Processor>> processors_;
};

/// A mix bus: each branch processes its own copy of the input; the branch outputs are summed
/// with per-branch gains (e.g. a dry branch plus a 100 %-wet reverb send). Branch latencies are
/// aligned by delaying the faster branches, so latency_frames() is the slowest branch's.
/// Thread contract: add_branch and prepare OFF; process and reset RT; queries any thread.
class Bus final : public Processor {
 public:
  void add_branch(std::shared_ptr<Processor> branch, double gain_db = 0.0);
  [[nodiscard]] std::size_t branch_count() const noexcept { return branches_.size(); }
  [[nodiscard]] const std::shared_ptr<Processor>& branch(std::size_t index) const { return branches_.at(index).processor; }
  [[nodiscard]] double branch_gain_db(std::size_t index) const { return branches_.at(index).gain_db; }

  void prepare(double sample_rate_hz, std::size_t max_block_frames, std::size_t channel_count) override;
  void process(AudioView audio) noexcept override;
  void reset() noexcept override;
  [[nodiscard]] std::size_t latency_frames() const noexcept override { return latency_frames_; }

 private:
  struct Branch {
    std::shared_ptr<Processor> processor;
    double gain_db = 0.0;
    float gain = 1.0f;
    std::size_t compensation_frames = 0;
    AudioBuffer delay;  // compensation ring, channels × (compensation + 1)
    std::size_t delay_position = 0;
  };
  std::vector<Branch> branches_;
  AudioBuffer input_copy_;
  AudioBuffer branch_output_;
  std::size_t latency_frames_ = 0;
  std::size_t max_block_frames_ = 0;
};

}  // namespace resound::fx
