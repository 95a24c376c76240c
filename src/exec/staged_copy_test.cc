#include "exec/staged_copy.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "exec/pg_staging.h"
#include "pg/fake_session.h"
#include "testing/http_server.h"

namespace tenantshift {
namespace {

// An S3 bucket "bkt" that knows ListObjectsV2 and DeleteObjects, over a real local HTTP server.
class TinyS3 {
 public:
  std::set<std::string> keys;

  HttpServer::Response Handle(const HttpServer::Request& r) {
    if (r.method == "GET" && r.query.find("list-type=2") != std::string::npos) {
      std::smatch m;
      std::string prefix;
      if (std::regex_search(r.query, m, std::regex("prefix=([^&]*)"))) prefix = Decode(m[1]);
      std::string body = "<ListBucketResult><IsTruncated>false</IsTruncated>";
      for (const std::string& k : keys) {
        if (k.rfind(prefix, 0) == 0)
          body += "<Contents><Key>" + k + "</Key><Size>1</Size></Contents>";
      }
      return {200, {}, body + "</ListBucketResult>"};
    }
    if (r.method == "POST" && r.query == "delete=") {
      std::regex key("<Key>([^<]*)</Key>");
      for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), key);
           it != std::sregex_iterator(); ++it) {
        keys.erase((*it)[1]);
      }
      return {200, {}, "<DeleteResult></DeleteResult>"};
    }
    return {400, {}, "<Error><Code>Unexpected</Code></Error>"};
  }

 private:
  static std::string Decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  }
};

// Writes `rows` rows as one file (a key added to the bucket) and remembers what it saw.
class FakeWriter final : public StageWriter {
 public:
  FakeWriter(TinyS3& s3, int64_t rows) : s3_(s3), rows_(rows) {}
  Result<StagedTable> Write(const Table&, const std::string& prefix) override {
    keys_before = s3_.keys;
    StagedTable t;
    t.prefix = prefix;
    t.files = {prefix + "part-00000.csv"};
    t.rows = rows_;
    t.bytes = 10 * rows_;
    s3_.keys.insert(S3Url::Parse(t.files[0])->key);
    return t;
  }
  std::set<std::string> keys_before;  // the bucket when Write started

 private:
  TinyS3& s3_;
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
  StagedCopyTest()
      : server_([this](const HttpServer::Request& r) { return s3_.Handle(r); }),
        credentials_(AwsEnvironment{{{"AWS_ACCESS_KEY_ID", "AKIDTEST"},
                                     {"AWS_SECRET_ACCESS_KEY", "secret"},
                                     {"HOME", "/nonexistent"}}}),
        http_(AwsEndpoint{server_.url(), true}, "us-east-1", &credentials_),
        client_(&http_) {
    config_.url = "s3://bkt/stage";
    config_.run_id = "r7";
    table_.name = {"acme", "orders"};
  }

  StepResult Copy(int64_t written, int64_t loaded) {
    FakeWriter writer(s3_, written);
    FakeReader reader(loaded);
    StepResult r = StagedCopy(config_, table_,
                              {writer, reader, client_, target_, "BEGIN; TRUNCATE x;"}, progress_);
    keys_before_write_ = writer.keys_before;
    return r;
  }

  TinyS3 s3_;
  HttpServer server_;
  CredentialsProvider credentials_;
  AwsHttp http_;
  S3Client client_;
  FakeSession target_;
  NopProgress progress_;
  StagingConfig config_;
  Table table_;
  std::set<std::string> keys_before_write_;
};

TEST_F(StagedCopyTest, LoadsInOneTransactionThenDeletesTheStagedFiles) {
  s3_.keys = {"stage/r7/acme/orders/part-00000.csv.old", "stage/r7/acme/other/keep.csv"};
  StepResult r = Copy(5, 5);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, 5);
  EXPECT_EQ(r.bytes, 50);
  EXPECT_EQ(target_.executed, (std::vector<std::string>{"BEGIN; TRUNCATE x;", "COMMIT"}));
  // A stale file of an earlier try was gone before the writer started; another table's stays.
  EXPECT_EQ(keys_before_write_, std::set<std::string>{"stage/r7/acme/other/keep.csv"});
  EXPECT_EQ(s3_.keys, std::set<std::string>{"stage/r7/acme/other/keep.csv"});
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
  EXPECT_EQ(s3_.keys, std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
}

TEST_F(StagedCopyTest, KeepFilesLeavesThemAfterSuccess) {
  config_.keep_files = true;
  StepResult r = Copy(3, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(s3_.keys, std::set<std::string>{"stage/r7/acme/orders/part-00000.csv"});
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
