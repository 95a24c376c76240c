// Cutover logic over a real ledger (SQLite in a temporary directory), a real secret file, and
// fakes for the servers.
#include "commands/cutover.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "connect/cfn_stack_store.h"
#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

constexpr char kConsumer[] =
    R"({"engine":"postgres","host":"old-src.example","port":5432,"dbname":"acme",)"
    R"("username":"acme_app","password":"s3cr3t-Pa55","note":"keep me"})";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

class CutoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tenantshift_cutover_XXXXXX";
    dir_ = mkdtemp(tmpl);
    secret_path_ = dir_ + "/consumer.json";
    std::ofstream(secret_path_) << kConsumer;
    chmod(secret_path_.c_str(), 0644);
    Result<std::unique_ptr<Ledger>> l = Ledger::OpenForRun(dir_ + "/work");
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    ledger_ = std::move(*l);
    store_ = NewFileSecretStore(secret_path_);
    deps_.ledger = ledger_.get();
    deps_.consumer = store_.get();
    deps_.consumer_ref = "secret-file:" + secret_path_;
    deps_.target_endpoint = [] {
      return Result<ConnEndpoint>(ConnEndpoint{"new-dst", "6432", "acme2", "x"});
    };
    deps_.roles_to_freeze = [] {
      return Result<std::vector<FrozenRole>>(
          std::vector<FrozenRole>{{"acme_app", -1}, {"acme_etl", 5}});
    };
    deps_.freeze = [this](const std::vector<FrozenRole>& r) {
      calls_.push_back("freeze " + std::to_string(r.size()));
      return Status::Ok();
    };
    deps_.thaw = [this](const std::vector<FrozenRole>& r) {
      std::string c = "thaw";
      for (const FrozenRole& f : r) c += " " + f.name + "=" + std::to_string(f.previous_limit);
      calls_.push_back(c);
      return Status::Ok();
    };
    deps_.catch_up = [this]() -> Result<CatchUpResult> {
      calls_.push_back("catch up");
      if (!catch_up_status_.ok()) return catch_up_status_;
      return caught_up_;
    };
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A run as `migrate` leaves it: one table copied and validated, exit code `exit_code`.
  void RecordRun(int exit_code, StepState validate_state = StepState::kSucceeded) {
    RunIdentity id;
    id.source = "host=src";
    id.target = "host=dst";
    id.schemas = {"acme"};
    ASSERT_TRUE(ledger_->BeginRun(id, "migrate", true).ok());
    Plan plan;
    Step copy;
    copy.kind = StepKind::kCopyData;
    copy.phase = "data";
    copy.description = "copy acme.t";
    copy.table = {"acme", "t"};
    Step check = copy;
    check.kind = StepKind::kValidate;
    check.phase = "validate";
    check.description = "validate acme.t";
    int c = plan.Add(copy);
    check.deps = {c};
    int v = plan.Add(check);
    ASSERT_TRUE(ledger_->RecordPlan(plan).ok());
    StepResult ok;
    ASSERT_TRUE(ledger_->StepFinished(plan.step(c), ok, StepState::kSucceeded).ok());
    ASSERT_TRUE(ledger_->StepFinished(plan.step(v), ok, validate_state).ok());
    ASSERT_TRUE(ledger_->EndRun(exit_code).ok());
  }

  // What the ledger remembers of the cutover of this consumer (null: nothing).
  Result<nlohmann::json> Record() { return ledger_->LoadRecord("cutover " + deps_.consumer_ref); }

  nlohmann::json Secret() { return nlohmann::json::parse(ReadFile(secret_path_)); }

  std::string dir_, secret_path_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<SecretStore> store_;
  CutoverDeps deps_;
  std::vector<std::string> calls_;
  Status catch_up_status_;
  CatchUpResult caught_up_;
  std::ostringstream out_;
};

TEST_F(CutoverTest, RefusesWithoutAValidatedMigration) {
  Status none = CheckValidatedRun(*ledger_, "W");
  EXPECT_EQ(none.message(), "no migration is recorded in W; run migrate first");
  RecordRun(1);
  Status failed = CheckValidatedRun(*ledger_, "W");
  EXPECT_EQ(failed.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(failed.message().find("ended with exit code 1"), std::string::npos);
  RecordRun(0, StepState::kFailed);
  Status mismatch = CheckValidatedRun(*ledger_, "W");
  EXPECT_NE(mismatch.message().find("step \"validate acme.t\" is failed"), std::string::npos);
  RecordRun(0);
  EXPECT_TRUE(CheckValidatedRun(*ledger_, "W").ok());
}

TEST(PointSecretAtTest, SecretReferencesAreRecordedAsTheyAre) {
  EXPECT_EQ(BareConnectionString("aws-secret:prod/acme"), "aws-secret:prod/acme");
  EXPECT_EQ(BareConnectionString("secret-file:/x.json"), "secret-file:/x.json");
}

TEST(PointSecretAtTest, WritesTheEndpointKeepsEverythingElseAndRemembersOnlyEndpointFields) {
  Result<EndpointEdit> edit = PointSecretAt(tenantshift::Secret(kConsumer),
                                            {"new-dst", "6432", "acme2", "x"}, "secret file s");
  ASSERT_TRUE(edit.ok()) << edit.status().ToString();
  nlohmann::json after = nlohmann::json::parse(edit->text.Reveal());
  EXPECT_EQ(after["host"], "new-dst");
  EXPECT_EQ(after["port"], 6432);  // a number, as it was
  EXPECT_EQ(after["dbname"], "acme2");
  EXPECT_EQ(after["username"], "acme_app");  // the consumer's credentials stay
  EXPECT_EQ(after["password"], "s3cr3t-Pa55");
  EXPECT_EQ(after["note"], "keep me");
  EXPECT_EQ(edit->previous,
            (nlohmann::json{{"host", "old-src.example"}, {"port", 5432}, {"dbname", "acme"}}));
  EXPECT_EQ(edit->previous.dump().find("s3cr3t"), std::string::npos);

  // "database" is kept as the key; a missing port is recorded as absent.
  edit = PointSecretAt(tenantshift::Secret(R"({"host":"h","database":"d","password":"p"})"),
                       {"n", "5439", "dev", ""}, "w");
  ASSERT_TRUE(edit.ok());
  nlohmann::json other = nlohmann::json::parse(edit->text.Reveal());
  EXPECT_EQ(other["database"], "dev");
  EXPECT_FALSE(other.contains("dbname"));
  EXPECT_TRUE(edit->previous["port"].is_null());
  Result<tenantshift::Secret> back = RestoreSecret(edit->text, edit->previous, edit->written, "w");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(nlohmann::json::parse(back->Reveal()),
            nlohmann::json::parse(R"({"host":"h","database":"d","password":"p"})"));
  EXPECT_FALSE(PointSecretAt(tenantshift::Secret("[1]"), {"n", "1", "d", ""}, "w").ok());
}

TEST_F(CutoverTest, CutoverRewritesTheFileAtomicallyAndUndoPutsTheEndpointBack) {
  RecordRun(0);
  Status s = Cutover(deps_, /*freeze_source=*/false, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Secret()["host"], "new-dst");
  EXPECT_EQ(Secret()["port"], 6432);
  EXPECT_EQ(Secret()["password"], "s3cr3t-Pa55");
  struct stat st;
  ASSERT_EQ(stat(secret_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<nlohmann::json> record = Record();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ((*record)["state"], "switched");
  EXPECT_EQ(record->dump().find("s3cr3t"), std::string::npos);  // no password in the ledger
  EXPECT_TRUE(calls_.empty());                                  // no freeze asked for

  // A second cutover is refused; undo restores the source's endpoint.
  EXPECT_EQ(Cutover(deps_, false, out_).code(), Status::Code::kAlreadyExists);
  s = UndoCutover(deps_, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Secret(), nlohmann::json::parse(kConsumer));
  EXPECT_TRUE(Record()->is_null());
  EXPECT_EQ(UndoCutover(deps_, out_).code(), Status::Code::kInvalidArgument);  // nothing left
}

TEST_F(CutoverTest, FreezeThenCatchUpThenSwitchAndUndoThawsWithThePreviousLimits) {
  RecordRun(0);
  deps_.report_path = dir_ + "/cutover_report.json";
  caught_up_.tables_checked = 3;
  caught_up_.recopied = {{"acme.orders", 12, 3000, 0.5}, {"acme.items", 3, 100, 0.1}};
  caught_up_.sequences_set = 2;
  ASSERT_TRUE(Cutover(deps_, /*freeze_source=*/true, out_).ok());
  EXPECT_EQ(calls_, (std::vector<std::string>{"freeze 2", "catch up"}));
  Result<nlohmann::json> record = Record();
  EXPECT_EQ((*record)["frozen"][1],
            (nlohmann::json{{"role", "acme_etl"}, {"previous_connection_limit", 5}}));
  // The freeze window and what was copied again: in the ledger, the report and the terminal.
  EXPECT_GE((*record)["freeze_seconds"].get<double>(), 0.0);
  EXPECT_EQ((*record)["catch_up"]["tables_recopied"], 2);
  EXPECT_EQ((*record)["catch_up"]["rows_recopied"], 15);
  EXPECT_EQ((*record)["catch_up"]["bytes_recopied"], 3100);
  EXPECT_EQ((*record)["catch_up"]["recopied"][0]["table"], "acme.orders");
  nlohmann::json report = nlohmann::json::parse(ReadFile(deps_.report_path));
  EXPECT_EQ(report["catch_up"], (*record)["catch_up"]);
  EXPECT_EQ(report["freeze_seconds"], (*record)["freeze_seconds"]);
  EXPECT_EQ(report.dump().find("s3cr3t"), std::string::npos);
  EXPECT_NE(out_.str().find("source frozen for "), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("3 tables checked, 2 re-copied (15 rows"), std::string::npos)
      << out_.str();
  ASSERT_TRUE(UndoCutover(deps_, out_).ok());
  EXPECT_EQ(calls_.back(), "thaw acme_app=-1 acme_etl=5");
  EXPECT_EQ(Secret()["host"], "old-src.example");
}

TEST_F(CutoverTest, AMismatchAfterFreezingUnfreezesAndLeavesTheSecretAlone) {
  RecordRun(0);
  catch_up_status_ = Status::Mismatch("acme.t differs");
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kMismatch);
  EXPECT_NE(s.message().find("the source was unfrozen"), std::string::npos);
  EXPECT_EQ(calls_,
            (std::vector<std::string>{"freeze 2", "catch up", "thaw acme_app=-1 acme_etl=5"}));
  EXPECT_EQ(ReadFile(secret_path_), kConsumer);
  EXPECT_TRUE(Record()->is_null());
}

TEST_F(CutoverTest, UndoRefusesWhenTheSecretWasChangedSince) {
  RecordRun(0);
  ASSERT_TRUE(Cutover(deps_, false, out_).ok());
  nlohmann::json changed = Secret();
  changed["host"] = "someone-else";
  std::ofstream(secret_path_) << changed.dump();
  Status s = UndoCutover(deps_, out_);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("was changed after the cutover"), std::string::npos);
  EXPECT_EQ(Secret()["host"], "someone-else");
}

TEST_F(CutoverTest, UndoAfterACutoverKilledBeforeItWroteTheSecretOnlyUnfreezes) {
  RecordRun(0);
  // What Cutover records just before writing the secret, as a kill -9 would leave it.
  ASSERT_TRUE(
      ledger_
          ->SaveRecord("cutover " + deps_.consumer_ref,
                       {{"state", "switching"},
                        {"previous", {{"host", "old-src.example"}, {"port", 5432}}},
                        {"written", {{"host", "new-dst"}, {"port", 6432}}},
                        {"frozen", {{{"role", "acme_app"}, {"previous_connection_limit", 3}}}}})
          .ok());
  Status s = UndoCutover(deps_, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ReadFile(secret_path_), kConsumer);  // never written, so not rewritten
  EXPECT_EQ(calls_, (std::vector<std::string>{"thaw acme_app=3"}));
  EXPECT_TRUE(Record()->is_null());
}

TEST_F(CutoverTest, CutoverAgainAfterAKillWhileFrozenKeepsTheLimitsRecordedBeforeTheFreeze) {
  RecordRun(0);
  // Killed after freezing: the roles' limits are 0 now, so roles_to_freeze would read 0.
  ASSERT_TRUE(
      ledger_
          ->SaveRecord("cutover " + deps_.consumer_ref,
                       {{"state", "freezing"},
                        {"frozen", {{{"role", "acme_app"}, {"previous_connection_limit", 7}}}}})
          .ok());
  deps_.roles_to_freeze = [] {
    return Result<std::vector<FrozenRole>>(std::vector<FrozenRole>{{"acme_app", 0}});
  };
  EXPECT_EQ(Cutover(deps_, /*freeze_source=*/false, out_).code(), Status::Code::kAlreadyExists);
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(calls_, (std::vector<std::string>{"freeze 1", "catch up"}));
  EXPECT_EQ(Secret()["host"], "new-dst");
  ASSERT_TRUE(UndoCutover(deps_, out_).ok());
  EXPECT_EQ(calls_.back(), "thaw acme_app=7");
  EXPECT_EQ(ReadFile(secret_path_).find("new-dst"), std::string::npos);
}

TEST_F(CutoverTest, CutoverAgainAfterAKillWhileSwitchingFinishesTheSwitch) {
  RecordRun(0);
  ASSERT_TRUE(
      ledger_
          ->SaveRecord(
              "cutover " + deps_.consumer_ref,
              {{"state", "switching"},
               {"previous", {{"host", "old-src.example"}, {"port", 5432}, {"dbname", "acme"}}},
               {"written", {{"host", "new-dst"}, {"port", 6432}, {"dbname", "acme2"}}},
               {"frozen", {{{"role", "acme_app"}, {"previous_connection_limit", 3}}}}})
          .ok());
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(calls_.empty());  // frozen and caught up before the kill: not again
  EXPECT_EQ(Secret()["host"], "new-dst");
  EXPECT_EQ((*Record())["state"], "switched");
  EXPECT_EQ((*Record())["previous"]["host"], "old-src.example");
  ASSERT_TRUE(UndoCutover(deps_, out_).ok());
  EXPECT_EQ(Secret(), nlohmann::json::parse(kConsumer));
  EXPECT_EQ(calls_, (std::vector<std::string>{"thaw acme_app=3"}));
}

TEST_F(CutoverTest, DryRunChangesNothingAndEstimatesTheFreezeWindow) {
  RecordRun(0);
  Status s = DryRunCutover(deps_, /*freeze_source=*/true, 2, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(calls_.empty());
  EXPECT_EQ(ReadFile(secret_path_), kConsumer);
  EXPECT_TRUE(Record()->is_null());
  EXPECT_NE(out_.str().find("would point at new-dst:6432/acme2"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("acme_app, acme_etl"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("expected freeze window"), std::string::npos) << out_.str();
}

TEST(EstimateFreezeWindowTest, LongestStepOrTheTotalSharedByTheWorkers) {
  auto step = [](const char* phase, double seconds, int64_t bytes) {
    StepRecord r;
    r.phase = phase;
    r.state = "succeeded";
    r.seconds = seconds;
    r.bytes = bytes;
    return r;
  };
  std::map<std::string, StepRecord> steps = {{"v1", step("validate", 4, 0)},
                                             {"v2", step("validate", 1, 0)},
                                             {"v3", step("validate", 1, 0)},
                                             {"d1", step("data", 2, 1000)},
                                             {"d2", step("data", 3, 4000)}};
  FreezeEstimate e = EstimateFreezeWindow(steps, 2);
  EXPECT_EQ(e.tables, 3);
  EXPECT_DOUBLE_EQ(e.checksum_seconds, 4);  // the 4 s table: 6 s over 2 workers is less
  EXPECT_DOUBLE_EQ(e.copy_bytes_per_second, 1000);
  steps["v4"] = step("validate", 4, 0);
  steps["v5"] = step("validate", 4, 0);
  EXPECT_DOUBLE_EQ(EstimateFreezeWindow(steps, 2).checksum_seconds, 7);  // 14 s over 2
  steps["v6"] = step("validate", 100, 0);
  steps["v6"].state = "failed";  // not a timing to go by
  EXPECT_DOUBLE_EQ(EstimateFreezeWindow(steps, 2).checksum_seconds, 7);
  EXPECT_EQ(EstimateFreezeWindow({}, 4).tables, 0);
}

TEST_F(CutoverTest, AnUnreadableSecretChangesNothing) {
  RecordRun(0);
  std::filesystem::remove(secret_path_);
  Status s = Cutover(deps_, true, out_);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(secret_path_), std::string::npos);
  EXPECT_TRUE(calls_.empty());
  EXPECT_TRUE(Record()->is_null());
}

// aws-ssm:NAME as the consumer: a local SSM endpoint holding one parameter, through
// OpenSecretStore as `cutover --consumer-secret aws-ssm:/acme/db` opens it.
TEST_F(CutoverTest, AnSsmParameterIsRepointedAndUndoneWithoutThePasswordInTheLedger) {
  std::mutex mu;
  std::string value = kConsumer;  // guarded by mu
  HttpServer server([&](const HttpServer::Request& r) {
    std::lock_guard<std::mutex> lock(mu);
    nlohmann::json body = nlohmann::json::parse(r.body);
    if (r.Header("x-amz-target") == "AmazonSSM.PutParameter") {
      value = body["Value"].get<std::string>();
      return Reply(200, R"({"Version":2})");
    }
    return Reply(200,
                 nlohmann::json{{"Parameter", {{"Name", body["Name"]}, {"Value", value}}}}.dump());
  });
  for (const auto& [k, v] : ServiceTestEnv(server.url()).vars) setenv(k.c_str(), v.c_str(), 1);
  Result<std::unique_ptr<SecretStore>> store = OpenSecretStore("aws-ssm:/acme/db");
  for (const auto& [k, v] : ServiceTestEnv(server.url()).vars) unsetenv(k.c_str());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->Name(), "SSM parameter /acme/db");
  deps_.consumer = store->get();
  deps_.consumer_ref = "aws-ssm:/acme/db";
  RecordRun(0);
  Status s = Cutover(deps_, /*freeze_source=*/false, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  nlohmann::json now;
  {
    std::lock_guard<std::mutex> lock(mu);
    now = nlohmann::json::parse(value);
  }
  EXPECT_EQ(now["host"], "new-dst");
  EXPECT_EQ(now["port"], 6432);
  EXPECT_EQ(now["password"], "s3cr3t-Pa55");  // the consumer's own credentials stay
  Result<nlohmann::json> record = Record();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ((*record)["previous"]["host"], "old-src.example");
  EXPECT_EQ(record->dump().find("s3cr3t"), std::string::npos);
  ASSERT_TRUE(UndoCutover(deps_, out_).ok());
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(nlohmann::json::parse(value), nlohmann::json::parse(kConsumer));
}

// cfn-stack:STACK as the consumer: a local CloudFormation endpoint holding one stack whose
// NoEcho password parameter it shows as asterisks, as CloudFormation does.
TEST_F(CutoverTest, AStacksParametersAreRepointedAndUndoneByUpdateStack) {
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> params = {
      {"Host", "old-src.example"}, {"Port", "5432"}, {"Db", "acme"}, {"Pw", "s3cr3t-Pa55"}};
  std::string status = "CREATE_COMPLETE";  // guarded by mu, as params
  HttpServer server([&](const HttpServer::Request& r) {
    std::lock_guard<std::mutex> lock(mu);
    if (r.body.find("Action=UpdateStack") != std::string::npos) {
      std::stringstream in(r.body);
      std::string key;
      for (std::string pair; std::getline(in, pair, '&');) {
        std::string name = PercentDecode(pair.substr(0, pair.find('=')));
        std::string value = PercentDecode(pair.substr(pair.find('=') + 1));
        if (name.find(".ParameterKey") != std::string::npos) key = value;
        if (name.find(".ParameterValue") == std::string::npos) continue;
        for (auto& [k, v] : params) {
          if (k == key) v = value;
        }
      }
      status = "UPDATE_IN_PROGRESS";
      return Reply(200, "<UpdateStackResponse/>", "text/xml");
    }
    std::string xml =
        "<DescribeStacksResponse><DescribeStacksResult><Stacks><member>"
        "<StackName>etl</StackName><StackStatus>" +
        status + "</StackStatus><Parameters>";
    for (const auto& [k, v] : params) {
      xml += "<member><ParameterKey>" + k + "</ParameterKey><ParameterValue>" +
             (k == "Pw" ? "****" : v) + "</ParameterValue></member>";
    }
    if (status == "UPDATE_IN_PROGRESS") status = "UPDATE_COMPLETE";
    return Reply(200,
                 xml +
                     "</Parameters></member></Stacks></DescribeStacksResult>"
                     "</DescribeStacksResponse>",
                 "text/xml");
  });
  const std::string ref = "cfn-stack:etl?host=Host&port=Port&database=Db";
  Result<CfnStackRef> parsed = ParseCfnStackRef(ref);
  ASSERT_TRUE(parsed.ok());
  Result<AwsServiceConnection> conn =
      ConnectAwsService(kCloudFormationService, "", ServiceTestEnv(server.url()));
  ASSERT_TRUE(conn.ok());
  FakeClock clock;
  std::unique_ptr<SecretStore> store = NewCfnStackStore(*parsed, std::move(*conn), clock);
  deps_.consumer = store.get();
  deps_.consumer_ref = ref;
  RecordRun(0);
  Status s = Cutover(deps_, /*freeze_source=*/false, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(params,
              (std::vector<std::pair<std::string, std::string>>{
                  {"Host", "new-dst"}, {"Port", "6432"}, {"Db", "acme2"}, {"Pw", "s3cr3t-Pa55"}}));
  }
  Result<nlohmann::json> record = Record();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ((*record)["previous"]["host"], "old-src.example");
  EXPECT_EQ(record->dump().find("s3cr3t"), std::string::npos);
  ASSERT_TRUE(UndoCutover(deps_, out_).ok());
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(
      params,
      (std::vector<std::pair<std::string, std::string>>{
          {"Host", "old-src.example"}, {"Port", "5432"}, {"Db", "acme"}, {"Pw", "s3cr3t-Pa55"}}));
}

}  // namespace
TEST_F(CutoverTest, TheCatchUpIsPreparedBeforeTheFreezeAndItsFailureFreezesNothing) {
  RecordRun(0);
  deps_.prepare_catch_up = [this] {
    calls_.push_back("prepare");
    return Status::InvalidArgument("the source's tables changed since migrate planned them");
  };
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("nothing was changed"), std::string::npos) << s.message();
  EXPECT_EQ(calls_, (std::vector<std::string>{"prepare"}));
  EXPECT_TRUE(Record()->is_null());
  EXPECT_EQ(ReadFile(secret_path_), kConsumer);
  deps_.prepare_catch_up = [this] {
    calls_.push_back("prepare");
    return Status::Ok();
  };
  calls_.clear();
  ASSERT_TRUE(Cutover(deps_, /*freeze_source=*/true, out_).ok());
  EXPECT_EQ(calls_, (std::vector<std::string>{"prepare", "freeze 2", "catch up"}));
}

TEST_F(CutoverTest, AFollowIsEndedAfterTheSwitchAlsoWhenACutoverKilledWhileSwitchingIsFinished) {
  RecordRun(0);
  deps_.end_follow = [this] {
    calls_.push_back("end follow");
    return Status::Ok();
  };
  ASSERT_TRUE(ledger_
                  ->SaveRecord("cutover " + deps_.consumer_ref,
                               {{"state", "switching"},
                                {"previous", {{"host", "old-src.example"}}},
                                {"written", {{"host", "new-dst"}}},
                                {"frozen", nlohmann::json::array()}})
                  .ok());
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(calls_, (std::vector<std::string>{"end follow"}));
  EXPECT_EQ(Secret()["host"], "new-dst");
}

TEST_F(CutoverTest, CutoverAgainAfterAKillWhileEndingTheFollowDropsWhatIsLeft) {
  RecordRun(0);
  // Killed after the switch, while dropping slot and publication: the ledger still records
  // the follow (end_follow is set), so a second cutover drops them instead of refusing.
  ASSERT_TRUE(ledger_
                  ->SaveRecord("cutover " + deps_.consumer_ref,
                               {{"state", "switched"},
                                {"previous", {{"host", "old-src.example"}}},
                                {"written", {{"host", "new-dst"}}}})
                  .ok());
  deps_.end_follow = [this] {
    calls_.push_back("end follow");
    return Status::Ok();
  };
  Status s = Cutover(deps_, /*freeze_source=*/true, out_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(calls_, (std::vector<std::string>{"end follow"}));
  EXPECT_NE(out_.str().find("stopped after switching"), std::string::npos) << out_.str();
  deps_.end_follow = nullptr;  // the ledger forgot the follow: a cutover again is refused
  EXPECT_EQ(Cutover(deps_, true, out_).code(), Status::Code::kAlreadyExists);
}

}  // namespace tenantshift
