#include "state/ledger.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace tenantshift {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tenantshift_ledger_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static RunIdentity Identity() {
    RunIdentity id;
    id.source = "host='a'";
    id.target = "host='b'";
    id.schemas = {"acme"};
    id.on_existing = "error";
    id.ledger_version = Ledger::kFormatVersion;
    return id;
  }

  static Plan TwoSteps() {
    Plan plan;
    Step create;
    create.phase = "tables";
    create.description = "create table acme.t";
    int a = plan.Add(create);
    Step copy;
    copy.kind = StepKind::kCopyData;
    copy.phase = "data";
    copy.description = "copy data acme.t";
    copy.table = {"acme", "t"};
    copy.deps = {a};
    plan.Add(copy);
    return plan;
  }

  std::string dir_;
};

TEST_F(LedgerTest, ASecondRunOnTheSameDirectoryIsRefused) {
  Result<std::unique_ptr<Ledger>> first = Ledger::OpenForRun(dir_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Result<std::unique_ptr<Ledger>> second = Ledger::OpenForRun(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("another tenantshift run"), std::string::npos);
  first->reset();  // releases the lock
  EXPECT_TRUE(Ledger::OpenForRun(dir_).ok());
}

TEST_F(LedgerTest, StepsRoundTripAndInterruptedStepsBecomeFailed) {
  Plan plan = TwoSteps();
  {
    auto ledger = Ledger::OpenForRun(dir_);
    ASSERT_TRUE(ledger.ok());
    ASSERT_TRUE((*ledger)->BeginRun(Identity(), "migrate", true).ok());
    ASSERT_TRUE((*ledger)->RecordPlan(plan).ok());
    StepResult done;
    done.attempts = 1;
    done.rows = 42;
    done.bytes = 4200;
    ASSERT_TRUE((*ledger)->StepStarted(plan.step(0)).ok());
    ASSERT_TRUE((*ledger)->StepFinished(plan.step(0), done, StepState::kSucceeded).ok());
    ASSERT_TRUE((*ledger)->StepStarted(plan.step(1)).ok());
    // Another worker's group commit writes the start along; then the process "dies" here:
    // step 1 stays running.
    ASSERT_TRUE((*ledger)->StepsFinished({}).ok());
  }
  auto ledger = Ledger::OpenForRun(dir_);
  ASSERT_TRUE(ledger.ok());
  auto identity = (*ledger)->LoadIdentity();
  ASSERT_TRUE(identity.ok() && identity->has_value());
  EXPECT_EQ((**identity).DifferenceFrom(Identity()), "");
  ASSERT_TRUE((*ledger)->BeginRun(Identity(), "resume", false).ok());
  auto steps = (*ledger)->LoadSteps();
  ASSERT_TRUE(steps.ok());
  const StepRecord& create = steps->at(plan.step(0).key);
  EXPECT_EQ(create.state, "succeeded");
  EXPECT_EQ(create.rows, 42);
  const StepRecord& copy = steps->at(plan.step(1).key);
  EXPECT_EQ(copy.state, "failed");
  EXPECT_EQ(copy.table_name, "t");
  EXPECT_NE(copy.error.find("interrupted"), std::string::npos);
}

// Issue 14: steps that finished together are committed together, and a start nobody
// committed yet leaves its step to be run again, never recorded as done.
TEST_F(LedgerTest, AGroupOfFinishedStepsIsCommittedTogether) {
  Plan plan = TwoSteps();
  {
    auto ledger = Ledger::OpenForRun(dir_);
    ASSERT_TRUE(ledger.ok());
    ASSERT_TRUE((*ledger)->BeginRun(Identity(), "migrate", true).ok());
    ASSERT_TRUE((*ledger)->RecordPlan(plan).ok());
    StepResult done, failed;
    done.attempts = failed.attempts = 1;
    done.rows = 7;
    failed.status = Status::Server("boom");
    ASSERT_TRUE((*ledger)->StepStarted(plan.step(0)).ok());
    ASSERT_TRUE((*ledger)->StepStarted(plan.step(1)).ok());
    ASSERT_TRUE((*ledger)
                    ->StepsFinished({{&plan.step(0), &done, StepState::kSucceeded},
                                     {&plan.step(1), &failed, StepState::kFailed}})
                    .ok());
    ASSERT_TRUE((*ledger)->StepStarted(plan.step(0)).ok());  // a retry, never committed
  }
  auto reader = Ledger::OpenForReading(dir_);
  ASSERT_TRUE(reader.ok());
  auto steps = (*reader)->LoadSteps();
  ASSERT_TRUE(steps.ok());
  EXPECT_EQ(steps->at(plan.step(0).key).state, "succeeded");
  EXPECT_EQ(steps->at(plan.step(0).key).rows, 7);
  EXPECT_EQ(steps->at(plan.step(1).key).state, "failed");
  EXPECT_EQ(steps->at(plan.step(1).key).error, "boom");
}

TEST_F(LedgerTest, IdentityDifferencesAreNamed) {
  RunIdentity other = Identity();
  other.schemas = {"acme", "billing"};
  EXPECT_NE(Identity().DifferenceFrom(other).find("--schema"), std::string::npos);
  other = Identity();
  other.target = "host='c'";
  EXPECT_NE(Identity().DifferenceFrom(other).find("target"), std::string::npos);
}

TEST(BareConnectionStringTest, PasswordsAreRemoved) {
  std::string bare = BareConnectionString("host=h user=u password=s3cret dbname=d");
  EXPECT_EQ(bare.find("s3cret"), std::string::npos);
  EXPECT_NE(bare.find("host='h'"), std::string::npos);
  EXPECT_EQ(BareConnectionString("postgresql://u:t0p@h:5433/d").find("t0p"), std::string::npos);
  EXPECT_EQ(BareConnectionString("secret-file:/x/y.json"), "secret-file:/x/y.json");
  EXPECT_EQ(BareConnectionString("host='it''s"), "");  // unparseable: nothing kept
}

}  // namespace
}  // namespace tenantshift
