#include "aws/secrets_manager.h"

#include <fmt/format.h>

#include <random>

namespace tenantshift {
namespace {

std::string What(const char* operation, const std::string& secret_id) {
  return fmt::format("Secrets Manager {} of secret {}", operation, secret_id);
}

}  // namespace

Result<Secret> SecretsManagerClient::GetSecretValue(const std::string& secret_id) {
  const std::string what = What("GetSecretValue", secret_id);
  Result<nlohmann::json> doc =
      CallJson11(conn_, "secretsmanager.GetSecretValue", {{"SecretId", secret_id}}, what);
  if (!doc.ok()) return doc.status();
  auto it = doc->find("SecretString");
  if (it == doc->end() || !it->is_string()) {
    bool binary = doc->contains("SecretBinary");
    return Status::InvalidArgument(
        what + (binary ? ": the secret is binary (SecretBinary); store the connection as JSON "
                         "text (SecretString)"
                       : ": the answer holds no SecretString"));
  }
  Secret value(it->get<std::string>());
  *it = nullptr;  // the parsed document is dropped; do not leave a second copy behind
  return value;
}

Status SecretsManagerClient::PutSecretValue(const std::string& secret_id, const Secret& value) {
  const std::string what = What("PutSecretValue", secret_id);
  // ClientRequestToken: "If a version with this value already exists and the version
  // SecretString and SecretBinary values are the same as those in the request, then the request
  // is ignored" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/
  // API_PutSecretValue.html). The body is built once, so every retry of it sends the same token
  // and a retry after a lost answer adds no second version (O1, tests/aws_oracle).
  nlohmann::json body = {{"ClientRequestToken", NewClientRequestToken()},
                         {"SecretId", secret_id},
                         {"SecretString", value.Reveal()}};
  Result<nlohmann::json> doc = CallJson11(conn_, "secretsmanager.PutSecretValue", body, what);
  body["SecretString"] = nullptr;
  if (doc.ok()) return Status::Ok();
  // A service message never should, but could, quote the value it refused: hide it.
  std::string msg = doc.status().message();
  const std::string& text = value.Reveal();
  for (size_t p = text.empty() ? std::string::npos : msg.find(text); p != std::string::npos;
       p = msg.find(text, p)) {
    msg.replace(p, text.size(), "********");
  }
  if (doc.status().code() == Status::Code::kPermission) return Status::Permission(msg);
  return doc.status().retryable() ? Status::Retryable(msg) : Status::Server(msg);
}

std::string SecretRegion(const std::string& secret_id) {
  // arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME
  if (secret_id.rfind("arn:", 0) != 0) return "";
  size_t start = 0;
  for (int field = 0; field < 3; ++field) {
    start = secret_id.find(':', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  size_t end = secret_id.find(':', start);
  return end == std::string::npos ? "" : secret_id.substr(start, end - start);
}

std::string NewClientRequestToken() {
  std::random_device rd;
  unsigned char b[16];
  for (unsigned char& c : b) c = static_cast<unsigned char>(rd() & 0xff);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant 10xx
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += fmt::format("{:02x}", b[i]);
  }
  return out;
}

}  // namespace tenantshift
