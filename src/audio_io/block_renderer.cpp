// BlockRenderer: the planar-to-interleaved bridge shared by the device backends.
#include "block_renderer.hpp"

#include <algorithm>

#include "resound/audio_io/realtime_guard.hpp"

namespace resound::audio_io::detail {

void BlockRenderer::prepare(std::size_t channel_count, std::size_t max_block_frames) {
  block_.resize(channel_count, std::max<std::size_t>(1, max_block_frames));
}

ConstAudioView BlockRenderer::render_planar(AudioCallback& callback, std::size_t frames) noexcept {
  const AudioView view = block_.view().subview(0, frames);
  RealtimeScope scope;
  callback.render(view);
  return view;
}

std::size_t BlockRenderer::render_interleaved(AudioCallback& callback, std::span<float> interleaved) noexcept {
  const std::size_t channels = block_.channel_count();
  const std::size_t total = channels == 0 ? 0 : interleaved.size() / channels;
  std::size_t done = 0;
  while (done < total) {
    const std::size_t frames = std::min(total - done, block_.frame_count());
    const ConstAudioView view = render_planar(callback, frames);
    interleave(view, interleaved.subspan(done * channels, frames * channels));
    done += frames;
  }
  return done;
}

}  // namespace resound::audio_io::detail
