#include "aws/ssm.h"

#include <fmt/format.h>

namespace tenantshift {
namespace {

std::string What(const char* operation, const std::string& name) {
  return fmt::format("SSM {} of parameter {}", operation, name);
}

// `message` with every occurrence of `value` hidden: a service message should never, but could,
// quote the value it refused.
std::string Hide(std::string message, const std::string& value) {
  for (size_t p = value.empty() ? std::string::npos : message.find(value); p != std::string::npos;
       p = message.find(value, p)) {
    message.replace(p, value.size(), "********");
  }
  return message;
}

}  // namespace

Result<Secret> SsmClient::GetParameter(const std::string& name) {
  const std::string what = What("GetParameter", name);
  Result<nlohmann::json> doc =
      CallJson11(conn_, "AmazonSSM.GetParameter", {{"Name", name}, {"WithDecryption", true}}, what);
  if (!doc.ok()) return doc.status();
  auto param = doc->find("Parameter");
  if (param == doc->end() || !param->is_object() || !param->contains("Value") ||
      !(*param)["Value"].is_string()) {
    return Status::InvalidArgument(what + ": the answer holds no Parameter.Value");
  }
  Secret value((*param)["Value"].get<std::string>());
  (*param)["Value"] = nullptr;  // no second copy left in the parsed document
  return value;
}

Status SsmClient::PutParameter(const std::string& name, const Secret& value) {
  const std::string what = What("PutParameter", name);
  nlohmann::json body = {{"Name", name}, {"Overwrite", true}, {"Value", value.Reveal()}};
  Result<nlohmann::json> doc = CallJson11(conn_, "AmazonSSM.PutParameter", body, what);
  body["Value"] = nullptr;
  if (doc.ok()) return Status::Ok();
  std::string msg = Hide(doc.status().message(), value.Reveal());
  if (doc.status().code() == Status::Code::kPermission) return Status::Permission(msg);
  if (doc.status().code() == Status::Code::kInvalidArgument) return Status::InvalidArgument(msg);
  return doc.status().retryable() ? Status::Retryable(msg) : Status::Server(msg);
}

}  // namespace tenantshift
