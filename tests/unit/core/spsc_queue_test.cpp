// SpscQueue: bounded, ordered, lossless between two threads.
#include <gtest/gtest.h>

#include <thread>

#include "resound/core/spsc_queue.hpp"

namespace resound {
namespace {

TEST(SpscQueue, RefusesWhenFullInsteadOfAllocating) {
  SpscQueue<int> queue(4);
  const std::size_t capacity = queue.capacity();
  ASSERT_GE(capacity, 4u);
  for (std::size_t i = 0; i < capacity; ++i) EXPECT_TRUE(queue.try_push(static_cast<int>(i)));
  EXPECT_FALSE(queue.try_push(99));
  int value = -1;
  EXPECT_TRUE(queue.try_pop(value));
  EXPECT_EQ(value, 0);
  EXPECT_TRUE(queue.try_push(99));
}

TEST(SpscQueue, DeliversEveryItemInOrderAcrossThreads) {
  SpscQueue<int> queue(64);
  constexpr int kCount = 200000;
  std::thread producer([&] {
    for (int i = 0; i < kCount;) {
      if (queue.try_push(i)) ++i;
    }
  });
  int expected = 0;
  while (expected < kCount) {
    int value;
    if (queue.try_pop(value)) {
      ASSERT_EQ(value, expected);
      ++expected;
    }
  }
  producer.join();
  EXPECT_FALSE(queue.try_pop().has_value());
}

}  // namespace
}  // namespace resound
