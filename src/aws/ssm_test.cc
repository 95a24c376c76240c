// Contract tests of the SSM Parameter Store client against a local HTTP server: what goes on
// the wire (checked against botocore's request shapes in tests/aws_oracle too), and what errors
// say.
#include "aws/ssm.h"

#include <gtest/gtest.h>

#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

constexpr char kDocument[] =
    R"({"host":"old-src.internal","port":5432,"dbname":"acme","username":"app","password":"s3cr3t w0rd"})";

class SsmTest : public ::testing::Test {
 protected:
  SsmTest() : server_([](const HttpServer::Request&) { return Reply(200, "{}"); }) {}

  AwsServiceConnection Connect() {
    Result<AwsServiceConnection> c =
        ConnectAwsService(kSsmService, "", ServiceTestEnv(server_.url()));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(*c);
  }

  void ReplyWith(int status, const std::string& body) {
    server_.SetHandler([status, body](const HttpServer::Request&) { return Reply(status, body); });
  }

  HttpServer server_;
};

TEST_F(SsmTest, GetParameterAsksForTheDecryptedValueSignedForSsm) {
  // Response shape: botocore ssm-2014-11-06 GetParameterResult {Parameter: {Name, Type, Value,
  // Version, ...}}.
  ReplyWith(
      200,
      nlohmann::json{
          {"Parameter",
           {{"Name", "/acme/db"}, {"Type", "SecureString"}, {"Value", kDocument}, {"Version", 3}}}}
          .dump());
  AwsServiceConnection conn = Connect();
  Result<Secret> value = SsmClient(conn).GetParameter("/acme/db");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->Reveal(), kDocument);
  ASSERT_EQ(server_.request_count(), 1u);
  HttpServer::Request r = server_.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.Header("x-amz-target"), "AmazonSSM.GetParameter");
  EXPECT_EQ(r.Header("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(nlohmann::json::parse(r.body),
            (nlohmann::json{{"Name", "/acme/db"}, {"WithDecryption", true}}));
  EXPECT_EQ(SignedScope(r), "eu-west-1/ssm");
}

TEST_F(SsmTest, PutParameterOverwritesWithoutChangingTheType) {
  ReplyWith(200, R"({"Version":4,"Tier":"Standard"})");
  AwsServiceConnection conn = Connect();
  Status s = SsmClient(conn).PutParameter("/acme/db", Secret(kDocument));
  ASSERT_TRUE(s.ok()) << s.ToString();
  HttpServer::Request r = server_.requests().at(0);
  EXPECT_EQ(r.Header("x-amz-target"), "AmazonSSM.PutParameter");
  EXPECT_EQ(nlohmann::json::parse(r.body),
            (nlohmann::json{{"Name", "/acme/db"}, {"Overwrite", true}, {"Value", kDocument}}));
}

TEST_F(SsmTest, ErrorsNameTheParameterAndTheErrorButNeverTheValue) {
  AwsServiceConnection conn = Connect();
  SsmClient client(conn);
  ReplyWith(400, R"({"__type":"ParameterNotFound","message":""})");
  Result<Secret> missing = client.GetParameter("/acme/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("/acme/nope"), std::string::npos);
  EXPECT_NE(missing.status().message().find("ParameterNotFound"), std::string::npos);

  ReplyWith(400, nlohmann::json{{"__type", "ValidationException"},
                                {"message", std::string("bad value ") + kDocument}}
                     .dump());
  Status put = client.PutParameter("/acme/db", Secret(kDocument));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.message().find("w0rd"), std::string::npos) << put.message();
  EXPECT_NE(put.message().find("bad value ********"), std::string::npos) << put.message();

  ReplyWith(200, R"({"Parameter":{"Name":"/acme/db"}})");
  EXPECT_FALSE(client.GetParameter("/acme/db").ok());
}

}  // namespace
}  // namespace tenantshift
