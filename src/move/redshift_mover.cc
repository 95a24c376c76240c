#include "move/redshift_mover.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>

#include "ddl/quote.h"
#include "dialect/dialect_pair.h"
#include "move/load_txn.h"
#include "move/pg_staging.h"
#include "move/staged_copy.h"
#include "move/unload_copy.h"
#include "plan/redshift_target.h"

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

// Warns when copied identity values reach the seed the plan gave the target table
// (ContinuedIdentitySeed: one step past the source's high-water mark read before planning).
// That happens only when rows arrived on the source after planning, or the target table
// existed before the run: Redshift cannot move an identity's next value, so new inserts may
// repeat copied ones.
void CheckIdentities(const Move& m, Session& target) {
  for (const Column& c : m.table.columns) {
    if (c.identity == '\0') continue;
    const SequenceOptions& o = c.identity_options;
    std::optional<int64_t> seed = ContinuedIdentitySeed(c);
    std::string col = QuoteIdent(c.name);
    Result<Rows> r = target.Query(
        fmt::format("SELECT max({0}) AS hi, min({0}) AS lo FROM {1}", col, QuoteName(m.table.name)),
        {});
    if (!r.ok() || r->size() != 1 || r->IsNull(0, "hi")) continue;
    int64_t hi = std::stoll(r->Get(0, "hi")), lo = std::stoll(r->Get(0, "lo"));
    int64_t start = seed.value_or(o.start);
    bool reached = o.increment >= 0 ? hi >= start : lo <= start;
    if (!reached) continue;
    m.progress.Message(fmt::format(
        "warning: {} column {}: copied identity values reach {} but the table's seed is {}; "
        "Redshift cannot move an identity's next value, so rows inserted on the target without "
        "a value may repeat copied ones. Recreate the table with IDENTITY({}, {}) if new rows "
        "will be inserted there.",
        m.Name(), c.name, o.increment >= 0 ? hi : lo, start,
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

Result<UnloadManifest> ParseUnloadManifest(const std::string& manifest_json) {
  nlohmann::json doc = nlohmann::json::parse(manifest_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("entries") ||
      !doc["entries"].is_array()) {
    return Status::Server("the UNLOAD manifest is not JSON with an \"entries\" array");
  }
  UnloadManifest out;
  for (const nlohmann::json& e : doc["entries"]) {
    if (!e.is_object() || !e.contains("url") || !e["url"].is_string()) {
      return Status::Server("an UNLOAD manifest entry has no \"url\"");
    }
    out.files.push_back(e["url"].get<std::string>());
    // MANIFEST VERBOSE gives each entry meta.content_length (DG:r_UNLOAD_command_examples).
    if (e.contains("meta") && e["meta"].is_object() && e["meta"].contains("content_length") &&
        e["meta"]["content_length"].is_number_integer()) {
      out.bytes += e["meta"]["content_length"].get<int64_t>();
    }
  }
  return out;
}

Result<std::vector<std::string>> UnloadManifestFiles(const std::string& manifest_json) {
  Result<UnloadManifest> m = ParseUnloadManifest(manifest_json);
  if (!m.ok()) return m.status();
  return std::move(m->files);
}

RedshiftStageWriter::RedshiftStageWriter(Session& source, S3Client* s3, rsddl::StagingAccess access,
                                         std::string null_marker, bool files_required)
    : source_(source),
      s3_(s3),
      access_(std::move(access)),
      null_marker_(std::move(null_marker)),
      files_required_(files_required) {}

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
  Result<UnloadManifest> parsed =
      s.ok() ? ParseUnloadManifest(manifest) : Result<UnloadManifest>(s);
  if (!parsed.ok() && !files_required_) return staged;  // only the report's figures are missing
  if (!parsed.ok()) return parsed.status().WithContext("reading " + staged.manifest + where);
  staged.files = std::move(parsed->files);
  staged.bytes = parsed->bytes;
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
  if (!s.ok()) {
    copy_failed_ = true;
    return s;
  }
  return QueryCount(target_, "SELECT pg_last_copy_count() AS n");
}

std::string LoadErrorDetailSql(const QualifiedName& table) {
  return fmt::format(
      "SELECT TRIM(file_name) AS file_name, line_number, TRIM(column_name) AS column_name, "
      "TRIM(column_type) AS column_type, position, error_code, TRIM(error_message) AS "
      "error_message FROM sys_load_error_detail WHERE session_id = pg_backend_pid() AND "
      "table_id = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = {} AND c.relname = {}) ORDER BY start_time DESC, line_number LIMIT 3",
      QuoteRedshiftLiteral(table.schema), QuoteRedshiftLiteral(table.name));
}

namespace {

// At most `n` bytes of `text`, cut at a UTF-8 character boundary, "..." when cut.
std::string Truncated(const std::string& text, size_t n) {
  if (text.size() <= n) return text;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n) + "...";
}

}  // namespace

Status WithLoadErrorDetail(Session& target, const QualifiedName& table, const Status& failure) {
  if (failure.ok() || failure.code() != Status::Code::kServer) return failure;
  Result<Rows> rows = target.Query(LoadErrorDetailSql(table), {});
  if (!rows.ok() || rows->size() == 0) return failure;
  std::string detail;
  for (size_t r = 0; r < rows->size(); ++r) {
    auto get = [&](const char* column, size_t n) { return Truncated(rows->Get(r, column), n); };
    detail += fmt::format("; {} line {}, column {} ({}), position {}: error {}: {}",
                          get("file_name", 256), get("line_number", 20), get("column_name", 127),
                          get("column_type", 10), get("position", 20), get("error_code", 20),
                          get("error_message", 240));
  }
  return Status::Server(failure.message() + " [sys_load_error_detail" + detail + "]")
      .set_sqlstate(failure.sqlstate());
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

// The staged copy itself, with AfterCommit as the hook on a Redshift target.
StepResult RunStagedCopy(const Move& m, StageWriter& writer, StageReader& reader, Session& target,
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

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Times the writer and reader of a staged move and keeps what was staged, for the report
// (item 9: UNLOAD and COPY seconds, staged files and bytes, throughput).
class TimedWriter final : public StageWriter {
 public:
  explicit TimedWriter(StageWriter& inner) : inner_(inner) {}
  Result<StagedTable> Write(const Table& table, const std::string& prefix) override {
    auto start = std::chrono::steady_clock::now();
    Result<StagedTable> staged = inner_.Write(table, prefix);
    seconds = SecondsSince(start);
    if (staged.ok()) files = static_cast<int64_t>(staged->files.size());
    return staged;
  }
  double seconds = 0;
  int64_t files = 0;

 private:
  StageWriter& inner_;
};

class TimedReader final : public StageReader {
 public:
  explicit TimedReader(StageReader& inner) : inner_(inner) {}
  Result<int64_t> Read(const Table& table, const StagedTable& staged) override {
    auto start = std::chrono::steady_clock::now();
    Result<int64_t> rows = inner_.Read(table, staged);
    seconds = SecondsSince(start);
    return rows;
  }
  double seconds = 0;

 private:
  StageReader& inner_;
};

// One line per staged table for people: "acme.orders: UNLOAD 1.2 s, 3 files, 12.0 MB staged,
// COPY 2.0 s, 1500 rows/s, 1.5 MB/s" (the words of the Redshift side of the pair).
std::string ThroughputLine(const std::string& name, bool unload, bool copy, const StepResult& r) {
  double total = r.stage_seconds + r.load_seconds;
  double rows_per_s = total > 0 ? static_cast<double>(r.rows) / total : 0;
  double mb = static_cast<double>(r.bytes) / (1024.0 * 1024.0);
  return fmt::format(
      "throughput: {}: {} {:.1f} s, {} files, {:.1f} MB staged, {} {:.1f} s, {:.0f} rows/s, "
      "{:.1f} MB/s",
      name, unload ? "UNLOAD" : "stage", r.stage_seconds, r.staged_files, mb,
      copy ? "COPY" : "load", r.load_seconds, rows_per_s, total > 0 ? mb / total : 0.0);
}

// The one staged move (move/staged_copy.h) with a writer and reader for the pair, and
// AfterCommit as the hook on a Redshift target; the writer and reader are timed (TimedWriter)
// and, on success, one ThroughputLine goes to progress.Message().
StepResult StagedMove(const Move& m, StageWriter& inner_writer, StageReader& inner_reader,
                      Session& target, Dialect target_dialect, bool clear_prefix_first,
                      bool from_redshift) {
  TimedWriter writer(inner_writer);
  TimedReader reader(inner_reader);
  StepResult r = RunStagedCopy(m, writer, reader, target, target_dialect, clear_prefix_first);
  r.stage_seconds = writer.seconds;
  r.load_seconds = reader.seconds;
  r.staged_files = writer.files;
  if (r.status.ok() && !r.skipped_equal) {
    m.progress.Message(ThroughputLine(m.Name(), from_redshift, IsRedshift(target_dialect), r));
  }
  return r;
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
    StepResult r = StagedMove(m, writer, reader, target, target_dialect,
                              /*clear_prefix_first=*/true, /*from_redshift=*/false);
    if (reader.copy_failed()) r.status = WithLoadErrorDetail(target, m.table.name, r.status);
    return r;
  }
  RedshiftStageWriter writer(source, s3->get(), m.access, m.null_marker);
  PgStageReader reader(target, **s3);
  return StagedMove(m, writer, reader, target, target_dialect, /*clear_prefix_first=*/true,
                    /*from_redshift=*/true);
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
  // UNLOAD ... ALLOWOVERWRITE replaces what an earlier try left under the prefix. COPY reads
  // the manifest itself; with an S3 client the writer reads it too, for the staged files and
  // bytes of the report only (a failure to read it fails nothing).
  std::unique_ptr<S3Client> s3;
  if (staging.s3) {
    Result<std::unique_ptr<S3Client>> client = staging.s3();
    if (client.ok()) s3 = std::move(*client);
  }
  RedshiftStageWriter writer(source, s3.get(), m.access, m.null_marker, /*files_required=*/false);
  RedshiftStageReader reader(target, m.access);
  StepResult r = StagedMove(m, writer, reader, target, target_dialect,
                            /*clear_prefix_first=*/false, /*from_redshift=*/true);
  if (reader.copy_failed()) r.status = WithLoadErrorDetail(target, m.table.name, r.status);
  return r;
}

}  // namespace tenantshift
