#include "exec/migration_runner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "exec/executor.h"
#include "testing/fake_session.h"
#include "testing/session_wrapper.h"

namespace tenantshift {
namespace {

Table WithColumns(std::vector<std::pair<std::string, std::string>> cols) {
  Table t;
  for (auto& [type, collation] : cols) {
    Column c;
    c.name = "c";
    c.type = type;
    c.collation = collation;
    t.columns.push_back(c);
  }
  return t;
}

TEST(ChooseChecksumTest, ValueHashesOnlyForTypesThatHashTheirExactValue) {
  Table pgbench = WithColumns({{"integer", ""}, {"character(84)", ""}, {"bigint", ""}});
  EXPECT_EQ(ChooseChecksum(pgbench, true, 150000), ChecksumMethod::kRowHash);
  // numeric hashes 1.0 and 1.00 alike; a collation may hash 'A' and 'a' alike.
  EXPECT_EQ(ChooseChecksum(WithColumns({{"integer", ""}, {"numeric(12,2)", ""}}), true, 150000),
            ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(WithColumns({{"text", "\"und-x-icu\""}}), true, 150000),
            ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(WithColumns({{"interval", ""}}), true, 150000),
            ChecksumMethod::kRowText);
  // Different major versions, or servers without hash_record_extended: text.
  EXPECT_EQ(ChooseChecksum(pgbench, false, 150000), ChecksumMethod::kRowText);
  EXPECT_EQ(ChooseChecksum(pgbench, true, 130000), ChecksumMethod::kRowText);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// The PostgreSQL -> PostgreSQL copy path against two in-memory sessions: the rows a source
// COPY TO STDOUT sends must arrive, unchanged and once, in the target's COPY FROM STDIN, inside
// one transaction that first empties the table.
class PipeCopyTest : public ::testing::Test {
 protected:
  PipeCopyTest() {
    Table t;
    t.name = {"acme", "orders"};
    for (const char* col : {"id", "note"}) {
      Column c;
      c.name = col;
      c.type = std::string(col) == "id" ? "integer" : "text";
      t.columns.push_back(c);
    }
    catalog_.tables.push_back(t);
    step_.kind = StepKind::kCopyData;
    step_.table = t.name;
    config_.allow_binary = false;  // text COPY, so the rows below are what the server would send
    config_.connect_source = [this]() -> Result<std::unique_ptr<Session>> {
      ++source_connects_;
      auto s = std::make_unique<FaultySession>(source_);
      if (source_connects_ == 1 && drop_first_source_after_ >= 0) {
        s->DropAfter(drop_first_source_after_);
      }
      return std::unique_ptr<Session>(std::move(s));
    };
    config_.connect_target = [this]() -> Result<std::unique_ptr<Session>> {
      return std::unique_ptr<Session>(std::make_unique<SessionWrapper>(target_));
    };
  }

  // Records the source's answer to the text COPY of acme.orders (COPY table (columns) TO
  // STDOUT reads that table only, never its children).
  void SourceSends(std::vector<std::string> rows) {
    source_rows_ = std::move(rows);
    source_.AddCopyOut("COPY \"acme\".\"orders\" (\"id\", \"note\") TO STDOUT", source_rows_);
  }
  // The row-text checksum query of acme.orders, as ComputeChecksum sends it (a catalog whose
  // server version is unknown gets the row-text method).
  static std::string ComputeChecksumSqlForTest() {
    return "SELECT pg_catalog.count(*) AS n, "
           "COALESCE(pg_catalog.sum(pg_catalog.hashtextextended(ROW(r.*)::text, 0)), 0)::text "
           "AS sum FROM ONLY \"acme\".\"orders\" AS r";
  }
  // The target's statements, without the session settings every session starts with.
  std::vector<std::string> TargetWork() const {
    std::vector<std::string> out;
    for (const std::string& s : target_.statements) {
      if (s.rfind("SET ", 0) != 0) out.push_back(s);
    }
    return out;
  }

  Catalog catalog_;
  Step step_;
  RunnerConfig config_;
  NopProgress progress_;
  FakeSession source_, target_;
  std::vector<std::string> source_rows_;
  int source_connects_ = 0;
  int drop_first_source_after_ = -1;
};

TEST_F(PipeCopyTest, RowsArriveOnceInsideOneTransactionThatEmptiesTheTable) {
  SourceSends({"1\tfirst\n", "2\t\\N\n", "3\tthird; $(x)\n"});
  MigrationRunner runner(catalog_, config_, progress_, 1);
  StepResult r = runner.Run(step_, 0);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, 3);
  std::vector<std::string> work = TargetWork();
  ASSERT_EQ(work.size(), 3u) << ::testing::PrintToString(work);
  EXPECT_EQ(work[0], "BEGIN; TRUNCATE ONLY \"acme\".\"orders\";");
  EXPECT_EQ(work[1].rfind("COPY \"acme\".\"orders\"", 0), 0u) << work[1];
  EXPECT_NE(work[1].find("FROM STDIN"), std::string::npos) << work[1];
  EXPECT_EQ(work[2], "COMMIT");
  ASSERT_EQ(target_.copied_in.size(), 1u);
  EXPECT_EQ(target_.copied_in.begin()->second, source_rows_);
}

// Issue 18: when only the target's checksum query fails, validation keeps the source's count
// (it printed "source -1 rows" before), and the other way round.
TEST_F(PipeCopyTest, ValidationKeepsTheCountOfTheSideThatAnswered) {
  Rows answer;
  answer.columns = {"n", "sum"};
  answer.rows = {{"3", "42"}};
  const std::string sql = ComputeChecksumSqlForTest();
  source_.AddResult(sql, answer);  // the target has no answer: its query fails
  step_.kind = StepKind::kValidate;
  MigrationRunner runner(catalog_, config_, progress_, 1);
  StepResult r = runner.Run(step_, 0);
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.source_rows, 3);
  EXPECT_EQ(r.target_rows, -1);

  FakeSession other_source;
  target_.AddResult(sql, answer);
  config_.connect_source = [&]() -> Result<std::unique_ptr<Session>> {
    return std::unique_ptr<Session>(std::make_unique<SessionWrapper>(other_source));
  };
  MigrationRunner runner2(catalog_, config_, progress_, 1);
  r = runner2.Run(step_, 0);
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.source_rows, -1);
  EXPECT_EQ(r.target_rows, 3);
}

TEST_F(PipeCopyTest, AFailedTargetCopyRollsBackAndCommitsNothing) {
  SourceSends({"1\tfirst\n"});
  target_.FailOn("COPY ", Status::Server("permission denied for table orders"));
  MigrationRunner runner(catalog_, config_, progress_, 1);
  StepResult r = runner.Run(step_, 0);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("permission denied"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("acme.orders"), std::string::npos) << r.status.message();
  std::vector<std::string> work = TargetWork();
  EXPECT_EQ(std::count(work.begin(), work.end(), "COMMIT"), 0);
  EXPECT_NE(std::find(work.begin(), work.end(), "ROLLBACK"), work.end());
  EXPECT_TRUE(target_.copied_in.empty());
}

// A source connection dropped in the middle of the work is retried by the executor on a fresh
// connection, and the table ends up holding the rows once: the retry's transaction empties it
// again before loading.
TEST_F(PipeCopyTest, ADroppedSourceIsRetriedOnAFreshConnectionWithoutDuplicates) {
  SourceSends({"1\tfirst\n", "2\tsecond\n"});
  drop_first_source_after_ = 1;  // the session settings succeed, the COPY does not
  MigrationRunner runner(catalog_, config_, progress_, 1);
  Plan plan;
  plan.Add(step_);
  ExecOptions o;
  o.jobs = 1;
  o.max_attempts = 2;
  FakeClock clock;
  o.clock = &clock;
  ExecOutcome out = ExecutePlan(plan, runner, o);
  ASSERT_EQ(out.results.size(), 1u);
  ASSERT_TRUE(out.results[0].status.ok()) << out.results[0].status.ToString();
  EXPECT_EQ(out.results[0].attempts, 2);
  EXPECT_EQ(source_connects_, 2);
  std::vector<std::string> work = TargetWork();
  EXPECT_EQ(std::count(work.begin(), work.end(), "BEGIN; TRUNCATE ONLY \"acme\".\"orders\";"), 2);
  EXPECT_EQ(std::count(work.begin(), work.end(), "COMMIT"), 1);
  ASSERT_EQ(target_.copied_in.size(), 1u);
  EXPECT_EQ(target_.copied_in.begin()->second, source_rows_);
}

// Issue 14: no source transaction may accumulate locks across tables. Each data and validation
// step reads the exported snapshot in a transaction of its own, ended before the next step.
TEST_F(PipeCopyTest, EveryStepReadsTheSnapshotInItsOwnTransaction) {
  SourceSends({"1\tfirst\n"});
  config_.snapshot = "00000003-0000001B-1";
  Rows sums;
  sums.columns = {"n", "sum"};
  sums.rows = {{"1", "77"}};
  const std::string checksum =
      "SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.sum("
      "pg_catalog.hashtextextended(ROW(r.*)::text, 0)), 0)::text AS sum "
      "FROM ONLY \"acme\".\"orders\" AS r";
  source_.AddResult(checksum, sums);
  target_.AddResult(checksum, sums);
  MigrationRunner runner(catalog_, config_, progress_, 1);
  Step validate = step_;
  validate.kind = StepKind::kValidate;
  for (const Step& step : {step_, step_, validate}) {
    StepResult r = runner.Run(step, 0);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  }
  const std::string begin =
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT "
      "'00000003-0000001B-1';";
  std::vector<std::string> opened;  // what the source ran, minus its session settings
  for (const std::string& st : source_.statements) {
    if (st.rfind("SET ", 0) != 0) opened.push_back(st);
  }
  ASSERT_EQ(opened.size(), 9u) << ::testing::PrintToString(opened);
  for (size_t i = 0; i < 9; i += 3) {
    EXPECT_EQ(opened[i], begin) << i;
    EXPECT_EQ(opened[i + 2], "ROLLBACK") << i;
  }
  EXPECT_EQ(opened[1].rfind("COPY ", 0), 0u) << opened[1];
  EXPECT_EQ(opened[7], checksum);
  EXPECT_EQ(source_connects_, 1);  // one connection, three transactions
}

}  // namespace
}  // namespace tenantshift
