// Ending server sessions and waiting until they are gone: sessions a killed run of the same work
// directory left behind (migrate, resume, retry) and the sessions of roles cutover freezes.
// One polling loop for both, timed by the Clock seam (util/clock.h).
// Thread-safety: uses the given Session only.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "dialect/dialect_ops.h"
#include "pg/session.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

// Terminates every session of pg_stat_activity matching `where` (a WHERE clause over
// pg_stat_activity using `params` as $1...; the caller's own backend is always excluded), then
// polls every 100 ms until none is left. Fails with kConnection and `timeout_message` when some
// remain after `limit`, or with the server's error.
Status EndSessionsAndWait(Session& session, const std::string& where,
                          const std::vector<std::optional<std::string>>& params,
                          const std::string& timeout_message, const Clock& clock = SystemClock(),
                          std::chrono::milliseconds limit = std::chrono::minutes(1));

// Ends every session of `roles` on an engine of `ops` (pg_stat_activity on PostgreSQL, the
// session views on Redshift: DialectOps::RoleSessionsFrom), one PG_TERMINATE_BACKEND per
// session, then polls every 100 ms until none is left; fails as EndSessionsAndWait does.
Status EndRoleSessionsAndWait(Session& session, const DialectOps& ops,
                              const std::vector<std::string>& roles,
                              const std::string& timeout_message,
                              const Clock& clock = SystemClock(),
                              std::chrono::milliseconds limit = std::chrono::minutes(1));

}  // namespace tenantshift
