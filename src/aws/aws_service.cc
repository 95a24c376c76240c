#include "aws/aws_service.h"

#include <fmt/format.h>

namespace tenantshift {
namespace {

Status::Code CodeFor(long http_status, const std::string& code) {
  auto has = [&code](const char* part) { return code.find(part) != std::string::npos; };
  if (has("AccessDenied") || has("UnrecognizedClient") || has("InvalidSignature") ||
      has("ExpiredToken") || has("NotAuthorized") || http_status == 401 || http_status == 403) {
    return Status::Code::kPermission;
  }
  if (has("Throttl") || has("TooManyRequests") || http_status == 429 || http_status >= 500) {
    return Status::Code::kRetryable;
  }
  if (has("NotFound") || has("Validation") || has("InvalidParameter") || has("InvalidRequest") ||
      http_status == 400 || http_status == 404) {
    return Status::Code::kInvalidArgument;
  }
  return Status::Code::kServer;
}

Status MakeStatus(Status::Code code, std::string msg) {
  switch (code) {
    case Status::Code::kPermission:
      return Status::Permission(std::move(msg));
    case Status::Code::kRetryable:
      return Status::Retryable(std::move(msg));
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(msg));
    default:
      return Status::Server(std::move(msg));
  }
}

AwsRequest PostRequest(const std::string& signing_name, std::string content_type,
                       std::string body) {
  AwsRequest r;
  r.method = "POST";
  r.service = signing_name;
  r.path = "/";
  r.headers["content-type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Result<AwsResponse> Send(AwsServiceConnection& conn, const AwsRequest& request,
                         const std::string& what) {
  Result<AwsResponse> response = conn.http->Send(request);
  if (!response.ok()) return response.status().WithContext(what);
  if (response->status < 200 || response->status > 299) return AwsCallError(*response, what);
  return response;
}

}  // namespace

Result<AwsServiceConnection> ConnectAwsService(const AwsServiceName& service, std::string region,
                                               AwsEnvironment env, AwsHttpOptions options) {
  AwsServiceConnection conn{service, std::make_unique<CredentialsProvider>(env), nullptr};
  if (region.empty()) region = conn.credentials->Region();
  if (region.empty()) {
    return Status::InvalidArgument(
        fmt::format("no AWS region for {}: set AWS_REGION (or a region in the AWS profile)",
                    service.service_id));
  }
  AwsEndpoint endpoint = ResolveEndpoint(service.service_id, region, env);
  conn.http = std::make_unique<AwsHttp>(std::move(endpoint), region, conn.credentials.get(),
                                        std::move(options));
  return conn;
}

AwsRequest Json11Request(const std::string& signing_name, const std::string& target,
                         const nlohmann::json& body) {
  AwsRequest r = PostRequest(signing_name, "application/x-amz-json-1.1", body.dump());
  r.headers["x-amz-target"] = target;
  return r;
}

AwsRequest QueryRequest(const std::string& signing_name, const QueryParams& params) {
  std::string body;
  for (const auto& [name, value] : params) {
    if (!body.empty()) body += '&';
    body += AwsUriEncode(name, false) + "=" + AwsUriEncode(value, false);
  }
  return PostRequest(signing_name, "application/x-www-form-urlencoded; charset=utf-8",
                     std::move(body));
}

Result<nlohmann::json> CallJson11(AwsServiceConnection& conn, const std::string& target,
                                  const nlohmann::json& body, const std::string& what) {
  Result<AwsResponse> response =
      Send(conn, Json11Request(conn.service.signing_name, target, body), what);
  if (!response.ok()) return response.status();
  nlohmann::json doc = nlohmann::json::parse(response->body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Server(what + ": the service's answer is not a JSON object");
  }
  return doc;
}

Result<std::string> CallQuery(AwsServiceConnection& conn, const QueryParams& params,
                              const std::string& what) {
  Result<AwsResponse> response = Send(conn, QueryRequest(conn.service.signing_name, params), what);
  if (!response.ok()) return response.status();
  return std::move(response->body);
}

Status AwsCallError(const AwsResponse& response, const std::string& what) {
  return MakeStatus(CodeFor(response.status, AwsErrorCode(response)),
                    what + ": " + AwsErrorMessage(response));
}

}  // namespace tenantshift
