#include "commands/end_sessions.h"

namespace tenantshift {

Status EndSessionsAndWait(Session& session, const std::string& where,
                          const std::vector<std::optional<std::string>>& params,
                          const std::string& timeout_message, const Clock& clock,
                          std::chrono::milliseconds limit) {
  const std::string theirs = " FROM pg_catalog.pg_stat_activity WHERE " + where +
                             " AND pid <> pg_catalog.pg_backend_pid()";
  Result<Rows> r = session.Query("SELECT pg_catalog.pg_terminate_backend(pid)" + theirs, params);
  if (!r.ok()) return r.status();
  const TimePoint deadline = clock.Now() + limit;
  for (;;) {
    r = session.Query("SELECT pg_catalog.count(*) AS n" + theirs, params);
    if (!r.ok()) return r.status();
    if (r->Get(0, "n") == "0") return Status::Ok();
    if (clock.Now() >= deadline) return Status::Connection(timeout_message);
    clock.Sleep(std::chrono::milliseconds(100));
  }
}

}  // namespace tenantshift
