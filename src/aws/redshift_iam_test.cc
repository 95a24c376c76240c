// Redshift IAM role association: host parsing, and contract tests of the Redshift Serverless
// (JSON 1.1) and Redshift (Query) calls against a local HTTP server, with a fake sleeper.
#include "aws/redshift_iam.h"

#include <gtest/gtest.h>

#include <map>

#include "testing/aws_service_env.h"

namespace tenantshift {
namespace {

constexpr char kOld[] = "arn:aws:iam::123456789012:role/existing";
constexpr char kNew[] = "arn:aws:iam::123456789012:role/path/tenantshift-unload";
constexpr char kDefault[] = "arn:aws:iam::123456789012:role/default-role";

// The sleeps a FakeClock recorded, in milliseconds.
std::vector<int64_t> Slept(const FakeClock& clock) {
  std::vector<int64_t> out;
  for (auto d : clock.sleeps()) out.push_back(d.count());
  return out;
}

TEST(RedshiftHostTest, ServerlessAndProvisionedEndpointNames) {
  RedshiftHost s =
      ParseRedshiftHost("acme-wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com");
  EXPECT_EQ(s.kind, RedshiftHost::Kind::kServerless);
  EXPECT_EQ(s.id, "acme-wg");
  EXPECT_EQ(s.region, "eu-west-1");
  RedshiftHost p = ParseRedshiftHost("Prod-1.cabc123xyz.us-east-2.redshift.amazonaws.com.");
  EXPECT_EQ(p.kind, RedshiftHost::Kind::kProvisioned);
  EXPECT_EQ(p.id, "prod-1");
  EXPECT_EQ(p.region, "us-east-2");
  for (const char* other : {"127.0.0.1", "db.example.com", "redshift.amazonaws.com",
                            "x.redshift.amazonaws.com", "vpce-1.redshift.example.com", ""}) {
    EXPECT_EQ(ParseRedshiftHost(other).kind, RedshiftHost::Kind::kUnknown) << other;
  }
}

TEST(RedshiftHostTest, IamRoleArns) {
  EXPECT_TRUE(IsIamRoleArn(kNew));
  EXPECT_TRUE(IsIamRoleArn("arn:aws-cn:iam::123456789012:role/r"));
  EXPECT_FALSE(IsIamRoleArn("default"));
  EXPECT_FALSE(IsIamRoleArn("arn:aws:iam::123:role/r"));
  EXPECT_FALSE(IsIamRoleArn("arn:aws:iam::123456789012:user/r"));
  EXPECT_FALSE(IsIamRoleArn("arn:aws:iam::123456789012:role/a b"));
}

TEST(RedshiftHostTest, NamespaceRolesInBothShapes) {
  WarehouseRoles w = ParseServerlessNamespace(nlohmann::json::parse(
      R"J({"status":"MODIFYING","defaultIamRoleArn":"d","iamRoles":[
          "IamRole(applyStatus=adding, iamRoleArn=arn:aws:iam::123456789012:role/a)",
          "arn:aws:iam::123456789012:role/b"]})J"));
  ASSERT_EQ(w.roles.size(), 2u);
  EXPECT_EQ(w.roles[0].arn, "arn:aws:iam::123456789012:role/a");
  EXPECT_EQ(w.roles[0].apply_status, "adding");
  EXPECT_EQ(w.roles[1].arn, "arn:aws:iam::123456789012:role/b");
  EXPECT_FALSE(w.available);
  EXPECT_EQ(w.default_role, "d");
}

// A Redshift Serverless workgroup "acme-wg" in namespace "acme-ns" that takes `polls` GetNamespace
// calls after UpdateNamespace before the new role is in-sync.
struct ServerlessFake {
  int polls_until_in_sync = 2;
  bool updated = false;
  int polls_after_update = 0;
  std::vector<std::string> roles = {kOld};

  HttpServer::Response Handle(const HttpServer::Request& r) {
    std::string target = r.Header("x-amz-target");
    if (target == "RedshiftServerless.GetWorkgroup") {
      return Reply(200, R"({"workgroup":{"workgroupName":"acme-wg","namespaceName":"acme-ns"}})");
    }
    if (target == "RedshiftServerless.UpdateNamespace") {
      updated = true;
      roles = nlohmann::json::parse(r.body)["iamRoles"].get<std::vector<std::string>>();
      return Reply(200, R"({"namespace":{"namespaceName":"acme-ns","status":"MODIFYING"}})");
    }
    if (target != "RedshiftServerless.GetNamespace") return Reply(400, R"({"__type":"Unknown"})");
    bool settled = !updated || ++polls_after_update >= polls_until_in_sync;
    nlohmann::json list = nlohmann::json::array();
    for (const std::string& arn : roles) {
      list.push_back("IamRole(applyStatus=" + std::string(settled ? "in-sync" : "adding") +
                     ", iamRoleArn=" + arn + ")");
    }
    nlohmann::json ns = {{"namespaceName", "acme-ns"},
                         {"status", settled ? "AVAILABLE" : "MODIFYING"},
                         {"defaultIamRoleArn", kDefault},
                         {"iamRoles", list}};
    return Reply(200, nlohmann::json{{"namespace", ns}}.dump());
  }
};

class IamTest : public ::testing::Test {
 protected:
  IamTest() : server_([this](const HttpServer::Request& r) { return handler_(r); }) {}

  AwsServiceConnection Connect(const AwsServiceName& service) {
    Result<AwsServiceConnection> c =
        ConnectAwsService(service, "eu-north-1", ServiceTestEnv(server_.url()));
    EXPECT_TRUE(c.ok());
    return std::move(*c);
  }

  std::vector<std::string> Targets() {
    std::vector<std::string> out;
    for (const HttpServer::Request& r : server_.requests()) {
      out.push_back(r.Header("x-amz-target"));
    }
    return out;
  }

  // Associates kNew with workgroup or cluster `id`; sets changed_.
  Status Associate(bool serverless, const std::string& id) {
    AwsServiceConnection conn = Connect(serverless ? kRedshiftServerlessService : kRedshiftService);
    auto api = serverless ? NewServerlessIamApi(conn, id) : NewProvisionedIamApi(conn, id);
    return AssociateRole(*api, kNew, policy_, clock_, &changed_);
  }

  std::function<HttpServer::Response(const HttpServer::Request&)> handler_;
  bool changed_ = false;
  HttpServer server_;
  FakeClock clock_;
  RoleWaitPolicy policy_{{std::chrono::milliseconds(1000), std::chrono::milliseconds(4000)},
                         std::chrono::milliseconds(10000)};
};

TEST_F(IamTest, ServerlessMergesTheRoleKeepsTheDefaultAndWaitsUntilInSync) {
  ServerlessFake fake;
  handler_ = [&fake](const HttpServer::Request& r) { return fake.Handle(r); };
  Status s = Associate(true, "acme-wg");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(changed_);
  EXPECT_EQ(Targets(), (std::vector<std::string>{
                           "RedshiftServerless.GetWorkgroup", "RedshiftServerless.GetNamespace",
                           "RedshiftServerless.UpdateNamespace", "RedshiftServerless.GetNamespace",
                           "RedshiftServerless.GetNamespace"}));
  std::vector<HttpServer::Request> reqs = server_.requests();
  EXPECT_EQ(nlohmann::json::parse(reqs[0].body), (nlohmann::json{{"workgroupName", "acme-wg"}}));
  EXPECT_EQ(nlohmann::json::parse(reqs[1].body), (nlohmann::json{{"namespaceName", "acme-ns"}}));
  EXPECT_EQ(nlohmann::json::parse(reqs[2].body), (nlohmann::json{{"namespaceName", "acme-ns"},
                                                                 {"iamRoles", {kOld, kNew}},
                                                                 {"defaultIamRoleArn", kDefault}}));
  for (const HttpServer::Request& r : reqs) {
    EXPECT_EQ(SignedScope(r), "eu-north-1/redshift-serverless");
    EXPECT_EQ(r.Header("content-type"), "application/x-amz-json-1.1");
  }
  EXPECT_EQ(Slept(clock_), (std::vector<int64_t>{1000, 2000}));  // backoff doubles
}

TEST_F(IamTest, ServerlessRoleAlreadyThereChangesNothing) {
  ServerlessFake fake;
  fake.roles = {kOld, kNew};
  handler_ = [&fake](const HttpServer::Request& r) { return fake.Handle(r); };
  changed_ = true;
  ASSERT_TRUE(Associate(true, "acme-wg").ok());
  EXPECT_FALSE(changed_);
  EXPECT_FALSE(fake.updated);
  EXPECT_TRUE(Slept(clock_).empty());
}

TEST_F(IamTest, ServerlessErrorsAreClear) {
  handler_ = [](const HttpServer::Request&) {
    return Reply(400, R"({"__type":"AccessDeniedException","message":"not allowed"})");
  };
  Status s = Associate(true, "acme-wg");
  EXPECT_EQ(s.code(), Status::Code::kPermission);
  EXPECT_EQ(s.message(), "GetWorkgroup of workgroup acme-wg: AccessDeniedException: not allowed");
}

std::string ClusterXml(const std::map<std::string, std::string>& roles) {
  std::string xml =
      R"(<DescribeClustersResponse xmlns="http://redshift.amazonaws.com/doc/2012-12-01/">)"
      "<DescribeClustersResult><Clusters><Cluster><ClusterIdentifier>prod-1</ClusterIdentifier>"
      "<ClusterStatus>available</ClusterStatus><IamRoles>";
  for (const auto& [arn, status] : roles) {
    xml += "<ClusterIamRole><IamRoleArn>" + arn + "</IamRoleArn><ApplyStatus>" + status +
           "</ApplyStatus></ClusterIamRole>";
  }
  return xml +
         "</IamRoles></Cluster></Clusters></DescribeClustersResult>"
         "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
         "</DescribeClustersResponse>";
}

std::map<std::string, std::string> FormOf(const std::string& body) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t amp = body.find('&', start);
    std::string part = body.substr(start, amp == std::string::npos ? amp : amp - start);
    size_t eq = part.find('=');
    out[part.substr(0, eq)] = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

TEST_F(IamTest, ProvisionedAddsTheRoleWithModifyClusterIamRolesAndWaitsForInSync) {
  int describes = 0;
  bool modified = false;
  handler_ = [&](const HttpServer::Request& r) {
    std::string action = FormOf(r.body)["Action"];
    if (action == "ModifyClusterIamRoles") {
      modified = true;
      return Reply(200, "<ModifyClusterIamRolesResponse/>", "text/xml");
    }
    ++describes;
    std::map<std::string, std::string> roles = {{kOld, "in-sync"}};
    if (modified) roles[kNew] = describes >= 4 ? "in-sync" : "adding";
    return Reply(200, ClusterXml(roles), "text/xml");
  };
  Status s = Associate(false, "prod-1");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(changed_);
  std::vector<HttpServer::Request> reqs = server_.requests();
  ASSERT_EQ(reqs.size(), 5u);  // describe, modify, describe x3
  EXPECT_EQ(reqs[0].body, "Action=DescribeClusters&Version=2012-12-01&ClusterIdentifier=prod-1");
  // D2: the list member is IamRoleArn ("AddIamRoles.IamRoleArn.N" in
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_ModifyClusterIamRoles.html and in
  // botocore's redshift model), not the Query protocol's default "member".
  EXPECT_EQ(reqs[1].body,
            "Action=ModifyClusterIamRoles&Version=2012-12-01&ClusterIdentifier=prod-1&"
            "AddIamRoles.IamRoleArn.1=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fpath%2F"
            "tenantshift-unload");
  for (const HttpServer::Request& r : reqs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.Header("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
    EXPECT_EQ(SignedScope(r), "eu-north-1/redshift");
  }
  EXPECT_EQ(Slept(clock_), (std::vector<int64_t>{1000, 2000, 4000}));
}

TEST_F(IamTest, TheWaitGivesUpAfterItsBoundAndSaysWhere) {
  handler_ = [](const HttpServer::Request& r) {
    if (FormOf(r.body)["Action"] == "ModifyClusterIamRoles") {
      return Reply(200, "<ok/>", "text/xml");
    }
    return Reply(200, ClusterXml({{kNew, "adding"}}), "text/xml");
  };
  Status s = Associate(false, "prod-1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kConnection);
  EXPECT_NE(s.message().find(kNew), std::string::npos);
  EXPECT_NE(s.message().find("cluster prod-1"), std::string::npos);
  EXPECT_NE(s.message().find("last seen: adding"), std::string::npos);
  EXPECT_EQ(Slept(clock_), (std::vector<int64_t>{1000, 2000, 4000, 3000}));  // 10 s in all
  EXPECT_FALSE(changed_);  // the role was already listed (adding): no second ModifyClusterIamRoles
}

TEST_F(IamTest, ProvisionedQueryErrorsAreClear) {
  handler_ = [](const HttpServer::Request&) {
    return Reply(404,
                 "<ErrorResponse xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\"><Error>"
                 "<Type>Sender</Type><Code>ClusterNotFound</Code><Message>Cluster prod-9 not "
                 "found.</Message></Error><RequestId>x</RequestId></ErrorResponse>",
                 "text/xml");
  };
  Status s = Associate(false, "prod-9");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("DescribeClusters of cluster prod-9"), std::string::npos);
  EXPECT_NE(s.message().find("ClusterNotFound"), std::string::npos);
}

TEST(AssociateRoleWithTargetTest, RefusesWhatIsNotARedshiftTargetOrARoleArn) {
  bool changed = false;
  Status s = AssociateRoleWithTarget("127.0.0.1", kNew, &changed);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not a Redshift endpoint"), std::string::npos);
  s = AssociateRoleWithTarget("wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com",
                              "default", &changed);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("not an IAM role ARN"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
