// AudioBuffer/AudioView: shape, planar layout, subviews, copies, interleaving.
#include <gtest/gtest.h>

#include <vector>

#include "resound/core/audio_buffer.hpp"

namespace resound {
namespace {

TEST(AudioBuffer, AllocatesZeroedPlanarChannels) {
  AudioBuffer buffer(2, 100);
  EXPECT_EQ(buffer.channel_count(), 2u);
  EXPECT_EQ(buffer.frame_count(), 100u);
  for (std::size_t c = 0; c < 2; ++c)
    for (float sample : buffer.channel(c)) EXPECT_EQ(sample, 0.0f);
  // Planar: channel 1 starts right after channel 0 in one block.
  EXPECT_EQ(buffer.channel(1).data(), buffer.channel(0).data() + 100);
}

TEST(AudioBuffer, CopyIsDeepAndMoveKeepsSamples) {
  AudioBuffer original(1, 4);
  original.channel(0)[2] = 0.75f;
  AudioBuffer copy = original;
  copy.channel(0)[2] = -1.0f;
  EXPECT_EQ(original.channel(0)[2], 0.75f);
  AudioBuffer moved = std::move(original);
  EXPECT_EQ(moved.channel(0)[2], 0.75f);
  EXPECT_EQ(moved.view().channel(0)[2], 0.75f);
}

TEST(AudioView, SubviewAddressesTheRightFramesAndClamps) {
  AudioBuffer buffer(2, 10);
  for (std::size_t i = 0; i < 10; ++i) buffer.channel(1)[i] = static_cast<float>(i);
  AudioView middle = buffer.view().subview(3, 4);
  EXPECT_EQ(middle.frame_count(), 4u);
  EXPECT_EQ(middle.channel(1)[0], 3.0f);
  AudioView nested = middle.subview(1, 100);
  EXPECT_EQ(nested.frame_count(), 3u);
  EXPECT_EQ(nested.channel(1)[0], 4.0f);
  EXPECT_TRUE(buffer.view().subview(20, 5).empty());
  ConstAudioView read_only = nested;  // writable converts to read-only
  EXPECT_EQ(read_only.channel(1)[2], 6.0f);
}

TEST(AudioView, ClearCopyAndMix) {
  AudioBuffer a(2, 8);
  AudioBuffer b(2, 8);
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < 8; ++i) a.channel(c)[i] = 1.0f + static_cast<float>(c);
  copy_audio(a, b);
  EXPECT_EQ(b.channel(1)[7], 2.0f);
  mix_audio(a, b, 0.5f);
  EXPECT_FLOAT_EQ(b.channel(1)[7], 3.0f);
  b.view().subview(4, 4).clear();
  EXPECT_EQ(b.channel(0)[4], 0.0f);
  EXPECT_FLOAT_EQ(b.channel(0)[3], 1.5f);
}

TEST(AudioView, InterleaveRoundTrip) {
  AudioBuffer planar(3, 5);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < 5; ++i) planar.channel(c)[i] = static_cast<float>(10 * c + i);
  std::vector<float> interleaved(15);
  interleave(planar, interleaved);
  EXPECT_EQ(interleaved[0], 0.0f);
  EXPECT_EQ(interleaved[1], 10.0f);
  EXPECT_EQ(interleaved[5], 21.0f);  // frame 1, channel 2
  AudioBuffer back(3, 5);
  deinterleave(interleaved, back);
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(back.channel(c)[i], planar.channel(c)[i]);
}

}  // namespace
}  // namespace resound
