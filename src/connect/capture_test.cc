#include "connect/capture.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/fake_session.h"

namespace tenantshift {
namespace {

constexpr const char* kVerifiers = "SELECT name, verifier FROM v WHERE name IN ($1)";

Rows VerifierRows() {
  Rows r;
  r.columns = {"name", "verifier"};
  r.rows = {{std::string("alice"), std::string("SCRAM-SHA-256$4096:c2FsdA==$a:b")},
            {std::string("bob"), std::string("md5d41d8cd98f00b204e9800998ecf8427e")}};
  return r;
}

TEST(CaptureTest, RecordsRowsButNeverVerifiersOrData) {
  FakeSession live;
  live.AddResult(kVerifiers, VerifierRows());
  RecordingSession rec(live);
  Result<Rows> r = rec.Query(kVerifiers, {std::string(R"(["alice","bob"])")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r->rows[0][1], "SCRAM-SHA-256$4096:c2FsdA==$a:b");  // the caller sees the truth
  ASSERT_EQ(rec.recorded().size(), 1u);
  EXPECT_EQ(*rec.recorded()[0].rows.rows[0][1], "********");  // the file does not
  EXPECT_EQ(*rec.recorded()[0].rows.rows[1][1], "********");
  EXPECT_FALSE(
      rec.CopyOut("COPY t TO STDOUT", [](const char*, size_t) { return Status::Ok(); }).ok());
  EXPECT_FALSE(rec.EncryptPassword("pw", "alice").ok());
}

TEST(CaptureTest, ReplayAnswersTheSameQuestionsFromTheFileAndNothingElse) {
  FakeSession live;
  live.AddResult(kVerifiers, VerifierRows());
  live.FailOn("SET ", Status::Server("unrecognized configuration parameter"));
  RecordingSession rec(live);
  ASSERT_TRUE(rec.Query(kVerifiers, {std::string(R"(["alice","bob"])")}).ok());
  ASSERT_FALSE(rec.Execute("SET x = 1").ok());
  Capture c;
  c.tenantshift_version = "test";
  c.source = "db.example:5432/postgres user=admin";
  c.dialect = "postgres";
  c.server_version_num = 150004;
  c.schemas = {"acme"};
  c.queries = rec.recorded();
  std::string path = ::testing::TempDir() + "capture_test.json";
  ASSERT_TRUE(WriteCapture(path, c).ok());
  Result<Capture> read = ReadCapture(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ReplaySession replay(std::move(*read), path);
  EXPECT_EQ(replay.Describe(), "db.example:5432/postgres user=admin");
  EXPECT_EQ(replay.ServerVersion(), 150004);
  // The same query with a subset of the names: the rows of those names.
  Result<Rows> one = replay.Query(kVerifiers, {std::string(R"(["bob"])")});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->Get(0, "name"), "bob");
  // The recorded failure comes back as the same error.
  Status set = replay.Execute("SET x = 1");
  EXPECT_EQ(set.code(), Status::Code::kServer);
  EXPECT_EQ(set.message(), "unrecognized configuration parameter");
  // What was never asked is refused, naming the capture; so is any data or change.
  Result<Rows> other = replay.Query("SELECT 1", {});
  EXPECT_EQ(other.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(other.status().message().find(path), std::string::npos);
  EXPECT_FALSE(replay.Execute("DROP TABLE t").ok());
  EXPECT_FALSE(replay.BeginCopyIn("COPY t FROM STDIN").ok());
  std::filesystem::remove(path);
}

TEST(CaptureTest, AFileThatIsNotACaptureIsRefusedClearly) {
  std::string path = ::testing::TempDir() + "not_a_capture.json";
  std::ofstream(path) << R"({"hello": 1})";
  Result<Capture> c = ReadCapture(path);
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("not a tenantshift capture"), std::string::npos);
  EXPECT_EQ(ReadCapture(path + ".missing").status().code(), Status::Code::kInvalidArgument);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace tenantshift
