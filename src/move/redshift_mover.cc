#include "move/redshift_mover.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <random>

#include "ddl/quote.h"
#include "dialect/dialect_pair.h"
#include "move/load_txn.h"
#include "move/pg_staging.h"
#include "move/staged_copy.h"
#include "move/unload_copy.h"

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
  // R4: no Redshift document says whether UNLOAD/COPY decode %XX in s3:// URLs; table names are
  // made safe by TablePrefix, the user's own prefix must be safe already.
  if (!IsRedshiftSafeUrl(staging.url)) {
    return Status::InvalidArgument(fmt::format(
        "the staging location {} holds characters Redshift's UNLOAD and COPY may not read "
        "literally: use only letters, digits, '_', '.', '-' and '/' in --via",
        staging.url));
  }
  return rsddl::CheckStagingAccess(Access(staging));
}

// Everything one table's move needs, computed once.
struct Move {
  const Table& table;
  const StagingConfig& staging;
  PrefixDeleter delete_prefix;  // may be unset
  Progress& progress;
  std::string prefix;  // s3://.../<run>/<schema>/<table>/
  std::string null_marker;
  rsddl::StagingAccess access;

  std::string Name() const { return table.name.Display(); }
  std::string Kept() const { return "staged files kept at " + prefix; }
};

// One row's n (count) and sum (checksum text) from RedshiftChecksumSql.
Result<std::pair<std::string, std::string>> RedshiftChecksum(Session& session, const Table& table) {
  Result<Rows> rows = session.Query(RedshiftChecksumSql(table), {});
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) return Status::Server("no checksum row for " + table.name.Display());
  return std::make_pair(rows->Get(0, "n"), rows->Get(0, "sum"));
}

// The one policy for rows already in a pre-existing target table, as on the PostgreSQL pipe
// (exec/migration_runner.cc): rows equal to the source's are left as they are (the step
// succeeds, skipped_equal); different rows are refused unless the step may replace them.
// Equality needs a comparable checksum: Redshift <-> Redshift compares RedshiftChecksumSql on
// both sides; PostgreSQL <-> Redshift can only count (dialect/dialect_pair.h), so any rows
// there count as different. Returns a result with skipped_equal set when nothing is to be done.
Result<bool> TargetAlreadyEqual(const Move& m, const Step& step, bool comparable, Session& source,
                                Session& target) {
  if (!step.table_preexisting || (step.replace_rows && !comparable)) return false;
  Result<int64_t> have = QueryCount(target, "SELECT count(*) AS n FROM " + QuoteName(m.table.name));
  if (!have.ok()) return have.status();
  if (*have == 0) return false;
  if (comparable) {
    Result<std::pair<std::string, std::string>> want = RedshiftChecksum(source, m.table);
    if (!want.ok()) return want.status();
    Result<std::pair<std::string, std::string>> got = RedshiftChecksum(target, m.table);
    if (!got.ok()) return got.status();
    if (*want == *got) return true;
  }
  if (step.replace_rows) return false;
  return Status::AlreadyExists(
      fmt::format("target table {} already holds {} rows{}; refusing to overwrite them "
                  "(--on-existing replace would)",
                  m.Name(), *have, comparable ? " that differ from the source's" : ""));
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

// After a commit on a Redshift target: statistics, identity check, SUPER note. None of these
// fails the step.
void AfterCommit(const Move& m, Session& target, int64_t rows) {
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
}

}  // namespace

Result<std::vector<std::string>> UnloadManifestFiles(const std::string& manifest_json) {
  nlohmann::json doc = nlohmann::json::parse(manifest_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("entries") ||
      !doc["entries"].is_array()) {
    return Status::Server("the UNLOAD manifest is not JSON with an \"entries\" array");
  }
  std::vector<std::string> files;
  for (const nlohmann::json& e : doc["entries"]) {
    if (!e.is_object() || !e.contains("url") || !e["url"].is_string()) {
      return Status::Server("an UNLOAD manifest entry has no \"url\"");
    }
    files.push_back(e["url"].get<std::string>());
  }
  return files;
}

RedshiftStageWriter::RedshiftStageWriter(Session& source, S3Client* s3, rsddl::StagingAccess access,
                                         std::string null_marker)
    : source_(source), s3_(s3), access_(std::move(access)), null_marker_(std::move(null_marker)) {}

Result<StagedTable> RedshiftStageWriter::Write(const Table& table, const std::string& prefix) {
  StagedTable staged;
  staged.prefix = prefix;
  staged.manifest = rsddl::ManifestUrl(prefix);
  staged.format = rsddl::ChooseStagedFormat(table, null_marker_);
  const std::string where = " (staged files kept at " + prefix + ")";
  Status s = source_.Execute(rsddl::UnloadStatement(table, prefix, staged.format, access_));
  if (!s.ok()) return s.WithContext("UNLOAD of " + table.name.Display() + where);
  Result<int64_t> n = QueryCount(source_, "SELECT pg_last_unload_count() AS n");
  if (!n.ok()) return n.status().WithContext("rows unloaded from " + table.name.Display());
  staged.rows = *n;
  if (s3_ == nullptr || staged.rows == 0) return staged;
  // A reader other than Redshift's COPY needs the data files: the manifest lists them.
  Result<S3Url> url = S3Url::Parse(staged.manifest);
  if (!url.ok()) return url.status();
  std::string manifest;
  s = s3_->Get(url->bucket, url->key, [&](const char* data, size_t len) {
    manifest.append(data, len);
    return Status::Ok();
  });
  Result<std::vector<std::string>> files =
      s.ok() ? UnloadManifestFiles(manifest) : Result<std::vector<std::string>>(s);
  if (!files.ok()) return files.status().WithContext("reading " + staged.manifest + where);
  staged.files = std::move(*files);
  return staged;
}

RedshiftStageReader::RedshiftStageReader(Session& target, rsddl::StagingAccess access)
    : target_(target), access_(std::move(access)) {}

Result<int64_t> RedshiftStageReader::Read(const Table& table, const StagedTable& staged) {
  // Nothing staged: UNLOAD may leave empty objects and no documented manifest; nothing to load.
  if (staged.rows == 0) return 0;
  if (staged.manifest.empty()) {
    return Status::Internal("Redshift COPY needs a manifest under " + staged.prefix);
  }
  Status s = target_.Execute(rsddl::CopyStatement(table, staged.manifest, staged.format, access_));
  if (!s.ok()) return s;
  return QueryCount(target_, "SELECT pg_last_copy_count() AS n");
}

namespace {

// Refuses a Redshift -> PostgreSQL move whose binary columns UNLOAD would write as text.
Status CheckTextOnly(const Move& m) {
  std::string binary = rsddl::TextOnlyColumns(m.table);
  if (binary.empty()) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "copying {} to PostgreSQL: column(s) {} are VARBYTE, GEOMETRY, GEOGRAPHY or HLLSKETCH, "
      "which UNLOAD writes as hex/Base64 text that PostgreSQL would store as different "
      "bytes; leave the table out (or cast those columns in a view) and move it another way",
      m.Name(), binary));
}

// The one staged move (move/staged_copy.h) with a writer and reader for the pair, and
// AfterCommit as the hook on a Redshift target.
StepResult StagedMove(const Move& m, StageWriter& writer, StageReader& reader, Session& target,
                      Dialect target_dialect, bool clear_prefix_first) {
  StagedCopyParts parts{
      writer,
      reader,
      target,
      BeginLoadSql(target_dialect, m.table.name,
                   IsRedshift(target_dialect) ? ClearTable::kTruncate : ClearTable::kDelete),
      m.delete_prefix,
      clear_prefix_first,
      {}};
  if (IsRedshift(target_dialect)) {
    parts.after_commit = [&m, &target](int64_t rows) { AfterCommit(m, target, rows); };
  }
  return StagedCopy(m.staging, m.table, std::move(parts), m.progress);
}

// PostgreSQL on one side: the s3 helper's PostgreSQL half and ours.
StepResult MoveMixed(Move& m, Dialect source_dialect, Dialect target_dialect, Session& source,
                     Session& target) {
  bool to_redshift = !IsRedshift(source_dialect);
  if (!m.staging.s3) {
    return Failed(Status::InvalidArgument(
        "copying " + m.Name() +
        ": PostgreSQL <-> Redshift data moves go through S3: give --via s3://bucket/prefix"));
  }
  if (!to_redshift) {
    Status s = CheckTextOnly(m);
    if (!s.ok()) return Failed(s);
  }
  Result<std::unique_ptr<S3Client>> s3 = m.staging.s3();
  if (!s3.ok()) return Failed(s3.status());
  m.delete_prefix = S3PrefixDeleter(**s3);
  if (to_redshift) {
    PgStageWriter writer(source, **s3, m.null_marker);  // R3: random, as for UNLOAD
    RedshiftStageReader reader(target, m.access);
    return StagedMove(m, writer, reader, target, target_dialect, /*clear_prefix_first=*/true);
  }
  RedshiftStageWriter writer(source, s3->get(), m.access, m.null_marker);
  PgStageReader reader(target, **s3);
  return StagedMove(m, writer, reader, target, target_dialect, /*clear_prefix_first=*/true);
}

}  // namespace

StepResult MoveRedshiftTable(const Table& table, const Step& step, Dialect source_dialect,
                             Dialect target_dialect, Session& source, Session& target,
                             const StagingConfig& staging, const RedshiftMoverHooks& hooks,
                             Progress& progress) {
  Status s = CheckStaging(staging);
  if (!s.ok()) return Failed(s.WithContext("copying " + table.name.Display()));
  PrefixDeleter deleter = hooks.delete_prefix;
  if (!deleter && staging.s3) deleter = S3PrefixDeleter(staging);
  Move m{table,
         staging,
         std::move(deleter),
         progress,
         TablePrefix(staging, table.name),
         hooks.null_marker ? hooks.null_marker() : RandomNullMarker(),
         Access(staging)};
  const bool comparable = ComparisonFor(source_dialect, target_dialect) == Comparison::kRedshift;
  Result<bool> equal = TargetAlreadyEqual(m, step, comparable, source, target);
  if (!equal.ok()) return Failed(equal.status());
  if (*equal) {
    StepResult r;
    r.skipped_equal = true;
    progress.Message(m.Name() + ": the target already holds exactly the source's rows");
    return r;
  }
  if (!IsRedshift(source_dialect) || !IsRedshift(target_dialect)) {
    return MoveMixed(m, source_dialect, target_dialect, source, target);
  }
  // UNLOAD ... ALLOWOVERWRITE replaces what an earlier try left under the prefix.
  RedshiftStageWriter writer(source, nullptr, m.access, m.null_marker);
  RedshiftStageReader reader(target, m.access);
  return StagedMove(m, writer, reader, target, target_dialect, /*clear_prefix_first=*/false);
}

}  // namespace tenantshift
