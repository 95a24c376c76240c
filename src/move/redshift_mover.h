// RedshiftMover: moves one table's rows when the source or the target is Redshift (provisioned
// or Serverless), through S3, exactly and without ever losing the target's rows.
//
// Per table, on the worker's own sessions:
//   source: UNLOAD ... TO <TablePrefix> MANIFEST VERBOSE        (ddl/redshift/unload_copy.h)
//           SELECT pg_last_unload_count()
//   target: BEGIN; DELETE FROM t; COPY t (...) FROM <manifest>; SELECT pg_last_copy_count()
//           -> COMMIT when the count equals the unload count, ROLLBACK otherwise
//           ANALYZE t; identity high-water check; delete the staged files.
// Why each step is so:
//   - DELETE, never TRUNCATE: TRUNCATE commits at once in Redshift, so a COPY failing after it
//     would leave the table empty (the reference tool's bug). DELETE rolls back with the COPY.
//   - The staged prefix is <staging url>/<run id>/<schema>/<table>/ (TablePrefix): two tables
//     of one name in two schemas, or two tenants' runs, never share files.
//   - COPY's row count must equal UNLOAD's, or the transaction rolls back.
//   - Staged files are deleted only after COMMIT; on any failure they are kept and the error
//     names their s3:// prefix (so a user can inspect them, or a retry can reuse the prefix).
//   - Zero rows unloaded: no COPY (UNLOAD may leave empty objects, and a zero-row manifest's
//     shape is not documented); the DELETE still commits so the target matches.
//   - Identity columns: COPY ... EXPLICIT_IDS keeps the source's values. Redshift has no way to
//     move an identity's next value afterwards (ALTER TABLE has no such clause, and the COPY
//     docs say it does not advance the high-water mark for BY DEFAULT columns), so the plan
//     creates the table with its seed past the source's high-water mark (D10,
//     plan/redshift_target.h ContinuedIdentitySeed). When copied values still reach that seed
//     (rows added on the source after planning, or a table that existed before the run) the
//     move succeeds with a warning that new inserts on the target may repeat them.
//   - Both sessions run with TimeZone UTC and ISO dates (RedshiftOps::SetUpSession,
//   dialect/dialect_ops.cc) so timestamps
//     print and parse the same way on both sides.
// PostgreSQL <-> Redshift: the Redshift half here (RedshiftStageWriter: UNLOAD; or
// RedshiftStageReader: COPY from the manifest) meets the PostgreSQL half (exec/pg_staging.h)
// through StagedCopy (exec/staged_copy.h), which runs the same transaction and count check.
// Redshift -> PostgreSQL refuses tables with VARBYTE/GEOMETRY/GEOGRAPHY/HLLSKETCH columns: UNLOAD
// writes them as hex/Base64 that PostgreSQL would read as other bytes.
// Limits: Redshift has no exported snapshots, so each table is read as of its own UNLOAD.
// Thread-safety: every function is safe to call concurrently on distinct sessions; the config
// is read-only.
#pragma once

#include <functional>
#include <string>

#include "model/catalog.h"
#include "model/table.h"
#include "move/staging.h"
#include "move/unload_copy.h"
#include "pg/session.h"
#include "plan/plan.h"
#include "plan/step_result.h"
#include "report/progress.h"

namespace tenantshift {

// S3 staging comes from the run's StagingConfig (--via, --iam-role, --kms-key-id); these are
// the parts a test replaces.
struct RedshiftMoverHooks {
  // Unset: S3PrefixDeleter(staging) when the staging config has an S3 client; without one the
  // staged files are left in place after success and a message says where.
  PrefixDeleter delete_prefix;
  // The NULL AS marker for one table's move; unset: 32 random hex digits after "ts-null-".
  std::function<std::string()> null_marker;
};

// Redshift's half of a staged move: UNLOAD ... MANIFEST VERBOSE, then pg_last_unload_count().
// With an S3 client it also reads the manifest, so `files` lists the data files and `bytes`
// their size (a PostgreSQL reader needs them; Redshift's COPY reads the manifest itself, so
// there, without `files_required`, a manifest that cannot be read leaves them empty instead of
// failing the write).
// Thread-safety: one per worker, like the session and client it borrows.
class RedshiftStageWriter final : public StageWriter {
 public:
  // REQUIRES: `source` (and `s3`, when not null) outlive the writer.
  RedshiftStageWriter(Session& source, S3Client* s3, rsddl::StagingAccess access,
                      std::string null_marker, bool files_required = true);
  Result<StagedTable> Write(const Table& table, const std::string& prefix) override;

 private:
  Session& source_;
  S3Client* s3_;
  rsddl::StagingAccess access_;
  std::string null_marker_;
  bool files_required_;
};

// Redshift's other half: COPY ... FROM the manifest with the writer's format, inside the
// caller's transaction, then pg_last_copy_count(). Zero staged rows: no COPY, 0 loaded.
class RedshiftStageReader final : public StageReader {
 public:
  // REQUIRES: `target` outlives the reader and has the caller's transaction open.
  RedshiftStageReader(Session& target, rsddl::StagingAccess access);
  Result<int64_t> Read(const Table& table, const StagedTable& staged) override;
  // True once a COPY statement of this reader failed: SYS_LOAD_ERROR_DETAIL may say why
  // (LoadErrorDetail), once the transaction has rolled back.
  bool copy_failed() const { return copy_failed_; }

 private:
  Session& target_;
  rsddl::StagingAccess access_;
  bool copy_failed_ = false;
};

// The SELECT reading what SYS_LOAD_ERROR_DETAIL recorded for the latest failed COPY into
// `table` on this session: file_name, line_number, column_name, column_type, position,
// error_code, error_message
// (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html; the view exists on
// provisioned clusters and Serverless, unlike STL_LOAD_ERRORS). Rows of this session (session_id =
// pg_backend_pid()) and this table (table_id = its pg_class oid), newest first, at most three.
std::string LoadErrorDetailSql(const QualifiedName& table);

// `failure` (a failed COPY into `table`, after the rollback) with what LoadErrorDetailSql
// answers on `target` appended: per row the staged file, line, column and type, position, error
// code and reason (each truncated). The view has no column holding the rejected value; Redshift's
// reason often quotes it. `failure` unchanged when the view says nothing or cannot be read, or
// when `failure` is not a server error (a lost connection cannot be asked).
Status WithLoadErrorDetail(Session& target, const QualifiedName& table, const Status& failure);

// What an UNLOAD manifest lists: the data files and, from MANIFEST VERBOSE's per-entry
// meta.content_length (DG:r_UNLOAD_command_examples), their total size (0 when absent).
struct UnloadManifest {
  std::vector<std::string> files;
  int64_t bytes = 0;
};
Result<UnloadManifest> ParseUnloadManifest(const std::string& manifest_json);
// The data file URLs of an UNLOAD manifest ({"entries": [{"url": ...}, ...]}).
Result<std::vector<std::string>> UnloadManifestFiles(const std::string& manifest_json);

// Moves `table`'s rows from `source` to `target` as described above. The result carries the
// staging figures (StepResult::stage_seconds, load_seconds, staged_files, bytes), and a
// successful move says them in one "throughput: ..." line to progress.Message(). `step` says
// whether the table existed before the run and whether its rows may be replaced. On success the
// target holds exactly the source's rows (result.rows of them), committed. On failure the target's
// rows are unchanged (the load transaction rolled back), and the status says where the staged
// files are kept. Warnings
// (identity, ANALYZE, cleanup) go to progress.Message().
// REQUIRES: source_dialect or target_dialect is Redshift.
StepResult MoveRedshiftTable(const Table& table, const Step& step, Dialect source_dialect,
                             Dialect target_dialect, Session& source, Session& target,
                             const StagingConfig& staging, const RedshiftMoverHooks& hooks,
                             Progress& progress);

}  // namespace tenantshift
