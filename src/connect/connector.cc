#include "connect/connector.h"

#include "pg/pg_session.h"

namespace tenantshift {

Connector LibpqConnector() {
  return [](const ConnSpec& spec, const std::string& role) -> Result<std::unique_ptr<Session>> {
    Result<std::unique_ptr<PgSession>> s = PgSession::Connect(spec, role);
    if (!s.ok()) return s.status();
    return std::unique_ptr<Session>(std::move(*s));
  };
}

}  // namespace tenantshift
