#include "commands/report_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/exit_code.h"
#include "report/json_log.h"
#include "report/report.h"

namespace tenantshift {
namespace {

namespace fs = std::filesystem;

class ReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tenantshift-report-test-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteText(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::string ReadText(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

TEST_F(ReportCommandTest, WritesThePageFromTheJsonReport) {
  MigrationReport r;
  r.tenant = "acme";
  r.exit_code = 8;
  ASSERT_TRUE(WriteJsonFile((dir_ / "migration_report.json").string(), ToJson(r)).ok());
  std::ostringstream out, err;
  EXPECT_EQ(RunReport({dir_.string()}, out, err), kExitOk) << err.str();
  EXPECT_NE(ReadText("migration_report.html").find("id=\"exit-code\" data-value=\"8\""),
            std::string::npos);
  EXPECT_EQ(out.str(), "report (HTML): " + (dir_ / "migration_report.html").string() + "\n");
}

TEST_F(ReportCommandTest, RefusesADirectoryWithoutAReportAndWritesNothing) {
  std::ostringstream out, err;
  EXPECT_EQ(RunReport({dir_.string()}, out, err), kExitState);
  EXPECT_NE(err.str().find("no migration_report.json in"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "migration_report.html"));
}

TEST_F(ReportCommandTest, ABrokenJsonReportIsAnErrorAndWritesNothing) {
  WriteText("migration_report.json", "{not json");
  std::ostringstream out, err;
  EXPECT_EQ(RunReport({dir_.string()}, out, err), kExitInternal);
  EXPECT_NE(err.str().find("is not a JSON object"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "migration_report.html"));
}

TEST_F(ReportCommandTest, CutoverAddsItsWindowToBothReports) {
  ASSERT_TRUE(WriteJsonFile((dir_ / "migration_report.json").string(), ToJson({})).ok());
  nlohmann::json window = {{"consumer", "c"},
                           {"freeze_started_at", "2026-01-01T00:00:00Z"},
                           {"switched_at", "2026-01-01T00:00:03Z"},
                           {"freeze_seconds", 3.0},
                           {"frozen_roles", {"app"}}};
  ASSERT_TRUE(AddCutoverToReport(dir_.string(), window).ok());
  EXPECT_EQ(nlohmann::json::parse(ReadText("migration_report.json"))["cutover"], window);
  EXPECT_NE(ReadText("migration_report.html").find("id=\"freeze-window\""), std::string::npos);
}

TEST_F(ReportCommandTest, CutoverWithoutAReportChangesNothing) {
  EXPECT_TRUE(AddCutoverToReport(dir_.string(), {{"consumer", "c"}}).ok());
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST(PrintProblem, IsPlainTextOrAJsonRecord) {
  std::ostringstream text;
  PrintProblem(text, "conflict", "table acme.t differs");
  PrintProblem(text, "", "refused");
  EXPECT_EQ(text.str(), "tenantshift: conflict: table acme.t differs\ntenantshift: refused\n");
  SetJsonLogFormat(true);
  std::ostringstream json;
  PrintProblem(json, "conflict", "table acme.t differs");
  FailWith(kExitSource, Status::Server("no such schema").set_sqlstate("3F000"), json);
  SetJsonLogFormat(false);
  std::istringstream lines(json.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  nlohmann::json a = nlohmann::json::parse(first), b = nlohmann::json::parse(second);
  EXPECT_EQ(a["event"], "conflict");
  EXPECT_EQ(a["level"], "error");
  EXPECT_EQ(a["error"], "table acme.t differs");
  EXPECT_EQ(b["event"], "error");
  EXPECT_EQ(b["sqlstate"], "3F000");
  EXPECT_NE(b["error"].get<std::string>().find("no such schema"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
