// AwsHttp: signed HTTPS requests to AWS services (S3, Secrets Manager, Redshift, Redshift
// Serverless) through libcurl, which computes the SigV4 signature itself (CURLOPT_AWS_SIGV4).
//
// No AWS SDK: tenantshift needs a handful of calls, and libcurl is already a Debian package.
// Endpoints follow the usual rules: https://<service>.<region>.amazonaws.com unless
// AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL is set (how tests reach local servers).
// Thread-safety: an AwsHttp may be used by one thread at a time; make one per worker.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "util/status.h"

namespace tenantshift {

struct AwsRequest {
  std::string method = "GET";  // GET, PUT, POST, DELETE, HEAD
  std::string service;         // signing name: "s3", "secretsmanager", "redshift", ...
  // Path (already percent-encoded, starting with "/") and query (encoded, without "?").
  std::string path = "/";
  std::string query;
  std::map<std::string, std::string> headers;  // e.g. "x-amz-target", "content-type"
  std::string body;                            // small bodies; streamed bodies use `read_body`
  // Streaming upload: called until it returns 0; `body_size` must then be set.
  std::function<size_t(char* buf, size_t len)> read_body;
  int64_t body_size = -1;
  // Streaming download: when set, the response body is passed here chunk by chunk (for 2xx
  // responses only) instead of being kept in AwsResponse::body. Returning false aborts.
  std::function<bool(const char* data, size_t len)> on_body;
};

struct AwsResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Where a service lives: endpoint base URL ("https://s3.eu-west-1.amazonaws.com",
// "http://127.0.0.1:4568") and whether S3 buckets go in the path (always with a custom
// endpoint) or in the host name.
struct AwsEndpoint {
  std::string base_url;
  bool path_style = false;
};

// The endpoint for `service` in `region`, honouring AWS_ENDPOINT_URL_<SERVICE> (service id
// upper-cased, spaces and dashes as underscores: AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS) and AWS_ENDPOINT_URL.
AwsEndpoint ResolveEndpoint(const std::string& service_id, const std::string& region);

class AwsHttp {
 public:
  AwsHttp(AwsEndpoint endpoint, std::string region, CredentialsProvider* credentials);
  ~AwsHttp();

  // Sends `request`, signed, with retries and exponential backoff on connection errors, 5xx,
  // 429 and throttling errors (not once a streamed body has been partly consumed). An HTTP error
  // status is not a Status error: callers turn the response into a message (AwsErrorMessage).
  Result<AwsResponse> Send(const AwsRequest& request);

  const AwsEndpoint& endpoint() const { return endpoint_; }
  const std::string& region() const { return region_; }

 private:
  struct Impl;
  AwsEndpoint endpoint_;
  std::string region_;
  CredentialsProvider* credentials_;
  std::unique_ptr<Impl> impl_;
};

// "AccessDenied: Access Denied" from an S3 XML error body or a JSON service error body
// ({"__type": "...", "message": "..."}); falls back to the HTTP status.
std::string AwsErrorMessage(const AwsResponse& response);

}  // namespace tenantshift
