#include "plan/plan.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

Step MakeStep(std::vector<int> deps, int64_t priority = 0) {
  Step s;
  s.deps = std::move(deps);
  s.priority = priority;
  return s;
}

TEST(PlanTest, RunsDependenciesFirst) {
  Plan plan;
  int a = plan.Add(MakeStep({}));
  int b = plan.Add(MakeStep({a}));
  EXPECT_EQ(plan.FindWork(10), std::vector<int>{a});
  EXPECT_TRUE(plan.FindWork(10).empty());  // b waits for a
  plan.StepFinished(a, true);
  EXPECT_EQ(plan.FindWork(10), std::vector<int>{b});
  plan.StepFinished(b, true);
  EXPECT_TRUE(plan.Finished());
}

TEST(PlanTest, LargestFirstAmongReady) {
  Plan plan;
  int small = plan.Add(MakeStep({}, 10));
  int big = plan.Add(MakeStep({}, 1000));
  int mid = plan.Add(MakeStep({}, 100));
  EXPECT_EQ(plan.FindWork(2), (std::vector<int>{big, mid}));
  EXPECT_EQ(plan.FindWork(2), std::vector<int>{small});
}

TEST(PlanTest, FailureBlocksTransitiveDependentsOnly) {
  Plan plan;
  int a = plan.Add(MakeStep({}));
  int b = plan.Add(MakeStep({a}));
  int c = plan.Add(MakeStep({b}));
  int other = plan.Add(MakeStep({}));
  plan.FindWork(10);
  plan.StepFinished(a, false);
  EXPECT_EQ(plan.step(b).state, StepState::kBlocked);
  EXPECT_EQ(plan.step(c).state, StepState::kBlocked);
  EXPECT_EQ(plan.step(other).state, StepState::kRunning);
  EXPECT_FALSE(plan.Finished());
  plan.StepFinished(other, true);
  EXPECT_TRUE(plan.Finished());
}

TEST(PlanTest, SkippedStepsCountAsDone) {
  Plan plan;
  int a = plan.Add(MakeStep({}));
  int b = plan.Add(MakeStep({a}));
  plan.Skip(a, "already on target");
  EXPECT_EQ(plan.FindWork(10), std::vector<int>{b});
}

TEST(PlanTest, TopologicalOrderPutsDependenciesFirst) {
  Plan plan;
  int a = plan.Add(MakeStep({}));
  int b = plan.Add(MakeStep({}));
  int c = plan.Add(MakeStep({b, a}));
  int d = plan.Add(MakeStep({c}));
  EXPECT_EQ(plan.TopologicalOrder(), (std::vector<int>{a, b, c, d}));
}

}  // namespace
}  // namespace tenantshift
