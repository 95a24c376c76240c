// The table-load transaction, written once for every data path (direct COPY, S3-staged
// PostgreSQL, Redshift UNLOAD/COPY): open the target's transaction and clear the table, load,
// check the count, then COMMIT, or ROLL BACK so the target's rows are as before.
//
// Policy for rows already in the target (one for every path): a table tenantshift created is
// cleared with TRUNCATE on PostgreSQL (cheap, and lets COPY FREEZE) and DELETE on Redshift
// (whose TRUNCATE commits); a pre-existing table the user allowed to be replaced is cleared
// with DELETE inside the same transaction, so a failed load never leaves it empty.
// Thread-safety: one call per worker, on that worker's session.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "model/catalog.h"
#include "model/object_name.h"
#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

// How the load transaction clears the target table before loading.
enum class ClearTable {
  kTruncate,  // a table this run created: TRUNCATE (PostgreSQL) / DELETE (Redshift)
  kDelete,    // a pre-existing table whose rows are to be replaced: DELETE
  kNone,      // append to what is there
};

// "BEGIN; <clear>;" for `table` on a target of `target_dialect`. PostgreSQL statements say
// ONLY, so a parent's clear never reaches its children; Redshift has no inheritance.
std::string BeginLoadSql(Dialect target_dialect, const QualifiedName& table, ClearTable clear);

// Loads rows into the target inside a transaction; returns how many it loaded.
using LoadFn = std::function<Result<int64_t>()>;

// Runs `begin_sql`, then `load`. When `expected_rows` >= 0 and the load reports another count,
// fails with Mismatch ("the source staged N rows but the target loaded M"). Then COMMITs. On
// any failure it issues ROLLBACK (best effort: a dropped connection rolls back by itself) and
// returns the first error. On success returns the loaded row count.
Result<int64_t> LoadInTransaction(Session& target, const std::string& begin_sql, const LoadFn& load,
                                  int64_t expected_rows);

}  // namespace tenantshift
