#include "aws/aws_http.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <sstream>

#include "testing/http_server.h"

namespace tenantshift {
namespace {

constexpr char kKeyId[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kToken[] = "FwoGZXIvYXdzEXAMPLE/session+token==";

// --- An independent SigV4 verifier, written from the AWS documentation ("Create a signed AWS
// API request"): canonical request -> string to sign -> HMAC chain. It shares no code with
// AwsHttp or libcurl, so a header or encoding mistake on the client side makes it disagree.

std::string Hex(const unsigned char* data, size_t len) {
  std::ostringstream out;
  for (size_t i = 0; i < len; ++i) {
    out << "0123456789abcdef"[data[i] >> 4] << "0123456789abcdef"[data[i] & 15];
  }
  return out.str();
}

std::string Sha256(const std::string& data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  return Hex(d, sizeof(d));
}

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// RFC 3986 unreserved characters stay, everything else becomes %XX with upper-case hex.
std::string StrictEncode(const std::string& s, bool keep_slash) {
  std::ostringstream out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out << c;
    } else {
      out << '%' << "0123456789ABCDEF"[c >> 4] << "0123456789ABCDEF"[c & 15];
    }
  }
  return out.str();
}

std::string CanonicalQueryOf(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::istringstream in(query);
  for (std::string part; std::getline(in, part, '&');) {
    size_t eq = part.find('=');
    std::string name = PercentDecode(part.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : PercentDecode(part.substr(eq + 1));
    params.emplace_back(StrictEncode(name, false), StrictEncode(value, false));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [n, v] : params) out += (out.empty() ? "" : "&") + n + "=" + v;
  return out;
}

struct Authorization {
  std::string key_id, date, region, service, signed_headers, signature;
};

Authorization ParseAuthorization(const std::string& header) {
  static const std::regex kRe(
      R"(AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, )"
      R"(SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64}))");
  std::smatch m;
  Authorization a;
  if (std::regex_match(header, m, kRe)) {
    a = {m[1], m[2], m[3], m[4], m[5], m[6]};
  }
  return a;
}

std::string ExpectedSignature(const HttpServer::Request& r, const std::string& secret) {
  Authorization auth = ParseAuthorization(r.Header("authorization"));
  std::string canonical_headers;
  std::istringstream names(auth.signed_headers);
  for (std::string name; std::getline(names, name, ';');) {
    canonical_headers += name + ":" + r.Header(name) + "\n";
  }
  std::string payload_hash =
      auth.service == "s3" ? r.Header("x-amz-content-sha256") : Sha256(r.body);
  std::string canonical_request = r.method + "\n" + StrictEncode(PercentDecode(r.path), true) +
                                  "\n" + CanonicalQueryOf(r.query) + "\n" + canonical_headers +
                                  "\n" + auth.signed_headers + "\n" + payload_hash;
  std::string scope = auth.date + "/" + auth.region + "/" + auth.service + "/aws4_request";
  std::string string_to_sign = "AWS4-HMAC-SHA256\n" + r.Header("x-amz-date") + "\n" + scope + "\n" +
                               Sha256(canonical_request);
  std::string key = Hmac("AWS4" + secret, auth.date);
  for (const std::string& part : {auth.region, auth.service, std::string("aws4_request")}) {
    key = Hmac(key, part);
  }
  std::string sig = Hmac(key, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

bool Signs(const HttpServer::Request& r, const std::string& header) {
  std::string list = ";" + ParseAuthorization(r.Header("authorization")).signed_headers + ";";
  return list.find(";" + header + ";") != std::string::npos;
}

// The verifier itself against AWS's published SigV4 test suite ("get-vanilla": GET / to
// example.amazonaws.com, service "service", 20150830T123600Z, secret kSecret), so that its
// agreement with libcurl below means both follow the specification.
TEST(SigV4VerifierTest, ReproducesTheAwsTestSuiteVector) {
  HttpServer::Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"host", "example.amazonaws.com"},
               {"x-amz-date", "20150830T123600Z"},
               {"authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                "SignedHeaders=host;x-amz-date, Signature="
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}};
  EXPECT_EQ(ExpectedSignature(r, kSecret),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

// --- Fixture: a local server and an AwsHttp pointed at it.

AwsEnvironment TestEnv(bool with_token) {
  AwsEnvironment env;
  env.vars = {{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret}};
  if (with_token) env.vars["AWS_SESSION_TOKEN"] = kToken;
  return env;
}

HttpServer::Response Reply(int status, std::string body = "") {
  HttpServer::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

class AwsHttpTest : public ::testing::Test {
 protected:
  AwsHttpTest() : server_([](const HttpServer::Request&) { return Reply(200, "{}"); }) {}

  std::unique_ptr<AwsHttp> MakeHttp(bool with_token = true, int max_attempts = 3) {
    creds_ = std::make_unique<CredentialsProvider>(TestEnv(with_token));
    AwsHttpOptions options;
    options.retry.max_attempts = max_attempts;
    options.retry.backoff = {std::chrono::milliseconds(100), std::chrono::milliseconds(250)};
    options.retry.clock = &clock_;
    return std::make_unique<AwsHttp>(AwsEndpoint{server_.url(), true}, "eu-west-1", creds_.get(),
                                     options);
  }

  HttpServer server_;
  std::unique_ptr<CredentialsProvider> creds_;
  FakeClock clock_;
};

TEST_F(AwsHttpTest, JsonServiceRequestIsSignedWithSigV4AndCarriesTheSessionToken) {
  auto http = MakeHttp();
  AwsRequest req;
  req.method = "POST";
  req.service = "secretsmanager";
  req.headers = {{"x-amz-target", "secretsmanager.GetSecretValue"},
                 {"content-type", "application/x-amz-json-1.1"}};
  req.body = R"({"SecretId":"tenant/acme db"})";
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "{}");

  ASSERT_EQ(server_.request_count(), 1u);
  HttpServer::Request got = server_.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.body, req.body);
  Authorization auth = ParseAuthorization(got.Header("authorization"));
  EXPECT_EQ(auth.key_id, kKeyId);
  EXPECT_EQ(auth.region, "eu-west-1");
  EXPECT_EQ(auth.service, "secretsmanager");
  EXPECT_TRUE(std::regex_match(got.Header("x-amz-date"), std::regex(R"(\d{8}T\d{6}Z)")));
  EXPECT_EQ(auth.date, got.Header("x-amz-date").substr(0, 8));
  EXPECT_EQ(got.Header("x-amz-security-token"), kToken);
  for (const char* h :
       {"host", "x-amz-date", "x-amz-security-token", "x-amz-target", "content-type"}) {
    EXPECT_TRUE(Signs(got, h)) << h << " not in " << auth.signed_headers;
  }
  EXPECT_EQ(auth.signature, ExpectedSignature(got, kSecret));
}

TEST_F(AwsHttpTest, S3PutSignsThePayloadHashAndAnEncodedKeyAndSortedQuery) {
  auto http = MakeHttp(/*with_token=*/false);
  AwsRequest req;
  req.method = "PUT";
  req.service = "s3";
  req.path = "/bucket/" + AwsUriEncode("run 1/acme;$(rm)/tëst+file=1.csv", true);
  req.query = "x-id=PutObject&partNumber=" + AwsUriEncode("2", false) +
              "&uploadId=" + AwsUriEncode("a/b+c=", false);
  req.body = std::string("binary\0data\r\n", 13);
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();

  HttpServer::Request got = server_.requests().at(0);
  EXPECT_EQ(got.path, "/bucket/run%201/acme%3B%24%28rm%29/t%C3%ABst%2Bfile%3D1.csv");
  EXPECT_EQ(got.query, "partNumber=2&uploadId=a%2Fb%2Bc%3D&x-id=PutObject");
  EXPECT_EQ(got.body, req.body);
  EXPECT_EQ(got.Header("x-amz-content-sha256"), Sha256(req.body));
  EXPECT_EQ(got.Header("x-amz-security-token"), "");  // long-term keys: no token header
  EXPECT_FALSE(Signs(got, "x-amz-security-token"));
  EXPECT_TRUE(Signs(got, "x-amz-content-sha256"));
  EXPECT_EQ(ParseAuthorization(got.Header("authorization")).signature,
            ExpectedSignature(got, kSecret));
}

TEST_F(AwsHttpTest, TheVerifierNoticesATamperedRequest) {
  auto http = MakeHttp();
  AwsRequest req;
  req.service = "s3";
  req.path = "/bucket/key";
  req.query = "list-type=2&prefix=a";
  ASSERT_TRUE(http->Send(req).ok());
  HttpServer::Request got = server_.requests().at(0);
  std::string signature = ParseAuthorization(got.Header("authorization")).signature;
  ASSERT_EQ(signature, ExpectedSignature(got, kSecret));
  for (auto tamper : std::vector<std::function<void(HttpServer::Request&)>>{
           [](HttpServer::Request& r) { r.query = "list-type=2&prefix=b"; },
           [](HttpServer::Request& r) { r.path = "/bucket/kez"; },
           [](HttpServer::Request& r) { r.headers["x-amz-security-token"] += "x"; },
           [](HttpServer::Request& r) { r.method = "PUT"; }}) {
    HttpServer::Request changed = got;
    tamper(changed);
    EXPECT_NE(signature, ExpectedSignature(changed, kSecret));
  }
  EXPECT_NE(signature, ExpectedSignature(got, "another secret"));
}

TEST_F(AwsHttpTest, HeadAndDeleteAreSignedWithTheirMethod) {
  server_.SetHandler([](const HttpServer::Request& r) {
    HttpServer::Response resp = Reply(r.method == "HEAD" ? 200 : 204);
    resp.headers["Content-Length"] = r.method == "HEAD" ? "1234" : "0";
    return resp;
  });
  auto http = MakeHttp();
  for (const char* method : {"HEAD", "DELETE"}) {
    AwsRequest req;
    req.method = method;
    req.service = "s3";
    req.path = "/bucket/key";
    Result<AwsResponse> resp = http->Send(req);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->status, std::string(method) == "HEAD" ? 200 : 204);
  }
  std::vector<HttpServer::Request> got = server_.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].method, "HEAD");
  EXPECT_EQ(got[1].method, "DELETE");
  for (const auto& r : got) {
    EXPECT_EQ(r.Header("x-amz-content-sha256"), Sha256(""));
    EXPECT_EQ(ParseAuthorization(r.Header("authorization")).signature,
              ExpectedSignature(r, kSecret));
  }
}

TEST_F(AwsHttpTest, StreamedUploadArrivesIntactAndIsSignedUnsigned) {
  std::string data;
  for (int i = 0; data.size() < (3u << 20); ++i) data += std::to_string(i) + ",";
  auto http = MakeHttp();
  AwsRequest req;
  req.method = "PUT";
  req.service = "s3";
  req.path = "/bucket/big";
  size_t offset = 0;
  req.read_body = [&](char* buf, size_t len) {
    size_t n = std::min(len, data.size() - offset);
    std::copy_n(data.data() + offset, n, buf);
    offset += n;
    return n;
  };
  req.body_size = static_cast<int64_t>(data.size());
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  HttpServer::Request got = server_.requests().at(0);
  EXPECT_EQ(got.body.size(), data.size());
  EXPECT_TRUE(got.body == data);
  EXPECT_EQ(got.Header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(ParseAuthorization(got.Header("authorization")).signature,
            ExpectedSignature(got, kSecret));
}

TEST_F(AwsHttpTest, StreamedDownloadGoesToTheCallbackNotTheResponse) {
  std::string data(5u << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 % 251);
  server_.SetHandler([&](const HttpServer::Request&) {
    HttpServer::Response r = Reply(200, data);
    r.headers["ETag"] = "\"abc\"";
    return r;
  });
  auto http = MakeHttp();
  AwsRequest req;
  req.service = "s3";
  req.path = "/bucket/big";
  std::string received;
  int chunks = 0;
  req.on_body = [&](const char* p, size_t n) {
    received.append(p, n);
    ++chunks;
    return true;
  };
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_TRUE(resp->body.empty());
  EXPECT_EQ(resp->headers.at("etag"), "\"abc\"");  // names lower-cased
  EXPECT_TRUE(received == data);
  EXPECT_GT(chunks, 1);
}

TEST_F(AwsHttpTest, DownloadAbortedByTheCallbackIsCancelled) {
  server_.SetHandler(
      [](const HttpServer::Request&) { return Reply(200, std::string(1 << 20, 'x')); });
  auto http = MakeHttp();
  AwsRequest req;
  req.service = "s3";
  req.on_body = [](const char*, size_t) { return false; };
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(server_.request_count(), 1u);  // no retry after the callback saw data
}

TEST_F(AwsHttpTest, RetriesOn503AndStopsAtTheLimit) {
  server_.SetHandler([](const HttpServer::Request&) {
    return Reply(503, "<Error><Code>ServiceUnavailable</Code></Error>");
  });
  auto http = MakeHttp(true, /*max_attempts=*/4);
  AwsRequest req;
  req.service = "s3";
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok());  // an HTTP error is a response, not a Status
  EXPECT_EQ(resp->status, 503);
  EXPECT_EQ(server_.request_count(), 4u);
  ASSERT_EQ(clock_.sleeps().size(), 3u);
  for (auto d : clock_.sleeps()) EXPECT_LE(d.count(), 250);  // capped by max_delay
}

TEST_F(AwsHttpTest, RetriesThrottlingThenSucceeds) {
  int n = 0;
  server_.SetHandler([&](const HttpServer::Request&) {
    ++n;
    if (n == 1) return Reply(429, "");
    if (n == 2) return Reply(503, "<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>");
    if (n == 3) {
      return Reply(400, R"({"__type":"com.amazonaws.coral#ThrottlingException","message":"Rate"})");
    }
    return Reply(200, "done");
  });
  auto http = MakeHttp(true, /*max_attempts=*/5);
  AwsRequest req;
  req.method = "POST";
  req.service = "redshift-serverless";
  req.body = "{}";
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "done");
  EXPECT_EQ(server_.request_count(), 4u);
  for (const auto& r : server_.requests()) EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(server_.connection_count(), 1);  // kept alive across tries
}

TEST_F(AwsHttpTest, NoRetryOnClientErrorAndTheBodyBecomesCodeAndMessage) {
  server_.SetHandler([](const HttpServer::Request&) {
    return Reply(403,
                 "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>"
                 "<Message>Access Denied &amp; more</Message></Error>");
  });
  auto http = MakeHttp();
  AwsRequest req;
  req.service = "s3";
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(AwsErrorMessage(*resp), "AccessDenied: Access Denied & more");
  EXPECT_EQ(AwsErrorCode(*resp), "AccessDenied");
}

TEST_F(AwsHttpTest, NoRetryOnceAStreamedUploadWasConsumed) {
  server_.SetHandler([](const HttpServer::Request&) { return Reply(503, ""); });
  auto http = MakeHttp();
  AwsRequest req;
  req.method = "PUT";
  req.service = "s3";
  bool done = false;
  req.read_body = [&](char* buf, size_t) -> size_t {
    if (done) return 0;
    done = true;
    buf[0] = 'x';
    return 1;
  };
  req.body_size = 1;
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 503);
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(AwsHttpTest, ConnectionErrorsAreRetriedThenReportedWithoutSecrets) {
  server_.SetHandler([](const HttpServer::Request&) {
    HttpServer::Response r;
    r.drop = true;
    return r;
  });
  auto http = MakeHttp(true, /*max_attempts=*/3);
  AwsRequest req;
  req.service = "s3";
  req.path = "/bucket/key";
  Result<AwsResponse> resp = http->Send(req);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Status::Code::kConnection);
  EXPECT_EQ(server_.request_count(), 3u);
  const std::string& msg = resp.status().message();
  EXPECT_NE(msg.find("GET " + server_.url() + "/bucket/key"), std::string::npos) << msg;
  EXPECT_NE(msg.find("after 3 tries"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kSecret), std::string::npos);
  EXPECT_EQ(msg.find(kToken), std::string::npos);
}

TEST_F(AwsHttpTest, MissingCredentialsFailBeforeAnyRequest) {
  CredentialsProvider none{AwsEnvironment{}};
  AwsHttp http(AwsEndpoint{server_.url(), true}, "eu-west-1", &none);
  Result<AwsResponse> resp = http.Send(AwsRequest{});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Status::Code::kPermission);
  EXPECT_NE(resp.status().message().find("environment"), std::string::npos);
  EXPECT_EQ(server_.request_count(), 0u);
}

TEST_F(AwsHttpTest, VirtualHostedBucketGoesIntoTheHostName) {
  auto creds = std::make_unique<CredentialsProvider>(TestEnv(false));
  AwsHttp http(AwsEndpoint{"http://localhost:" + std::to_string(server_.port()), false},
               "eu-west-1", creds.get());
  AwsRequest req;
  req.service = "s3";
  req.host_prefix = "my-bucket.";
  req.path = "/key";
  Result<AwsResponse> resp = http.Send(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  HttpServer::Request got = server_.requests().at(0);
  EXPECT_EQ(got.Header("host"), "my-bucket.localhost:" + std::to_string(server_.port()));
  EXPECT_EQ(got.path, "/key");
  EXPECT_EQ(ParseAuthorization(got.Header("authorization")).signature,
            ExpectedSignature(got, kSecret));
}

TEST(AwsErrorMessageTest, JsonErrorsKeepTheTypeAfterTheHash) {
  AwsResponse r;
  r.status = 400;
  r.body = R"({"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException",)"
           R"("Message":"Secrets Manager can't find the specified secret."})";
  EXPECT_EQ(AwsErrorMessage(r),
            "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
  r.body = R"({"__type":"ValidationException","message":"bad name"})";
  EXPECT_EQ(AwsErrorMessage(r), "ValidationException: bad name");
}

TEST(AwsErrorMessageTest, QueryXmlHeaderAndStatusFallbacks) {
  AwsResponse r;
  r.status = 400;
  r.body =
      "<ErrorResponse><Error><Type>Sender</Type><Code>ClusterNotFound</Code>"
      "<Message>Cluster x not found.</Message></Error></ErrorResponse>";
  EXPECT_EQ(AwsErrorMessage(r), "ClusterNotFound: Cluster x not found.");
  r.body = R"({"message":"no type here"})";
  r.headers["x-amzn-errortype"] = "AccessDeniedException:http://internal.amazon.com/coral/";
  EXPECT_EQ(AwsErrorMessage(r), "AccessDeniedException: no type here");
  r.headers.clear();
  EXPECT_EQ(AwsErrorMessage(r), "HTTP 400: no type here");
  r.status = 503;
  r.body.clear();
  EXPECT_EQ(AwsErrorMessage(r), "HTTP 503");
  r.status = 301;
  r.headers["x-amz-bucket-region"] = "eu-north-1";
  EXPECT_EQ(AwsErrorMessage(r), "HTTP 301 (the bucket is in eu-north-1; set AWS_REGION to it)");
}

TEST(AwsHttpUrlTest, AMalformedEndpointIsAnInputErrorNotRetried) {
  CredentialsProvider creds(TestEnv(false));
  AwsHttpOptions options;
  FakeClock clock;
  options.retry.clock = &clock;
  AwsHttp http(AwsEndpoint{"gopher2://nowhere", true}, "eu-west-1", &creds, options);
  Result<AwsResponse> resp = http.Send(AwsRequest{});
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(resp.status().message().find("gopher2://nowhere/"), std::string::npos);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(ResolveEndpointTest, ServiceSpecificBeatsGenericBeatsDefault) {
  AwsEnvironment env;
  EXPECT_EQ(ResolveEndpoint("s3", "eu-west-1", env).base_url, "https://s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(ResolveEndpoint("s3", "eu-west-1", env).path_style);
  EXPECT_EQ(ResolveEndpoint("Secrets Manager", "us-east-2", env).base_url,
            "https://secretsmanager.us-east-2.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint("redshift-serverless", "cn-north-1", env).base_url,
            "https://redshift-serverless.cn-north-1.amazonaws.com.cn");
  env.vars["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000";
  env.vars["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:9001";
  env.vars["AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS"] = "http://127.0.0.1:9002";
  EXPECT_EQ(ResolveEndpoint("Secrets Manager", "x", env).base_url, "http://127.0.0.1:9001");
  EXPECT_EQ(ResolveEndpoint("redshift-serverless", "x", env).base_url, "http://127.0.0.1:9002");
  AwsEndpoint s3 = ResolveEndpoint("s3", "x", env);
  EXPECT_EQ(s3.base_url, "http://127.0.0.1:9000");
  EXPECT_TRUE(s3.path_style);
}

TEST(AwsUriEncodeTest, OnlyUnreservedCharactersStay) {
  EXPECT_EQ(AwsUriEncode("a-b_c.d~e/f g+h=i&é", true), "a-b_c.d~e/f%20g%2Bh%3Di%26%C3%A9");
  EXPECT_EQ(AwsUriEncode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace tenantshift
