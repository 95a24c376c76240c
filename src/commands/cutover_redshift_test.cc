// cutover --freeze-source with a Redshift source, end to end through RunCutover over a real
// ledger and secret file, the source answering from the recorded Redshift catalog
// (tests/fixtures/redshift: users with CONNECTION LIMIT UNLIMITED and 5, as pg_user_info prints
// them, https://docs.aws.amazon.com/redshift/latest/dg/r_PG_USER_INFO.html).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/cutover.h"
#include "commands/exit_code.h"
#include "testing/catalog_fixture.h"
#include "testing/fake_s3.h"
#include "testing/session_wrapper.h"

namespace tenantshift {
namespace {

constexpr char kConsumer[] = R"({"host":"old-src.example","port":5439,"dbname":"dev"})";

class RedshiftCutoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tenantshift_rscutover_XXXXXX";
    dir_ = mkdtemp(tmpl);
    secret_ = dir_ + "/consumer.json";
    std::ofstream(secret_) << kConsumer;
    Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRun(dir_ + "/work");
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    // A migrate that ended with exit 0 and validated its one table.
    RunIdentity id;
    id.source = "host=src";
    id.target = "host=dst";
    id.schemas = {"acme"};
    ASSERT_TRUE((*ledger)->BeginRun(id, "migrate", true).ok());
    Plan plan;
    Step check;
    check.kind = StepKind::kValidate;
    check.phase = "validate";
    check.description = "validate acme.orders";
    check.table = {"acme", "orders"};
    int v = plan.Add(check);
    ASSERT_TRUE((*ledger)->RecordPlan(plan).ok());
    ASSERT_TRUE((*ledger)->StepFinished(plan.step(v), StepResult{}, StepState::kSucceeded).ok());
    ASSERT_TRUE((*ledger)->EndRun(kExitOk).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs cutover --freeze-source; both servers are the recorded Redshift cluster.
  int Run(const std::string& via) {
    CutoverOptions o;
    o.work_dir = dir_ + "/work";
    o.consumer_secret = "secret-file:" + secret_;
    o.freeze_source = true;
    o.via = via;
    o.connect = [this](const ConnSpec&,
                       const std::string& role) -> Result<std::unique_ptr<Session>> {
      Result<std::unique_ptr<FakeSession>> s = LoadRedshiftFixture();
      if (!s.ok()) return s.status();
      (*s)->endpoint = {"new-dst.example", "5439", "dev", "admin"};
      // The test keeps each session, so what ran on it can be read after the cutover.
      kept_.push_back(std::move(*s));
      if (role == "source" && source_ == nullptr) source_ = kept_.back().get();
      return std::unique_ptr<Session>(std::make_unique<SessionWrapper>(*kept_.back()));
    };
    std::ostringstream out;
    int rc = RunCutover(o, out, err_);
    output_ = out.str();
    return rc;
  }

  std::string Secret() {
    std::ifstream in(secret_);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
  }

  std::string dir_, secret_, output_;
  std::ostringstream err_;
  std::vector<std::unique_ptr<FakeSession>> kept_;
  FakeSession* source_ = nullptr;  // the first source session: the one that freezes
};

TEST_F(RedshiftCutoverTest, WithoutViaRefusesBeforeFreezingAnything) {
  int rc = Run("");
  EXPECT_NE(rc, kExitOk);
  EXPECT_NE(err_.str().find("--via s3://bucket/prefix"), std::string::npos) << err_.str();
  ASSERT_NE(source_, nullptr);
  for (const std::string& sql : source_->executed) {
    EXPECT_EQ(sql.find("ALTER USER"), std::string::npos) << sql;
  }
  EXPECT_EQ(Secret(), kConsumer);
}

// The users are frozen with ALTER USER ... CONNECTION LIMIT 0 (not the superuser, whose limit
// is not enforced); their sessions are listed from STV_SESSIONS; when that fails (the fake has
// no answer), each gets back exactly the limit pg_user_info showed, and the secret stays.
TEST_F(RedshiftCutoverTest, FreezesUsersAndPutsTheirLimitsBackOnFailure) {
  // The staging location is checked before anything else: a local fake S3 answers.
  FakeS3 s3("bkt");
  setenv("AWS_REGION", "eu-west-1", 1);
  setenv("AWS_ACCESS_KEY_ID", "AKIDFAKES3", 1);
  setenv("AWS_SECRET_ACCESS_KEY", FakeS3::kSecret, 1);
  setenv("AWS_ENDPOINT_URL_S3", s3.url().c_str(), 1);
  int rc = Run("s3://bkt/stage");
  for (const char* v :
       {"AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL_S3"}) {
    unsetenv(v);
  }
  EXPECT_NE(rc, kExitOk);
  ASSERT_NE(source_, nullptr) << err_.str();
  std::vector<std::string> limits;
  for (const std::string& sql : source_->executed) {
    if (sql.rfind("ALTER USER", 0) == 0) limits.push_back(sql);
  }
  EXPECT_EQ(limits, (std::vector<std::string>{
                        "ALTER USER \"acme_owner\" CONNECTION LIMIT 0;",
                        "ALTER USER \"o'brien \"\"the analyst\"\"\" CONNECTION LIMIT 0;",
                        "ALTER USER \"acme_owner\" CONNECTION LIMIT UNLIMITED;",
                        "ALTER USER \"o'brien \"\"the analyst\"\"\" CONNECTION LIMIT 5;"}))
      << err_.str();
  bool listed = false;
  for (const std::string& q : source_->queried) {
    listed = listed || q.rfind("SELECT process AS id FROM stv_sessions WHERE", 0) == 0;
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(Secret(), kConsumer);
}

}  // namespace
}  // namespace tenantshift
