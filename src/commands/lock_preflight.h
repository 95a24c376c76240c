// Lock preflight: whether a PostgreSQL server's shared lock table can hold the locks that
// reading a tenant's catalog takes, checked before anything changes.
//
// Every transaction tenantshift runs during a migration locks a bounded number of relations
// (one table with its indexes per data or validation step, one object per DDL step, at most
// 500 per part of the owner changes), except
// the catalog read: pg_get_viewdef and pg_get_ruledef lock each view or rule's relation and
// every relation its query reads, all in the one transaction that reads the catalog. That is
// the only server limit a tenant's size can reach, so it is checked here, naming the setting.
// Thread-safety: uses the given Session only.
#pragma once

#include <string>
#include <vector>

#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

// The query CheckLockTable runs: needed, per_transaction, slots. $1: JSON array of schemas.
// Reads pg_catalog only: it takes no lock on a tenant object.
const std::string& LockNeedSql();

// Locks other sessions and tenantshift's own workers may hold while the catalog is read.
inline constexpr int64_t kLockHeadroom = 200;

// Ok when the lock table of `session`'s server holds what reading the catalog of `schemas`
// needs plus kLockHeadroom; otherwise kInvalidArgument naming `side` ("source"/"target"),
// max_locks_per_transaction and the value it needs. A server error is passed up.
Status CheckLockTable(Session& session, const std::vector<std::string>& schemas,
                      const std::string& side);

}  // namespace tenantshift
