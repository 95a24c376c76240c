#include "exec/redshift_mover.h"

#include <fmt/format.h>

#include <random>

#include "ddl/redshift/unload_copy.h"
#include "pg/quote.h"

namespace tenantshift {
namespace {

StepResult Failed(Status s) {
  StepResult r;
  r.status = std::move(s);
  return r;
}

std::string RandomNullMarker() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string marker = "ts-null-";
  for (int i = 0; i < 32; ++i) marker += "0123456789abcdef"[hex(rd)];
  return marker;
}

// One integer from a one-row, one-column answer named "n".
Result<int64_t> QueryCount(Session& session, const std::string& sql) {
  Result<Rows> rows = session.Query(sql, {});
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1 || rows->IsNull(0, "n")) {
    return Status::Server("no row count from: " + sql);
  }
  return std::stoll(rows->Get(0, "n"));
}

rsddl::StagingAccess Access(const StagingConfig& staging) {
  rsddl::StagingAccess a;
  if (!staging.iam_role.empty()) a.iam_role = staging.iam_role;
  a.kms_key_id = staging.kms_key_id;
  return a;
}

Status CheckStaging(const StagingConfig& staging) {
  if (!staging.enabled()) {
    return Status::InvalidArgument(
        "moving data to or from Redshift goes through S3: give a staging location with --via "
        "s3://bucket/prefix (the IAM role of --iam-role must be able to read and write it)");
  }
  if (staging.run_id.empty()) return Status::Internal("staging without a run id");
  return rsddl::CheckStagingAccess(Access(staging));
}

// Everything one table's move needs, computed once.
struct Move {
  const Table& table;
  const StagingConfig& staging;
  PrefixDeleter delete_prefix;  // may be unset
  Progress& progress;
  std::string prefix;  // s3://.../<run>/<schema>/<table>/
  StagedFormat format;
  rsddl::StagingAccess access;

  std::string Name() const { return table.name.Display(); }
  std::string Kept() const { return "staged files kept at " + prefix; }
};

// Refuses to overwrite rows a pre-existing target table holds unless the step allows it.
Status CheckTargetRows(const Move& m, const Step& step, Session& target) {
  if (!step.table_preexisting || step.replace_rows) return Status::Ok();
  Result<int64_t> have = QueryCount(target, "SELECT count(*) AS n FROM " + QuoteName(m.table.name));
  if (!have.ok()) return have.status();
  if (*have == 0) return Status::Ok();
  return Status::AlreadyExists(
      fmt::format("target table {} already holds {} rows; refusing to overwrite them "
                  "(--on-existing replace would)",
                  m.Name(), *have));
}

Result<int64_t> Unload(const Move& m, Session& source) {
  Status s = source.Execute(rsddl::UnloadStatement(m.table, m.prefix, m.format, m.access));
  if (!s.ok()) return s.WithContext("UNLOAD of " + m.Name() + " (" + m.Kept() + ")");
  Result<int64_t> n = QueryCount(source, "SELECT pg_last_unload_count() AS n");
  if (!n.ok()) return n.status().WithContext("rows unloaded from " + m.Name());
  return n;
}

// BEGIN; DELETE; COPY; count check; COMMIT. Rolls back on any failure.
Status Load(const Move& m, Session& target, int64_t unloaded) {
  Status s = target.Execute("BEGIN");
  if (s.ok()) s = target.Execute("DELETE FROM " + QuoteName(m.table.name));
  if (s.ok() && unloaded > 0) {
    s = target.Execute(
        rsddl::CopyStatement(m.table, rsddl::ManifestUrl(m.prefix), m.format, m.access));
    if (s.ok()) {
      Result<int64_t> loaded = QueryCount(target, "SELECT pg_last_copy_count() AS n");
      if (!loaded.ok()) {
        s = loaded.status();
      } else if (*loaded != unloaded) {
        s = Status::Mismatch(
            fmt::format("UNLOAD wrote {} rows but COPY loaded {}; rolled back", unloaded, *loaded));
      }
    }
  }
  if (s.ok()) return target.Execute("COMMIT");
  target.Execute("ROLLBACK");  // best effort: a dropped connection rolls back by itself
  return s.WithContext("loading " + m.Name() + " (its rows on the target are unchanged; " +
                       m.Kept() + ")");
}

// Warns when copied identity values reach the column's seed: Redshift cannot move the next
// value past them, so new inserts may repeat them.
void CheckIdentities(const Move& m, Session& target) {
  for (const Column& c : m.table.columns) {
    if (c.identity == '\0') continue;
    const SequenceOptions& o = c.identity_options;
    std::string col = QuoteIdent(c.name);
    Result<Rows> r = target.Query(
        fmt::format("SELECT max({0}) AS hi, min({0}) AS lo FROM {1}", col, QuoteName(m.table.name)),
        {});
    if (!r.ok() || r->size() != 1 || r->IsNull(0, "hi")) continue;
    int64_t hi = std::stoll(r->Get(0, "hi")), lo = std::stoll(r->Get(0, "lo"));
    bool reached = o.increment >= 0 ? hi >= o.start : lo <= o.start;
    if (!reached) continue;
    m.progress.Message(fmt::format(
        "warning: {} column {}: copied identity values reach {} but the column's seed is {}; "
        "Redshift cannot move an identity's next value, so rows inserted on the target without "
        "a value may repeat copied ones. Recreate the table with IDENTITY({}, {}) if new rows "
        "will be inserted there.",
        m.Name(), c.name, o.increment >= 0 ? hi : lo, o.start,
        o.increment >= 0 ? hi + o.increment : lo + o.increment, o.increment));
  }
}

// After commit: statistics, identity check, staged files. None of these fails the step.
void FinishLoad(const Move& m, Session& target, int64_t rows) {
  Status s = target.Execute("ANALYZE " + QuoteName(m.table.name));
  if (!s.ok()) m.progress.Message("warning: ANALYZE " + m.Name() + ": " + s.message());
  if (rows > 0) CheckIdentities(m, target);
  std::string nullable_supers = rsddl::SupersLoseSqlNull(m.table);
  if (!nullable_supers.empty()) {
    m.progress.Message(fmt::format(
        "note: {}: SQL NULLs in SUPER column(s) {} arrive as JSON null (UNLOAD writes SUPER as "
        "JSON and ignores NULL AS for it)",
        m.Name(), nullable_supers));
  }
  if (m.staging.keep_files) return;
  if (!m.delete_prefix) {
    m.progress.Message(m.Name() + ": " + m.Kept() + " (no S3 client to delete them)");
    return;
  }
  s = m.delete_prefix(m.prefix);
  if (!s.ok()) m.progress.Message("warning: " + m.Name() + ": " + m.Kept() + ": " + s.message());
}

}  // namespace

bool IsRedshift(Dialect dialect) {
  return dialect == Dialect::kRedshift || dialect == Dialect::kRedshiftServerless;
}

bool MovesThroughRedshift(Dialect source, Dialect target) {
  return IsRedshift(source) || IsRedshift(target);
}

Status PrepareRedshiftSession(Session& session) {
  return session.Execute(
      "SET timezone TO 'UTC'; SET datestyle TO 'ISO, YMD'; SET statement_timeout TO 0;");
}

PrefixDeleter S3PrefixDeleter(const StagingConfig& staging) {
  return [staging](const std::string& s3_prefix) -> Status {
    Result<S3Url> url = S3Url::Parse(s3_prefix);
    if (!url.ok()) return url.status();
    Result<std::unique_ptr<S3Client>> client = staging.s3();
    if (!client.ok()) return client.status();
    return (*client)->DeletePrefix(url->bucket, url->key);
  };
}

StepResult MoveRedshiftTable(const Table& table, const Step& step, Dialect source_dialect,
                             Dialect target_dialect, Session& source, Session& target,
                             const StagingConfig& staging, const RedshiftMoverHooks& hooks,
                             Progress& progress) {
  if (!IsRedshift(source_dialect) || !IsRedshift(target_dialect)) {
    return Failed(Status::InvalidArgument(
        "copying " + table.name.Display() +
        ": PostgreSQL <-> Redshift data moves need --via support (not yet)"));
  }
  Status s = CheckStaging(staging);
  if (!s.ok()) return Failed(s);
  PrefixDeleter deleter = hooks.delete_prefix;
  if (!deleter && staging.s3) deleter = S3PrefixDeleter(staging);
  std::string marker = hooks.null_marker ? hooks.null_marker() : RandomNullMarker();
  Move m{table,
         staging,
         std::move(deleter),
         progress,
         TablePrefix(staging, table.name),
         rsddl::ChooseStagedFormat(table, marker),
         Access(staging)};
  s = CheckTargetRows(m, step, target);
  if (!s.ok()) return Failed(s);
  progress.TableStarted(m.Name(), table.estimated_rows, table.estimated_bytes);
  StepResult r;
  Result<int64_t> unloaded = Unload(m, source);
  r.status = unloaded.ok() ? Load(m, target, *unloaded) : unloaded.status();
  if (r.status.ok()) {
    r.rows = *unloaded;
    FinishLoad(m, target, r.rows);
  }
  progress.TableFinished(m.Name(), r.rows, r.bytes, r.status);
  return r;
}

}  // namespace tenantshift
