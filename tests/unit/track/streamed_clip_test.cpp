// Streamed overlay clips (realtime_backend.push_clip_samples): the lock-free sample store and its place in the mix.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

#include "streamed_clip_buffer.hpp"
#include "track_test_support.hpp"

namespace resound::track {
namespace {

using testing::render_frames;
using testing::source_from_json;

// Interleaved stereo frames [first, first+count) of a pattern where every frame is distinguishable.
std::vector<float> pattern(std::int64_t first, std::int64_t count) {
  std::vector<float> samples;
  for (std::int64_t frame = first; frame < first + count; ++frame) {
    samples.push_back(static_cast<float>(frame % 9973) / 9973.0f);
    samples.push_back(-static_cast<float>(frame % 7919) / 7919.0f);
  }
  return samples;
}

TEST(StreamedClipBuffer, KeepsEveryFrameAcrossSegments) {
  StreamedClipBuffer buffer;
  const std::int64_t sizes[] = {100, StreamedClipBuffer::kSegmentFrames, 3, 2 * StreamedClipBuffer::kSegmentFrames + 7};
  std::int64_t total = 0;
  for (const std::int64_t size : sizes) {
    ASSERT_TRUE(buffer.append(pattern(total, size), false).has_value());
    total += size;
    EXPECT_EQ(buffer.available_frames(), total);
  }
  const std::vector<float> expected = pattern(0, total);
  for (std::int64_t frame = 0; frame < total; ++frame) {
    ASSERT_EQ(buffer.sample(0, frame), expected[2 * static_cast<std::size_t>(frame)]) << frame;
    ASSERT_EQ(buffer.sample(1, frame), expected[2 * static_cast<std::size_t>(frame) + 1]) << frame;
  }
  EXPECT_FALSE(buffer.finished());
}

TEST(StreamedClipBuffer, RefusesBadInputWithoutAppending) {
  StreamedClipBuffer buffer;
  const std::vector<float> odd = {0.1f, 0.2f, 0.3f};
  auto refused = buffer.append(odd, false);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().describe().find("even"), std::string::npos);
  const std::vector<float> not_finite = {0.1f, 0.2f, NAN, 0.4f};
  EXPECT_FALSE(buffer.append(not_finite, false).has_value());
  EXPECT_EQ(buffer.available_frames(), 0);
  ASSERT_TRUE(buffer.append(pattern(0, 10), true).has_value());
  EXPECT_TRUE(buffer.finished());
  auto after_end = buffer.append(pattern(10, 10), false);
  ASSERT_FALSE(after_end.has_value());
  EXPECT_NE(after_end.error().describe().find("finished"), std::string::npos);
  EXPECT_EQ(buffer.available_frames(), 10);
}

// One writer and one reader at once: the reader sees exactly the written frames below every count it loads.
TEST(StreamedClipBuffer, ReaderSeesOnlyCompleteFramesWhileTheWriterAppends) {
  StreamedClipBuffer buffer;
  constexpr std::int64_t kChunk = 2048;
  constexpr int kChunks = 160;  // 5 segments
  const std::vector<float> expected = pattern(0, kChunk * kChunks);
  std::thread writer([&] {
    for (int chunk = 0; chunk < kChunks; ++chunk) {
      const std::span<const float> part(expected.data() + 2 * kChunk * chunk, 2 * kChunk);
      ASSERT_TRUE(buffer.append(part, chunk == kChunks - 1).has_value());
    }
  });
  std::int64_t checked = 0;
  std::int64_t mismatches = 0;
  while (checked < kChunk * kChunks) {
    const std::int64_t available = buffer.available_frames();
    for (; checked < available; ++checked)
      mismatches += buffer.sample(0, checked) != expected[2 * static_cast<std::size_t>(checked)] ||
                    buffer.sample(1, checked) != expected[2 * static_cast<std::size_t>(checked) + 1];
  }
  writer.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_TRUE(buffer.finished());
}

// A 4 s track at 8 kHz whose clip (gain 0.5, from 1 s, 100 ms fade-out) names a file that does not exist.
std::string track_with_missing_clip() {
  return R"json({"global": {"sample_rate": 8000},
    "progression": [{"duration": 4.0, "voices": [{"synth_function_name": "binaural_beat",
        "params": {"baseFreq": 200, "beatFreq": 4, "ampL": 0.5, "ampR": 0.5}}]}],
    "overlay_clips": [{"file_path": "not-there.wav", "start": 1.0, "amp": 0.5, "fade_out": 0.1}]})json";
}

std::unique_ptr<TrackSource> streaming_source() {
  TrackPlanOptions options;
  options.stream_unreadable_clips = true;
  return source_from_json(track_with_missing_clip(), options);
}

TEST(StreamedClip, WithoutStreamingAMissingClipFileIsAnErrorNamingIt) {
  auto loaded = load_track_json(track_with_missing_clip(), ".");
  ASSERT_TRUE(loaded.has_value());
  auto source = make_track_source(loaded->spec);
  ASSERT_FALSE(source.has_value());
  EXPECT_NE(source.error().describe().find("not-there.wav"), std::string::npos) << source.error().describe();
}

TEST(StreamedClip, PushedSamplesPlayAtTheClipStartWithItsGainAfterTheNormalisation) {
  auto plain = streaming_source();
  auto streamed = streaming_source();
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(streamed, nullptr);
  const std::int64_t length = plain->length_frames();
  ASSERT_EQ(length, 4 * 8000);  // a streamed clip does not extend the track

  // 1 s of a 440 Hz sine at 0.8 (left) and its negative (right), pushed in uneven chunks, then finished.
  constexpr std::int64_t kClipFrames = 8000;
  std::vector<float> clip;
  for (std::int64_t i = 0; i < kClipFrames; ++i) {
    const auto value = static_cast<float>(0.8 * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(i) / 8000.0));
    clip.push_back(value);
    clip.push_back(-value);
  }
  std::size_t pushed = 0;
  for (const std::size_t frames : {1000u, 2048u, 3u, 4949u}) {
    const bool last = pushed + 2 * frames == clip.size();
    auto result = streamed->push_clip_samples(0, std::span<const float>(clip).subspan(pushed, 2 * frames), last);
    ASSERT_TRUE(result.has_value()) << result.error().describe();
    pushed += 2 * frames;
  }
  ASSERT_EQ(pushed, clip.size());

  const AudioBuffer without = render_frames(*plain, length, 512);
  const AudioBuffer with = render_frames(*streamed, length, 512);
  constexpr std::int64_t kStart = 8000;      // 1.0 s
  constexpr std::int64_t kFadeFrames = 800;  // 0.1 s
  double worst = 0.0;
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::int64_t t = 0; t < length; ++t) {
      const double added = double(with.channel(c)[static_cast<std::size_t>(t)]) - without.channel(c)[static_cast<std::size_t>(t)];
      double expected = 0.0;
      const std::int64_t j = t - kStart;
      if (j >= 0 && j < kClipFrames) {
        double gain = 0.5;
        if (kClipFrames - j <= kFadeFrames) gain *= double(kClipFrames - 1 - j) / double(kFadeFrames - 1);
        expected = clip[2 * static_cast<std::size_t>(j) + c] * gain;
      }
      worst = std::max(worst, std::fabs(added - expected));
    }
  }
  EXPECT_LT(worst, 1e-6);
  // Not normalised with the track: the voice peaks at the 0.25 target, the clip adds up to 0.4 on top.
  EXPECT_NEAR(testing::peak_of(without), 0.25, 1e-3);
  EXPECT_GT(testing::peak_of(with), 0.5);

  // Random access still holds: a seek into the clip replays exactly the same frames.
  streamed->seek(kStart + 1234);
  const AudioBuffer part = render_frames(*streamed, 3000, 333);
  EXPECT_LE(testing::max_difference(with, kStart + 1234, part, 3000), 1e-7);
}

TEST(StreamedClip, FramesNotPushedYetAreSilentAndTheyPlayOnceTheyArrive) {
  auto source = streaming_source();
  auto reference = streaming_source();
  ASSERT_NE(source, nullptr);
  source->prepare(source->sample_rate_hz(), 512);
  // Half a second pushed, not finished: the clip plays it (no fade-out yet), then nothing.
  const std::vector<float> half = pattern(0, 4000);
  ASSERT_TRUE(source->push_clip_samples(0, half, false).has_value());
  source->seek(8000);
  const AudioBuffer early = render_frames(*source, 8000, 512);
  reference->seek(8000);
  const AudioBuffer voice_only = render_frames(*reference, 8000, 512);
  for (std::size_t i : {0u, 1999u, 3999u, 4000u, 7999u}) {
    const double added = double(early.channel(0)[i]) - voice_only.channel(0)[i];
    const double expected = i < 4000 ? 0.5 * half[2 * i] : 0.0;
    EXPECT_NEAR(added, expected, 1e-6) << i;
  }
}

TEST(StreamedClip, PlanningOnSeveralThreadsAcceptsAnUnreadableClipToo) {
  // 20 s at 8 kHz: long enough for the peak passes to split over two threads, each with its own mixer.
  std::string json = track_with_missing_clip();
  json.replace(json.find("\"duration\": 4.0"), 15, "\"duration\": 20.0");
  TrackPlanOptions options;
  options.stream_unreadable_clips = true;
  options.threads = 2;
  auto source = source_from_json(json, options);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->length_frames(), 20 * 8000);
  const std::vector<float> two = {0.5f, 0.5f};
  EXPECT_TRUE(source->push_clip_samples(0, two, true).has_value());
}

TEST(StreamedClip, PushErrorsNameTheClip) {
  auto source = streaming_source();
  ASSERT_NE(source, nullptr);
  const std::vector<float> two = {0.0f, 0.0f};
  auto no_such = source->push_clip_samples(3, two, false);
  ASSERT_FALSE(no_such.has_value());
  EXPECT_NE(no_such.error().describe().find("no clip 3"), std::string::npos) << no_such.error().describe();
  const std::vector<float> odd = {0.0f};
  auto bad = source->push_clip_samples(0, odd, false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().describe().find("overlay_clips[0]"), std::string::npos) << bad.error().describe();
}

}  // namespace
}  // namespace resound::track
