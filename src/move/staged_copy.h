// StagedCopy: the one orchestration of a table move through staged files (--via s3://..., and
// every move touching Redshift): clear the table's staging prefix, let a StageWriter put the
// rows there, load them with a StageReader inside the load transaction (move/load_txn.h:
// begin and clear, load, count check, COMMIT or ROLLBACK), run the target's after-commit hook,
// then delete the staged files.
//
// One policy for every path: on failure the target's transaction is rolled back, its rows are
// as before, and the staged files are kept (the error names their s3:// prefix). Once the rows
// are committed nothing fails the step: a failed after-commit hook or cleanup is a warning
// (progress.Message). (The reference system truncated before a COPY that could fail and never
// compared row counts; this does neither.)
// Thread-safety: one call per worker; the sessions and clients are the worker's own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "move/staging.h"
#include "pg/session.h"
#include "plan/step_result.h"
#include "report/progress.h"

namespace tenantshift {

struct StagedCopyParts {
  StageWriter& writer;
  StageReader& reader;
  Session& target;        // runs `begin_sql`, the reader's load and COMMIT or ROLLBACK
  std::string begin_sql;  // BeginLoadSql(...): "BEGIN; TRUNCATE ONLY t;" and the like
  // Deletes the staged files; unset: they stay (a message says where).
  PrefixDeleter delete_prefix;
  // Delete what an earlier failed try left under the prefix before writing. Off where the
  // writer overwrites by itself (UNLOAD ... ALLOWOVERWRITE).
  bool clear_prefix_first = true;
  // Runs after COMMIT with the loaded row count (Redshift: ANALYZE, identity check); its
  // messages are warnings.
  std::function<void(int64_t rows)> after_commit;
};

// Moves `table` as above. StepResult rows/bytes are what was staged and loaded.
StepResult StagedCopy(const StagingConfig& config, const Table& table, StagedCopyParts parts,
                      Progress& progress);

// StagedCopy with the PostgreSQL halves: `source` COPYs out, `target` COPYs in, through an
// S3Client from config.s3().
StepResult PgStagedCopy(const StagingConfig& config, const Table& table, Session& source,
                        Session& target, const std::string& begin_sql, Progress& progress);

}  // namespace tenantshift
