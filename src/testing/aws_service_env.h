// Test support for the AWS API clients: an environment whose credentials are fixed and whose
// every service endpoint is a local HttpServer, canned replies, and the SigV4 scope a request
// was signed for.
// Thread-safety: plain functions over values.
#pragma once

#include <regex>
#include <string>

#include "aws/credentials.h"
#include "testing/http_server.h"

namespace tenantshift {

inline constexpr char kTestKeyId[] = "AKIDTESTSERVICES";
inline constexpr char kTestSecretKey[] = "tEsTsEcReTkEyNeVeRsHoWnX/Y+Z0123456789ab";

// Credentials, region eu-west-1, and AWS_ENDPOINT_URL = `url`.
inline AwsEnvironment ServiceTestEnv(const std::string& url) {
  AwsEnvironment env;
  env.vars = {{"AWS_ACCESS_KEY_ID", kTestKeyId},
              {"AWS_SECRET_ACCESS_KEY", kTestSecretKey},
              {"AWS_REGION", "eu-west-1"},
              {"AWS_ENDPOINT_URL", url}};
  return env;
}

inline HttpServer::Response Reply(int status, std::string body,
                                  std::string content_type = "application/x-amz-json-1.1") {
  HttpServer::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers["Content-Type"] = std::move(content_type);
  return r;
}

// "REGION/SERVICE" of the request's "Credential=KEY/DATE/REGION/SERVICE/aws4_request", or ""
// when it is not signed with the test key.
inline std::string SignedScope(const HttpServer::Request& r) {
  static const std::regex kRe(std::string("^AWS4-HMAC-SHA256 Credential=") + kTestKeyId +
                              R"(/\d{8}/([^/]+)/([^/]+)/aws4_request, SignedHeaders=.*)");
  std::smatch m;
  std::string header = r.Header("authorization");
  if (!std::regex_match(header, m, kRe)) return "";
  return m[1].str() + "/" + m[2].str();
}

}  // namespace tenantshift
