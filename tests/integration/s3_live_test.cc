// S3Client, and the PostgreSQL staging halves, against a real local S3 server (s3rver) and two
// PostgreSQL clusters, all started by tests/integration/s3_live.sh (scripts/s3server.sh,
// scripts/pgcluster.sh). Built as its own binary (tenantshift_s3_test) so that the plain
// unit test run never needs a server; these tests FAIL, never skip, when the server's
// environment (AWS_ENDPOINT_URL_S3, S3_TEST_BUCKET, keys, region) is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "aws/s3.h"
#include "connect/conn_spec.h"
#include "dialect/dialect_ops.h"
#include "exec/migration_runner.h"
#include "move/pg_staging.h"
#include "pg/pg_session.h"

namespace tenantshift {
namespace {

constexpr size_t kMiB = 1u << 20;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

class S3Live : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AWS_ENDPOINT_URL_S3", "S3_TEST_BUCKET", "AWS_ACCESS_KEY_ID",
                             "AWS_SECRET_ACCESS_KEY", "AWS_REGION"}) {
      ASSERT_FALSE(Env(name).empty())
          << name << " is not set: run these tests through ctest -R integration_s3 "
          << "(tests/integration/s3_live.sh starts s3rver and sets it)";
    }
    bucket_ = Env("S3_TEST_BUCKET");
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    prefix_ = std::string("live/") + info->name() + "/";
    client_ = MakeClient(AwsEnvironment::FromProcess());
    ASSERT_TRUE(client_->DeletePrefix(bucket_, prefix_).ok());
  }

  std::unique_ptr<S3Client> MakeClient(AwsEnvironment env) {
    auto credentials = std::make_unique<CredentialsProvider>(env);
    std::string region = credentials->Region();
    auto http =
        std::make_unique<AwsHttp>(ResolveEndpoint("s3", region, env), region, credentials.get());
    credentials_.push_back(std::move(credentials));
    return std::make_unique<S3Client>(std::move(http));
  }

  // `n` pseudo-random bytes (incompressible, every byte value).
  static std::string RandomBytes(size_t n) {
    std::mt19937_64 gen(42);
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(gen() & 0xff);
    return out;
  }

  std::string GetAll(const std::string& key, Status* status) {
    std::string got;
    *status = client_->Get(bucket_, key, [&](const char* d, size_t n) {
      got.append(d, n);
      return Status::Ok();
    });
    return got;
  }

  std::vector<std::string> Keys(const std::string& prefix) {
    Result<std::vector<S3Object>> list = client_->List(bucket_, prefix);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    std::vector<std::string> keys;
    if (list.ok()) {
      for (const S3Object& o : *list) keys.push_back(o.key);
    }
    return keys;
  }

  std::vector<std::unique_ptr<CredentialsProvider>> credentials_;
  std::unique_ptr<S3Client> client_;
  std::string bucket_;
  std::string prefix_;
};

TEST_F(S3Live, MultipartUploadAndStreamingDownloadKeepEveryByte) {
  const std::string data = RandomBytes(12 * kMiB + 12345);
  size_t offset = 0;
  S3Source source = [&](char* buf, size_t len) -> Result<size_t> {
    size_t n = std::min(len, data.size() - offset);
    std::copy_n(data.data() + offset, n, buf);
    offset += n;
    return n;
  };
  const std::string key = prefix_ + "big object.bin";
  Result<int64_t> sent = client_->Upload(bucket_, key, source, 5 * kMiB);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(*sent, static_cast<int64_t>(data.size()));
  Result<std::vector<S3Object>> list = client_->List(bucket_, key);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].size, static_cast<int64_t>(data.size()));
  Status s;
  std::string got = GetAll(key, &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(got == data) << "downloaded " << got.size() << " bytes differ from the upload";
}

TEST_F(S3Live, ListingFollowsContinuationTokensPastOnePage) {
  std::vector<std::string> want;
  for (int i = 0; i < 7; ++i) {
    want.push_back(prefix_ + "k" + std::to_string(i));
    ASSERT_TRUE(client_->Put(bucket_, want.back(), "v").ok());
  }
  ASSERT_TRUE(client_->Put(bucket_, "live/other/k0", "not under the prefix").ok());
  client_->set_list_page_size(2);
  EXPECT_EQ(Keys(prefix_), want);  // 4 pages; S3 lists keys in order
}

TEST_F(S3Live, HostileKeysRoundTrip) {
  const std::string key = prefix_ + "a b+c&d=\"e\"/ü 😀/%2F/x?y#z";
  ASSERT_TRUE(client_->Put(bucket_, key, "payload").ok());
  EXPECT_EQ(Keys(prefix_), std::vector<std::string>{key});
  Status s;
  EXPECT_EQ(GetAll(key, &s), "payload");
  EXPECT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(client_->Delete(bucket_, {key}).ok());
  EXPECT_TRUE(Keys(prefix_).empty());
}

TEST_F(S3Live, DeleteAndDeletePrefix) {
  for (const char* k : {"a", "b", "sub/c", "sub/d"}) {
    ASSERT_TRUE(client_->Put(bucket_, prefix_ + k, k).ok());
  }
  // A missing key is not an error.
  ASSERT_TRUE(client_->Delete(bucket_, {prefix_ + "a", prefix_ + "never-existed"}).ok());
  EXPECT_EQ(Keys(prefix_),
            (std::vector<std::string>{prefix_ + "b", prefix_ + "sub/c", prefix_ + "sub/d"}));
  client_->set_list_page_size(1);
  ASSERT_TRUE(client_->DeletePrefix(bucket_, prefix_ + "sub/").ok());
  EXPECT_EQ(Keys(prefix_), std::vector<std::string>{prefix_ + "b"});
  ASSERT_TRUE(client_->DeletePrefix(bucket_, prefix_).ok());
  EXPECT_TRUE(Keys(prefix_).empty());
  EXPECT_TRUE(client_->DeletePrefix(bucket_, prefix_).ok());  // nothing to delete
}

TEST_F(S3Live, InterruptedUploadLeavesNoObject) {
  size_t offset = 0;
  S3Source source = [&](char* buf, size_t len) -> Result<size_t> {
    if (offset >= 7 * kMiB) return Status::Server("source connection lost");
    size_t n = std::min(len, 7 * kMiB - offset);
    std::fill_n(buf, n, 'r');
    offset += n;
    return n;
  };
  const std::string key = prefix_ + "partial.csv";
  Result<int64_t> sent = client_->Upload(bucket_, key, source, 5 * kMiB);
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.status().message().find("source connection lost"), std::string::npos)
      << sent.status().message();
  EXPECT_NE(sent.status().message().find("s3://" + bucket_ + "/" + key), std::string::npos);
  // One part was uploaded, the upload was never completed: no object exists. (s3rver has no
  // ListMultipartUploads; the abort itself is checked in src/aws/s3_test.cc.)
  EXPECT_TRUE(Keys(prefix_).empty());
  Status s;
  GetAll(key, &s);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NoSuchKey"), std::string::npos) << s.message();
}

TEST_F(S3Live, UnknownAccessKeyIsAClearErrorNamingTheBucket) {
  // s3rver knows the access key S3RVER only; it does not check SigV4 signatures, so a wrong
  // secret would pass there (src/aws/s3_test.cc covers a 403 body).
  AwsEnvironment env = AwsEnvironment::FromProcess();
  env.vars["AWS_ACCESS_KEY_ID"] = "AKIANOTAREALKEY";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-value";
  std::unique_ptr<S3Client> wrong = MakeClient(env);
  Result<std::vector<S3Object>> list = wrong->List(bucket_, prefix_);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), Status::Code::kPermission);
  EXPECT_NE(list.status().message().find("s3://" + bucket_ + "/"), std::string::npos)
      << list.status().message();
  EXPECT_NE(list.status().message().find("InvalidAccessKeyId"), std::string::npos);
  EXPECT_EQ(list.status().message().find("wrong-secret-value"), std::string::npos);
}

TEST_F(S3Live, MissingBucketIsAClearError) {
  Status s = client_->CheckBucket("no-such-bucket-ts", "x/");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("s3://no-such-bucket-ts/x/: NoSuchBucket"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// The PostgreSQL halves against real servers: rows with every awkward value go from a source
// table through several staged files (a tiny file size forces the split) into a target table,
// and come out equal. Needs SRC_CONN/DST_CONN (s3_live.sh starts two clusters).
class S3LivePg : public S3Live {
 protected:
  void SetUp() override {
    S3Live::SetUp();
    if (HasFatalFailure()) return;
    for (const char* name : {"SRC_CONN", "DST_CONN"}) {
      ASSERT_FALSE(Env(name).empty()) << name << " is not set (tests/integration/s3_live.sh)";
    }
    src_ = Connect("SRC_CONN", "source");
    dst_ = Connect("DST_CONN", "target");
  }

  std::unique_ptr<Session> Connect(const char* var, const char* role) {
    Result<ConnSpec> spec = ResolveConnSpec(Env(var));
    EXPECT_TRUE(spec.ok()) << spec.status().ToString();
    if (!spec.ok()) return nullptr;
    Result<std::unique_ptr<PgSession>> s = PgSession::Connect(*spec, role);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    EXPECT_TRUE(OpsFor(Dialect::kPostgres).SetUpSession(**s).ok());
    return std::move(*s);
  }

  // "count|md5 of the rows in id order" of `table` on `session`.
  static std::string Fingerprint(Session& session, const std::string& table) {
    Result<Rows> rows = session.Query(
        "SELECT count(*) || '|' || md5(string_agg(t::text, E'\\n' ORDER BY id)) AS f FROM " +
            table + " AS t",
        {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->Get(0, "f") : "";
  }

  std::unique_ptr<Session> src_, dst_;
};

TEST_F(S3LivePg, RowsTravelThroughSeveralStagedFilesUnchanged) {
  ASSERT_TRUE(src_ && dst_);
  const std::string ddl =
      "DROP SCHEMA IF EXISTS \"s3 live\" CASCADE; CREATE SCHEMA \"s3 live\"; "
      "CREATE TABLE \"s3 live\".\"t,\"\"x\" (id int PRIMARY KEY, body text, raw bytea, "
      "n numeric, at timestamptz, doubled int GENERATED ALWAYS AS (id * 2) STORED);";
  ASSERT_TRUE(src_->Execute(ddl).ok());
  ASSERT_TRUE(dst_->Execute(ddl).ok());
  // NULL next to the text "\N", quotes, delimiters, line breaks, "\." alone, non-ASCII.
  ASSERT_TRUE(src_->Execute("INSERT INTO \"s3 live\".\"t,\"\"x\" (id, body, raw, n, at) "
                            "SELECT g, (ARRAY[NULL, '\\N', '', '\"q\",x', E'a\\nb\\r\\nc', "
                            "'\\.', 'ü 😀', repeat('z', 300)])[1 + g % 8] || g, "
                            "CASE WHEN g % 5 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END, "
                            "g / 7.0, '2026-01-01'::timestamptz + g * interval '1 min' "
                            "FROM generate_series(1, 20000) g;")
                  .ok());
  Table table;
  table.name = {"s3 live", "t,\"x"};
  for (const char* c : {"id", "body", "raw", "n", "at"}) table.columns.push_back(Column{.name = c});
  Column generated{.name = "doubled"};
  generated.generated_expr = "(id * 2)";
  table.columns.push_back(generated);

  StagingConfig config{.url = "s3://" + bucket_ + "/" + prefix_, .run_id = "r1"};
  const std::string prefix = TablePrefix(config, table.name);
  PgStageWriter writer(*src_, *client_, "\\N", S3Client::kMinPartSize,
                       /*max_file_bytes=*/256 << 10);
  Result<StagedTable> staged = writer.Write(table, prefix);
  ASSERT_TRUE(staged.ok()) << staged.status().ToString();
  EXPECT_EQ(staged->rows, 20000);
  EXPECT_GE(staged->files.size(), 3u);
  EXPECT_EQ(staged->manifest, prefix + "manifest");
  // The bucket holds the files and the manifest, nothing else.
  EXPECT_EQ(Keys(S3Url::Parse(prefix)->key).size(), staged->files.size() + 1);

  PgStageReader reader(*dst_, *client_);
  ASSERT_TRUE(dst_->Execute("BEGIN").ok());
  Result<int64_t> loaded = reader.Read(table, *staged);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, 20000);
  ASSERT_TRUE(dst_->Execute("COMMIT").ok());
  const std::string name = "\"s3 live\".\"t,\"\"x\"";
  EXPECT_EQ(Fingerprint(*dst_, name), Fingerprint(*src_, name));
  EXPECT_EQ(Fingerprint(*dst_, name).substr(0, 6), "20000|");
}

}  // namespace
}  // namespace tenantshift
