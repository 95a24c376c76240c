// The `cfn-stack:` consumer store against a local HTTP server standing in for CloudFormation:
// its reference syntax, the endpoint document it reads from the stack's parameters, and the
// UpdateStack it writes (only the changed parameters, never a NoEcho one), waiting on a
// FakeClock.
#include "connect/cfn_stack_store.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

// DescribeStacks answer (botocore cloudformation-2010-05-15 shape Stack; NoEcho values come back
// as asterisks).
std::string Stack(const std::string& status, const std::string& host) {
  return "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
         "<DescribeStacksResult><Stacks><member><StackName>etl</StackName>"
         "<StackStatus>" +
         status +
         "</StackStatus><Parameters>"
         "<member><ParameterKey>Host</ParameterKey><ParameterValue>" +
         host +
         "</ParameterValue></member>"
         "<member><ParameterKey>Port</ParameterKey><ParameterValue>5439</ParameterValue></member>"
         "<member><ParameterKey>Db</ParameterKey><ParameterValue>dev</ParameterValue></member>"
         "<member><ParameterKey>Pw</ParameterKey><ParameterValue>****</ParameterValue></member>"
         "</Parameters></member></Stacks></DescribeStacksResult></DescribeStacksResponse>";
}

TEST(CfnStackRefTest, ParsesStackAndParameterNames) {
  Result<CfnStackRef> r = ParseCfnStackRef("cfn-stack:etl-acme?host=Host&port=Port&database=Db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stack, "etl-acme");
  EXPECT_EQ(r->host_param, "Host");
  EXPECT_EQ(r->port_param, "Port");
  EXPECT_EQ(r->database_param, "Db");
  Result<CfnStackRef> arn = ParseCfnStackRef(
      "cfn-stack:arn:aws:cloudformation:us-east-1:123456789012:stack/etl/1?host=H");
  ASSERT_TRUE(arn.ok());
  EXPECT_EQ(arn->stack, "arn:aws:cloudformation:us-east-1:123456789012:stack/etl/1");
  EXPECT_TRUE(arn->port_param.empty());

  for (const char* bad :
       {"cfn-stack:", "cfn-stack:?host=H", "cfn-stack:etl", "cfn-stack:etl?port=P",
        "cfn-stack:etl?host=H&user=U", "cfn-stack:etl?host=", "cfn-stack:etl?host=H&host=I",
        "cfn-stack:etl?host=H&port=H"}) {
    Result<CfnStackRef> b = ParseCfnStackRef(bad);
    EXPECT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

class CfnStackStoreTest : public ::testing::Test {
 protected:
  CfnStackStoreTest()
      : server_([this](const HttpServer::Request& r) {
          std::lock_guard<std::mutex> lock(mu_);
          if (r.body.find("Action=UpdateStack") != std::string::npos) {
            status_ = "UPDATE_IN_PROGRESS";
            return Reply(200, "<UpdateStackResponse/>", "text/xml");
          }
          std::string body = Stack(status_, host_);
          if (status_ == "UPDATE_IN_PROGRESS") status_ = "UPDATE_COMPLETE";
          return Reply(200, body, "text/xml");
        }) {}

  std::unique_ptr<SecretStore> Open(const std::string& ref) {
    Result<CfnStackRef> parsed = ParseCfnStackRef(ref);
    EXPECT_TRUE(parsed.ok());
    Result<AwsServiceConnection> c =
        ConnectAwsService(kCloudFormationService, "", ServiceTestEnv(server_.url()));
    EXPECT_TRUE(c.ok());
    return NewCfnStackStore(*parsed, std::move(*c), clock_);
  }
  std::vector<std::string> Updates() {
    std::vector<std::string> out;
    for (const HttpServer::Request& r : server_.requests()) {
      if (r.body.find("Action=UpdateStack") != std::string::npos) out.push_back(r.body);
    }
    return out;
  }

  std::mutex mu_;
  std::string status_ = "CREATE_COMPLETE";  // guarded by mu_
  std::string host_ = "old.internal";       // guarded by mu_
  FakeClock clock_;
  HttpServer server_;
};

TEST_F(CfnStackStoreTest, ReadShowsTheNamedParametersAsAnEndpoint) {
  auto store = Open("cfn-stack:etl?host=Host&port=Port&database=Db");
  Result<Secret> doc = store->Read();
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(nlohmann::json::parse(doc->Reveal()),
            (nlohmann::json{{"host", "old.internal"}, {"port", "5439"}, {"dbname", "dev"}}));
  EXPECT_EQ(store->Name(), "CloudFormation stack etl");
}

TEST_F(CfnStackStoreTest, WriteUpdatesOnlyChangedParametersAndWaits) {
  auto store = Open("cfn-stack:etl?host=Host&port=Port&database=Db");
  Status s = store->Write(Secret(R"({"host":"new.internal","port":5439,"dbname":"dev"})"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> updates = Updates();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_NE(updates[0].find("Parameters.member.1.ParameterKey=Host&Parameters.member.1."
                            "ParameterValue=new.internal"),
            std::string::npos)
      << updates[0];
  EXPECT_NE(updates[0].find("Parameters.member.2.UsePreviousValue=true"), std::string::npos);
  EXPECT_NE(updates[0].find("Parameters.member.4.UsePreviousValue=true"), std::string::npos);
  EXPECT_FALSE(clock_.sleeps().empty());  // waited for UPDATE_COMPLETE on the clock

  // Already pointing there: no update at all.
  {
    std::lock_guard<std::mutex> lock(mu_);
    host_ = "new.internal";
  }
  ASSERT_TRUE(store->Write(Secret(R"({"host":"new.internal","port":"5439","dbname":"dev"})")).ok());
  EXPECT_EQ(Updates().size(), 1u);
}

TEST_F(CfnStackStoreTest, RefusesNoEchoParametersAndBusyStacksChangingNothing) {
  auto hidden = Open("cfn-stack:etl?host=Pw");
  Result<Secret> read = hidden->Read();
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("parameter Pw is NoEcho"), std::string::npos);
  EXPECT_FALSE(hidden->Write(Secret(R"({"host":"x"})")).ok());

  auto missing = Open("cfn-stack:etl?host=Nope");
  EXPECT_NE(missing->Read().status().message().find("has no parameter Nope"), std::string::npos);

  {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = "UPDATE_ROLLBACK_IN_PROGRESS";
  }
  auto busy = Open("cfn-stack:etl?host=Host");
  Status s = busy->Write(Secret(R"({"host":"new.internal"})"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("UPDATE_ROLLBACK_IN_PROGRESS"), std::string::npos) << s.message();
  EXPECT_TRUE(Updates().empty());
}

}  // namespace
}  // namespace tenantshift
