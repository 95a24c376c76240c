// Contract tests of the CloudFormation client against a local HTTP server: the form bodies of
// DescribeStacks and UpdateStack (checked against botocore's serializer in tests/aws_oracle
// too), parsing of DescribeStacks' XML (botocore cloudformation-2010-05-15 shape Stack, lists
// as <member>), and the wait for an update on a FakeClock.
#include "aws/cloudformation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>

#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

// A DescribeStacks answer for stack "etl" in `status`, with a NoEcho parameter (masked by
// CloudFormation as asterisks) and two capabilities.
std::string StackXml(const std::string& status, const std::string& host = "old.internal",
                     const std::string& reason = "") {
  return "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
         "<DescribeStacksResult><Stacks><member>"
         "<StackName>etl</StackName>"
         "<StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/etl/abc</StackId>"
         "<CreationTime>2024-01-01T00:00:00Z</CreationTime>"
         "<StackStatus>" +
         status + "</StackStatus>" +
         (reason.empty() ? "" : "<StackStatusReason>" + reason + "</StackStatusReason>") +
         "<Parameters>"
         "<member><ParameterKey>DbHost</ParameterKey><ParameterValue>" +
         host +
         "</ParameterValue></member>"
         "<member><ParameterKey>DbPort</ParameterKey><ParameterValue>5439</ParameterValue>"
         "</member>"
         "<member><ParameterKey>DbName</ParameterKey><ParameterValue>dev</ParameterValue>"
         "</member>"
         "<member><ParameterKey>DbPassword</ParameterKey><ParameterValue>****</ParameterValue>"
         "</member>"
         "</Parameters>"
         "<Capabilities><member>CAPABILITY_IAM</member><member>CAPABILITY_NAMED_IAM</member>"
         "</Capabilities>"
         "</member></Stacks></DescribeStacksResult>"
         "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
         "</DescribeStacksResponse>";
}

// Form fields of a query-protocol body, decoded, in order.
std::vector<std::pair<std::string, std::string>> Form(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    std::string pair = body.substr(start, end == std::string::npos ? end : end - start);
    size_t eq = pair.find('=');
    out.emplace_back(PercentDecode(pair.substr(0, eq)), PercentDecode(pair.substr(eq + 1)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

class CloudFormationTest : public ::testing::Test {
 protected:
  CloudFormationTest()
      : server_([this](const HttpServer::Request&) {
          std::lock_guard<std::mutex> lock(mu_);
          std::string body = replies_.empty() ? StackXml("UPDATE_COMPLETE") : replies_.front();
          if (replies_.size() > 1) replies_.erase(replies_.begin());
          return Reply(200, body, "text/xml");
        }) {}

  AwsServiceConnection Connect() {
    Result<AwsServiceConnection> c =
        ConnectAwsService(kCloudFormationService, "", ServiceTestEnv(server_.url()));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(*c);
  }
  // Answers in order; the last one repeats.
  void Replies(std::vector<std::string> r) {
    std::lock_guard<std::mutex> lock(mu_);
    replies_ = std::move(r);
  }

  std::mutex mu_;
  std::vector<std::string> replies_;  // guarded by mu_
  HttpServer server_;
};

TEST(ParseDescribeStacksTest, ReadsStatusParametersAndCapabilities) {
  Result<StackState> s = ParseDescribeStacks(
      StackXml("UPDATE_ROLLBACK_COMPLETE", "a&amp;b", "Resource failed"), "etl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->status, "UPDATE_ROLLBACK_COMPLETE");
  EXPECT_EQ(s->reason, "Resource failed");
  ASSERT_EQ(s->parameters.size(), 4u);
  EXPECT_EQ(s->parameters[0].key, "DbHost");
  EXPECT_EQ(s->parameters[0].value, "a&b");
  EXPECT_FALSE(s->parameters[0].masked());
  EXPECT_TRUE(s->Find("DbPassword")->masked());
  EXPECT_EQ(s->Find("nope"), nullptr);
  EXPECT_EQ(s->capabilities, (std::vector<std::string>{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}));

  EXPECT_EQ(ParseDescribeStacks("<x", "etl").status().code(), Status::Code::kServer);
  EXPECT_EQ(ParseDescribeStacks("<DescribeStacksResponse><DescribeStacksResult><Stacks/>"
                                "</DescribeStacksResult></DescribeStacksResponse>",
                                "etl")
                .status()
                .code(),
            Status::Code::kInvalidArgument);
}

TEST(StackPhaseTest, ClassifiesTheStatusesOfBotocoresEnum) {
  EXPECT_EQ(PhaseOf("UPDATE_IN_PROGRESS"), StackPhase::kInProgress);
  EXPECT_EQ(PhaseOf("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"), StackPhase::kInProgress);
  EXPECT_EQ(PhaseOf("UPDATE_COMPLETE"), StackPhase::kComplete);
  EXPECT_EQ(PhaseOf("CREATE_COMPLETE"), StackPhase::kComplete);
  EXPECT_EQ(PhaseOf("UPDATE_ROLLBACK_IN_PROGRESS"), StackPhase::kFailed);
  EXPECT_EQ(PhaseOf("UPDATE_ROLLBACK_COMPLETE"), StackPhase::kFailed);
  EXPECT_EQ(PhaseOf("UPDATE_FAILED"), StackPhase::kFailed);
}

TEST_F(CloudFormationTest, DescribeStackSendsTheQueryFormSignedForCloudFormation) {
  AwsServiceConnection conn = Connect();
  Result<StackState> s = CloudFormationClient(conn).DescribeStack("etl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->status, "UPDATE_COMPLETE");
  HttpServer::Request r = server_.requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(Form(r.body),
            (std::vector<std::pair<std::string, std::string>>{
                {"Action", "DescribeStacks"}, {"Version", "2010-05-15"}, {"StackName", "etl"}}));
  EXPECT_EQ(SignedScope(r), "eu-west-1/cloudformation");
}

TEST_F(CloudFormationTest, UpdateStackKeepsTemplateOtherParametersAndCapabilities) {
  AwsServiceConnection conn = Connect();
  CloudFormationClient client(conn);
  Result<StackState> s = client.DescribeStack("etl");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(client.UpdateStack("etl", *s, {{"DbHost", "new&host"}, {"DbPort", "5432"}}).ok());
  EXPECT_EQ(Form(server_.requests().at(1).body),
            (std::vector<std::pair<std::string, std::string>>{
                {"Action", "UpdateStack"},
                {"Version", "2010-05-15"},
                {"StackName", "etl"},
                {"UsePreviousTemplate", "true"},
                {"Parameters.member.1.ParameterKey", "DbHost"},
                {"Parameters.member.1.ParameterValue", "new&host"},
                {"Parameters.member.2.ParameterKey", "DbPort"},
                {"Parameters.member.2.ParameterValue", "5432"},
                {"Parameters.member.3.ParameterKey", "DbName"},
                {"Parameters.member.3.UsePreviousValue", "true"},
                {"Parameters.member.4.ParameterKey", "DbPassword"},
                {"Parameters.member.4.UsePreviousValue", "true"},
                {"Capabilities.member.1", "CAPABILITY_IAM"},
                {"Capabilities.member.2", "CAPABILITY_NAMED_IAM"}}));
}

TEST_F(CloudFormationTest, WaitPollsOnTheClockUntilUpdateComplete) {
  Replies({StackXml("UPDATE_IN_PROGRESS"), StackXml("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
           StackXml("UPDATE_COMPLETE")});
  AwsServiceConnection conn = Connect();
  CloudFormationClient client(conn);
  FakeClock clock;
  Status s = WaitForStackUpdate(client, "etl", StackWaitPolicy(), clock);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(server_.request_count(), 3u);
  using std::chrono::milliseconds;
  EXPECT_EQ(clock.sleeps(), (std::vector<milliseconds>{milliseconds(5000), milliseconds(10000),
                                                       milliseconds(20000)}));
}

TEST_F(CloudFormationTest, WaitFailsOnRollbackWithTheReason) {
  Replies({StackXml("UPDATE_IN_PROGRESS"), StackXml("UPDATE_ROLLBACK_IN_PROGRESS", "x", "Boom")});
  AwsServiceConnection conn = Connect();
  CloudFormationClient client(conn);
  FakeClock clock;
  Status s = WaitForStackUpdate(client, "etl", StackWaitPolicy(), clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kServer);
  EXPECT_NE(s.message().find("UPDATE_ROLLBACK_IN_PROGRESS (Boom)"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("etl"), std::string::npos);
}

TEST_F(CloudFormationTest, WaitGivesUpAfterThePolicysTime) {
  Replies({StackXml("UPDATE_IN_PROGRESS")});
  AwsServiceConnection conn = Connect();
  CloudFormationClient client(conn);
  FakeClock clock;
  StackWaitPolicy policy;
  policy.give_up_after = std::chrono::milliseconds(60000);
  Status s = WaitForStackUpdate(client, "etl", policy, clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kConnection);
  EXPECT_NE(s.message().find("still UPDATE_IN_PROGRESS after 60 s"), std::string::npos)
      << s.message();
  std::chrono::milliseconds total{0};
  for (auto d : clock.sleeps()) total += d;
  EXPECT_EQ(total, std::chrono::milliseconds(60000));
}

TEST_F(CloudFormationTest, ServiceErrorsNameTheStack) {
  server_.SetHandler([](const HttpServer::Request&) {
    return Reply(400,
                 "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                 "<Message>Stack with id etl does not exist</Message></Error></ErrorResponse>",
                 "text/xml");
  });
  AwsServiceConnection conn = Connect();
  Result<StackState> s = CloudFormationClient(conn).DescribeStack("etl");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("DescribeStacks of stack etl"), std::string::npos);
  EXPECT_NE(s.status().message().find("does not exist"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace tenantshift
