#include "exec/run_report.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

Plan TwoTablePlan() {
  Plan plan;
  for (const char* name : {"a", "b"}) {
    Step copy;
    copy.kind = StepKind::kCopyData;
    copy.phase = "data";
    copy.description = std::string("copy acme.") + name;
    copy.table = {"acme", name};
    plan.Add(std::move(copy));
  }
  Step index;
  index.phase = "indexes";
  index.description = "create index i";
  index.deps = {0};
  plan.Add(std::move(index));
  return plan;
}

StepResult Ran(int worker, double start, double end, int attempts = 1) {
  StepResult r;
  r.worker = worker;
  r.started_at = start;
  r.finished_at = end;
  r.attempts = attempts;
  r.seconds = end - start;
  r.rows = 7;
  return r;
}

TEST(Timeline, ListsStepsThatRanNowOrEarlierByStartTime) {
  Plan plan = TwoTablePlan();
  plan.Skip(0, kDoneEarlier);
  std::vector<StepResult> results(3);
  results[1] = Ran(1, 200, 205, 2);
  results[1].retried_at = {202};
  results[2] = Ran(0, 190, 191);
  StepRecord earlier;
  earlier.started_at = 100;
  earlier.finished_at = 110;
  earlier.attempts = 1;
  RunResults run = MergeWithLedger(plan, results, {{plan.step(0).key, earlier}});
  run.states[1] = StepState::kFailed;
  run.states[2] = StepState::kSucceeded;
  std::vector<TimelineEntry> t = Timeline(plan, run);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].step, "copy acme.a");
  EXPECT_TRUE(t[0].earlier_run);
  EXPECT_EQ(t[0].worker, -1);
  EXPECT_EQ(t[0].kind, "copy");
  EXPECT_EQ(t[0].table, "a");
  EXPECT_EQ(t[1].step, "create index i");
  EXPECT_EQ(t[1].kind, "sql");
  EXPECT_EQ(t[1].table, "");
  EXPECT_EQ(t[2].state, "failed");
  EXPECT_EQ(t[2].worker, 1);
  EXPECT_EQ(t[2].attempts, 2);
  EXPECT_EQ(t[2].retried_at, std::vector<double>{202});
  EXPECT_FALSE(t[2].earlier_run);
}

TEST(Timeline, LeavesOutStepsThatDidNotRun) {
  Plan plan = TwoTablePlan();
  std::vector<StepResult> results(3);
  results[0] = Ran(0, 10, 11);
  RunResults run = MergeWithLedger(plan, results, {});
  run.states = {StepState::kSucceeded, StepState::kWaiting, StepState::kBlocked};
  EXPECT_EQ(Timeline(plan, run).size(), 1u);
}

TEST(TableReports, CountTheAttemptsOfEachCopy) {
  Plan plan = TwoTablePlan();
  std::vector<StepResult> results(3);
  results[0] = Ran(0, 10, 11, 3);
  RunResults run = MergeWithLedger(plan, results, {});
  run.states = {StepState::kSucceeded, StepState::kSucceeded, StepState::kSucceeded};
  std::vector<TableReport> tables = TableReports(plan, run);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].attempts, 3);
}

TEST(StepLogEvent, NamesTheTableAndCarriesFiguresAndTheSqlstate) {
  Plan plan = TwoTablePlan();
  LogEvent started = StepLogEvent(plan.step(0), nullptr, StepState::kRunning);
  EXPECT_EQ(started.event, "step_started");
  EXPECT_EQ(started.schema, "acme");
  EXPECT_EQ(started.table, "a");
  EXPECT_EQ(started.step, "copy acme.a");
  EXPECT_EQ(started.phase, "data");

  StepResult r = Ran(2, 10, 12);
  r.status = Status::Server("duplicate key value").set_sqlstate("23505");
  LogEvent failed = StepLogEvent(plan.step(0), &r, StepState::kFailed);
  EXPECT_EQ(failed.event, "step_failed");
  EXPECT_EQ(failed.level, "error");
  EXPECT_EQ(failed.sqlstate, "23505");
  EXPECT_EQ(failed.error, "duplicate key value");
  EXPECT_EQ(failed.figures["rows"], 7);
  EXPECT_EQ(failed.figures["worker"], 2);
  EXPECT_EQ(failed.figures["attempts"], 1);

  LogEvent sql = StepLogEvent(plan.step(2), &r, StepState::kSucceeded);
  EXPECT_EQ(sql.event, "step_finished");
  EXPECT_EQ(sql.table, "");
  EXPECT_FALSE(sql.figures.contains("rows"));
}

}  // namespace
}  // namespace tenantshift
