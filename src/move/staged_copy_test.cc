#include "move/staged_copy.h"

#include <gtest/gtest.h>

#include <set>

#include "move/pg_staging.h"
#include "testing/fake_s3.h"
#include "testing/fake_session.h"

namespace tenantshift {
namespace {

// Writes `rows` rows as one file (a key added to the bucket) and remembers what it saw.
class FakeWriter final : public StageWriter {
 public:
  FakeWriter(FakeS3& s3, int64_t rows) : s3_(s3), rows_(rows) {}
  Result<StagedTable> Write(const Table&, const std::string& prefix) override {
    keys_before = s3_.Keys();
    StagedTable t;
    t.prefix = prefix;
    t.files = {prefix + "part-00000.csv"};
    t.rows = rows_;
    t.bytes = 10 * rows_;
    s3_.objects[S3Url::Parse(t.files[0])->key] = "rows";
    return t;
  }
  std::set<std::string> keys_before;  // the bucket when Write started

 private:
  FakeS3& s3_;
  int64_t rows_;
};

class FakeReader final : public StageReader {
 public:
  explicit FakeReader(int64_t rows) : rows_(rows) {}
  Result<int64_t> Read(const Table&, const StagedTable&) override { return rows_; }

 private:
  int64_t rows_;
};

class StagedCopyTest : public ::testing::Test {
 protected:
  StagedCopyTest() {
    config_.url = "s3://bkt/stage";
    config_.run_id = "r7";
    table_.name = {"acme", "orders"};
  }

  StepResult Copy(int64_t written, int64_t loaded, PrefixDeleter deleter = {}) {
    FakeWriter writer(s3_, written);
    FakeReader reader(loaded);
    if (!deleter) deleter = S3PrefixDeleter(s3_.client());
    StagedCopyParts parts{writer, reader, target_, "BEGIN; TRUNCATE x;", deleter, true, {}};
    StepResult r = StagedCopy(config_, table_, std::move(parts), progress_);
    keys_before_write_ = writer.keys_before;
    return r;
  }

  FakeS3 s3_;
  FakeSession target_;
  struct : NopProgress {
    void Message(const std::string& line) override { messages.push_back(line); }
    std::vector<std::string> messages;
  } progress_;
  StagingConfig config_;
  Table table_;
  std::set<std::string> keys_before_write_;
};

TEST_F(StagedCopyTest, LoadsInOneTransactionThenDeletesTheStagedFiles) {
  s3_.objects = {{"stage/r7/acme/orders/part-00000.csv.old", "stale"},
                 {"stage/r7/acme/other/keep.csv", "another table's"}};
  StepResult r = Copy(5, 5);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, 5);
  EXPECT_EQ(r.bytes, 50);
  EXPECT_EQ(target_.executed, (std::vector<std::string>{"BEGIN; TRUNCATE x;", "COMMIT"}));
  // A stale file of an earlier try was gone before the writer started; another table's stays.
  EXPECT_EQ(keys_before_write_, std::set<std::string>{"stage/r7/acme/other/keep.csv"});
  EXPECT_EQ(s3_.Keys(), std::set<std::string>{"stage/r7/acme/other/keep.csv"});
}

TEST_F(StagedCopyTest, RowCountMismatchFailsBeforeCommitAndKeepsTheFiles) {
  StepResult r = Copy(5, 4);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Status::Code::kMismatch);
  EXPECT_NE(r.status.message().find("the source staged 5 rows but the target loaded 4"),
            std::string::npos)
      << r.status.message();
  EXPECT_NE(r.status.message().find("staged files kept at s3://bkt/stage/r7/acme/orders/"),
            std::string::npos)
      << r.status.message();
  // No COMMIT: the load transaction rolled back by itself.
  EXPECT_EQ(target_.executed, (std::vector<std::string>{"BEGIN; TRUNCATE x;", "ROLLBACK"}));
  EXPECT_EQ(s3_.Keys(), std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
}

TEST_F(StagedCopyTest, KeepFilesLeavesThemAfterSuccess) {
  config_.keep_files = true;
  StepResult r = Copy(3, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(s3_.Keys(), std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
}

// One cleanup policy for every path: once the rows are committed, a failed delete of the staged
// files is a warning naming where they are, not a failed step.
TEST_F(StagedCopyTest, CleanupFailureAfterCommitIsAWarning) {
  int calls = 0;
  StepResult r = Copy(2, 2, [&](const std::string&) {
    return ++calls == 1 ? Status::Ok() : Status::Permission("AccessDenied");
  });
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(calls, 2);  // before the write, after the commit
  EXPECT_EQ(target_.executed, (std::vector<std::string>{"BEGIN; TRUNCATE x;", "COMMIT"}));
  ASSERT_EQ(progress_.messages.size(), 1u);
  EXPECT_NE(progress_.messages[0].find("rows committed, staged files kept at "
                                       "s3://bkt/stage/r7/acme/orders/: AccessDenied"),
            std::string::npos)
      << progress_.messages[0];
}

TEST(PgStagingTest, CopyOptionsNameTheNullMarkerAndDelimiter) {
  EXPECT_EQ(PgCopyOptions(StagedFormat{}), "FORMAT csv, NULL '\\N'");
  EXPECT_EQ(PgCopyOptions(StagedFormat{.csv = true, .null_marker = "", .delimiter = '|'}),
            "FORMAT csv, NULL '', DELIMITER '|'");
  EXPECT_EQ(PgCopyOptions(StagedFormat{.csv = false, .null_marker = "\\N", .delimiter = '\t'}),
            "FORMAT text, NULL '\\N'");
}

// Issue 18: a table without columns to copy (none, or only generated ones) is staged and
// loaded with a bare COPY ("COPY t () ..." is a syntax error); its rows are empty lines, and
// their count survives the round trip.
TEST(PgStagingTest, TableWithoutColumnsToCopyIsStagedWithABareCopy) {
  Table t;
  t.name = {"acme", "no cols"};
  Column g;
  g.name = "g";
  g.type = "integer";
  g.generated_expr = "1";
  t.columns = {g};
  FakeS3 s3;
  FakeSession source, target;
  source.AddCopyOut("COPY \"acme\".\"no cols\" TO STDOUT WITH (FORMAT csv, NULL '\\N')",
                    {"\n", "\n", "\n"});
  PgStageWriter writer(source, s3.client(), "\\N");
  Result<StagedTable> staged = writer.Write(t, "s3://bkt/stage/r1/");
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->rows, 3);
  PgStageReader reader(target, s3.client());
  Result<int64_t> loaded = reader.Read(t, *staged);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const std::string copy_in = "COPY \"acme\".\"no cols\" FROM STDIN WITH (FORMAT csv, NULL '\\N')";
  ASSERT_EQ(target.copied_in.count(copy_in), 1u);
  std::string data;
  for (const std::string& chunk : target.copied_in[copy_in]) data += chunk;
  EXPECT_EQ(data, "\n\n\n");
}

}  // namespace
}  // namespace tenantshift
