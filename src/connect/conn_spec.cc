#include "connect/conn_spec.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "connect/secret_store.h"

namespace tenantshift {
namespace {

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

// The port when the secret names none: Redshift's 5439 for a Redshift engine or endpoint,
// otherwise nothing, so libpq's own default applies (PGPORT, then 5432).
std::string DefaultPort(const nlohmann::json& doc, const std::string& host) {
  std::string engine = JsonString(doc, {"engine"});
  bool redshift = engine.find("redshift") != std::string::npos ||
                  host.find(".redshift.amazonaws.com") != std::string::npos ||
                  host.find(".redshift-serverless.amazonaws.com") != std::string::npos;
  return redshift ? "5439" : "";
}

}  // namespace

Result<ConnSpec> ConnSpecFromSecretJson(const Secret& text, const std::string& where) {
  nlohmann::json doc = nlohmann::json::parse(text.Reveal(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument(where + " is not a JSON object");
  }
  std::string host = JsonString(doc, {"host", "hostname"});
  if (host.empty()) return Status::InvalidArgument(where + " has no \"host\"");
  std::string port = JsonString(doc, {"port"});
  if (!port.empty() && (port.find_first_not_of("0123456789") != std::string::npos ||
                        port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)) {
    return Status::InvalidArgument(where + ": \"port\" is not a port number (1-65535): " + port);
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
    if (value.empty() && std::string(keyword) == "port") value = DefaultPort(doc, host);
    if (value.empty()) continue;
    spec.keywords.push_back(keyword);
    spec.values.push_back(value);
    if (std::string(keyword) == "password") spec.secrets.push_back(value);
  }
  for (auto& [key, value] : doc.items()) value = nullptr;  // drop the parsed password
  return spec;
}

Result<ConnSpec> ResolveConnSpec(const std::string& user_spec) {
  if (IsSecretReference(user_spec)) {
    Result<std::unique_ptr<SecretStore>> store = OpenSecretStore(user_spec);
    if (!store.ok()) return store.status();
    Result<Secret> text = (*store)->Read();
    if (!text.ok()) return text.status();
    return ConnSpecFromSecretJson(*text, (*store)->Name());
  }
  ConnSpec spec;
  AddDefaults(&spec);
  spec.keywords.push_back("dbname");
  spec.values.push_back(user_spec);
  CollectInlinePassword(user_spec, &spec);
  return spec;
}

}  // namespace tenantshift
