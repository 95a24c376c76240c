// The Redshift mover's S3 side against a real local S3 server (s3rver) and a real PostgreSQL
// target, started by tests/integration/s3_live.sh. No Redshift exists here, so the source is a
// recorded session whose UNLOAD writes into S3 what a real UNLOAD ... FORMAT CSV NULL AS ...
// MANIFEST VERBOSE writes (files named <slice>_part_<nn>, a VERBOSE manifest); everything after
// that is the production path: the manifest read back, PostgreSQL's COPY from the files, the
// count check, the commit, the staged files deleted.
// Built as its own binary (tenantshift_rs_s3_test); FAILS, never skips, without the servers.
#include <gtest/gtest.h>

#include <cstdlib>

#include "connect/conn_spec.h"
#include "dialect/dialect_ops.h"
#include "exec/migration_runner.h"
#include "move/redshift_mover.h"
#include "move/s3_staging.h"
#include "pg/pg_session.h"
#include "testing/fake_session.h"

namespace tenantshift {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A recorded Redshift source whose UNLOAD leaves `files` (name -> content) and a manifest under
// the UNLOAD's TO prefix, as Redshift would.
class UnloadingSource final : public Session {
 public:
  UnloadingSource(S3Client& s3, std::map<std::string, std::string> files, int64_t rows)
      : s3_(s3), files_(std::move(files)) {
    fake_.AddResult("SELECT pg_last_unload_count() AS n", Rows{{"n"}, {{std::to_string(rows)}}});
  }
  Status Execute(const std::string& sql) override {
    Status s = fake_.Execute(sql);
    if (!s.ok() || sql.rfind("UNLOAD (", 0) != 0) return s;
    size_t at = sql.find(") TO '") + 6;
    Result<S3Url> to = S3Url::Parse(sql.substr(at, sql.find('\'', at) - at));
    if (!to.ok()) return to.status();
    std::string entries;
    for (const auto& [name, content] : files_) {
      s = s3_.Put(to->bucket, to->key + name, content);
      if (!s.ok()) return s;
      entries += std::string(entries.empty() ? "" : ",") + "{\"url\":\"s3://" + to->bucket + "/" +
                 to->key + name +
                 "\",\"meta\":{\"content_length\":" + std::to_string(content.size()) + "}}";
    }
    return s3_.Put(to->bucket, to->key + "manifest", "{\"entries\":[" + entries + "]}");
  }
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override {
    return fake_.Query(sql, params);
  }
  Status PipeCopy(const std::string&, Session&, const std::string&,
                  const std::function<void(size_t)>&) override {
    return Status::Internal("not Redshift");
  }
  Result<int64_t> CopyOut(const std::string&,
                          const std::function<Status(const char*, size_t)>&) override {
    return Status::Internal("not Redshift");
  }
  Status BeginCopyIn(const std::string&) override { return Status::Internal("not Redshift"); }
  Status PutCopyData(const char*, size_t) override { return Status::Internal("not Redshift"); }
  Result<int64_t> EndCopyIn(const std::string&) override {
    return Status::Internal("not Redshift");
  }
  void Cancel() override {}
  Result<std::string> EncryptPassword(const std::string&, const std::string&) override {
    return Status::Internal("not Redshift");
  }
  int ServerVersion() const override { return 80002; }
  std::string Describe() const override { return "recorded Redshift"; }
  ConnEndpoint Endpoint() const override { return {}; }

  const std::vector<std::string>& executed() const { return fake_.executed; }

 private:
  S3Client& s3_;
  std::map<std::string, std::string> files_;
  FakeSession fake_;
};

TEST(S3LiveRedshift, UnloadedCsvLoadsIntoPostgresExactlyAndTheFilesGo) {
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "S3_TEST_BUCKET", "DST_CONN"}) {
    ASSERT_FALSE(Env(name).empty()) << name << " is not set: run through ctest -R "
                                    << "integration_redshift_s3 (tests/integration/s3_live.sh)";
  }
  Result<StagingConfig> staging =
      MakeS3Staging("s3://" + Env("S3_TEST_BUCKET") + "/rs_live/", "run 1");
  ASSERT_TRUE(staging.ok()) << staging.status().ToString();
  Result<std::unique_ptr<S3Client>> s3 = staging->s3();
  ASSERT_TRUE(s3.ok());
  Result<ConnSpec> spec = ResolveConnSpec(Env("DST_CONN"));
  ASSERT_TRUE(spec.ok());
  Result<std::unique_ptr<PgSession>> target = PgSession::Connect(*spec, "target");
  ASSERT_TRUE(target.ok()) << target.status().ToString();
  Session& dst = **target;
  ASSERT_TRUE(OpsFor(Dialect::kPostgres).SetUpSession(dst).ok());
  ASSERT_TRUE(dst.Execute("DROP SCHEMA IF EXISTS \"rs live\" CASCADE; CREATE SCHEMA \"rs live\"; "
                          "CREATE TABLE \"rs live\".\"t;x\" (id int, body text, at timestamptz, "
                          "doc jsonb); INSERT INTO \"rs live\".\"t;x\" VALUES (99, 'old', NULL, "
                          "NULL);")
                  .ok());
  Table table;
  table.name = {"rs live", "t;x"};
  for (const char* c : {"id", "body", "at", "doc"}) table.columns.push_back(Column{.name = c});
  // What UNLOAD ... FORMAT CSV NULL AS 'ts-null-1' writes: fields quoted only when they hold a
  // comma, a quote, CR or LF; SUPER as JSON; TIMESTAMPTZ in UTC with +00.
  std::map<std::string, std::string> files{
      {"0000_part_00",
       "1,ts-null-1,2024-02-29 23:59:59.123456+00,\"{\"\"a\"\":[1,null]}\"\n"
       "2,,2024-01-01 10:00:00.5+00,[]\n"},
      {"0001_part_00",
       "3,\"a,b \"\"q\"\"\nline2\",ts-null-1,null\n"
       "4,\\N,ts-null-1,\"\"\"s\"\"\"\n"
       "5,nullstring  ,ts-null-1,{}\n"}};
  UnloadingSource source(**s3, files, 5);
  Step step;
  step.table_preexisting = true;
  step.replace_rows = true;
  RedshiftMoverHooks hooks;
  hooks.null_marker = [] { return std::string("ts-null-1"); };
  NopProgress progress;
  StepResult r = MoveRedshiftTable(table, step, Dialect::kRedshift, Dialect::kPostgres, source, dst,
                                   *staging, hooks, progress);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, 5);
  ASSERT_FALSE(source.executed().empty());
  EXPECT_EQ(source.executed()[0].rfind("UNLOAD ('SELECT \"id\", \"body\", \"at\", \"doc\" FROM "
                                       "\"rs live\".\"t;x\"') TO 's3://",
                                       0),
            0u);
  Result<Rows> rows = dst.Query(
      "SELECT id, body IS NULL AS null_body, body, at::text AS at, doc::text AS doc "
      "FROM \"rs live\".\"t;x\" ORDER BY id",
      {});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 5u);  // the old row 99 went with the DELETE in the load's transaction
  EXPECT_EQ(rows->Get(0, "null_body"), "t");
  EXPECT_EQ(rows->Get(0, "at"), "2024-02-29 23:59:59.123456+00");
  EXPECT_EQ(rows->Get(0, "doc"), "{\"a\": [1, null]}");
  EXPECT_EQ(rows->Get(1, "null_body"), "f");
  EXPECT_EQ(rows->Get(1, "body"), "");
  EXPECT_EQ(rows->Get(2, "body"), "a,b \"q\"\nline2");
  EXPECT_TRUE(rows->IsNull(2, "at"));
  EXPECT_EQ(rows->Get(2, "doc"), "null");  // SUPER's JSON null (its SQL NULL is lost: known)
  EXPECT_EQ(rows->Get(3, "body"), "\\N");
  EXPECT_EQ(rows->Get(3, "doc"), "\"s\"");
  EXPECT_EQ(rows->Get(4, "body"), "nullstring  ");
  // Committed, so the staged files and manifest are gone.
  Result<S3Url> where = S3Url::Parse(TablePrefix(*staging, table.name));
  ASSERT_TRUE(where.ok());
  Result<std::vector<S3Object>> left = (*s3)->List(where->bucket, where->key);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty()) << left->size() << " staged object(s) left";
  ASSERT_TRUE(dst.Execute("DROP SCHEMA \"rs live\" CASCADE").ok());
}

// Redshift -> Redshift with the production S3 deleter: the staged files stay while anything
// can still fail (a failed COPY keeps them and names them) and go only after COMMIT.
TEST(S3LiveRedshift, StagedFilesStayOnFailureAndGoAfterCommit) {
  ASSERT_FALSE(Env("S3_TEST_BUCKET").empty()) << "run through ctest -R integration_redshift_s3";
  Result<StagingConfig> staging =
      MakeS3Staging("s3://" + Env("S3_TEST_BUCKET") + "/rs_to_rs/", "run 2");
  ASSERT_TRUE(staging.ok()) << staging.status().ToString();
  Result<std::unique_ptr<S3Client>> s3 = staging->s3();
  ASSERT_TRUE(s3.ok());
  Table table;
  table.name = {"acme", "orders"};
  table.columns = {Column{.name = "id", .type = "integer"}};
  Result<S3Url> where = S3Url::Parse(TablePrefix(*staging, table.name));
  ASSERT_TRUE(where.ok());
  auto staged_keys = [&] {
    Result<std::vector<S3Object>> list = (*s3)->List(where->bucket, where->key);
    EXPECT_TRUE(list.ok());
    return list.ok() ? list->size() : 0u;
  };
  UnloadingSource source(**s3, {{"0000_part_00", "1\n2\n"}}, 2);
  FakeSession target;
  target.FailOn("COPY ", Status::Server("Load into table 'orders' failed"));
  NopProgress progress;
  StepResult r = MoveRedshiftTable(table, Step{}, Dialect::kRedshift, Dialect::kRedshift, source,
                                   target, *staging, {}, progress);
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("staged files kept at s3://"), std::string::npos);
  EXPECT_EQ(staged_keys(), 2u);  // the data file and the manifest
  EXPECT_EQ(target.executed.back(), "ROLLBACK");

  FakeSession good_target;
  good_target.AddResult("SELECT pg_last_copy_count() AS n", Rows{{"n"}, {{"2"}}});
  r = MoveRedshiftTable(table, Step{}, Dialect::kRedshift, Dialect::kRedshift, source, good_target,
                        *staging, {}, progress);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(staged_keys(), 0u);
}

// PostgreSQL -> Redshift: the PostgreSQL half writes real CSV and a manifest to S3; the target is
// a recorded Redshift session, which must be asked to COPY exactly that manifest, in one
// transaction after the DELETE, with the writer's NULL marker as a Redshift literal.
TEST(S3LiveRedshift, PostgresRowsReachRedshiftsCopyThroughTheWritersManifest) {
  for (const char* name : {"S3_TEST_BUCKET", "SRC_CONN"}) {
    ASSERT_FALSE(Env(name).empty()) << name << ": run through ctest -R integration_redshift_s3";
  }
  Result<StagingConfig> staging =
      MakeS3Staging("s3://" + Env("S3_TEST_BUCKET") + "/pg_to_rs/", "run 3");
  ASSERT_TRUE(staging.ok()) << staging.status().ToString();
  Result<std::unique_ptr<S3Client>> s3 = staging->s3();
  ASSERT_TRUE(s3.ok());
  Result<ConnSpec> spec = ResolveConnSpec(Env("SRC_CONN"));
  ASSERT_TRUE(spec.ok());
  Result<std::unique_ptr<PgSession>> source = PgSession::Connect(*spec, "source");
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  ASSERT_TRUE(OpsFor(Dialect::kPostgres).SetUpSession(**source).ok());
  ASSERT_TRUE((*source)
                  ->Execute("DROP SCHEMA IF EXISTS \"pg rs\" CASCADE; CREATE SCHEMA \"pg rs\"; "
                            "CREATE TABLE \"pg rs\".t (id int, body text); INSERT INTO "
                            "\"pg rs\".t VALUES (1, NULL), (2, ''), (3, '\\N'), (4, 'x');")
                  .ok());
  Table table;
  table.name = {"pg rs", "t"};
  table.columns = {Column{.name = "id", .type = "integer"}, Column{.name = "body", .type = "text"}};
  // The manifest URL is known only once the writer ran: answer COPY's count for any COPY.
  FakeSession target;
  target.AddResult("SELECT pg_last_copy_count() AS n", Rows{{"n"}, {{"4"}}});
  NopProgress progress;
  RedshiftMoverHooks hooks;  // R3: the per-table random marker, fixed here to assert on it
  hooks.null_marker = [] { return std::string("ts-null-3"); };
  StepResult r = MoveRedshiftTable(table, Step{}, Dialect::kPostgres, Dialect::kRedshift, **source,
                                   target, *staging, hooks, progress);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, 4);
  const std::string prefix = TablePrefix(*staging, table.name);
  ASSERT_EQ(target.statements.size(), 5u);
  EXPECT_EQ(target.statements[0], "BEGIN; DELETE FROM \"pg rs\".\"t\";");
  EXPECT_EQ(target.statements[1],
            "COPY \"pg rs\".\"t\" (\"id\", \"body\") FROM '" + prefix +
                "manifest' IAM_ROLE default MANIFEST FORMAT CSV NULL AS 'ts-null-3' DATEFORMAT "
                "'auto' TIMEFORMAT 'auto' COMPUPDATE OFF STATUPDATE OFF MAXERROR 0");
  EXPECT_EQ(target.statements[2], "SELECT pg_last_copy_count() AS n");
  EXPECT_EQ(target.statements[3], "COMMIT");
  EXPECT_EQ(target.statements[4], "ANALYZE \"pg rs\".\"t\"");
  // Committed: the staged CSV and manifest are gone.
  Result<S3Url> where = S3Url::Parse(prefix);
  ASSERT_TRUE(where.ok());
  Result<std::vector<S3Object>> left = (*s3)->List(where->bucket, where->key);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  ASSERT_TRUE((*source)->Execute("DROP SCHEMA \"pg rs\" CASCADE").ok());
}

}  // namespace
}  // namespace tenantshift
