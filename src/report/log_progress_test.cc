#include "report/log_progress.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

namespace tenantshift {
namespace {

using std::chrono::seconds;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int CountContaining(const std::string& text, const std::string& needle) {
  int n = 0;
  for (const std::string& line : Lines(text)) n += line.find(needle) != std::string::npos;
  return n;
}

class LogProgressTest : public ::testing::Test {
 protected:
  FakeClock clock_;  // starts at 2023-11-14T22:13:20Z
  std::ostringstream out_;
  LogProgress progress_{out_, clock_};
};

TEST_F(LogProgressTest, StartAndFinishLines) {
  progress_.Begin(2, 2048);
  progress_.TableStarted("s.a", 10, 1024);
  clock_.Advance(seconds(2));
  progress_.TableProgress("s.a", 5, 512);
  clock_.Advance(seconds(2));
  progress_.TableFinished("s.a", 10, 1024, Status::Ok());

  EXPECT_EQ(Lines(out_.str()),
            (std::vector<std::string>{
                "2023-11-14T22:13:20Z begin: 2 tables, ~2.0 KiB",
                "2023-11-14T22:13:20Z started s.a (~10 rows, ~1.0 KiB)",
                "2023-11-14T22:13:24Z done s.a: 10 rows, 1.0 KiB in 4.0s (2 rows/s, 256 B/s)",
            }));
}

TEST_F(LogProgressTest, FailureLine) {
  progress_.Begin(1, 0);
  progress_.TableStarted("s.b", 0, 0);
  clock_.Advance(std::chrono::milliseconds(1500));
  Status error = Status::Connection("server closed the connection");
  error.set_sqlstate("08006");
  progress_.TableFinished("s.b", 3, 300, error);
  EXPECT_EQ(Lines(out_.str()).back(),
            "2023-11-14T22:13:21Z FAILED s.b after 1.5s (3 rows, 300 B): server closed the "
            "connection (SQLSTATE 08006)");
}

TEST_F(LogProgressTest, NoOutputPerRow) {
  progress_.Begin(1, 0);
  progress_.TableStarted("s.a", 0, 0);
  const std::string before = out_.str();
  for (int i = 1; i <= 10000; ++i) progress_.TableProgress("s.a", i, i * 100);
  EXPECT_EQ(out_.str(), before);
}

TEST_F(LogProgressTest, OverallLineAtMostEveryFiveSeconds) {
  progress_.Begin(1, 10000);
  progress_.TableStarted("s.a", 0, 10000);
  for (int s = 1; s <= 12; ++s) {
    clock_.Advance(seconds(1));
    progress_.TableProgress("s.a", s, s * 100);
  }
  // Due at 5 s and 10 s after Begin.
  EXPECT_EQ(CountContaining(out_.str(), "progress:"), 2);
  EXPECT_EQ(Lines(out_.str()).back(),
            "2023-11-14T22:13:30Z progress: 0/1 tables, 1 in flight, 1000 B of ~9.8 KiB (10%), "
            "100 B/s, ETA 1m30s");
}

TEST_F(LogProgressTest, MessageIsOneLine) {
  progress_.Message("hello\nworld");
  EXPECT_EQ(out_.str(), "2023-11-14T22:13:20Z hello world\n");
}

TEST_F(LogProgressTest, EndWritesSummaryOnce) {
  progress_.Begin(1, 0);
  progress_.TableStarted("s.a", 0, 0);
  clock_.Advance(seconds(65));
  progress_.TableFinished("s.a", 1000, 2048, Status::Ok());
  progress_.End();
  progress_.End();
  EXPECT_EQ(CountContaining(out_.str(), "finished:"), 1);
  EXPECT_EQ(Lines(out_.str()).back(),
            "2023-11-14T22:14:25Z finished: 1/1 tables, 2.0 KiB, 1,000 rows in 1m05s (31 B/s)");
}

TEST_F(LogProgressTest, ConcurrentWorkersWriteWholeLines) {
  progress_.Begin(8, 0);
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([this, w] {
      const std::string table = StrCat({"s.t", std::to_string(w)});
      progress_.TableStarted(table, 0, 0);
      for (int i = 1; i <= 1000; ++i) progress_.TableProgress(table, i, i);
      progress_.TableFinished(table, 1000, 1000, Status::Ok());
    });
  }
  for (std::thread& t : workers) t.join();
  const std::vector<std::string> lines = Lines(out_.str());
  EXPECT_EQ(lines.size(), 1u + 8 * 2);
  for (const std::string& line : lines) EXPECT_EQ(line.rfind("2023-11-14T22:13:20Z ", 0), 0u);
  EXPECT_EQ(CountContaining(out_.str(), "done s.t"), 8);
}

}  // namespace
}  // namespace tenantshift
