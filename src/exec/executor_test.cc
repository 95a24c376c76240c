#include "exec/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace tenantshift {
namespace {

// Records the order steps ran in; fails the steps named in `fail` (retryably or not).
class FakeRunner : public StepRunner {
 public:
  std::map<int, Status> fail_first;  // step -> status returned on its first try only
  std::map<int, Status> fail_always;
  std::vector<int> ran;
  int resets = 0;

  StepResult Run(const Step& step, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    ran.push_back(step.id);
    StepResult r;
    if (fail_always.count(step.id)) r.status = fail_always[step.id];
    if (fail_first.count(step.id) && !tried_.count(step.id)) r.status = fail_first[step.id];
    tried_.insert(step.id);
    return r;
  }
  void ResetWorker(int) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++resets;
  }

 private:
  std::mutex mu_;
  std::set<int> tried_;
};

Plan Chain(int n) {
  Plan plan;
  for (int i = 0; i < n; ++i) {
    Step s;
    if (i > 0) s.deps = {i - 1};
    plan.Add(std::move(s));
  }
  return plan;
}

// A clock whose sleeps return at once, shared by the tests that do not look at it.
FakeClock& TestClock() {
  static FakeClock clock;
  return clock;
}

ExecOptions NoWait(int jobs) {
  ExecOptions o;
  o.jobs = jobs;
  o.clock = &TestClock();
  return o;
}

TEST(ExecutorTest, RunsEveryStepInDependencyOrder) {
  Plan plan = Chain(5);
  FakeRunner runner;
  ExecutePlan(plan, runner, NoWait(3));
  EXPECT_EQ(runner.ran, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(plan.CountIn(StepState::kSucceeded), 5u);
}

TEST(ExecutorTest, RetriesRetryableFailuresOnFreshConnections) {
  Plan plan = Chain(2);
  FakeRunner runner;
  runner.fail_first[0] = Status::Connection("server closed the connection");
  std::vector<StepResult> results = ExecutePlan(plan, runner, NoWait(2)).results;
  EXPECT_TRUE(results[0].status.ok());
  EXPECT_EQ(results[0].attempts, 2);
  EXPECT_EQ(runner.resets, 1);
  EXPECT_EQ(plan.step(1).state, StepState::kSucceeded);
}

TEST(ExecutorTest, PermanentFailuresAreNotRetriedAndBlockDependents) {
  Plan plan = Chain(3);
  FakeRunner runner;
  runner.fail_always[0] = Status::Server("syntax error").set_sqlstate("42601");
  std::vector<StepResult> results = ExecutePlan(plan, runner, NoWait(2)).results;
  EXPECT_EQ(results[0].attempts, 1);
  EXPECT_EQ(plan.step(1).state, StepState::kBlocked);
  EXPECT_EQ(plan.step(2).state, StepState::kBlocked);
  EXPECT_EQ(runner.ran, std::vector<int>{0});
}

TEST(ExecutorTest, GivesUpAfterMaxAttempts) {
  Plan plan = Chain(1);
  FakeRunner runner;
  runner.fail_always[0] = Status::Retryable("deadlock detected");
  ExecOptions o = NoWait(1);
  o.max_attempts = 3;
  std::vector<StepResult> results = ExecutePlan(plan, runner, o).results;
  EXPECT_EQ(results[0].attempts, 3);
  EXPECT_EQ(plan.step(0).state, StepState::kFailed);
  // The timeline's figures: one worker, the wall times, and the two attempts tried again.
  EXPECT_EQ(results[0].worker, 0);
  EXPECT_EQ(results[0].retried_at.size(), 2u);
  EXPECT_GT(results[0].started_at, 1.6e9);
  EXPECT_GT(results[0].finished_at, results[0].started_at);
}

TEST(ExecutorTest, RetriesWaitTheBackoffOnTheInjectedClock) {
  FakeRunner runner;
  runner.fail_first[0] = Status::Connection("dropped");
  Plan plan = Chain(1);
  FakeClock clock;
  ExecOptions o;
  o.jobs = 1;
  o.clock = &clock;
  o.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  ExecOutcome out = ExecutePlan(plan, runner, o);
  ASSERT_TRUE(out.results[0].status.ok());
  ASSERT_EQ(clock.sleeps().size(), 1u);
  // The first retry waits between half the base and the base (equal jitter).
  EXPECT_GE(clock.sleeps()[0], std::chrono::milliseconds(50));
  EXPECT_LE(clock.sleeps()[0], std::chrono::milliseconds(100));
  // The step's time is read from the same clock: only the backoff elapsed.
  EXPECT_DOUBLE_EQ(out.results[0].seconds,
                   std::chrono::duration<double>(clock.sleeps()[0]).count());
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

Plan IndependentCopies(int n) {
  Plan plan;
  for (int i = 0; i < n; ++i) {
    Step s;
    s.kind = StepKind::kCopyData;
    s.description = "copy " + std::to_string(i);
    s.priority = n - i;  // run in id order
    plan.Add(std::move(s));
  }
  return plan;
}

TEST(ExecutorTest, FailureBudgetStopsTheRunOnceExceeded) {
  Plan plan = IndependentCopies(10);
  FakeRunner runner;
  for (int i = 0; i < 3; ++i)
    runner.fail_always[i] = Status::Server("bad row").set_sqlstate("23505");
  ExecOptions o = NoWait(1);
  o.max_failed_tables = 2;
  ExecOutcome out = ExecutePlan(plan, runner, o);
  EXPECT_TRUE(out.budget_exceeded);
  EXPECT_EQ(out.failed_tables, 3);
  EXPECT_EQ(runner.ran.size(), 3u);  // nothing started after the third failure
}

TEST(ExecutorTest, WithinBudgetEveryStepRuns) {
  Plan plan = IndependentCopies(10);
  FakeRunner runner;
  runner.fail_always[0] = Status::Server("bad row").set_sqlstate("23505");
  ExecOptions o = NoWait(2);
  o.max_failed_tables = 2;
  ExecOutcome out = ExecutePlan(plan, runner, o);
  EXPECT_FALSE(out.budget_exceeded);
  EXPECT_EQ(runner.ran.size(), 10u);
}

TEST(ExecutorTest, CallbacksSeeEveryStartAndFinish) {
  Plan plan = Chain(3);
  FakeRunner runner;
  runner.fail_always[1] = Status::Server("boom");
  ExecOptions o = NoWait(2);
  std::vector<std::string> events;
  o.on_started = [&](const Step& s) { events.push_back("start " + std::to_string(s.id)); };
  o.on_finished = [&](const Step& s, const StepResult&, StepState st) {
    events.push_back((st == StepState::kSucceeded ? "ok " : "fail ") + std::to_string(s.id));
  };
  ExecutePlan(plan, runner, o);
  EXPECT_EQ(events, (std::vector<std::string>{"start 0", "ok 0", "start 1", "fail 1"}));
}

// Issue 14 (group commit): every step reaches on_finished_group exactly once, and a step
// starts only after the group holding each of its dependencies was recorded.
TEST(ExecutorTest, GroupCommitRecordsEveryStepBeforeItsDependentsStart) {
  Plan plan;
  for (int i = 0; i < 6; ++i) plan.Add(Step{});  // six independent steps
  Step last;
  last.deps = {0, 1, 2, 3, 4, 5};
  plan.Add(last);
  FakeRunner runner;
  ExecOptions o = NoWait(3);
  std::mutex mu;
  std::vector<int> recorded;
  bool early_start = false;
  o.on_started = [&](const Step& s) {
    std::lock_guard<std::mutex> lock(mu);
    if (s.id == 6 && recorded.size() != 6) early_start = true;
  };
  o.on_finished_group = [&](const std::vector<FinishedStep>& group) {
    std::lock_guard<std::mutex> lock(mu);
    for (const FinishedStep& f : group) recorded.push_back(f.step->id);
  };
  ExecOutcome out = ExecutePlan(plan, runner, o);
  EXPECT_FALSE(early_start);
  std::sort(recorded.begin(), recorded.end());
  EXPECT_EQ(recorded, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(out.results[6].status.ok());
}

TEST(FailureBudgetTest, PercentOrCount) {
  EXPECT_EQ(FailureBudget("20%", 10), 2);
  EXPECT_EQ(FailureBudget("20%", 4), 0);
  EXPECT_EQ(FailureBudget("3", 100), 3);
  EXPECT_EQ(FailureBudget("100%", 7), 7);
  EXPECT_FALSE(FailureBudget("abc", 10).has_value());
  EXPECT_FALSE(FailureBudget("150%", 10).has_value());
  EXPECT_FALSE(FailureBudget("-1", 10).has_value());
}

}  // namespace
}  // namespace tenantshift
