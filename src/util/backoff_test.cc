#include "util/backoff.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesFromTheBaseAndStopsAtTheCap) {
  BackoffPolicy p{milliseconds(500), milliseconds(3000)};
  // Without jitter (random01 = 1): 500, 1000, 2000, then capped at 3000.
  EXPECT_EQ(BackoffDelay(p, 1, 1.0), milliseconds(500));
  EXPECT_EQ(BackoffDelay(p, 2, 1.0), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(p, 3, 1.0), milliseconds(2000));
  EXPECT_EQ(BackoffDelay(p, 4, 1.0), milliseconds(3000));
  EXPECT_EQ(BackoffDelay(p, 60, 1.0), milliseconds(3000));  // no overflow after many tries
}

TEST(BackoffTest, EqualJitterKeepsAtLeastHalfTheDelay) {
  BackoffPolicy p{milliseconds(400), milliseconds(10000)};
  EXPECT_EQ(BackoffDelay(p, 2, 0.0), milliseconds(400));  // d = 800: [400, 800]
  EXPECT_EQ(BackoffDelay(p, 2, 0.5), milliseconds(600));
  EXPECT_EQ(BackoffDelay(p, 2, 7.0), milliseconds(800));  // out-of-range randoms are clamped
  EXPECT_EQ(BackoffDelay(p, 2, -1.0), milliseconds(400));
}

}  // namespace
}  // namespace tenantshift
