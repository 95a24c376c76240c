// AwsService: what every small AWS API client here shares: an AwsHttp with its own credentials
// chain for one service in one region, and the two wire protocols tenantshift speaks besides
// S3's REST: JSON 1.1 (Secrets Manager, Redshift Serverless) and Query (Redshift provisioned).
//
// A failed call becomes a Status whose message names the operation and the resource the caller
// gives ("GetSecretValue of secret prod/acme: AccessDeniedException: ..."), built from the
// service's own error code and message; request and response bodies are never put into
// messages, since they may hold secret values.
// Thread-safety: an AwsServiceConnection is used by one thread at a time.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "aws/aws_http.h"
#include "aws/credentials.h"
#include "util/status.h"

namespace tenantshift {

// How to reach one AWS service: `service_id` gives ResolveEndpoint the endpoint override
// variable (AWS_ENDPOINT_URL_<SERVICE_ID>) and the host name, `signing_name` is SigV4's service.
struct AwsServiceName {
  const char* service_id;    // "Secrets Manager", "redshift-serverless", "Redshift"
  const char* signing_name;  // "secretsmanager", "redshift-serverless", "redshift"
};

inline constexpr AwsServiceName kSecretsManagerService{"Secrets Manager", "secretsmanager"};
// Not "Redshift Serverless": its host is redshift-serverless.<region>.amazonaws.com.
inline constexpr AwsServiceName kRedshiftServerlessService{"redshift-serverless",
                                                           "redshift-serverless"};
inline constexpr AwsServiceName kRedshiftService{"Redshift", "redshift"};

// An AwsHttp together with the credentials chain it borrows.
struct AwsServiceConnection {
  AwsServiceName service;
  std::unique_ptr<CredentialsProvider> credentials;
  std::unique_ptr<AwsHttp> http;
};

// Connects to `service` in `region` (empty: the region of the environment or profile) with the
// credentials chain and endpoint overrides of `env`. Fails with kInvalidArgument when no
// region is known.
Result<AwsServiceConnection> ConnectAwsService(const AwsServiceName& service, std::string region,
                                               AwsEnvironment env = AwsEnvironment::FromProcess(),
                                               AwsHttpOptions options = {});

// One JSON 1.1 call: POST / with X-Amz-Target `target` ("secretsmanager.GetSecretValue") and
// `body`. On success the parsed response object; on failure a Status naming `what`.
Result<nlohmann::json> CallJson11(AwsServiceConnection& conn, const std::string& target,
                                  const nlohmann::json& body, const std::string& what);

// One Query protocol call: POST / with a form body of `params` (Action, Version, ...), each
// name and value percent-encoded. On success the response's XML text.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
Result<std::string> CallQuery(AwsServiceConnection& conn, const QueryParams& params,
                              const std::string& what);

// The request CallJson11 / CallQuery send (pure, for tests and for the clients).
AwsRequest Json11Request(const std::string& signing_name, const std::string& target,
                         const nlohmann::json& body);
AwsRequest QueryRequest(const std::string& signing_name, const QueryParams& params);

// The Status for a non-2xx response: "`what`: Code: message", with a code that drives
// decisions (kPermission for access errors, kRetryable for throttling and 5xx, kInvalidArgument
// for not-found and validation errors, kServer otherwise).
Status AwsCallError(const AwsResponse& response, const std::string& what);

}  // namespace tenantshift
