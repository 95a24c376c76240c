#include "commands/lock_preflight.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace tenantshift {

// The lock table's size is max_locks_per_transaction x (max_connections +
// max_prepared_transactions), as the PostgreSQL documentation of max_locks_per_transaction
// gives it (https://www.postgresql.org/docs/15/runtime-config-locks.html).
const std::string& LockNeedSql() {
  static const std::string sql = R"(-- Relations the catalog read locks, and the lock table's size.
WITH rules AS (
  SELECT r.oid, r.ev_class
    FROM pg_catalog.pg_rewrite r
    JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN (SELECT pg_catalog.json_array_elements_text($1::pg_catalog.json)))
SELECT (SELECT pg_catalog.count(*) FROM (
          SELECT ev_class FROM rules
          UNION
          SELECT d.refobjid FROM pg_catalog.pg_depend d JOIN rules ON d.objid = rules.oid
           WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
             AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass) x) AS needed,
       pg_catalog.current_setting('max_locks_per_transaction')::int AS per_transaction,
       pg_catalog.current_setting('max_connections')::int
         + pg_catalog.current_setting('max_prepared_transactions')::int AS slots)";
  return sql;
}

Status CheckLockTable(Session& session, const std::vector<std::string>& schemas,
                      const std::string& side) {
  Result<Rows> rows = session.Query(LockNeedSql(), {nlohmann::json(schemas).dump()});
  if (!rows.ok()) return rows.status().WithContext("reading the " + side + "'s lock settings");
  int64_t needed = std::stoll(rows->Get(0, "needed"));
  int64_t per = std::stoll(rows->Get(0, "per_transaction"));
  int64_t slots = std::stoll(rows->Get(0, "slots"));
  if (needed + kLockHeadroom <= per * slots) return Status::Ok();
  int64_t want = (needed + kLockHeadroom + slots - 1) / slots;
  return Status::InvalidArgument(fmt::format(
      "the {0}'s shared lock table holds {1} locks (max_locks_per_transaction = {2} x "
      "(max_connections + max_prepared_transactions) = {3}), but reading the definitions of the "
      "tenant's views and rules locks {4} relations at once: set max_locks_per_transaction to "
      "at least {5} on the {0} and restart it; nothing was changed",
      side, per * slots, per, slots, needed, want));
}

}  // namespace tenantshift
