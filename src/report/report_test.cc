#include "report/report.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "report/format.h"

namespace tenantshift {
namespace {

using Json = nlohmann::json;

TableReport Succeeded(std::string schema, std::string table, int64_t rows) {
  TableReport t;
  t.schema = std::move(schema);
  t.table = std::move(table);
  t.succeeded = true;
  t.rows = rows;
  t.bytes = rows * 100;
  t.seconds = 2;
  t.validation = "match";
  t.source_rows = t.target_rows = rows;
  t.source_checksum = t.target_checksum = "abc123";
  return t;
}

TableReport Failed(std::string schema, std::string table) {
  TableReport t;
  t.schema = std::move(schema);
  t.table = std::move(table);
  t.rows = 10;
  t.bytes = 1000;
  t.seconds = 1;
  t.error = "duplicate key value violates unique constraint";
  t.cause = "23505";
  return t;
}

MigrationReport SampleReport() {
  MigrationReport r;
  r.timestamp = "2023-11-14T22:13:20Z";
  r.tenant = "acme";
  r.schemas = {"sales", "Ünïcode"};
  r.source = "host=src dbname=app user=admin";
  r.target = "host=dst dbname=app user=admin";
  r.tool_version = "0.1.0";
  r.seconds = 4;
  r.tables = {Succeeded("sales", "orders", 1000), Failed("sales", "items"),
              Succeeded("Ünïcode", "\"日本\" 'x'", 20)};
  r.object_counts = {{"schemas", 2}, {"tables", 3}, {"indexes", 4}};
  r.warnings = {"sequence sales.s skipped"};
  r.exit_code = 5;
  return r;
}

TEST(ReportJsonTest, HasReferenceKeysAndCounts) {
  const Json j = ToJson(SampleReport());
  for (const char* key : {"timestamp", "tenant", "schemas", "total_tables", "succeeded_count",
                          "failed_count", "succeeded_tables", "failed_tables"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["timestamp"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["tenant"], "acme");
  EXPECT_EQ(j["total_tables"], 3);
  EXPECT_EQ(j["succeeded_count"], 2);
  EXPECT_EQ(j["failed_count"], 1);
  // Reference type: an array of table-name strings.
  EXPECT_EQ(j["succeeded_tables"], Json::array({"orders", "\"日本\" 'x'"}));
  ASSERT_EQ(j["failed_tables"].size(), 1u);
  const Json& failed = j["failed_tables"][0];
  EXPECT_EQ(failed["table"], "items");
  EXPECT_EQ(failed["schema"], "sales");
  EXPECT_EQ(failed["error"], "duplicate key value violates unique constraint");
  EXPECT_EQ(failed["cause"], "23505");
  EXPECT_EQ(failed["rows"], 10);
}

TEST(ReportJsonTest, HasAddedKeys) {
  const Json j = ToJson(SampleReport());
  EXPECT_EQ(j["schemas"], Json::array({"sales", "Ünïcode"}));
  EXPECT_EQ(j["source"], "host=src dbname=app user=admin");
  EXPECT_EQ(j["tool_version"], "0.1.0");
  EXPECT_EQ(j["seconds"], 4.0);
  EXPECT_EQ(j["object_counts"]["indexes"], 4);
  EXPECT_EQ(j["warnings"].size(), 1u);
  EXPECT_TRUE(j["principals"].is_object());
  EXPECT_EQ(j["exit_code"], 5);
  ASSERT_EQ(j["tables"].size(), 3u);
  const Json& orders = j["tables"][0];
  EXPECT_EQ(orders["schema"], "sales");
  EXPECT_EQ(orders["table"], "orders");
  EXPECT_EQ(orders["succeeded"], true);
  EXPECT_EQ(orders["rows"], 1000);
  EXPECT_EQ(orders["bytes"], 100000);
  EXPECT_EQ(orders["validation"], "match");
  EXPECT_EQ(orders["source_rows"], 1000);
  EXPECT_EQ(orders["target_checksum"], "abc123");
  EXPECT_EQ(j["tables"][1]["succeeded"], false);
}

TEST(ReportJsonTest, ManualStepsCarryTheirSql) {
  MigrationReport r = SampleReport();
  r.manual_steps = {{"create function acme.f(integer)", "Redshift no longer creates Python UDFs",
                     "CREATE FUNCTION \"acme\".\"f\"(integer) ...;\n"}};
  const Json j = ToJson(r);
  ASSERT_EQ(j["manual_steps"].size(), 1u);
  EXPECT_EQ(j["manual_steps"][0]["what"], "create function acme.f(integer)");
  EXPECT_EQ(j["manual_steps"][0]["why"], "Redshift no longer creates Python UDFs");
  EXPECT_EQ(j["manual_steps"][0]["sql"], "CREATE FUNCTION \"acme\".\"f\"(integer) ...;\n");
  EXPECT_NE(SummaryTable(r).find("1 manual step left to do (see migration_report.json)\n"),
            std::string::npos);
  EXPECT_EQ(SummaryTable(SampleReport()).find("manual"), std::string::npos);
}

// Issue 18: a failed function and the trigger it blocked were in neither the JSON nor the summary.
TEST(ReportJsonTest, FailedAndBlockedStepsAreListedWithTheirCause) {
  MigrationReport r = SampleReport();
  r.failed_steps = {
      {"functions", "create function acme.f(integer)", false, "syntax error", "42601"},
      {"triggers", "create trigger t on acme.orders", true,
       "did not run: create function acme.f(integer) failed", "blocked"}};
  const Json j = ToJson(r);
  ASSERT_EQ(j["failed_steps"].size(), 2u);
  EXPECT_EQ(j["failed_steps"][0], (Json{{"phase", "functions"},
                                        {"step", "create function acme.f(integer)"},
                                        {"state", "failed"},
                                        {"error", "syntax error"},
                                        {"cause", "42601"}}));
  EXPECT_EQ(j["failed_steps"][1]["state"], "blocked");
  EXPECT_EQ(j["failed_steps"][1]["cause"], "blocked");
  EXPECT_EQ(j["failed_count"], 1);  // the reference's key still counts tables only
  const std::string summary = SummaryTable(r);
  EXPECT_NE(summary.find("Failed or blocked steps:\n"
                         "  FAILED [functions] create function acme.f(integer): syntax error "
                         "(42601)\n"
                         "  blocked [triggers] create trigger t on acme.orders: did not run: "
                         "create function acme.f(integer) failed\n"),
            std::string::npos)
      << summary;
  EXPECT_EQ(SummaryTable(SampleReport()).find("steps:"), std::string::npos);
  EXPECT_TRUE(ToJson(SampleReport())["failed_steps"].empty());
}

TEST(ReportJsonTest, EmptyReportHasEmptyArrays) {
  const Json j = ToJson(MigrationReport{});
  EXPECT_EQ(j["total_tables"], 0);
  EXPECT_TRUE(j["succeeded_tables"].is_array());
  EXPECT_TRUE(j["failed_tables"].is_array());
  EXPECT_TRUE(j["tables"].is_array());
  EXPECT_TRUE(j["manual_steps"].is_array());
  EXPECT_TRUE(j["object_counts"].is_object());
}

TEST(RetryFailedTablesTest, ListsOnlyFailed) {
  const Json j = RetryFailedTables(SampleReport());
  EXPECT_EQ(j["tenant"], "acme");
  EXPECT_EQ(j["schemas"], Json::array({"sales", "Ünïcode"}));
  EXPECT_EQ(j["tables"], Json::parse(R"([{"schema": "sales", "table": "items"}])"));
  EXPECT_TRUE(RetryFailedTables(MigrationReport{})["tables"].empty());
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Display columns at which '|' appears in `line`.
std::vector<int> BarColumns(const std::string& line) {
  std::vector<int> columns;
  for (size_t i = line.find('|'); i != std::string::npos; i = line.find('|', i + 1)) {
    columns.push_back(DisplayWidth(line.substr(0, i)));
  }
  return columns;
}

TEST(SummaryTableTest, ListsTablesTotalsAndCounts) {
  const std::string summary = SummaryTable(SampleReport());
  const std::vector<std::string> lines = Lines(summary);
  ASSERT_GE(lines.size(), 8u);
  EXPECT_EQ(lines[0].rfind("Schema.Table", 0), 0u);
  for (const char* name : {"sales.orders", "sales.items", "Ünïcode.\"日本\" 'x'"}) {
    EXPECT_NE(summary.find(name), std::string::npos) << name;
  }
  EXPECT_NE(summary.find("Total "), std::string::npos);
  EXPECT_NE(summary.find("1,030"), std::string::npos);  // total rows
  EXPECT_NE(summary.find("1 FAILED"), std::string::npos);
  EXPECT_NE(summary.find("  sales.items: duplicate key value violates unique constraint (23505)"),
            std::string::npos);
  EXPECT_NE(summary.find("1 warning\n"), std::string::npos);
  EXPECT_EQ(lines.back(), "3 tables: 2 succeeded, 1 failed");
}

TEST(SummaryTableTest, ColumnsAlignWithUnicodeNames) {
  const std::vector<std::string> lines = Lines(SummaryTable(SampleReport()));
  const std::vector<int> header = BarColumns(lines[0]);
  ASSERT_EQ(header.size(), 6u);
  for (const std::string& line : lines) {
    if (line.find(" | ") == std::string::npos || line.find("  sales.items:") == 0) continue;
    EXPECT_EQ(BarColumns(line), header) << line;
  }
}

TEST(SummaryTableTest, ControlCharactersDoNotBreakRows) {
  MigrationReport r;
  r.tables = {Succeeded("s", "line\nbreak", 1)};
  const std::vector<std::string> lines = Lines(SummaryTable(r));
  EXPECT_NE(lines[2].find("s.line break"), std::string::npos);
  EXPECT_EQ(lines.back(), "1 table: 1 succeeded, 0 failed");
}

class WriteJsonFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "report_test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& name : Entries()) ::unlink((dir_ + "/" + name).c_str());
    ::rmdir(dir_.c_str());
  }
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return names;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    return names;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::string dir_;
};

TEST_F(WriteJsonFileTest, WritesParseableFileAndNoTemporary) {
  const std::string path = dir_ + "/migration_report.json";
  const Json report = ToJson(SampleReport());
  ASSERT_TRUE(WriteJsonFile(path, report).ok());
  EXPECT_EQ(Json::parse(Read(path)), report);
  EXPECT_EQ(Entries(), std::vector<std::string>{"migration_report.json"});
}

TEST_F(WriteJsonFileTest, ReplacesExistingFile) {
  const std::string path = dir_ + "/r.json";
  ASSERT_TRUE(WriteJsonFile(path, Json{{"a", 1}}).ok());
  ASSERT_TRUE(WriteJsonFile(path, Json{{"b", 2}}).ok());
  EXPECT_EQ(Json::parse(Read(path)), (Json{{"b", 2}}));
  EXPECT_EQ(Entries().size(), 1u);
}

TEST_F(WriteJsonFileTest, InvalidUtf8IsReplacedNotFatal) {
  const std::string path = dir_ + "/r.json";
  ASSERT_TRUE(WriteJsonFile(path, Json{{"error", "bad \xff byte"}}).ok());
  EXPECT_EQ(Json::parse(Read(path))["error"], "bad \xEF\xBF\xBD byte");
}

TEST_F(WriteJsonFileTest, MissingDirectoryFailsWithPath) {
  const std::string path = dir_ + "/no/such/dir/r.json";
  const Status s = WriteJsonFile(path, Json::object());
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_TRUE(Entries().empty());
}

}  // namespace
}  // namespace tenantshift
