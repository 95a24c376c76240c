// Contract tests of the Secrets Manager client and of `aws-secret:ID` connection sources against
// a local HTTP server: what goes on the wire, and what errors say.
#include "aws/secrets_manager.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <regex>

#include "connect/conn_spec.h"
#include "connect/secret_store.h"
#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

constexpr char kPassword[] = "pa$$ w0rd\"'; DROP";
constexpr char kSecretJson[] =
    R"({"engine":"postgres","host":"db.internal","port":6543,"dbname":"acme",)"
    R"("username":"app","password":"pa$$ w0rd\"'; DROP","extra":{"x":1}})";

class SecretsManagerTest : public ::testing::Test {
 protected:
  SecretsManagerTest() : server_([](const HttpServer::Request&) { return Reply(200, "{}"); }) {}

  AwsServiceConnection Connect(const std::string& region = "") {
    Result<AwsServiceConnection> c =
        ConnectAwsService(kSecretsManagerService, region, ServiceTestEnv(server_.url()));
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(*c);
  }

  void ReplyWith(int status, const std::string& body) {
    server_.SetHandler([status, body](const HttpServer::Request&) { return Reply(status, body); });
  }

  HttpServer server_;
};

TEST_F(SecretsManagerTest, GetSecretValueSendsTheJson11CallSignedForSecretsManager) {
  ReplyWith(200, nlohmann::json{{"Name", "prod/acme"}, {"SecretString", kSecretJson}}.dump());
  AwsServiceConnection conn = Connect();
  Result<Secret> value = SecretsManagerClient(conn).GetSecretValue("prod/acme");
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->Reveal(), kSecretJson);
  ASSERT_EQ(server_.request_count(), 1u);
  HttpServer::Request r = server_.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.Header("x-amz-target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(r.Header("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(nlohmann::json::parse(r.body), (nlohmann::json{{"SecretId", "prod/acme"}}));
  EXPECT_EQ(SignedScope(r), "eu-west-1/secretsmanager");
}

TEST_F(SecretsManagerTest, PutSecretValueSendsTheNewString) {
  AwsServiceConnection conn = Connect();
  Status s = SecretsManagerClient(conn).PutSecretValue("prod/acme", Secret(kSecretJson));
  ASSERT_TRUE(s.ok()) << s.ToString();
  HttpServer::Request r = server_.requests().at(0);
  EXPECT_EQ(r.Header("x-amz-target"), "secretsmanager.PutSecretValue");
  nlohmann::json body = nlohmann::json::parse(r.body);
  std::string token = body.value("ClientRequestToken", "");
  body.erase("ClientRequestToken");
  EXPECT_EQ(body, (nlohmann::json{{"SecretId", "prod/acme"}, {"SecretString", kSecretJson}}));
  // botocore's secretsmanager model marks ClientRequestToken as an idempotencyToken of 32-64
  // characters; its SDKs fill in a UUID.
  EXPECT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                                                 "[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << token;
  EXPECT_EQ(SignedScope(r), "eu-west-1/secretsmanager");
}

// O1: a retry of one PutSecretValue (here after a 500) sends the same token, so Secrets Manager
// ignores the repeat instead of creating a second version.
TEST_F(SecretsManagerTest, PutSecretValueRetriesReuseOneToken) {
  int calls = 0;
  server_.SetHandler([&](const HttpServer::Request&) {
    return ++calls == 1 ? Reply(500, R"({"__type":"InternalServiceError"})")
                        : Reply(200, R"({"ARN":"a","VersionId":"v"})");
  });
  AwsHttpOptions no_wait;
  FakeClock clock;  // retries do not wait
  no_wait.retry.clock = &clock;
  Result<AwsServiceConnection> conn =
      ConnectAwsService(kSecretsManagerService, "", ServiceTestEnv(server_.url()), no_wait);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  ASSERT_TRUE(SecretsManagerClient(*conn).PutSecretValue("prod/acme", Secret(kSecretJson)).ok());
  std::vector<HttpServer::Request> reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  std::string first = nlohmann::json::parse(reqs[0].body).value("ClientRequestToken", "");
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(nlohmann::json::parse(reqs[1].body).value("ClientRequestToken", ""), first);
  EXPECT_NE(NewClientRequestToken(), NewClientRequestToken());
}

TEST_F(SecretsManagerTest, ServiceErrorsNameTheSecretAndTheErrorButNeverTheValue) {
  AwsServiceConnection conn = Connect();
  SecretsManagerClient client(conn);
  ReplyWith(400, R"({"__type":"ResourceNotFoundException",)"
                 R"("message":"Secrets Manager can't find the specified secret."})");
  Result<Secret> missing = client.GetSecretValue("prod/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("prod/nope"), std::string::npos);
  EXPECT_NE(missing.status().message().find("ResourceNotFoundException"), std::string::npos);

  ReplyWith(400, R"({"__type":"com.amazonaws.secretsmanager#AccessDeniedException",)"
                 R"("Message":"User is not authorized"})");
  Result<Secret> denied = client.GetSecretValue("prod/acme");
  EXPECT_EQ(denied.status().code(), Status::Code::kPermission);
  EXPECT_NE(denied.status().message().find("AccessDeniedException"), std::string::npos);

  ReplyWith(400, R"({"__type":"DecryptionFailure","message":"KMS key is disabled"})");
  Result<Secret> kms = client.GetSecretValue("prod/acme");
  EXPECT_NE(kms.status().message().find("DecryptionFailure: KMS key is disabled"),
            std::string::npos);
  EXPECT_NE(kms.status().message().find("prod/acme"), std::string::npos);

  // Even a service message quoting the refused value does not reach the Status.
  ReplyWith(400, nlohmann::json{{"__type", "ValidationException"},
                                {"message", std::string("bad value ") + kSecretJson}}
                     .dump());
  Status put = client.PutSecretValue("prod/acme", Secret(kSecretJson));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.message().find("w0rd"), std::string::npos) << put.message();
  EXPECT_NE(put.message().find("bad value ********"), std::string::npos) << put.message();
  EXPECT_NE(put.message().find("ValidationException"), std::string::npos);
}

TEST_F(SecretsManagerTest, BinarySecretsAreRefusedClearly) {
  ReplyWith(200, R"({"Name":"b","SecretBinary":"AAEC"})");
  AwsServiceConnection conn = Connect();
  Result<Secret> v = SecretsManagerClient(conn).GetSecretValue("b");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("SecretBinary"), std::string::npos);
}

TEST(SecretRegionTest, TheArnsRegionIsUsed) {
  EXPECT_EQ(SecretRegion("arn:aws:secretsmanager:ap-south-2:123456789012:secret:prod/x-AbCd"),
            "ap-south-2");
  EXPECT_EQ(SecretRegion("prod/acme"), "");
  EXPECT_EQ(SecretRegion("arn:broken"), "");
}

// aws-secret: through ResolveConnSpec reads the process environment: set it for one test.
class AwsSecretConnSpecTest : public SecretsManagerTest {
 protected:
  void SetUp() override {
    for (const auto& [k, v] : ServiceTestEnv(server_.url()).vars) setenv(k.c_str(), v.c_str(), 1);
  }
  void TearDown() override {
    for (const auto& [k, v] : ServiceTestEnv(server_.url()).vars) unsetenv(k.c_str());
  }
  void Serve(const std::string& secret_string) {
    ReplyWith(200, nlohmann::json{{"SecretString", secret_string}}.dump());
  }
};

std::string ValueOf(const ConnSpec& spec, const std::string& keyword) {
  std::string out;
  for (size_t i = 0; i < spec.keywords.size(); ++i) {
    if (spec.keywords[i] == keyword) out = spec.values[i];
  }
  return out;
}

TEST_F(AwsSecretConnSpecTest, SecretFieldsBecomeLibpqParametersAndThePortIsHonoured) {
  Serve(kSecretJson);
  Result<ConnSpec> spec = ResolveConnSpec("aws-secret:prod/acme");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(ValueOf(*spec, "host"), "db.internal");
  EXPECT_EQ(ValueOf(*spec, "port"), "6543");
  EXPECT_EQ(ValueOf(*spec, "dbname"), "acme");
  EXPECT_EQ(ValueOf(*spec, "user"), "app");
  EXPECT_EQ(ValueOf(*spec, "password"), kPassword);
  EXPECT_EQ(spec->Describe(), "db.internal:6543/acme user=app");
  EXPECT_EQ(spec->Redact(std::string("auth failed: ") + kPassword), "auth failed: ********");
  EXPECT_EQ(nlohmann::json::parse(server_.requests().at(0).body)["SecretId"], "prod/acme");
}

TEST_F(AwsSecretConnSpecTest, DatabaseKeyAndRedshiftDefaultPort) {
  Serve(R"({"engine":"redshift","host":"wg.123456789012.eu-west-1.redshift-serverless.)"
        R"(amazonaws.com","database":"dev","username":"u","password":"p"})");
  Result<ConnSpec> spec = ResolveConnSpec("aws-secret:rs");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(ValueOf(*spec, "dbname"), "dev");
  EXPECT_EQ(ValueOf(*spec, "port"), "5439");  // absent in a Redshift secret: Redshift's port

  Serve(R"({"engine":"postgres","host":"pg","dbname":"x","username":"u","password":"p"})");
  spec = ResolveConnSpec("aws-secret:pg");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(ValueOf(*spec, "port"), "");  // libpq's default (PGPORT, else 5432)
}

TEST_F(AwsSecretConnSpecTest, BadSecretsAreClearErrorsThatNeverShowThePassword) {
  Serve(R"({"port":5432,"dbname":"x","username":"u","password":"hunter2"})");
  Result<ConnSpec> spec = ResolveConnSpec("aws-secret:prod/nohost");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "AWS secret prod/nohost has no \"host\"");

  Serve(R"({"host":"h","port":"54x","password":"hunter2"})");
  spec = ResolveConnSpec("aws-secret:prod/badport");
  ASSERT_FALSE(spec.ok());
  EXPECT_NE(spec.status().message().find("\"port\""), std::string::npos);
  EXPECT_EQ(spec.status().message().find("hunter2"), std::string::npos);

  Serve("password=hunter2, not json");
  spec = ResolveConnSpec("aws-secret:prod/text");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "AWS secret prod/text is not a JSON object");

  ReplyWith(400, R"({"__type":"AccessDeniedException","message":"no"})");
  spec = ResolveConnSpec("aws-secret:prod/denied");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), Status::Code::kPermission);
  EXPECT_NE(spec.status().message().find("prod/denied"), std::string::npos);
}

TEST(AwsSecretRegionTest, NoRegionAnywhereIsAClearError) {
  AwsEnvironment bare;  // no AWS_REGION, no HOME: no profile either
  Result<AwsServiceConnection> conn = ConnectAwsService(kSecretsManagerService, "", bare);
  ASSERT_FALSE(conn.ok());
  EXPECT_NE(conn.status().message().find("AWS_REGION"), std::string::npos);
  EXPECT_TRUE(ConnectAwsService(kSecretsManagerService, "eu-west-3", bare).ok());
  EXPECT_FALSE(OpenSecretStore("aws-secret:").ok());
  EXPECT_FALSE(OpenSecretStore("secret-file:").ok());
  EXPECT_FALSE(OpenSecretStore("vault:x").ok());
}

}  // namespace
}  // namespace tenantshift
