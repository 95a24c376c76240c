#include "move/staged_copy.h"

#include "move/load_txn.h"
#include "move/pg_staging.h"

namespace tenantshift {
namespace {

// Stage, then load in the one load transaction; the files stay whatever happens.
Status StageAndLoad(const Table& table, const std::string& prefix, StagedCopyParts& parts,
                    Progress& progress, StepResult& r) {
  // Files left by an earlier failed try of this run would only confuse a person looking.
  if (parts.clear_prefix_first && parts.delete_prefix) {
    Status s = parts.delete_prefix(prefix);
    if (!s.ok()) return s;
  }
  Result<StagedTable> staged = parts.writer.Write(table, prefix);
  if (!staged.ok()) return staged.status();
  if (staged->rows < 0) return Status::Internal("the stage writer did not count its rows");
  r.bytes = staged->bytes;
  progress.TableProgress(table.name.Display(), staged->rows, staged->bytes);
  Result<int64_t> loaded = LoadInTransaction(
      parts.target, parts.begin_sql, [&] { return parts.reader.Read(table, *staged); },
      staged->rows);
  if (!loaded.ok()) return loaded.status();
  r.rows = *loaded;
  return Status::Ok();
}

// After the commit: staged files go unless kept; a failure is a warning, the rows are in.
void Cleanup(const StagingConfig& config, const std::string& name, const std::string& prefix,
             const StagedCopyParts& parts, Progress& progress) {
  if (config.keep_files) return;
  const std::string kept = "staged files kept at " + prefix;
  if (!parts.delete_prefix) {
    progress.Message(name + ": " + kept + " (no S3 client to delete them)");
    return;
  }
  Status s = parts.delete_prefix(prefix);
  if (!s.ok())
    progress.Message("warning: " + name + ": rows committed, " + kept + ": " + s.message());
}

}  // namespace

StepResult StagedCopy(const StagingConfig& config, const Table& table, StagedCopyParts parts,
                      Progress& progress) {
  StepResult r;
  const std::string name = table.name.Display();
  const std::string prefix = TablePrefix(config, table.name);
  progress.TableStarted(name, table.estimated_rows, table.estimated_bytes);
  r.status = StageAndLoad(table, prefix, parts, progress, r);
  if (!r.status.ok()) {
    r.status = r.status.WithContext("loading " + name + " through " + prefix +
                                    " (rolled back: its rows on the target are unchanged; "
                                    "staged files kept at " +
                                    prefix + ")");
  } else {
    if (parts.after_commit) parts.after_commit(r.rows);
    Cleanup(config, name, prefix, parts, progress);
  }
  progress.TableFinished(name, r.rows, r.bytes, r.status);
  return r;
}

StepResult PgStagedCopy(const StagingConfig& config, const Table& table, Session& source,
                        Session& target, const std::string& begin_sql, Progress& progress) {
  StepResult failed;
  failed.status = Status::Internal("--via given but no S3 client configured");
  Result<std::unique_ptr<S3Client>> s3 = config.s3 ? config.s3() : failed.status;
  if (!s3.ok()) {
    failed.status = s3.status();
    return failed;
  }
  PgStageWriter writer(source, **s3, "\\N");  // PostgreSQL quotes a real "\N" (pg_staging.h)
  PgStageReader reader(target, **s3);
  StagedCopyParts parts{writer, reader, target, begin_sql, S3PrefixDeleter(**s3), true, {}};
  return StagedCopy(config, table, std::move(parts), progress);
}

}  // namespace tenantshift
