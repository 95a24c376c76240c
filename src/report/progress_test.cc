#include "report/progress.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report/log_progress.h"
#include "report/terminal_progress.h"

namespace tenantshift {
namespace {

using std::chrono::seconds;

TEST(RateMathTest, RatePerSecond) {
  EXPECT_DOUBLE_EQ(RatePerSecond(100, 4), 25);
  EXPECT_DOUBLE_EQ(RatePerSecond(100, 0), 0);
  EXPECT_DOUBLE_EQ(RatePerSecond(100, -1), 0);
}

TEST(RateMathTest, Fraction) {
  EXPECT_FALSE(Fraction(5, 0).has_value());
  EXPECT_FALSE(Fraction(5, -1).has_value());
  EXPECT_DOUBLE_EQ(*Fraction(25, 100), 0.25);
  EXPECT_DOUBLE_EQ(*Fraction(150, 100), 1.5);
}

TEST(RateMathTest, EtaSeconds) {
  EXPECT_DOUBLE_EQ(*EtaSeconds(10, 0.25), 30);  // a quarter in 10 s: 30 s to go
  EXPECT_DOUBLE_EQ(*EtaSeconds(10, 1.0), 0);
  EXPECT_FALSE(EtaSeconds(10, std::nullopt).has_value());
  EXPECT_FALSE(EtaSeconds(10, 0.0).has_value());  // no progress yet
  EXPECT_FALSE(EtaSeconds(10, 1.5).has_value());  // estimate exceeded: unknown
}

TEST(RateMathTest, TableSnapshotUsesBytesThenRows) {
  TableSnapshot t{"t", 100, 1000, 10, 500, 4};
  EXPECT_DOUBLE_EQ(*t.Done(), 0.5);
  EXPECT_DOUBLE_EQ(*t.Eta(), 4);
  EXPECT_DOUBLE_EQ(t.RowsPerSecond(), 2.5);
  EXPECT_DOUBLE_EQ(t.BytesPerSecond(), 125);
  t.est_bytes = 0;
  EXPECT_DOUBLE_EQ(*t.Done(), 0.1);
  t.est_rows = 0;
  EXPECT_FALSE(t.Done().has_value());
  EXPECT_FALSE(t.Eta().has_value());
}

class ProgressTrackerTest : public ::testing::Test {
 protected:
  TimePoint At(int s) { return t0_ + seconds(s); }
  TimePoint t0_ = TimePoint(seconds(1000));
  ProgressTracker tracker_;
};

TEST_F(ProgressTrackerTest, RatesAndEta) {
  tracker_.Begin(3, 3000, At(0));
  tracker_.Start("a", 100, 1000, At(0));
  ASSERT_TRUE(tracker_.Update("a", 50, 500));

  const OverallSnapshot o = tracker_.Overall(At(2));
  EXPECT_EQ(o.bytes, 500);
  EXPECT_EQ(o.rows, 50);
  EXPECT_EQ(o.tables_in_flight, 1);
  EXPECT_DOUBLE_EQ(o.BytesPerSecond(), 250);
  EXPECT_NEAR(*o.Eta(), 10, 1e-9);  // 2500 bytes left at 250 B/s

  const std::vector<TableSnapshot> in_flight = tracker_.InFlight(At(2));
  ASSERT_EQ(in_flight.size(), 1u);
  EXPECT_EQ(in_flight[0].table, "a");
  EXPECT_DOUBLE_EQ(in_flight[0].seconds, 2);
  EXPECT_DOUBLE_EQ(*in_flight[0].Eta(), 2);
  EXPECT_DOUBLE_EQ(in_flight[0].RowsPerSecond(), 25);
}

TEST_F(ProgressTrackerTest, FinishMovesCountsFromInFlight) {
  tracker_.Begin(2, 0, At(0));
  tracker_.Start("a", 0, 0, At(1));
  tracker_.Update("a", 7, 70);
  const TableSnapshot a = tracker_.Finish("a", 10, 100, true, At(5));
  EXPECT_EQ(a.rows, 10);
  EXPECT_DOUBLE_EQ(a.seconds, 4);
  tracker_.Start("b", 0, 0, At(5));
  tracker_.Update("b", 3, 30);
  tracker_.Finish("b", 3, 30, false, At(6));

  const OverallSnapshot o = tracker_.Overall(At(6));
  EXPECT_EQ(o.tables_finished, 2);
  EXPECT_EQ(o.tables_failed, 1);
  EXPECT_EQ(o.tables_in_flight, 0);
  EXPECT_EQ(o.rows, 13);
  EXPECT_EQ(o.bytes, 130);
  EXPECT_FALSE(o.Eta().has_value());  // no estimate
}

TEST_F(ProgressTrackerTest, UnknownAndRestartedTables) {
  EXPECT_FALSE(tracker_.Update("nope", 1, 1));
  tracker_.Start("a", 0, 0, At(0));
  tracker_.Update("a", 5, 50);
  tracker_.Start("a", 0, 0, At(1));  // a retry restarts the table
  EXPECT_EQ(tracker_.Overall(At(1)).bytes, 0);
  const TableSnapshot ghost = tracker_.Finish("ghost", 1, 10, true, At(2));
  EXPECT_DOUBLE_EQ(ghost.seconds, 0);
  EXPECT_EQ(tracker_.Overall(At(2)).tables_finished, 1);
}

TEST_F(ProgressTrackerTest, InFlightInStartOrder) {
  for (const char* name : {"c", "a", "b", "d"}) tracker_.Start(name, 0, 0, At(0));
  tracker_.Finish("b", 0, 0, true, At(1));
  std::vector<std::string> names;
  for (const TableSnapshot& t : tracker_.InFlight(At(1))) names.push_back(t.table);
  EXPECT_EQ(names, (std::vector<std::string>{"c", "a", "d"}));
}

TEST(ProgressLinesTest, StartedLine) {
  EXPECT_EQ(StartedLine("public.orders", 1200000, 150 << 20),
            "started public.orders (~1.2M rows, ~150.0 MiB)");
  EXPECT_EQ(StartedLine("s.t", -1, 0), "started s.t (size unknown)");
  EXPECT_EQ(StartedLine("s.t", 5, 0), "started s.t (~5 rows)");
}

TEST(ProgressLinesTest, FinishedLine) {
  const TableSnapshot t{"public.orders", 0, 0, 1000, 1572864, 2.0};
  EXPECT_EQ(FinishedLine(t, Status::Ok()),
            "done public.orders: 1,000 rows, 1.5 MiB in 2.0s (500 rows/s, 768.0 KiB/s)");
  Status error = Status::Server("duplicate key\nDETAIL: x");
  error.set_sqlstate("23505");
  EXPECT_EQ(FinishedLine(t, error),
            "FAILED public.orders after 2.0s (1,000 rows, 1.5 MiB): duplicate key DETAIL: x "
            "(SQLSTATE 23505)");
}

TEST(ProgressLinesTest, OverallAndFinalLines) {
  OverallSnapshot o;
  o.total_tables = 10;
  o.tables_finished = 3;
  o.tables_failed = 1;
  o.tables_in_flight = 2;
  o.rows = 1234;
  o.bytes = 15 << 20;
  o.bytes_estimate = 100 << 20;
  o.seconds = 2;
  EXPECT_EQ(OverallLine(o),
            "progress: 3/10 tables (1 failed), 2 in flight, 15.0 MiB of ~100.0 MiB (15%), "
            "7.5 MiB/s, ETA 11s");
  EXPECT_EQ(FinalLine(o),
            "finished: 3/10 tables (1 failed), 15.0 MiB, 1,234 rows in 2.0s "
            "(7.5 MiB/s)");
  o.bytes_estimate = 0;
  o.tables_failed = 0;
  EXPECT_EQ(OverallLine(o), "progress: 3/10 tables, 2 in flight, 15.0 MiB, 7.5 MiB/s, ETA ?");
}

TEST(MakeProgressTest, ChoosesByTty) {
  std::ostringstream out;
  EXPECT_NE(dynamic_cast<LogProgress*>(MakeProgress(false, out).get()), nullptr);
  EXPECT_NE(dynamic_cast<TerminalProgress*>(MakeProgress(true, out).get()), nullptr);
}

TEST(NopProgressTest, AcceptsEverything) {
  NopProgress p;
  p.Begin(1, 1);
  p.TableStarted("t", 1, 1);
  p.TableProgress("t", 1, 1);
  p.TableFinished("t", 1, 1, Status::Internal("x"));
  p.Message("m");
  p.End();
}

}  // namespace
}  // namespace tenantshift
