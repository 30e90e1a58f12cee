// ScopedDenormalGuard: denormals flush to zero inside the scope, and the mode is restored after.
#include <gtest/gtest.h>

#include <limits>

#include "resound/core/denormals.hpp"

namespace resound {
namespace {

float decay(float value, int steps) {
  volatile float current = value;
  for (int i = 0; i < steps; ++i) current = current * 0.5f;
  return current;
}

TEST(ScopedDenormalGuard, FlushesDenormalsOnlyInsideTheScope) {
  const float smallest_normal = std::numeric_limits<float>::min();
  EXPECT_GT(decay(smallest_normal, 3), 0.0f);  // a denormal outside the guard
  {
    ScopedDenormalGuard guard;
#if defined(__x86_64__) || defined(__aarch64__)
    EXPECT_TRUE(denormals_are_flushed());
    EXPECT_EQ(decay(smallest_normal, 3), 0.0f);
#endif
  }
  EXPECT_FALSE(denormals_are_flushed());
  EXPECT_GT(decay(smallest_normal, 3), 0.0f);
}

}  // namespace
}  // namespace resound
