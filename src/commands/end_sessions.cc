#include "commands/end_sessions.h"

namespace tenantshift {

namespace {

// Polls `count_sql` (a count as column n) every 100 ms until it answers 0.
Status WaitUntilNone(Session& session, const std::string& count_sql,
                     const std::vector<std::optional<std::string>>& params,
                     const std::string& timeout_message, const Clock& clock,
                     std::chrono::milliseconds limit) {
  const TimePoint deadline = clock.Now() + limit;
  for (;;) {
    Result<Rows> r = session.Query(count_sql, params);
    if (!r.ok()) return r.status();
    if (r->Get(0, "n") == "0") return Status::Ok();
    if (clock.Now() >= deadline) return Status::Connection(timeout_message);
    clock.Sleep(std::chrono::milliseconds(100));
  }
}

bool IsSessionId(const std::string& s) {
  return !s.empty() && s.size() < 12 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

Status EndSessionsAndWait(Session& session, const std::string& where,
                          const std::vector<std::optional<std::string>>& params,
                          const std::string& timeout_message, const Clock& clock,
                          std::chrono::milliseconds limit) {
  const std::string theirs = " FROM pg_catalog.pg_stat_activity WHERE " + where +
                             " AND pid <> pg_catalog.pg_backend_pid()";
  Result<Rows> r = session.Query("SELECT pg_catalog.pg_terminate_backend(pid)" + theirs, params);
  if (!r.ok()) return r.status();
  return WaitUntilNone(session, "SELECT pg_catalog.count(*) AS n" + theirs, params, timeout_message,
                       clock, limit);
}

Status EndRoleSessionsAndWait(Session& session, const DialectOps& ops,
                              const std::vector<std::string>& roles,
                              const std::string& timeout_message, const Clock& clock,
                              std::chrono::milliseconds limit) {
  if (roles.empty()) return Status::Ok();
  const std::string theirs = ops.RoleSessionsFrom(roles);
  Result<Rows> listed =
      session.Query(std::string("SELECT ") + ops.SessionIdColumn() + " AS id" + theirs, {});
  if (!listed.ok()) return listed.status();
  // A session may end between the list and its termination: the count below decides, and a
  // termination's error is reported only when sessions remain.
  Status first_error;
  for (size_t i = 0; i < listed->size(); ++i) {
    const std::string& id = listed->Get(i, "id");
    if (!IsSessionId(id)) return Status::Internal("unexpected session id '" + id + "'");
    Result<Rows> ended = session.Query("SELECT pg_terminate_backend(" + id + ") AS ended", {});
    if (!ended.ok() && first_error.ok()) first_error = ended.status();
  }
  Status s =
      WaitUntilNone(session, "SELECT count(*) AS n" + theirs, {}, timeout_message, clock, limit);
  if (s.code() == Status::Code::kConnection && !first_error.ok()) {
    return Status::Connection(timeout_message + " (ending one failed: " + first_error.message() +
                              ")");
  }
  return s;
}

}  // namespace tenantshift
