#include "pg/conn_spec.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace tenantshift {
namespace {

constexpr const char* kSecretFilePrefix = "secret-file:";
constexpr const char* kDefaultConnectTimeout = "10";

// Options tenantshift sets unless the user's own spec says otherwise: they come first, and a
// later keyword (or the expanded dbname) overrides them.
void AddDefaults(ConnSpec* spec) {
  spec->keywords.push_back("application_name");
  spec->values.push_back("tenantshift");
  if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
    spec->keywords.push_back("connect_timeout");
    spec->values.push_back(kDefaultConnectTimeout);
  }
}

// Finds an inline password in a conninfo string or URI so it can be redacted.
void CollectInlinePassword(const std::string& user_spec, ConnSpec* spec) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(user_spec.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "password" && o->val != nullptr && *o->val != '\0') {
      spec->secrets.push_back(o->val);
    }
  }
  PQconninfoFree(opts);
}

std::string JsonString(const nlohmann::json& doc, const std::vector<const char*>& keys) {
  for (const char* key : keys) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  }
  return "";
}

Result<ConnSpec> FromSecretFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read secret file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("secret file " + path + " is not a JSON object");
  }
  ConnSpec spec;
  AddDefaults(&spec);
  const std::pair<const char*, std::vector<const char*>> fields[] = {
      {"host", {"host", "hostname"}},
      {"port", {"port"}},
      {"dbname", {"dbname", "database", "db"}},
      {"user", {"username", "user"}},
      {"password", {"password"}},
      {"sslmode", {"sslmode"}},
  };
  for (const auto& [keyword, keys] : fields) {
    std::string value = JsonString(doc, keys);
    if (value.empty()) continue;
    spec.keywords.push_back(keyword);
    spec.values.push_back(value);
    if (std::string(keyword) == "password") spec.secrets.push_back(value);
  }
  if (JsonString(doc, {"host", "hostname"}).empty()) {
    return Status::InvalidArgument("secret file " + path + " has no \"host\"");
  }
  return spec;
}

}  // namespace

std::string ConnSpec::Redact(std::string text) const {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "********");
    }
  }
  return text;
}

Result<ConnSpec> ResolveConnSpec(const std::string& user_spec) {
  if (user_spec.rfind(kSecretFilePrefix, 0) == 0) {
    return FromSecretFile(user_spec.substr(std::string(kSecretFilePrefix).size()));
  }
  ConnSpec spec;
  AddDefaults(&spec);
  spec.keywords.push_back("dbname");
  spec.values.push_back(user_spec);
  CollectInlinePassword(user_spec, &spec);
  return spec;
}

}  // namespace tenantshift
