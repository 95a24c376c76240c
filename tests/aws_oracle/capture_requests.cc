// tenantshift_aws_oracle_capture: drives every AWS operation tenantshift performs through its
// real clients (S3Client, SecretsManagerClient, SsmClient, CloudFormationClient, the Redshift
// IAM APIs) against the local test
// HTTP server, and writes what arrived on the wire as JSON for tests/aws_oracle/compare.py,
// which builds the same operations with botocore and compares.
//
// Each captured request is labelled with the botocore operation and parameters that should
// produce it; each canned answer is recorded with what tenantshift parsed from it, so the
// compare can parse the same bytes with botocore's output shape. The whole sequence runs twice:
// with long-term keys and with a session token (x-amz-security-token is then signed too).
// Fixed credentials (testing/aws_service_env.h); x-amz-date is libcurl's clock, recorded with
// each request (libcurl 7.88 has no clock seam, and a caller-supplied X-Amz-Date header is sent
// twice), and botocore signs at that same instant.
//
// Usage: tenantshift_aws_oracle_capture OUT.json
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "aws/aws_http.h"
#include "aws/aws_service.h"
#include "aws/cloudformation.h"
#include "aws/redshift_iam.h"
#include "aws/s3.h"
#include "aws/secrets_manager.h"
#include "aws/ssm.h"
#include "testing/aws_service_env.h"
#include "testing/http_server.h"
#include "util/digest.h"

namespace tenantshift {
namespace {

using nlohmann::json;

constexpr char kBucket[] = "stage-bucket";
constexpr char kDottedBucket[] = "stage.dotted.bucket";
// A key with a space, '=', '+', '~' and non-ASCII: every encoding rule of the path shows.
constexpr char kKey[] = "run 1/tbl=x/part+0~\xc3\xbc.csv";
constexpr char kUploadId[] = "up/1+2=";  // '/', '+' and '=' must be encoded in the query
constexpr char kToken[] = "tok/1+2=";    // a continuation token likewise
constexpr char kRole[] = "arn:aws:iam::123456789012:role/r";
constexpr char kDefaultRole[] = "arn:aws:iam::123456789012:role/def";
constexpr char kSecretString[] = "{\"host\":\"h\",\"p\":\"\xc3\xbc\\\"x\"}";

HttpServer::Response XmlReply(std::string body) {
  return Reply(200, std::move(body), "application/xml");
}

// Canned answers, shaped as the services' API references show them.
HttpServer::Response Answer(const HttpServer::Request& r) {
  std::string target = r.Header("x-amz-target");
  if (target == "RedshiftServerless.GetWorkgroup") {
    return Reply(200, R"({"workgroup":{"workgroupName":"wg1","namespaceName":"ns1"}})");
  }
  if (target == "RedshiftServerless.GetNamespace") {
    return Reply(
        200,
        json{{"namespace",
              {{"namespaceName", "ns1"},
               {"status", "AVAILABLE"},
               {"defaultIamRoleArn", kDefaultRole},
               {"iamRoles",
                {std::string("IamRole(applyStatus=in-sync, iamRoleArn=") + kDefaultRole + ")"}}}}}
            .dump());
  }
  if (target == "RedshiftServerless.UpdateNamespace") {
    return Reply(200, R"({"namespace":{"namespaceName":"ns1","status":"MODIFYING"}})");
  }
  if (target == "secretsmanager.GetSecretValue") {
    return Reply(200, json{{"ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"},
                           {"Name", "prod/acme db"},
                           {"SecretString", kSecretString},
                           {"VersionId", "v1"}}
                          .dump());
  }
  if (target == "AmazonSSM.GetParameter") {
    return Reply(200, json{{"Parameter",
                            {{"Name", "/acme/db"}, {"Type", "String"}, {"Value", kSecretString}}}}
                          .dump());
  }
  if (!target.empty()) return Reply(200, R"({"ARN":"a","Name":"n","VersionId":"v2"})");
  // CloudFormation DescribeStacks / UpdateStack (botocore cloudformation-2010-05-15 shapes
  // DescribeStacksOutput and UpdateStackOutput, each in its <Action>Result wrapper).
  if (r.body.find("Action=DescribeStacks") != std::string::npos) {
    return Reply(200,
                 "<DescribeStacksResponse "
                 "xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                 "<DescribeStacksResult><Stacks><member>"
                 "<StackName>etl acme</StackName><StackId>arn:aws:cloudformation:eu-west-1:"
                 "123456789012:stack/etl/1</StackId>"
                 "<CreationTime>2024-01-01T00:00:00Z</CreationTime>"
                 "<StackStatus>UPDATE_COMPLETE</StackStatus>"
                 "<Parameters>"
                 "<member><ParameterKey>DbHost</ParameterKey>"
                 "<ParameterValue>old &amp; host</ParameterValue></member>"
                 "<member><ParameterKey>DbPass</ParameterKey>"
                 "<ParameterValue>****</ParameterValue></member>"
                 "</Parameters>"
                 "<Capabilities><member>CAPABILITY_IAM</member>"
                 "<member>CAPABILITY_AUTO_EXPAND</member></Capabilities>"
                 "</member></Stacks></DescribeStacksResult>"
                 "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                 "</DescribeStacksResponse>",
                 "text/xml");
  }
  if (r.body.find("Action=UpdateStack") != std::string::npos) {
    return Reply(200,
                 "<UpdateStackResponse "
                 "xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                 "<UpdateStackResult><StackId>arn:aws:cloudformation:eu-west-1:123456789012:"
                 "stack/etl/1</StackId></UpdateStackResult></UpdateStackResponse>",
                 "text/xml");
  }
  if (r.body.find("Action=DescribeClusters") != std::string::npos) {
    return Reply(200,
                 std::string("<DescribeClustersResponse "
                             "xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\">"
                             "<DescribeClustersResult><Clusters><Cluster>"
                             "<ClusterIdentifier>c1</ClusterIdentifier>"
                             "<ClusterStatus>available</ClusterStatus><IamRoles>"
                             "<ClusterIamRole><IamRoleArn>") +
                     kDefaultRole +
                     "</IamRoleArn><ApplyStatus>in-sync</ApplyStatus></ClusterIamRole>"
                     "</IamRoles></Cluster></Clusters></DescribeClustersResult>"
                     "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                     "</DescribeClustersResponse>",
                 "text/xml");
  }
  if (r.body.find("Action=") != std::string::npos) {
    return Reply(200,
                 "<ModifyClusterIamRolesResponse "
                 "xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\">"
                 "<ModifyClusterIamRolesResult><Cluster><ClusterIdentifier>c1</ClusterIdentifier>"
                 "</Cluster></ModifyClusterIamRolesResult></ModifyClusterIamRolesResponse>",
                 "text/xml");
  }
  // S3
  if (r.query.rfind("uploads", 0) == 0) {
    return XmlReply(std::string("<InitiateMultipartUploadResult><Bucket>") + kBucket +
                    "</Bucket><Key>k</Key><UploadId>" + kUploadId +
                    "</UploadId></InitiateMultipartUploadResult>");
  }
  if (r.query.find("partNumber") != std::string::npos) {
    HttpServer::Response resp = XmlReply("");
    resp.headers["ETag"] = "\"etag-" + std::to_string(r.body.size()) + "\"";
    return resp;
  }
  if (r.method == "POST" && r.query.find("uploadId") != std::string::npos) {
    return XmlReply(
        "<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag>"
        "</CompleteMultipartUploadResult>");
  }
  if (r.query.rfind("delete", 0) == 0) return XmlReply("<DeleteResult/>");
  if (r.query.find("list-type") != std::string::npos) {
    bool first_page = r.query.find("continuation-token") == std::string::npos &&
                      r.query.find("max-keys=1&") == std::string::npos;
    if (first_page) {
      return XmlReply(std::string("<ListBucketResult><EncodingType>url</EncodingType>"
                                  "<IsTruncated>true</IsTruncated><NextContinuationToken>") +
                      kToken +
                      "</NextContinuationToken><Contents><Key>run+1/a%2Bb%C3%BC.csv</Key>"
                      "<Size>3</Size><ETag>\"e1\"</ETag></Contents></ListBucketResult>");
    }
    return XmlReply(
        "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
        "<Contents><Key>run+1/c.csv</Key><Size>4</Size><ETag>\"e2\"</ETag></Contents>"
        "</ListBucketResult>");
  }
  if (r.method == "DELETE") return Reply(204, "", "application/xml");
  return Reply(200, "abc", "application/octet-stream");
}

json Wire(const HttpServer::Request& r) {
  json headers = json::object();
  for (const auto& [k, v] : r.headers) headers[k] = v;
  bool big = r.body.size() > 4096;
  return {{"method", r.method},         {"path", r.path},
          {"query", r.query},           {"headers", headers},
          {"body_size", r.body.size()}, {"body", big ? std::string() : r.body},
          {"body_truncated", big},      {"body_sha256", Sha256Hex(r.body)}};
}

json Op(const char* service, const char* operation, json params) {
  return {{"service", service}, {"operation", operation}, {"params", std::move(params)}};
}

// Collects the requests the server saw since the last Take, labelled in order.
class Recorder {
 public:
  explicit Recorder(HttpServer& server) : server_(server) {}
  // `parsed` (optional) is what tenantshift read from the answer to the last request.
  void Take(std::vector<json> labels, json parsed = nullptr) {
    std::vector<HttpServer::Request> reqs = server_.requests();
    if (reqs.size() - seen_ != labels.size()) {
      std::cerr << "expected " << labels.size() << " requests for " << labels.front()["operation"]
                << ", got " << reqs.size() - seen_ << "\n";
      ok_ = false;
    }
    for (size_t i = 0; i < labels.size() && seen_ + i < reqs.size(); ++i) {
      json entry = std::move(labels[i]);
      entry["wire"] = Wire(reqs[seen_ + i]);
      HttpServer::Response answer = Answer(reqs[seen_ + i]);
      entry["response"] = {{"status", answer.status}, {"body", answer.body}};
      if (i + 1 == labels.size() && !parsed.is_null()) entry["tenantshift_parsed"] = parsed;
      out_.push_back(std::move(entry));
    }
    seen_ = reqs.size();
  }
  void Check(const Status& s, const char* what) {
    if (s.ok()) return;
    std::cerr << what << " failed: " << s.ToString() << "\n";
    ok_ = false;
  }
  json requests() const { return out_; }
  bool ok() const { return ok_; }

 private:
  HttpServer& server_;
  size_t seen_ = 0;
  json out_ = json::array();
  bool ok_ = true;
};

json RolesJson(const WarehouseRoles& w) {
  json roles = json::array();
  for (const AssociatedRole& r : w.roles)
    roles.push_back({{"arn", r.arn}, {"status", r.apply_status}});
  return {{"roles", roles}, {"default_role", w.default_role}};
}

void CaptureS3(HttpServer& server, const AwsEnvironment& env, Recorder& rec) {
  CredentialsProvider creds(env);
  S3Client s3(
      std::make_unique<AwsHttp>(ResolveEndpoint("s3", "eu-west-1", env), "eu-west-1", &creds));
  auto s3op = [](const char* op, json params) { return Op("s3", op, std::move(params)); };
  rec.Check(s3.CheckBucket(kBucket, "run 1/"), "CheckBucket");
  rec.Take({s3op("ListObjectsV2", {{"Bucket", kBucket}, {"MaxKeys", 1}, {"Prefix", "run 1/"}})});
  rec.Check(s3.Put(kBucket, kKey, "a,b\n1,2\n"), "Put");
  rec.Take({s3op("PutObject", {{"Bucket", kBucket}, {"Key", kKey}, {"Body", "a,b\n1,2\n"}})});
  std::string got;
  rec.Check(s3.Get(kBucket, kKey,
                   [&](const char* d, size_t n) {
                     got.append(d, n);
                     return Status::Ok();
                   }),
            "Get");
  rec.Take({s3op("GetObject", {{"Bucket", kBucket}, {"Key", kKey}})}, {{"Body", got}});
  Result<std::vector<S3Object>> listed = s3.List(kBucket, "run 1/");
  rec.Check(listed.status(), "List");
  json keys = json::array();
  for (const S3Object& o : listed.ok() ? *listed : std::vector<S3Object>{}) {
    keys.push_back({{"Key", o.key}, {"Size", o.size}, {"ETag", o.etag}});
  }
  rec.Take({s3op("ListObjectsV2", {{"Bucket", kBucket}, {"MaxKeys", 1000}, {"Prefix", "run 1/"}}),
            s3op("ListObjectsV2", {{"Bucket", kBucket},
                                   {"MaxKeys", 1000},
                                   {"Prefix", "run 1/"},
                                   {"ContinuationToken", kToken}})},
           {{"Contents", keys}});
  rec.Check(s3.Delete(kBucket, {"run 1/a b.csv", "run 1/c&d.csv"}), "Delete");
  rec.Take({s3op(
      "DeleteObjects",
      {{"Bucket", kBucket},
       {"Delete",
        {{"Quiet", true},
         {"Objects", json::array({{{"Key", "run 1/a b.csv"}}, {{"Key", "run 1/c&d.csv"}}})}}}})});
  {
    std::string part(S3Client::kMinPartSize, 'x');
    std::unique_ptr<S3Upload> up = s3.StartUpload(kBucket, kKey, S3Client::kMinPartSize);
    rec.Check(up->Write(part.data(), part.size()), "UploadPart");
    rec.Check(up->Write("tail", 4), "Write");
    rec.Check(up->Finish().status(), "Finish");
    // Part 1's body is too big for the JSON: {"repeat", "n"} stands for it.
    json parts = json::array({{{"ETag", "\"etag-5242880\""}, {"PartNumber", 1}},
                              {{"ETag", "\"etag-4\""}, {"PartNumber", 2}}});
    rec.Take({s3op("CreateMultipartUpload", {{"Bucket", kBucket}, {"Key", kKey}}),
              s3op("UploadPart", {{"Bucket", kBucket},
                                  {"Key", kKey},
                                  {"PartNumber", 1},
                                  {"UploadId", kUploadId},
                                  {"Body", {{"repeat", "x"}, {"n", part.size()}}}}),
              s3op("UploadPart", {{"Bucket", kBucket},
                                  {"Key", kKey},
                                  {"PartNumber", 2},
                                  {"UploadId", kUploadId},
                                  {"Body", "tail"}}),
              s3op("CompleteMultipartUpload", {{"Bucket", kBucket},
                                               {"Key", kKey},
                                               {"UploadId", kUploadId},
                                               {"MultipartUpload", {{"Parts", parts}}}})});
  }
  {
    std::string part(S3Client::kMinPartSize, 'y');
    std::unique_ptr<S3Upload> up = s3.StartUpload(kBucket, kKey, S3Client::kMinPartSize);
    rec.Check(up->Write(part.data(), part.size()), "UploadPart");
    rec.Check(up->Abort(), "Abort");
    rec.Take({s3op("CreateMultipartUpload", {{"Bucket", kBucket}, {"Key", kKey}}),
              s3op("UploadPart", {{"Bucket", kBucket},
                                  {"Key", kKey},
                                  {"PartNumber", 1},
                                  {"UploadId", kUploadId},
                                  {"Body", {{"repeat", "y"}, {"n", part.size()}}}}),
              s3op("AbortMultipartUpload",
                   {{"Bucket", kBucket}, {"Key", kKey}, {"UploadId", kUploadId}})});
  }
  // AWS's own endpoint is virtual-hosted (bucket in the host name). "<bucket>.localhost" reaches
  // the loopback server (curl resolves *.localhost itself), so that URL shape is captured too.
  std::string localhost = server.url();
  localhost.replace(localhost.find("127.0.0.1"), 9, "localhost");
  for (const char* bucket : {kBucket, kDottedBucket}) {
    AwsHttp http(AwsEndpoint{localhost, /*path_style=*/false}, "eu-west-1", &creds);
    rec.Check(S3Client(&http).Put(bucket, kKey, "v"), "virtual-hosted Put");
    json label = s3op("PutObject", {{"Bucket", bucket}, {"Key", kKey}, {"Body", "v"}});
    label["endpoint"] = localhost;
    // What botocore's default ("auto") does on AWS's endpoint: virtual-hosted for names that
    // are DNS labels, path style for names with a dot (botocore.utils.check_dns_name).
    label["s3_addressing_style"] = std::string(bucket) == kBucket ? "virtual" : "path";
    rec.Take({label});
  }
}

void CaptureServices(const AwsEnvironment& env, Recorder& rec) {
  {
    Result<AwsServiceConnection> conn = ConnectAwsService(kSecretsManagerService, "", env);
    rec.Check(conn.status(), "connect secretsmanager");
    if (!conn.ok()) return;
    SecretsManagerClient sm(*conn);
    Result<Secret> secret = sm.GetSecretValue("prod/acme db");
    rec.Check(secret.status(), "GetSecretValue");
    rec.Take({Op("secretsmanager", "GetSecretValue", {{"SecretId", "prod/acme db"}})},
             {{"SecretString", secret.ok() ? secret->Reveal() : ""}});
    rec.Check(sm.PutSecretValue("prod/acme db", Secret(kSecretString)), "PutSecretValue");
    rec.Take({Op("secretsmanager", "PutSecretValue",
                 {{"SecretId", "prod/acme db"}, {"SecretString", kSecretString}})});
  }
  {
    Result<AwsServiceConnection> conn = ConnectAwsService(kSsmService, "", env);
    rec.Check(conn.status(), "connect ssm");
    if (!conn.ok()) return;
    SsmClient ssm(*conn);
    Result<Secret> value = ssm.GetParameter("/acme/db");
    rec.Check(value.status(), "GetParameter");
    rec.Take({Op("ssm", "GetParameter", {{"Name", "/acme/db"}, {"WithDecryption", true}})},
             {{"Value", value.ok() ? value->Reveal() : ""}});
    rec.Check(ssm.PutParameter("/acme/db", Secret(kSecretString)), "PutParameter");
    rec.Take({Op("ssm", "PutParameter",
                 {{"Name", "/acme/db"}, {"Overwrite", true}, {"Value", kSecretString}})});
  }
  {
    Result<AwsServiceConnection> conn = ConnectAwsService(kCloudFormationService, "", env);
    rec.Check(conn.status(), "connect cloudformation");
    if (!conn.ok()) return;
    CloudFormationClient cfn(*conn);
    Result<StackState> stack = cfn.DescribeStack("etl acme");
    rec.Check(stack.status(), "DescribeStacks");
    json params = json::array();
    json caps = json::array();
    for (const StackParameter& p : stack.ok() ? stack->parameters : std::vector<StackParameter>{})
      params.push_back({{"ParameterKey", p.key}, {"ParameterValue", p.value}});
    for (const std::string& c : stack.ok() ? stack->capabilities : std::vector<std::string>{})
      caps.push_back(c);
    rec.Take(
        {Op("cloudformation", "DescribeStacks", {{"StackName", "etl acme"}})},
        stack.ok()
            ? json{{"StackStatus", stack->status}, {"Parameters", params}, {"Capabilities", caps}}
            : json(nullptr));
    if (!stack.ok()) return;
    rec.Check(cfn.UpdateStack("etl acme", *stack, {{"DbHost", "new=h\xc3\xbc+st"}}), "UpdateStack");
    rec.Take(
        {Op("cloudformation", "UpdateStack",
            {{"StackName", "etl acme"},
             {"UsePreviousTemplate", true},
             {"Parameters",
              json::array({{{"ParameterKey", "DbHost"}, {"ParameterValue", "new=h\xc3\xbc+st"}},
                           {{"ParameterKey", "DbPass"}, {"UsePreviousValue", true}}})},
             {"Capabilities", {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}}})});
  }
  {
    Result<AwsServiceConnection> conn = ConnectAwsService(kRedshiftServerlessService, "", env);
    rec.Check(conn.status(), "connect redshift-serverless");
    if (!conn.ok()) return;
    std::unique_ptr<WarehouseIamApi> api = NewServerlessIamApi(*conn, "wg1");
    Result<WarehouseRoles> now = api->Describe();
    rec.Check(now.status(), "serverless Describe");
    rec.Take({Op("redshift-serverless", "GetWorkgroup", {{"workgroupName", "wg1"}}),
              Op("redshift-serverless", "GetNamespace", {{"namespaceName", "ns1"}})},
             now.ok() ? RolesJson(*now) : json(nullptr));
    if (!now.ok()) return;
    rec.Check(api->AddRole(kRole, *now), "UpdateNamespace");
    rec.Take({Op("redshift-serverless", "UpdateNamespace",
                 {{"namespaceName", "ns1"},
                  {"iamRoles", {kDefaultRole, kRole}},
                  {"defaultIamRoleArn", kDefaultRole}})});
  }
  {
    Result<AwsServiceConnection> conn = ConnectAwsService(kRedshiftService, "", env);
    rec.Check(conn.status(), "connect redshift");
    if (!conn.ok()) return;
    std::unique_ptr<WarehouseIamApi> api = NewProvisionedIamApi(*conn, "c1");
    Result<WarehouseRoles> now = api->Describe();
    rec.Check(now.status(), "DescribeClusters");
    rec.Take({Op("redshift", "DescribeClusters", {{"ClusterIdentifier", "c1"}})},
             now.ok() ? RolesJson(*now) : json(nullptr));
    if (!now.ok()) return;
    rec.Check(api->AddRole(kRole, *now), "ModifyClusterIamRoles");
    rec.Take({Op("redshift", "ModifyClusterIamRoles",
                 {{"ClusterIdentifier", "c1"}, {"AddIamRoles", {kRole}}})});
  }
}

// One pass over every operation; `token` empty: long-term keys only.
json CaptureRun(const std::string& token, bool* ok) {
  HttpServer server(Answer);
  AwsEnvironment env = ServiceTestEnv(server.url());
  if (!token.empty()) env.vars["AWS_SESSION_TOKEN"] = token;
  Recorder rec(server);
  CaptureS3(server, env, rec);
  CaptureServices(env, rec);
  *ok = *ok && rec.ok();
  return {{"access_key", kTestKeyId},
          {"secret_key", kTestSecretKey},
          {"session_token", token.empty() ? json(nullptr) : json(token)},
          {"region", "eu-west-1"},
          {"endpoint", server.url()},
          {"requests", rec.requests()}};
}

}  // namespace
}  // namespace tenantshift

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " OUT.json\n";
    return 2;
  }
  bool ok = true;
  nlohmann::json doc = {{"runs",
                         {tenantshift::CaptureRun("", &ok),
                          tenantshift::CaptureRun("FwoGZXIvYXdzEXAMPLE//token+with=chars", &ok)}}};
  std::ofstream(argv[1]) << doc.dump(2) << "\n";
  if (!ok) std::cerr << "some tenantshift calls failed; the capture is incomplete\n";
  return ok ? 0 : 1;
}
