#include "exec/migration_runner.h"

#include <fmt/format.h>

#include <thread>

#include "ddl/postgres/pg_renderer.h"
#include "ddl/quote.h"
#include "dialect/dialect_pair.h"
#include "move/staged_copy.h"

namespace tenantshift {
namespace {

constexpr size_t kProgressEveryBytes = 1 << 20;

StepResult Failed(Status s) {
  StepResult r;
  r.status = std::move(s);
  return r;
}

// Runs a query answering n (row count) and sum (checksum text) for `table`.
Result<TableChecksum> QueryChecksum(Session& session, const std::string& sql,
                                    const QualifiedName& table) {
  Result<Rows> rows = session.Query(sql, {});
  if (!rows.ok()) return rows.status().WithContext("checksum of " + table.Display());
  return TableChecksum{std::stoll(rows->Get(0, "n")), rows->Get(0, "sum")};
}

}  // namespace

namespace {

// Types whose hash function sees exactly the stored value: equal hashes inputs mean equal values
// (numeric, floats, intervals, json and collation-aware text hash by meaning, not by content).
bool HashesExactly(const Column& c) {
  static const char* const kExact[] = {"smallint",
                                       "integer",
                                       "bigint",
                                       "boolean",
                                       "bytea",
                                       "date",
                                       "uuid",
                                       "oid",
                                       "text",
                                       "timestamp without time zone",
                                       "timestamp with time zone",
                                       "time without time zone"};
  if (!c.collation.empty()) return false;
  for (const char* t : kExact) {
    if (c.type == t) return true;
  }
  return c.type.rfind("character varying", 0) == 0 || c.type.rfind("character(", 0) == 0;
}

}  // namespace

ChecksumMethod ChooseChecksum(const Table& table, bool same_major, int server_version) {
  if (!same_major || server_version < 140000) return ChecksumMethod::kRowText;
  for (const Column& c : table.columns) {
    if (!HashesExactly(c)) return ChecksumMethod::kRowText;
  }
  return ChecksumMethod::kRowHash;
}

Result<TableChecksum> ComputeChecksum(Session& session, const QualifiedName& table,
                                      ChecksumMethod method) {
  // The sum of a 64-bit hash of each row: independent of row order, and about as cheap as
  // reading the table. kRowText hashes the row's text (both sides use the same session
  // settings, so equal rows print equally); kRowHash combines the columns' own hashes. Both
  // take ROW(r.*), which the parser expands into the table's columns: the same value as the
  // whole-row r, without building a copy of every row first (~35% faster on pgbench_accounts).
  const char* hash = method == ChecksumMethod::kRowHash
                         ? "pg_catalog.hash_record_extended(ROW(r.*), 0)"
                         : "pg_catalog.hashtextextended(ROW(r.*)::text, 0)";
  std::string sql = fmt::format(
      "SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.sum({}), 0)::text AS sum "
      "FROM ONLY {} AS r",
      hash, QuoteName(table));
  return QueryChecksum(session, sql, table);
}

namespace {

// Validation's checksum of one side of dialect `side`, compared as `how` says.
Result<TableChecksum> SideChecksum(Session& session, Dialect side, Comparison how,
                                   const Table* table, const QualifiedName& name,
                                   ChecksumMethod method) {
  if (how == Comparison::kPostgres) return ComputeChecksum(session, name, method);
  if (table == nullptr) return Status::Internal("no such table " + name.Display());
  return QueryChecksum(
      session,
      how == Comparison::kRedshift ? RedshiftChecksumSql(*table) : OpsFor(side).RowCountSql(name),
      name);
}

// "N rows (checksum X)", or "N rows" when only rows were counted.
std::string RowsAndChecksum(const TableChecksum& c) {
  return c.checksum.empty() ? fmt::format("{} rows", c.rows)
                            : fmt::format("{} rows (checksum {})", c.rows, c.checksum);
}

}  // namespace

MigrationRunner::MigrationRunner(const Catalog& source, RunnerConfig config, Progress& progress,
                                 int jobs)
    : source_(source), config_(std::move(config)), progress_(progress), workers_(jobs) {}

Result<Session*> MigrationRunner::Source(int worker) {
  Worker& w = workers_[worker];
  if (w.source) return w.source.get();
  Result<std::unique_ptr<Session>> s = config_.connect_source();
  if (!s.ok()) return s.status();
  Status st = SetUpSession(source_.server.dialect, **s);
  if (!st.ok()) return st.WithContext("preparing a source session");
  SetSession(&w.source, std::move(*s));
  return w.source.get();
}

Result<Session*> MigrationRunner::Target(int worker) {
  Worker& w = workers_[worker];
  if (w.target) return w.target.get();
  Result<std::unique_ptr<Session>> s = config_.connect_target();
  if (!s.ok()) return s.status();
  Status st = OpsFor(config_.target_dialect).SetUpTargetSession(**s);
  if (!st.ok()) return st.WithContext("preparing a target session");
  SetSession(&w.target, std::move(*s));
  return w.target.get();
}

Status MigrationRunner::BeginSourceRead(Session& src) const {
  if (config_.snapshot.empty()) return Status::Ok();
  // A fresh transaction per step, so that the locks a step takes (its table's, ~1 relation)
  // are released when it ends: a worker never holds more than one table's worth of locks,
  // whatever the tenant's size. Every such transaction sees the same exported snapshot, which
  // PostgreSQL lets any number of transactions import while its exporter stays open.
  Status s =
      src.Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
                  QuoteLiteral(config_.snapshot) + ";");
  return s.WithContext("reading the source's snapshot");
}

void MigrationRunner::EndSourceRead(int worker) {
  Session* src = workers_[worker].source.get();
  if (config_.snapshot.empty() || src == nullptr) return;
  // Read only: ROLLBACK and COMMIT end it alike, and ROLLBACK also ends an aborted one.
  if (!src->Execute("ROLLBACK").ok()) SetSession(&workers_[worker].source, nullptr);
}

void MigrationRunner::SetSession(std::unique_ptr<Session>* slot, std::unique_ptr<Session> session) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  *slot = std::move(session);
}

ChecksumMethod MigrationRunner::Method(const Table& table) const {
  return ChooseChecksum(table, config_.allow_binary, source_.server.version_num);
}

void MigrationRunner::ResetWorker(int worker) {
  SetSession(&workers_[worker].source, nullptr);
  SetSession(&workers_[worker].target, nullptr);
}

void MigrationRunner::CancelAll() {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  for (Worker& w : workers_) {
    if (w.source) w.source->Cancel();
    if (w.target) w.target->Cancel();
  }
}

void MigrationRunner::RecoverTarget(int worker) {
  Worker& w = workers_[worker];
  if (w.target && !w.target->Execute("ROLLBACK").ok()) SetSession(&w.target, nullptr);
}

StepResult MigrationRunner::Run(const Step& step, int worker) {
  switch (step.kind) {
    case StepKind::kTargetSql:
      return RunSql(step, worker);
    case StepKind::kCopyData:
      return CopyData(step, worker);
    case StepKind::kValidate:
      return Validate(step, worker);
  }
  return Failed(Status::Internal("unknown step kind"));
}

StepResult MigrationRunner::RunSql(const Step& step, int worker) {
  Result<Session*> dst = Target(worker);
  if (!dst.ok()) return Failed(dst.status());
  // A multi-statement string runs as one implicit transaction: all or nothing. Server messages
  // never quote the statement, so a secret in it does not reach the error.
  Status s = (*dst)->Execute(step.secret_sql.empty() ? step.sql : step.secret_sql);
  if (!s.ok()) RecoverTarget(worker);
  return Failed(s.WithContext(step.description));
}

StepResult MigrationRunner::CopyInto(const Table& table, Session& src, Session& dst,
                                     ClearTable clear) {
  StepResult r;
  bool binary = config_.allow_binary && pgddl::CanCopyBinary(table);
  bool fresh = clear == ClearTable::kTruncate;
  const std::string name = table.name.Display();
  progress_.TableStarted(name, table.estimated_rows, table.estimated_bytes);
  size_t unreported = 0;
  auto pipe = [&]() -> Result<int64_t> {
    Status s = src.PipeCopy(pgddl::CopyOut(table, binary), dst,
                            pgddl::CopyIn(table, binary, /*freeze=*/fresh), [&](size_t bytes) {
                              ++r.rows;
                              r.bytes += static_cast<int64_t>(bytes);
                              unreported += bytes;
                              if (unreported >= kProgressEveryBytes) {
                                progress_.TableProgress(name, r.rows, r.bytes);
                                unreported = 0;
                              }
                            });
    // One CopyData message per row; binary format adds one for its trailer (the header rides
    // with the first row).
    if (binary && r.rows > 0) --r.rows;
    if (!s.ok()) return s;
    return r.rows;
  };
  // The pipe counts what it moved: there is no separate count to check it against.
  Result<int64_t> loaded = LoadInTransaction(
      dst, BeginLoadSql(config_.target_dialect, table.name, clear), pipe, /*expected_rows=*/-1);
  r.status = loaded.status();
  progress_.TableFinished(name, r.rows, r.bytes, r.status);
  return r;
}

StepResult MigrationRunner::CopyData(const Step& step, int worker) {
  const Table* table = source_.FindTable(step.table);
  if (table == nullptr) return Failed(Status::Internal("no such table " + step.table.Display()));
  Result<Session*> src = Source(worker);
  if (!src.ok()) return Failed(src.status());
  Result<Session*> dst = Target(worker);
  if (!dst.ok()) return Failed(dst.status());
  Status begun = BeginSourceRead(**src);
  if (!begun.ok()) {
    SetSession(&workers_[worker].source, nullptr);
    return Failed(begun);
  }
  StepResult r = CopyTable(*table, step, worker, **src, **dst);
  EndSourceRead(worker);
  return r;
}

StepResult MigrationRunner::CopyTable(const Table& t, const Step& step, int worker, Session& src,
                                      Session& dst) {
  const Table* table = &t;
  if (MovesThroughRedshift(source_.server.dialect, config_.target_dialect)) {
    StepResult r = MoveRedshiftTable(*table, step, source_.server.dialect, config_.target_dialect,
                                     src, dst, config_.staging, config_.redshift, progress_);
    if (!r.status.ok()) RecoverTarget(worker);
    return r;
  }
  ClearTable load = step.table_preexisting ? ClearTable::kNone : ClearTable::kTruncate;
  ChecksumMethod method = Method(*table);
  if (load == ClearTable::kNone) {
    Result<TableChecksum> have = ComputeChecksum(dst, table->name, method);
    if (!have.ok()) return Failed(have.status());
    if (have->rows > 0) {
      Result<TableChecksum> want = ComputeChecksum(src, table->name, method);
      if (!want.ok()) return Failed(want.status());
      StepResult r;
      r.rows = want->rows;
      r.skipped_equal = want->rows == have->rows && want->checksum == have->checksum;
      if (r.skipped_equal) return r;
      if (!step.replace_rows) {
        r.status = Status::AlreadyExists(fmt::format(
            "target table {} already holds {} rows that differ from the source's {}; refusing "
            "to overwrite them (--on-existing replace would)",
            table->name.Display(), have->rows, want->rows));
        return r;
      }
      load = ClearTable::kDelete;  // asked for: the target's rows go, in the copy's transaction
    }
  }
  StepResult r =
      config_.staging.enabled()
          ? PgStagedCopy(config_.staging, *table, src, dst,
                         BeginLoadSql(config_.target_dialect, table->name, load), progress_)
          : CopyInto(*table, src, dst, load);
  if (!r.status.ok()) {
    RecoverTarget(worker);
    SetSession(&workers_[worker].source, nullptr);  // its snapshot transaction may be aborted
    r.status = r.status.WithContext("copying " + table->name.Display());
  }
  return r;
}

StepResult MigrationRunner::Validate(const Step& step, int worker) {
  StepResult r;
  Result<Session*> src = Source(worker);
  if (!src.ok()) return Failed(src.status());
  Result<Session*> dst = Target(worker);
  if (!dst.ok()) return Failed(dst.status());
  // Both sides compute their checksum at the same time: each scan costs as much as the other.
  Result<TableChecksum> want = Status::Internal("source checksum not computed");
  const Table* table = source_.FindTable(step.table);
  ChecksumMethod method = table ? Method(*table) : ChecksumMethod::kRowText;
  Comparison how = ComparisonFor(source_.server.dialect, config_.target_dialect);
  std::thread source_side([&] {
    Status begun = BeginSourceRead(**src);
    want = begun.ok() ? SideChecksum(**src, source_.server.dialect, how, table, step.table, method)
                      : Result<TableChecksum>(begun);
  });
  Result<TableChecksum> have =
      SideChecksum(**dst, config_.target_dialect, how, table, step.table, method);
  source_side.join();
  EndSourceRead(worker);
  if (!want.ok()) {
    SetSession(&workers_[worker].source, nullptr);
    r = Failed(want.status());
    if (have.ok()) r.target_rows = have->rows;  // each side says what it counted
    return r;
  }
  if (!have.ok()) {
    r = Failed(have.status());
    r.source_rows = want->rows;
    return r;
  }
  r.source_rows = want->rows;
  r.target_rows = have->rows;
  r.source_checksum = want->checksum;
  r.target_checksum = have->checksum;
  if (want->rows != have->rows || want->checksum != have->checksum) {
    r.status = Status::Mismatch(fmt::format("{}: source has {}, target {}", step.table.Display(),
                                            RowsAndChecksum(*want), RowsAndChecksum(*have)));
  }
  return r;
}

}  // namespace tenantshift
