#include "report/terminal_progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace tenantshift {
namespace {

using std::chrono::seconds;

bool HasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

TEST(ProgressBarTest, Shapes) {
  EXPECT_EQ(ProgressBar(0.5, 12), "[#####-----]");
  EXPECT_EQ(ProgressBar(0.0, 6), "[----]");
  EXPECT_EQ(ProgressBar(2.0, 6), "[####]");
  EXPECT_EQ(ProgressBar(std::nullopt, 6), "[....]");
}

TEST(TerminalRenderTest, HeaderLine) {
  OverallSnapshot o;
  o.total_tables = 3;
  o.tables_finished = 1;
  o.tables_failed = 1;
  o.bytes = 1 << 20;
  o.bytes_estimate = 4 << 20;
  o.seconds = 10;
  EXPECT_EQ(HeaderLine(o, 200),
            "tables 1/3 (1 failed)  1.0 MiB / ~4.0 MiB  25%  102.4 KiB/s  elapsed 10s  ETA 30s");
  EXPECT_EQ(DisplayWidth(HeaderLine(o, 30)), 29);
}

TEST(TerminalRenderTest, TableLineFitsWidthAndNeutralizesNames) {
  const TableSnapshot t{"s.\"evil\x1b[2J\" 日本語", 1000, 1 << 20, 500, 1 << 19, 5};
  const int name_width = DisplayWidth(SanitizeLine(t.table));
  for (int width : {200, 100, 60, 20, 5}) {
    const std::string line = TableLine(t, name_width, width);
    EXPECT_LE(DisplayWidth(line), width - 1) << line;
    EXPECT_FALSE(HasControl(line)) << line;
  }
  const std::string wide = TableLine(t, name_width, 200);
  EXPECT_EQ(wide,
            "  s.\"evil?[2J\" 日本語 [#####-----]   50%     500 rows   512.0 KiB      100 rows/s"
            "   102.4 KiB/s  ETA  5.0s");
}

TEST(TerminalRenderTest, NarrowTerminalDropsStatisticsBeforeCuttingNames) {
  const TableSnapshot t{"public.customer_addresses", 1000, 1 << 20, 500, 1 << 19, 5};
  const std::string line = TableLine(t, 25, 80);
  EXPECT_NE(line.find("public.customer_addresses"), std::string::npos) << line;
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA  5.0s"), std::string::npos) << line;
  EXPECT_EQ(line.find("rows/s"), std::string::npos) << line;  // dropped first
  EXPECT_LE(DisplayWidth(line), 79);
}

TEST(TerminalRenderTest, TableLinesAlign) {
  const std::vector<TableSnapshot> tables{{"s.a", 0, 100, 1, 10, 1},
                                          {"s.much_longer_name", 5, 0, 123456, 1 << 30, 60}};
  const std::vector<std::string> lines = LiveLines(OverallSnapshot{}, tables, {100, 40});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].find('['), lines[2].find('['));
  EXPECT_EQ(lines[1].find("ETA"), lines[2].find("ETA"));
}

TEST(TerminalRenderTest, LiveLinesCappedByHeight) {
  std::vector<TableSnapshot> tables(10);
  for (size_t i = 0; i < tables.size(); ++i) tables[i].table = StrCat({"t", std::to_string(i)});
  const std::vector<std::string> lines = LiveLines(OverallSnapshot{}, tables, {80, 6});
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[1].find("t0"), std::string::npos);
  EXPECT_NE(lines[2].find("t1"), std::string::npos);
  EXPECT_EQ(lines[3], "  ... and 8 more");
  EXPECT_EQ(LiveLines(OverallSnapshot{}, {tables[0]}, {80, 6}).size(), 2u);
}

class TerminalProgressTest : public ::testing::Test {
 protected:
  // Returns what was written since the last call.
  std::string TakeOutput() {
    std::string s = out_.str();
    out_.str("");
    return s;
  }

  FakeClock clock_;
  std::ostringstream out_;
  TerminalProgress progress_{out_, clock_, {.width = 80, .height = 40, .redraw_interval = {}}};
};

TEST_F(TerminalProgressTest, RepaintsLiveRegionAndScrollsFinishedTables) {
  progress_.Begin(2, 2000);
  progress_.TableStarted("s.a", 10, 1000);
  progress_.TableStarted("s.b", 10, 1000);
  clock_.Advance(seconds(1));
  progress_.TableProgress("s.a", 5, 500);
  progress_.Repaint();
  const std::string first = TakeOutput();
  EXPECT_EQ(first.rfind("\x1b[J", 0), 0u);  // nothing on screen yet: no cursor movement
  EXPECT_NE(first.find("tables 0/2"), std::string::npos);
  EXPECT_NE(first.find("  s.a "), std::string::npos);
  EXPECT_NE(first.find("  s.b "), std::string::npos);

  progress_.TableFinished("s.a", 10, 1000, Status::Ok());
  progress_.Repaint();
  const std::string second = TakeOutput();
  EXPECT_EQ(second.rfind("\r\x1b[3A\x1b[J", 0), 0u);  // back over header + 2 tables
  const size_t done = second.find("done s.a: 10 rows");
  const size_t header = second.find("tables 1/2");
  ASSERT_NE(done, std::string::npos);
  ASSERT_NE(header, std::string::npos);
  EXPECT_LT(done, header);  // permanent line above the live region
  EXPECT_EQ(second.find("  s.a "), std::string::npos);

  progress_.End();
  const std::string last = TakeOutput();
  EXPECT_EQ(last.rfind("\r\x1b[2A\x1b[J", 0), 0u);  // live region erased
  EXPECT_NE(last.find("finished: 1/2 tables"), std::string::npos);
  EXPECT_EQ(last.find("tables 1/2"), std::string::npos);
}

TEST_F(TerminalProgressTest, IdleRepaintWritesNothing) {
  progress_.Repaint();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(TerminalProgressTest, MessagesAfterEndPrintImmediately) {
  progress_.End();
  TakeOutput();
  progress_.Message("bye\x1b");
  EXPECT_EQ(TakeOutput(), "\x1b[Jbye?\n");
}

TEST(TerminalProgressThreadTest, EndWakesTheRedrawThread) {
  // With an hour-long interval, End() returns only if it interrupts the thread's wait.
  std::ostringstream out;
  FakeClock clock;
  TerminalProgress progress(out, clock, {.width = 80, .redraw_interval = std::chrono::hours(1)});
  progress.Begin(1, 0);
  progress.TableStarted("s.a", 0, 0);
  progress.End();
  EXPECT_NE(out.str().find("finished: 0/1 tables"), std::string::npos);
}

TEST(TerminalProgressThreadTest, DestructorEnds) {
  std::ostringstream out;
  {
    TerminalProgress progress(out, SystemClock(), {.width = 80});
    progress.Begin(0, 0);
  }
  EXPECT_NE(out.str().find("finished: 0/0 tables"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
