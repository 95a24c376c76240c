#include "report/json_log.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace tenantshift {
namespace {

using Json = nlohmann::json;

std::vector<Json> ParseLines(const std::string& text) {
  std::vector<Json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    out.push_back(j);
  }
  return out;
}

// Counts the calls passed on, so the terminal display keeps working beside the JSON log.
class CountingProgress : public NopProgress {
 public:
  void TableStarted(const std::string&, int64_t, int64_t) override { ++calls; }
  void Message(const std::string&) override { ++calls; }
  int calls = 0;
};

TEST(JsonLogLine, NamesTheTableAndStepInFieldsAndCarriesTheSqlstate) {
  LogEvent e;
  e.level = "error";
  e.event = "step_failed";
  e.schema = "Bill\"ing; $(touch pwned) ü";
  e.table = "Invoice \"Lines\"\nnext";
  e.step = "copy data";
  e.phase = "data";
  e.figures = {{"rows", 10}, {"seconds", 1.5}};
  e.error = "duplicate key value";
  e.sqlstate = "23505";
  FakeClock clock;  // 2023-11-14T22:13:20Z
  const std::string line = JsonLogLine(e, clock.WallNow());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  Json j = Json::parse(line);
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(j["level"], "error");
  EXPECT_EQ(j["event"], "step_failed");
  EXPECT_EQ(j["schema"], e.schema);
  EXPECT_EQ(j["table"], e.table);
  EXPECT_EQ(j["step"], "copy data");
  EXPECT_EQ(j["phase"], "data");
  EXPECT_EQ(j["figures"]["rows"], 10);
  EXPECT_EQ(j["error"], "duplicate key value");
  EXPECT_EQ(j["sqlstate"], "23505");
  EXPECT_EQ(line.rfind("{\"time\":", 0), 0u) << "time leads the record";
}

TEST(JsonLogLine, LeavesOutEmptyFieldsAndSurvivesInvalidUtf8) {
  LogEvent e;
  e.event = "message";
  e.message = std::string("bad \xff\xfe bytes");
  Json j = Json::parse(JsonLogLine(e, FakeClock().WallNow()));
  EXPECT_FALSE(j.contains("schema"));
  EXPECT_FALSE(j.contains("figures"));
  EXPECT_FALSE(j.contains("sqlstate"));
  EXPECT_EQ(j["message"], "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST(JsonLogProgress, WritesOneParsableRecordPerEventAndPassesCallsOn) {
  std::ostringstream out;
  auto inner = std::make_unique<CountingProgress>();
  CountingProgress* counted = inner.get();
  FakeClock clock;
  JsonLogProgress log(out, std::move(inner), clock);
  log.Begin(2, 1000);
  log.TableStarted("acme.t", 1, 100);
  log.Message("warning: the owner role is missing");
  log.Message("passwords written");
  LogEvent step;
  step.event = "step_finished";
  step.schema = "acme";
  step.table = "t";
  log.Log(step);
  log.End();
  log.End();  // idempotent
  std::vector<Json> lines = ParseLines(out.str());
  ASSERT_EQ(lines.size(), 5u) << out.str();
  EXPECT_EQ(lines[0]["event"], "run_started");
  EXPECT_EQ(lines[0]["figures"]["tables"], 2);
  EXPECT_EQ(lines[1]["level"], "warning");
  EXPECT_EQ(lines[1]["event"], "warning");
  EXPECT_EQ(lines[1]["message"], "the owner role is missing");
  EXPECT_EQ(lines[2]["event"], "message");
  EXPECT_EQ(lines[3]["table"], "t");
  EXPECT_EQ(lines[4]["event"], "run_finished");
  EXPECT_EQ(counted->calls, 3);
}

TEST(JsonLogFormat, IsASwitchThatDefaultsToText) {
  EXPECT_FALSE(JsonLogFormat());
  SetJsonLogFormat(true);
  EXPECT_TRUE(JsonLogFormat());
  SetJsonLogFormat(false);
  EXPECT_FALSE(JsonLogFormat());
}

}  // namespace
}  // namespace tenantshift
