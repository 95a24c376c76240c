#include "pg/conn_spec.h"

namespace tenantshift {

std::string ConnSpec::Describe() const {
  std::string host, port, dbname, user;
  for (size_t i = 0; i < keywords.size(); ++i) {  // the last one wins, as in libpq
    const std::string& k = keywords[i];
    std::string* slot = k == "host"     ? &host
                        : k == "port"   ? &port
                        : k == "dbname" ? &dbname
                        : k == "user"   ? &user
                                        : nullptr;
    if (slot != nullptr) *slot = values[i];
  }
  return Redact(host + ":" + port + "/" + dbname + " user=" + user);
}

std::string ConnSpec::Redact(std::string text) const {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "********");
    }
  }
  return text;
}

}  // namespace tenantshift
