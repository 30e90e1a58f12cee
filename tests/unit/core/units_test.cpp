// Unit conversions against known values.
#include <gtest/gtest.h>

#include "resound/core/units.hpp"

namespace resound {
namespace {

TEST(Units, Decibels) {
  EXPECT_NEAR(db_to_gain(-6.0206), 0.5, 1e-4);
  EXPECT_NEAR(gain_to_db(0.1), -20.0, 1e-12);
  EXPECT_EQ(gain_to_db(0.0), kSilenceFloorDb);
  EXPECT_EQ(gain_to_db(-1.0, -60.0), -60.0);
  EXPECT_NEAR(power_to_db(0.5), -3.0103, 1e-4);
}

TEST(Units, FramesAndSeconds) {
  EXPECT_EQ(seconds_to_frames(1.5, 48000.0), 72000);
  EXPECT_EQ(seconds_to_frames(-2.0, 48000.0), 0);
  EXPECT_DOUBLE_EQ(frames_to_seconds(22050, 44100.0), 0.5);
}

TEST(Units, NotesAndCents) {
  EXPECT_DOUBLE_EQ(midi_note_to_hz(69.0), 440.0);
  EXPECT_NEAR(midi_note_to_hz(60.0), 261.6256, 1e-4);
  EXPECT_NEAR(hz_to_midi_note(27.5), 21.0, 1e-12);
  EXPECT_NEAR(cents_between(440.0, 880.0), 1200.0, 1e-9);
  EXPECT_NEAR(cents_to_ratio(100.0), 1.0594630943592953, 1e-12);
}

}  // namespace
}  // namespace resound
