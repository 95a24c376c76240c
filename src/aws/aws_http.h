// AwsHttp: signed HTTPS requests to AWS services (S3, Secrets Manager, Redshift, Redshift
// Serverless) through libcurl, which computes the SigV4 signature itself (CURLOPT_AWS_SIGV4).
//
// No AWS SDK: tenantshift needs a handful of calls, and libcurl is already a Debian package.
// Endpoints follow the usual rules: https://<service>.<region>.amazonaws.com unless
// AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL is set (how tests reach local servers).
//
// What libcurl 7.88.1 (Debian 12) does and does not do, and how AwsHttp fills the gaps:
// - it signs host, x-amz-date and every header AwsHttp adds (content-type, x-amz-target,
//   x-amz-security-token, x-amz-content-sha256);
// - it uses the path and the query exactly as given, so AwsHttp sorts the query parameters into
//   canonical order itself (callers encode them with AwsUriEncode);
// - it hashes CURLOPT_POSTFIELDS as the payload, except for service "s3" where it uses the
//   x-amz-content-sha256 header: AwsHttp sets that header for S3 to the SHA-256 of a small body
//   or to UNSIGNED-PAYLOAD for a streamed one. Streamed uploads are therefore for S3 only.
// Credentials go to libcurl as CURLOPT_USERNAME/PASSWORD, never into a URL, argv or a log.
//
// Thread-safety: an AwsHttp may be used by one thread at a time; make one per worker.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

struct AwsRequest {
  std::string method = "GET";  // GET, PUT, POST, DELETE, HEAD
  std::string service;         // signing name: "s3", "secretsmanager", "redshift", ...
  // Path (already percent-encoded, starting with "/") and query (encoded, without "?"). The
  // query's parameters may come in any order; AwsHttp sorts them for signing.
  std::string path = "/";
  std::string query;
  // Prepended to the endpoint's host name: "my-bucket." for a virtual-hosted S3 bucket (when the
  // endpoint is not path_style). Empty for everything else.
  std::string host_prefix;
  std::map<std::string, std::string> headers;  // e.g. "x-amz-target", "content-type"
  std::string body;                            // small bodies; streamed bodies use `read_body`
  // Streaming upload (S3 only): called until it returns 0; `body_size` must then be set.
  // Returning CURL_READFUNC_ABORT (0x10000000) aborts the request.
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

// The endpoint for `service_id` in `region`, honouring AWS_ENDPOINT_URL_<SERVICE> (service id
// upper-cased, spaces and dashes as underscores: AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS) and AWS_ENDPOINT_URL.
// Without either: https://<id>.<region>.amazonaws.com (.amazonaws.com.cn for cn-* regions), the
// id lower-cased with spaces removed ("Secrets Manager" -> secretsmanager); S3 is then
// virtual-hosted (path_style false). A custom endpoint is always path style.
// The first form reads the process environment.
AwsEndpoint ResolveEndpoint(const std::string& service_id, const std::string& region);
AwsEndpoint ResolveEndpoint(const std::string& service_id, const std::string& region,
                            const AwsEnvironment& env);

// Percent-encodes `s` the SigV4 way: everything but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex);
// '/' is kept when `keep_slash` (object keys in a path), encoded otherwise (query values).
std::string AwsUriEncode(const std::string& s, bool keep_slash);

// Retry policy: tries at most `max_attempts` times; before try n+1 waits BackoffDelay
// (util/backoff.h: min(max, base * 2^(n-1)) with equal jitter).
struct AwsRetryPolicy {
  int max_attempts = 5;
  BackoffPolicy backoff{std::chrono::milliseconds(200), std::chrono::milliseconds(20000)};
  // Sleeps between tries; tests pass a FakeClock. Default: SystemClock().
  const Clock* clock = nullptr;
};

struct AwsHttpOptions {
  AwsRetryPolicy retry;
  std::chrono::milliseconds connect_timeout{10000};
  // A transfer slower than 1 byte/s for this long counts as a connection error.
  std::chrono::seconds stall_timeout{60};
};

class AwsHttp {
 public:
  // REQUIRES: `credentials` outlives the AwsHttp.
  AwsHttp(AwsEndpoint endpoint, std::string region, CredentialsProvider* credentials,
          AwsHttpOptions options = {});
  ~AwsHttp();
  AwsHttp(const AwsHttp&) = delete;
  AwsHttp& operator=(const AwsHttp&) = delete;

  // Sends `request`, signed, with retries and exponential backoff on connection errors, 5xx,
  // 429 and throttling errors (not once a streamed body has been partly consumed). An HTTP error
  // status is not a Status error: callers turn the response into a message (AwsErrorMessage).
  // Status errors: kConnection (unreachable, after retries), kPermission (no credentials),
  // kInvalidArgument (no region, read_body without body_size), kCancelled (on_body or
  // read_body aborted).
  Result<AwsResponse> Send(const AwsRequest& request);

  const AwsEndpoint& endpoint() const { return endpoint_; }
  const std::string& region() const { return region_; }

 private:
  struct Impl;
  AwsEndpoint endpoint_;
  std::string region_;
  CredentialsProvider* credentials_;
  AwsHttpOptions options_;
  std::unique_ptr<Impl> impl_;
};

// The service's error code from an S3/Query XML error body (<Code>), a JSON error body
// ("__type" after any '#', or "code"), or the x-amzn-errortype header; empty when none.
std::string AwsErrorCode(const AwsResponse& response);

// "AccessDenied: Access Denied" from an S3 XML error body or a JSON service error body
// ({"__type": "...", "message": "..."}); falls back to the HTTP status ("HTTP 503").
std::string AwsErrorMessage(const AwsResponse& response);

}  // namespace tenantshift
