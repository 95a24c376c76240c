#include "exec/staged_copy.h"

#include <gtest/gtest.h>

#include <set>

#include "exec/pg_staging.h"
#include "pg/fake_session.h"
#include "testing/fake_s3.h"

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

  StepResult Copy(int64_t written, int64_t loaded) {
    FakeWriter writer(s3_, written);
    FakeReader reader(loaded);
    StepResult r = StagedCopy(
        config_, table_, {writer, reader, s3_.client(), target_, "BEGIN; TRUNCATE x;"}, progress_);
    keys_before_write_ = writer.keys_before;
    return r;
  }

  FakeS3 s3_;
  FakeSession target_;
  NopProgress progress_;
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
  EXPECT_NE(r.status.message().find("the source wrote 5 rows but the target loaded 4"),
            std::string::npos)
      << r.status.message();
  EXPECT_NE(r.status.message().find("s3://bkt/stage/r7/acme/orders/ (staged files kept there)"),
            std::string::npos)
      << r.status.message();
  EXPECT_EQ(target_.executed, std::vector<std::string>{"BEGIN; TRUNCATE x;"});  // no COMMIT
  EXPECT_EQ(s3_.Keys(), std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
}

TEST_F(StagedCopyTest, KeepFilesLeavesThemAfterSuccess) {
  config_.keep_files = true;
  StepResult r = Copy(3, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(s3_.Keys(), std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
}

TEST(PgStagingTest, CopyOptionsNameTheNullMarkerAndDelimiter) {
  EXPECT_EQ(PgCopyOptions(StagedFormat{}), "FORMAT csv, NULL '\\N'");
  EXPECT_EQ(PgCopyOptions(StagedFormat{.csv = true, .null_marker = "", .delimiter = '|'}),
            "FORMAT csv, NULL '', DELIMITER '|'");
  EXPECT_EQ(PgCopyOptions(StagedFormat{.csv = false, .null_marker = "\\N", .delimiter = '\t'}),
            "FORMAT text, NULL '\\N'");
}

}  // namespace
}  // namespace tenantshift
