#include "exec/staged_copy.h"

#include <fmt/format.h>

#include "exec/pg_staging.h"

namespace tenantshift {
namespace {

Status DeletePrefix(S3Client& s3, const std::string& prefix) {
  Result<S3Url> where = S3Url::Parse(prefix);
  if (!where.ok()) return where.status();
  return s3.DeletePrefix(where->bucket, where->key);
}

// Stage, load and check; the files stay whatever happens.
Status StageAndLoad(const Table& table, const std::string& prefix, StagedCopyParts& parts,
                    Progress& progress, StepResult& r) {
  // Files left by an earlier failed try of this run would only confuse a person looking.
  Status s = DeletePrefix(parts.s3, prefix);
  if (!s.ok()) return s;
  Result<StagedTable> staged = parts.writer.Write(table, prefix);
  if (!staged.ok()) return staged.status();
  if (staged->rows < 0) return Status::Internal("the stage writer did not count its rows");
  r.bytes = staged->bytes;
  progress.TableProgress(table.name.Display(), staged->rows, staged->bytes);
  s = parts.target.Execute(parts.begin_sql);
  if (!s.ok()) return s;
  Result<int64_t> loaded = parts.reader.Read(table, *staged);
  if (!loaded.ok()) return loaded.status();
  if (*loaded != staged->rows) {
    return Status::Mismatch(
        fmt::format("the source wrote {} rows but the target loaded {}", staged->rows, *loaded));
  }
  r.rows = *loaded;
  return parts.target.Execute("COMMIT");
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
    r.status = r.status.WithContext("through " + prefix + " (staged files kept there)");
  } else if (!config.keep_files) {
    Status s = DeletePrefix(parts.s3, prefix);
    if (!s.ok()) {
      r.status = s.WithContext("rows committed, but the staged files under " + prefix +
                               " could not be deleted");
    }
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
  PgStageWriter writer(source, **s3);
  PgStageReader reader(target, **s3);
  return StagedCopy(config, table, {writer, reader, **s3, target, begin_sql}, progress);
}

}  // namespace tenantshift
