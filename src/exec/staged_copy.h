// StagedCopy: moves one table's rows through S3 (--via s3://..., and every Redshift move):
// clear the table's staging prefix, let a StageWriter put the rows there, open the target's
// transaction (with its DELETE/TRUNCATE), let a StageReader load them, check that the target
// stored exactly the rows the writer wrote, COMMIT, then delete the staged files.
//
// On failure the target's transaction is left for the caller to roll back, and the staged files
// are kept: the error names their s3:// prefix. (The reference system truncated before a COPY
// that could fail and never compared row counts; this does neither.)
// Thread-safety: one call per worker; the sessions and clients are the worker's own.
#pragma once

#include <string>

#include "exec/executor.h"
#include "exec/staging.h"
#include "pg/session.h"
#include "report/progress.h"

namespace tenantshift {

struct StagedCopyParts {
  StageWriter& writer;
  StageReader& reader;
  S3Client& s3;           // clears the prefix before and after
  Session& target;        // runs `begin_sql` and COMMIT
  std::string begin_sql;  // "BEGIN; TRUNCATE ONLY t;" and the like
};

// Moves `table` as above. StepResult rows/bytes are what was staged and loaded.
StepResult StagedCopy(const StagingConfig& config, const Table& table, StagedCopyParts parts,
                      Progress& progress);

// StagedCopy with the PostgreSQL halves: `source` COPYs out, `target` COPYs in, through an
// S3Client from config.s3().
StepResult PgStagedCopy(const StagingConfig& config, const Table& table, Session& source,
                        Session& target, const std::string& begin_sql, Progress& progress);

}  // namespace tenantshift
