#include "plan/topo_sort.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

TEST(TopoSortTest, DependenciesFirstThenInputOrder) {
  // 0 needs 3, 1 needs nothing, 2 needs 0 and 1, 3 needs nothing.
  TopoOrder t = TopoSort({{3}, {}, {0, 1}, {}});
  EXPECT_EQ(t.order, (std::vector<int>{1, 3, 0, 2}));
  EXPECT_TRUE(t.cycle.empty());
}

TEST(TopoSortTest, DuplicateEdgesAreHarmless) {
  TopoOrder t = TopoSort({{1, 1}, {}});
  EXPECT_EQ(t.order, (std::vector<int>{1, 0}));
}

TEST(TopoSortTest, ReportsACycleAndOrdersTheRest) {
  // 0 is free; 1 -> 2 -> 3 -> 1 is a cycle; 4 needs the cycle.
  TopoOrder t = TopoSort({{}, {2}, {3}, {1}, {2}});
  EXPECT_EQ(t.order, (std::vector<int>{0}));
  EXPECT_EQ(t.cycle, (std::vector<int>{1, 2, 3}));
}

TEST(TopoSortTest, CycleReachedThroughADependentIsReportedWithoutIt) {
  // 0 needs 1, 1 and 2 need each other.
  TopoOrder t = TopoSort({{1}, {2}, {1}});
  EXPECT_TRUE(t.order.empty());
  EXPECT_EQ(t.cycle, (std::vector<int>{1, 2}));
}

TEST(TopoSortTest, SelfDependencyIsACycle) {
  TopoOrder t = TopoSort({{0}});
  EXPECT_TRUE(t.order.empty());
  EXPECT_EQ(t.cycle, (std::vector<int>{0}));
}

}  // namespace
}  // namespace tenantshift
