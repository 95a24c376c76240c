#include "util/interrupt.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(InterruptTest, CallbacksRunOnceOnRequest) {
  Interrupt interrupt;
  int calls = 0;
  interrupt.OnRequest([&] { ++calls; });
  EXPECT_FALSE(interrupt.requested());
  interrupt.Request();
  interrupt.Request();
  EXPECT_TRUE(interrupt.requested());
  EXPECT_EQ(calls, 1);
}

TEST(InterruptTest, LateRegistrationRunsAtOnceAndRemovedCallbacksDoNot) {
  Interrupt interrupt;
  int removed_calls = 0;
  int handle = interrupt.OnRequest([&] { ++removed_calls; });
  interrupt.Remove(handle);
  interrupt.Request();
  EXPECT_EQ(removed_calls, 0);
  int late = 0;
  interrupt.OnRequest([&] { ++late; });
  EXPECT_EQ(late, 1);
}

}  // namespace
}  // namespace tenantshift
