#include "aws/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testing/http_server.h"

namespace tenantshift {
namespace {

using SysTime = std::chrono::system_clock::time_point;

constexpr char kEnvSecret[] = "envSECRETenvSECRETenvSECRETenvSECRET0001";
constexpr char kFileSecret[] = "fileSECRETfileSECRETfileSECRETfileSECRE2";
constexpr char kProcSecret[] = "procSECRETprocSECRETprocSECRETprocSECRE3";
constexpr char kProcToken[] = "procTOKENprocTOKENprocTOKENprocTOKEN/+==";

SysTime At(int64_t epoch_seconds) { return SysTime(std::chrono::seconds(epoch_seconds)); }
constexpr int64_t k2030 = 1893456000;  // 2030-01-01T00:00:00Z

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "credentials_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    home_ = tmpl;
    std::filesystem::create_directories(home_ + "/.aws");
    env_.vars = {{"HOME", home_}, {"AWS_EC2_METADATA_DISABLED", "true"}};
    options_.clock = &clock_;
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& rel, const std::string& text, bool executable = false) {
    std::string path = home_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    if (executable) chmod(path.c_str(), 0755);
  }
  std::string Read(const std::string& rel) {
    std::ifstream in(home_ + "/" + rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // A credential_process script that logs each run (and its arguments) to runs.log.
  void WriteProcess(const std::string& json, int exit_code = 0, const std::string& err = "") {
    Write("bin dir/helper.sh",
          "#!/bin/sh\necho \"run $#:$1:$2\" >> \"" + home_ + "/runs.log\"\nprintf '%s' '" + json +
              "'\nprintf '%s\\n' '" + err + "' >&2\nexit " + std::to_string(exit_code) + "\n",
          true);
  }
  std::string ProcessJson(const std::string& expiration) {
    return R"({"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": ")" +
           std::string(kProcSecret) + R"(", "SessionToken": ")" + kProcToken +
           R"(", "Expiration": ")" + expiration + R"("})";
  }
  std::string ProcessLine() {
    return "credential_process = \"" + home_ + "/bin dir/helper.sh\" --profile 'a b'\n";
  }

  Result<AwsCredentials> Get() { return CredentialsProvider(env_, options_).Get(); }

  static void ExpectNoSecrets(const Status& s) {
    for (const char* secret : {kEnvSecret, kFileSecret, kProcSecret, kProcToken}) {
      EXPECT_EQ(s.message().find(secret), std::string::npos) << s.message();
    }
  }

  std::string home_;
  AwsEnvironment env_;
  CredentialsOptions options_;
  FakeClock clock_{At(k2030 - 3600)};
  // Moves the fake wall clock to `t`.
  void SetNow(SysTime t) {
    clock_.Advance(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(t - clock_.WallNow()));
  }
};

TEST_F(CredentialsTest, EnvironmentBeatsTheProfile) {
  env_.vars["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  env_.vars["AWS_SECRET_ACCESS_KEY"] = kEnvSecret;
  env_.vars["AWS_SESSION_TOKEN"] = "envtoken";
  Write(".aws/credentials", std::string("[default]\naws_access_key_id=AKIAFILE\n") +
                                "aws_secret_access_key=" + kFileSecret + "\n");
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "AKIAENV");
  EXPECT_EQ(c->secret_access_key, kEnvSecret);
  EXPECT_EQ(c->session_token, "envtoken");
  EXPECT_EQ(c->source, "environment");
  EXPECT_EQ(c->expiration, SysTime::max());
}

TEST_F(CredentialsTest, HalfSetEnvironmentIsAnErrorWithoutTheValue) {
  env_.vars["AWS_SECRET_ACCESS_KEY"] = kEnvSecret;
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("AWS_ACCESS_KEY_ID is not"), std::string::npos)
      << c.status().message();
  ExpectNoSecrets(c.status());
}

TEST_F(CredentialsTest, CredentialsFileProfileWithCommentsAndSpaces) {
  Write(".aws/credentials",
        std::string("# a comment\n; another\n[default]\n") +
            "aws_access_key_id=AKIADEFAULT\naws_secret_access_key=x\n\n" +
            "[ acme ]\n  # indented comment\naws_access_key_id   =   AKIAACME  \n" +
            "AWS_Secret_Access_Key=" + kFileSecret + "\n" +
            "aws_session_token = tok=with=equals\n");
  env_.vars["AWS_PROFILE"] = "acme";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "AKIAACME");
  EXPECT_EQ(c->secret_access_key, kFileSecret);
  EXPECT_EQ(c->session_token, "tok=with=equals");
  EXPECT_EQ(c->source, "profile acme in " + home_ + "/.aws/credentials");
}

TEST_F(CredentialsTest, ConfigFileUsesProfilePrefixedSections) {
  // In the config file "[acme]" is not a profile; "[profile acme]" is. AWS_CONFIG_FILE moves it.
  Write("elsewhere/config",
        std::string("[acme]\naws_access_key_id=WRONG\naws_secret_access_key=w\n") +
            "[profile acme]\nregion = eu-central-1\ns3 =\n  max_concurrent_requests = 4\n" +
            "aws_access_key_id = AKIACONFIG\naws_secret_access_key = " + kFileSecret + "\n");
  env_.vars["AWS_CONFIG_FILE"] = home_ + "/elsewhere/config";
  env_.vars["AWS_DEFAULT_PROFILE"] = "acme";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "AKIACONFIG");
  EXPECT_EQ(CredentialsProvider(env_, options_).Region(), "eu-central-1");
}

TEST_F(CredentialsTest, UnsupportedProfileKindsSaySoAndLegacyTokenNameWorks) {
  Write(".aws/config",
        "[profile sso]\nsso_session = corp\nregion = eu-west-1\n"
        "[profile legacy]\naws_access_key_id=A\naws_secret_access_key=B\n"
        "aws_security_token=old-style\n");
  env_.vars["AWS_PROFILE"] = "sso";
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("profile sso uses sso_session, which tenantshift does not "
                                      "support; set credential_process = aws configure "
                                      "export-credentials --profile sso"),
            std::string::npos)
      << c.status().message();
  env_.vars["AWS_PROFILE"] = "legacy";
  EXPECT_EQ(Get()->session_token, "old-style");
}

TEST_F(CredentialsTest, MissingProfileIsAClearError) {
  Write(".aws/credentials", "[default]\naws_access_key_id=A\naws_secret_access_key=B\n");
  env_.vars["AWS_PROFILE"] = "nope";
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  const std::string& m = c.status().message();
  EXPECT_NE(m.find("profile 'nope'"), std::string::npos) << m;
  EXPECT_NE(m.find(home_ + "/.aws/credentials"), std::string::npos) << m;
  EXPECT_NE(m.find(home_ + "/.aws/config"), std::string::npos) << m;
}

TEST_F(CredentialsTest, MalformedFileNamesTheLineNotItsText) {
  Write(".aws/credentials",
        std::string("[default]\naws_access_key_id=A\naws_secret_access_key ") + kFileSecret + "\n");
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(home_ + "/.aws/credentials:3"), std::string::npos)
      << c.status().message();
  ExpectNoSecrets(c.status());
}

TEST_F(CredentialsTest, ChainOrderCredentialsFileThenProcessThenConfig) {
  WriteProcess(ProcessJson("2030-01-01T00:00:00Z"));
  Write(".aws/config",
        "[default]\n" + ProcessLine() + "aws_access_key_id=AKIACONFIG\naws_secret_access_key=c\n");
  Write(".aws/credentials", "[default]\naws_access_key_id=AKIAFILE\naws_secret_access_key=f\n");
  EXPECT_EQ(Get()->access_key_id, "AKIAFILE");
  Write(".aws/credentials", "[default]\n");
  EXPECT_EQ(Get()->access_key_id, "ASIAPROC");
  Write(".aws/config", "[default]\naws_access_key_id=AKIACONFIG\naws_secret_access_key=c\n");
  EXPECT_EQ(Get()->access_key_id, "AKIACONFIG");
}

TEST_F(CredentialsTest, CredentialProcessRunsWithoutAShellAndParsesTheJson) {
  WriteProcess(ProcessJson("2030-01-01T00:00:00Z"));
  Write(".aws/config", "[profile p]\n" + ProcessLine());
  env_.vars["AWS_PROFILE"] = "p";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAPROC");
  EXPECT_EQ(c->secret_access_key, kProcSecret);
  EXPECT_EQ(c->session_token, kProcToken);
  EXPECT_EQ(c->expiration, At(k2030));
  EXPECT_EQ(Read("runs.log"), "run 2:--profile:a b\n");  // quotes split as a shell would
}

TEST_F(CredentialsTest, FailingCredentialProcessRedactsWhatItPrinted) {
  WriteProcess("", 3, std::string("sso session expired; dump: ") + kProcSecret + " " + kProcToken);
  Write(".aws/config", "[default]\n" + ProcessLine());
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  const std::string& m = c.status().message();
  EXPECT_NE(m.find("credential_process of profile default exited with status 3"), std::string::npos)
      << m;
  EXPECT_NE(m.find("sso session expired"), std::string::npos) << m;
  ExpectNoSecrets(c.status());
}

TEST_F(CredentialsTest, CredentialProcessWithoutVersionOneIsRejected) {
  WriteProcess(R"({"AccessKeyId": "A", "SecretAccessKey": "B"})");
  Write(".aws/config", "[default]\n" + ProcessLine());
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("\"Version\": 1"), std::string::npos);
}

TEST_F(CredentialsTest, TemporaryCredentialsAreRefreshedShortlyBeforeExpiry) {
  WriteProcess(ProcessJson("2030-01-01T00:00:00Z"));
  Write(".aws/config", "[default]\n" + ProcessLine());
  CredentialsProvider provider(env_, options_);
  ASSERT_TRUE(provider.Get().ok());
  SetNow(At(k2030 - 600));  // 10 minutes left: the cache is still good
  ASSERT_TRUE(provider.Get().ok());
  EXPECT_EQ(Read("runs.log"), "run 2:--profile:a b\n");
  SetNow(At(k2030 - 240));  // 4 minutes left: inside the 5-minute margin
  ASSERT_TRUE(provider.Get().ok());
  EXPECT_EQ(Read("runs.log"), "run 2:--profile:a b\nrun 2:--profile:a b\n");
  // A failing refresh keeps the old credentials while they are valid, not after.
  WriteProcess("", 1, "down");
  SetNow(At(k2030 - 60));
  Result<AwsCredentials> still = provider.Get();
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->access_key_id, "ASIAPROC");
  SetNow(At(k2030 + 1));
  EXPECT_FALSE(provider.Get().ok());
}

TEST_F(CredentialsTest, ContainerFullUriSendsTheTokenFromItsFile) {
  HttpServer server([](const HttpServer::Request&) {
    HttpServer::Response r;
    r.body = R"({"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t",)"
             R"("Expiration":"2030-01-01T01:00:00+01:00"})";
    return r;
  });
  Write("token", "container-auth-token\n");
  env_.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url() + "/creds";
  env_.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored-when-a-file-is-given";
  env_.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = home_ + "/token";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ASIACONT");
  EXPECT_EQ(c->session_token, "t");
  EXPECT_EQ(c->expiration, At(k2030));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/creds");
  EXPECT_EQ(server.requests()[0].Header("authorization"), "container-auth-token");
}

TEST_F(CredentialsTest, ContainerRelativeUriGoesToTheContainerHost) {
  HttpServer server([](const HttpServer::Request&) {
    HttpServer::Response r;
    r.body = R"({"AccessKeyId":"ASIAREL","SecretAccessKey":"s","Token":"t"})";
    return r;
  });
  options_.container_base_url = server.url();
  env_.vars["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  env_.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "tok";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAREL");
  EXPECT_EQ(server.requests().at(0).target, "/v2/credentials/abc");
  EXPECT_EQ(server.requests().at(0).Header("authorization"), "tok");
}

TEST_F(CredentialsTest, ContainerFullUriRefusesPlainHttpToARemoteHost) {
  env_.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://attacker.example/creds";
  env_.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = kProcToken;
  Result<AwsCredentials> c = Get();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  ExpectNoSecrets(c.status());
}

TEST_F(CredentialsTest, InstanceMetadataUsesAnImdsV2Token) {
  HttpServer server([](const HttpServer::Request& req) {
    HttpServer::Response r;
    if (req.method == "PUT" && req.path == "/latest/api/token") {
      r.body = "imds-session-token";
      if (req.Header("x-aws-ec2-metadata-token-ttl-seconds").empty()) r.status = 400;
    } else if (req.Header("x-aws-ec2-metadata-token") != "imds-session-token") {
      r.status = 401;
    } else if (req.path == "/latest/meta-data/iam/security-credentials/") {
      r.body = "tenant-role\n";
    } else if (req.path == "/latest/meta-data/iam/security-credentials/tenant-role") {
      r.body = R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s",)"
               R"("Token":"t","Expiration":"2030-01-01T00:00:00Z"})";
    } else {
      r.status = 404;
    }
    return r;
  });
  env_.vars.erase("AWS_EC2_METADATA_DISABLED");
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url() + "/";
  Result<AwsCredentials> c = Get();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->expiration, At(k2030));
  std::vector<HttpServer::Request> reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].Header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(reqs[1].Header("x-aws-ec2-metadata-token"), "imds-session-token");
  EXPECT_EQ(reqs[2].Header("x-aws-ec2-metadata-token"), "imds-session-token");
}

TEST_F(CredentialsTest, NothingFoundListsEverySourceTriedAndFailsFast) {
  int closed_port = 0;
  {
    HttpServer gone([](const HttpServer::Request&) { return HttpServer::Response{}; });
    closed_port = gone.port();
  }
  env_.vars.erase("AWS_EC2_METADATA_DISABLED");
  env_.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] =
      "http://127.0.0.1:" + std::to_string(closed_port);
  auto start = std::chrono::steady_clock::now();
  Result<AwsCredentials> c = Get();
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kPermission);
  const std::string& m = c.status().message();
  for (const char* source : {"environment", "shared credentials file", "credential_process",
                             "config file", "container", "EC2 instance metadata"}) {
    EXPECT_NE(m.find(source), std::string::npos) << source << " missing from: " << m;
  }
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST_F(CredentialsTest, RegionFromEnvironmentThenProfile) {
  Write(".aws/config", "[default]\nregion = ap-south-1\n[profile acme]\nregion=eu-west-3\n");
  EXPECT_EQ(CredentialsProvider(env_, options_).Region(), "ap-south-1");
  env_.vars["AWS_PROFILE"] = "acme";
  EXPECT_EQ(CredentialsProvider(env_, options_).Region(), "eu-west-3");
  env_.vars["AWS_DEFAULT_REGION"] = "us-west-2";
  EXPECT_EQ(CredentialsProvider(env_, options_).Region(), "us-west-2");
  env_.vars["AWS_REGION"] = "us-east-2";
  EXPECT_EQ(CredentialsProvider(env_, options_).Region(), "us-east-2");
}

}  // namespace
}  // namespace tenantshift
