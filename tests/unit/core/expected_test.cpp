// Expected/Error: values, errors, context and the one-line description.
#include <gtest/gtest.h>

#include <memory>

#include "resound/core/expected.hpp"

namespace resound {
namespace {

Expected<int> parse_positive(int value) {
  if (value <= 0) return Error{ErrorCode::kInvalidArgument, "must be positive", {.field = "count"}};
  return value;
}

Expected<int> doubled(int value) {
  auto parsed = parse_positive(value);
  if (!parsed) return parsed.error().in_field("options");
  return *parsed * 2;
}

TEST(Expected, HoldsValueOrError) {
  auto good = doubled(21);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 42);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().context().field, "options.count");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(Expected, MoveOnlyValues) {
  Expected<std::unique_ptr<int>> holder = std::make_unique<int>(5);
  ASSERT_TRUE(holder);
  std::unique_ptr<int> taken = std::move(holder).value();
  EXPECT_EQ(*taken, 5);
}

TEST(Expected, VoidSuccessAndFailure) {
  Expected<void> fine = ok();
  EXPECT_TRUE(fine);
  Expected<void> failed = Error{ErrorCode::kIo, "disk full"};
  EXPECT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "disk full");
}

TEST(Error, DescribeNamesFileOffsetAndField) {
  Error error = Error{ErrorCode::kCorruptData, "truncated event", {.field = "track 2"}}.in_file("song.mid").at_offset(1234);
  EXPECT_EQ(error.describe(), "song.mid: byte 1234: track 2: truncated event");
  EXPECT_STREQ(error_code_name(error.code()), "corrupt_data");
  // Index fields join without a dot: progression[2].voices[0]
  Error nested = Error{ErrorCode::kInvalidArgument, "bad", {.field = "[0].baseFreq"}}.in_field("voices");
  EXPECT_EQ(nested.context().field, "voices[0].baseFreq");
}

}  // namespace
}  // namespace resound
