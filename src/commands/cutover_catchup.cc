#include "commands/cutover_catchup.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "connect/conn_spec.h"
#include "ddl/ddl_renderer.h"
#include "dialect/dialect_pair.h"
#include "exec/executor.h"
#include "exec/migration_runner.h"
#include "extract/extractor.h"
#include "report/format.h"
#include "report/progress.h"

namespace tenantshift {
namespace {

// Sessions opened before the freeze, handed to the runner's workers before any new one.
// Thread-safe.
class OpenedSessions {
 public:
  void Add(std::unique_ptr<Session> s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.push_back(std::move(s));
  }
  // One of them; null when none is left.
  std::unique_ptr<Session> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (sessions_.empty()) return nullptr;
    std::unique_ptr<Session> s = std::move(sessions_.back());
    sessions_.pop_back();
    return s;
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Session>> sessions_;  // GUARDED_BY(mu_)
};

// A factory that hands out `opened`'s sessions first, then opens new ones with `open`.
SessionFactory FromOpened(std::shared_ptr<OpenedSessions> opened, SessionFactory open) {
  return [opened, open]() -> Result<std::unique_ptr<Session>> {
    std::unique_ptr<Session> s = opened->Take();
    if (s != nullptr) return s;
    return open();
  };
}

// What the catch-up reads and writes with, opened once.
struct Sides {
  ConnSpec source_spec, target_spec;
  std::unique_ptr<Session> source, target;  // the coordinator's sessions
  ServerInfo source_server, target_server;
  std::string snapshot;  // PostgreSQL source: every worker reads the frozen source as of it
  std::vector<std::string> schemas;  // the tenant's, resolved before the freeze
  Catalog catalog;                   // the source's before the freeze (tables to check and copy)
  Catalog frozen;  // the source's read inside the snapshot (sequences; no DDL since `catalog`)
  // The workers' sessions, opened before the freeze (connecting is not frozen time).
  std::shared_ptr<OpenedSessions> worker_sources = std::make_shared<OpenedSessions>();
  std::shared_ptr<OpenedSessions> worker_targets = std::make_shared<OpenedSessions>();
};

Result<std::unique_ptr<Session>> Open(const CatchUpOptions& o, const std::string& conn,
                                      const std::string& role, ConnSpec* spec) {
  Result<ConnSpec> resolved = ResolveConnSpec(conn);
  if (!resolved.ok()) return resolved.status().WithContext(role);
  *spec = *resolved;
  if (!o.application_name.empty()) {
    spec->keywords.push_back("application_name");
    spec->values.push_back(o.application_name);
  }
  return o.connect(*spec, role);
}

Status Connect(const CatchUpOptions& o, Sides* s) {
  Result<std::unique_ptr<Session>> src = Open(o, o.run.source, "source", &s->source_spec);
  if (!src.ok()) return src.status();
  s->source = std::move(*src);
  Result<std::unique_ptr<Session>> dst = Open(o, o.run.target, "target", &s->target_spec);
  if (!dst.ok()) return dst.status();
  s->target = std::move(*dst);
  Result<ServerInfo> info = DetectServer(*s->source);
  if (!info.ok()) return info.status().WithContext("source");
  s->source_server = *info;
  info = DetectServer(*s->target);
  if (!info.ok()) return info.status().WithContext("target");
  s->target_server = *info;
  Status st = SetUpSession(s->source_server.dialect, *s->source);
  return st.ok() ? SetUpSession(s->target_server.dialect, *s->target) : st;
}

// A PostgreSQL source exports the snapshot every worker imports, as migrate does; Redshift
// exports none (each table is read as of its own UNLOAD, and the tenant is frozen anyway).
Status ExportSnapshot(Sides* s) {
  if (!OpsFor(s->source_server.dialect).HasExportedSnapshots()) return Status::Ok();
  Status st = s->source->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
  if (!st.ok()) return st;
  Result<Rows> rows = s->source->Query("SELECT pg_catalog.pg_export_snapshot() AS id", {});
  if (!rows.ok()) return rows.status().WithContext("exporting a snapshot");
  s->snapshot = rows->Get(0, "id");
  return Status::Ok();
}

Status OpenWorkerSessions(const CatchUpOptions& o, Sides* s);

Status Prepare(const CatchUpOptions& o, Sides* s) {
  Status st = Connect(o, s);
  if (!st.ok()) return st;
  Result<std::vector<std::string>> schemas =
      ResolveSchemas(*s->source, s->source_server, o.run.schemas, true);
  if (!schemas.ok()) return schemas.status();
  s->schemas = *schemas;
  Result<Catalog> catalog = ExtractCatalog(*s->source, s->source_server, s->schemas);
  if (!catalog.ok()) return catalog.status().WithContext("source");
  s->catalog = std::move(*catalog);
  return OpenWorkerSessions(o, s);
}

// kInvalidArgument naming the DDL when `now` differs from `before`; `since` says since when.
Status CheckNoDdl(const nlohmann::json& before, const Catalog& now, const std::string& since) {
  std::vector<std::string> ddl = SignatureDifferences(before, TableSignature(now));
  if (ddl.empty()) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "the source's tables changed since {} (DDL during the migration): {}; nothing was copied. "
      "Migrate these tables again (or undo the change), then cut over",
      since, fmt::join(ddl, "; ")));
}

// A target session that replaces rows as replication does: no trigger or foreign key fires
// (PostgreSQL: session_replication_role, superuser only; left unset where it is refused).
SessionFactory ReplicaTarget(Connector connect, ConnSpec spec, Dialect dialect) {
  return [connect, spec, dialect]() -> Result<std::unique_ptr<Session>> {
    Result<std::unique_ptr<Session>> s = connect(spec, "target");
    if (!s.ok() || dialect != Dialect::kPostgres) return s;
    (*s)->Execute("SET session_replication_role = replica;");  // best effort, see the header
    return s;
  };
}

SessionFactory SourceFactory(const CatchUpOptions& o, const Sides& s) {
  ConnSpec src = s.source_spec;
  Connector connect = o.connect;
  return [src, connect] { return connect(src, "source"); };
}

// Opens a source and a target session for each of the `jobs` workers.
Status OpenWorkerSessions(const CatchUpOptions& o, Sides* s) {
  SessionFactory source = SourceFactory(o, *s);
  SessionFactory target = ReplicaTarget(o.connect, s->target_spec, s->target_server.dialect);
  for (int i = 0; i < o.jobs; ++i) {
    Result<std::unique_ptr<Session>> src = source();
    if (!src.ok()) return src.status();
    s->worker_sources->Add(std::move(*src));
    Result<std::unique_ptr<Session>> dst = target();
    if (!dst.ok()) return dst.status();
    s->worker_targets->Add(std::move(*dst));
  }
  return Status::Ok();
}

RunnerConfig MakeConfig(const CatchUpOptions& o, const Sides& s) {
  RunnerConfig c;
  c.connect_source = FromOpened(s.worker_sources, SourceFactory(o, s));
  c.connect_target = FromOpened(s.worker_targets,
                                ReplicaTarget(o.connect, s.target_spec, s.target_server.dialect));
  c.snapshot = s.snapshot;
  c.staging = o.staging;
  c.allow_binary = s.source->ServerVersion() / 10000 == s.target->ServerVersion() / 10000;
  c.target_dialect = s.target_server.dialect;
  return c;
}

Step TableStep(StepKind kind, const Table& t) {
  Step step;
  step.kind = kind;
  step.phase = kind == StepKind::kCopyData ? "catch-up" : "validate";
  step.description = (kind == StepKind::kCopyData ? "re-copy " : "checksum ") + t.name.Display();
  step.table = t.name;
  // A table the catch-up copies is on the target (migrate created it): its rows are replaced
  // in the copy's own transaction (DELETE + COPY), never appended to.
  step.table_preexisting = true;
  step.replace_rows = true;
  step.priority = t.estimated_bytes;
  return step;
}

// Runs one step per table of `tables` on `jobs` workers; an interrupt stops it.
ExecOutcome RunSteps(const CatchUpOptions& o, MigrationRunner& runner, StepKind kind,
                     const std::vector<const Table*>& tables, Plan* plan) {
  for (const Table* t : tables) plan->Add(TableStep(kind, *t));
  std::atomic<bool> stop{false};
  ExecOptions eo;
  eo.jobs = o.jobs;
  eo.stop = &stop;
  int handle = -1;
  if (o.interrupt != nullptr) {
    handle = o.interrupt->OnRequest([&] {
      stop = true;
      runner.CancelAll();
    });
  }
  ExecOutcome outcome = ExecutePlan(*plan, runner, eo);
  if (o.interrupt != nullptr) o.interrupt->Remove(handle);
  return outcome;
}

// The tables of a checksum pass that differ; the first error other than a difference.
Status Differing(const Plan& plan, const ExecOutcome& outcome, const Catalog& catalog,
                 std::vector<const Table*>* differ) {
  for (const Step& step : plan.steps()) {
    const StepResult& r = outcome.results[step.id];
    if (r.status.code() == Status::Code::kMismatch) {
      differ->push_back(catalog.FindTable(step.table));
    } else if (!r.status.ok()) {
      return r.status.WithContext("checksum of " + step.table.Display());
    } else if (step.state != StepState::kSucceeded) {
      return Status::Internal("checksum of " + step.table.Display() + " did not run (interrupted)");
    }
  }
  return Status::Ok();
}

Status Recopy(const CatchUpOptions& o, MigrationRunner& runner,
              const std::vector<const Table*>& tables, CatchUpResult* result) {
  Plan plan;
  ExecOutcome outcome = RunSteps(o, runner, StepKind::kCopyData, tables, &plan);
  for (const Step& step : plan.steps()) {
    const StepResult& r = outcome.results[step.id];
    if (step.state != StepState::kSucceeded) {
      return r.status.ok() ? Status::Internal("re-copy of " + step.table.Display() + " did not run")
                           : r.status;
    }
    result->recopied.push_back({step.table.Display(), r.rows, r.bytes, r.seconds});
  }
  return Status::Ok();
}

// Every sequence of the tenant (free-standing, owned, identity) set to the frozen source's value.
Status SetSequences(const Sides& s, CatchUpResult* result) {
  const DdlRenderer& ddl = RendererFor(s.target_server.dialect);
  std::string sql;
  for (const Sequence& seq : s.frozen.sequences) {
    sql += ddl.SetSequenceValue(seq.name, seq.state);
    ++result->sequences_set;
  }
  for (const Table& t : s.frozen.tables) {
    if (t.partition_parent) continue;  // partitions share the parent's
    for (const Column& c : t.columns) {
      if (c.identity == '\0' || c.identity_sequence.empty()) continue;
      sql += ddl.SetSequenceValue({t.name.schema, c.identity_sequence}, c.identity_state);
      ++result->sequences_set;
    }
  }
  if (sql.empty()) return Status::Ok();
  Status st = s.target->Execute("BEGIN; " + sql + " COMMIT;");
  if (!st.ok()) s.target->Execute("ROLLBACK");
  return st.WithContext("setting the sequences from the frozen source");
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void Mark(const CatchUpOptions& o, const std::string& phase) {
  if (o.phases != nullptr) o.phases->Mark(phase);
}

}  // namespace

void PhaseTimes::Start() { last_ = std::chrono::steady_clock::now(); }

void PhaseTimes::Mark(const std::string& phase) {
  auto now = std::chrono::steady_clock::now();
  phases_.emplace_back(phase, std::chrono::duration<double>(now - last_).count());
  last_ = now;
}

nlohmann::json PhaseTimes::ToJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [phase, seconds] : phases_) {
    out.push_back({{"phase", phase}, {"seconds", seconds}});
  }
  return out;
}

std::string PhaseTimes::ToString() const {
  std::string out;
  for (const auto& [phase, seconds] : phases_) {
    out += fmt::format("{}{} {:.2f} s", out.empty() ? "" : ", ", phase, seconds);
  }
  return out;
}

int64_t CatchUpResult::RecopiedRows() const {
  int64_t n = 0;
  for (const RecopiedTable& t : recopied) n += t.rows;
  return n;
}

int64_t CatchUpResult::RecopiedBytes() const {
  int64_t n = 0;
  for (const RecopiedTable& t : recopied) n += t.bytes;
  return n;
}

nlohmann::json CatchUpResult::ToJson() const {
  nlohmann::json tables = nlohmann::json::array();
  for (const RecopiedTable& t : recopied) {
    tables.push_back(
        {{"table", t.table}, {"rows", t.rows}, {"bytes", t.bytes}, {"seconds", t.seconds}});
  }
  return {{"tables_checked", tables_checked},   {"checksum_seconds", checksum_seconds},
          {"tables_recopied", recopied.size()}, {"rows_recopied", RecopiedRows()},
          {"bytes_recopied", RecopiedBytes()},  {"recopied", tables},
          {"sequences_set", sequences_set}};
}

nlohmann::json TableSignature(const Catalog& catalog) {
  nlohmann::json out = nlohmann::json::object();
  for (const Table& t : catalog.tables) {
    nlohmann::json columns = nlohmann::json::array();
    for (const Column& c : t.columns) columns.push_back(c.name + " " + c.type);
    out[t.name.Display()] = columns;
  }
  return out;
}

std::vector<std::string> SignatureDifferences(const nlohmann::json& planned,
                                              const nlohmann::json& now) {
  std::vector<std::string> out;
  for (const auto& [table, columns] : planned.items()) {
    if (!now.contains(table)) {
      out.push_back("table " + table + " was dropped");
    } else if (now[table] != columns) {
      out.push_back(fmt::format("the columns of {} changed (planned: {}; now: {})", table,
                                fmt::join(columns.get<std::vector<std::string>>(), ", "),
                                fmt::join(now[table].get<std::vector<std::string>>(), ", ")));
    }
  }
  for (const auto& [table, columns] : now.items()) {
    if (!planned.contains(table)) out.push_back("table " + table + " was added");
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct PreparedCatchUp::State {
  CatchUpOptions options;
  Sides sides;
};

PreparedCatchUp::PreparedCatchUp(std::unique_ptr<State> state) : state_(std::move(state)) {}
PreparedCatchUp::~PreparedCatchUp() = default;

Result<std::unique_ptr<PreparedCatchUp>> PrepareCatchUp(const CatchUpOptions& o) {
  auto state = std::make_unique<PreparedCatchUp::State>();
  state->options = o;
  Status st = Prepare(o, &state->sides);
  if (!st.ok()) return st.WithContext("catch-up");
  if (o.planned_tables.is_object()) {
    st = CheckNoDdl(o.planned_tables, state->sides.catalog, "migrate planned them");
    if (!st.ok()) return st;
  }
  return std::unique_ptr<PreparedCatchUp>(new PreparedCatchUp(std::move(state)));
}

Result<CatchUpResult> CatchUp(const CatchUpOptions& o, std::ostream& out) {
  Result<std::unique_ptr<PreparedCatchUp>> prepared = PrepareCatchUp(o);
  if (!prepared.ok()) return prepared.status();
  return (*prepared)->Run(out);
}

Result<CatchUpResult> PreparedCatchUp::Run(std::ostream& out) {
  const CatchUpOptions& o = state_->options;
  Sides& sides = state_->sides;
  Status st = ExportSnapshot(&sides);
  if (!st.ok()) return st.WithContext("catch-up");
  Mark(o, "snapshot");
  // The coordinator reads the frozen catalog (sequences, DDL check) while the workers checksum.
  Result<Catalog> frozen = Status::Internal("the frozen source's catalog was not read");
  std::thread reader(
      [&] { frozen = ExtractCatalog(*sides.source, sides.source_server, sides.schemas); });
  std::vector<const Table*> tables;
  for (const Table& t : sides.catalog.tables) {
    if (t.has_storage()) tables.push_back(&t);
  }
  NopProgress progress;
  MigrationRunner runner(sides.catalog, MakeConfig(o, sides), progress, o.jobs);
  CatchUpResult result;
  result.tables_checked = static_cast<int>(tables.size());
  auto started = std::chrono::steady_clock::now();
  // PostgreSQL <-> Redshift sides can only count rows (dialect_pair.h): an update since
  // migrate would pass unseen, so every table is copied again.
  const bool counts_only = ComparisonFor(sides.source_server.dialect,
                                         sides.target_server.dialect) == Comparison::kRowCount;
  Plan first;
  ExecOutcome checked;
  if (!counts_only) {
    checked = RunSteps(o, runner, StepKind::kValidate, tables, &first);
    result.checksum_seconds = SecondsSince(started);
  }
  reader.join();
  Mark(o, counts_only ? "catalog" : "checksum (frozen catalog read alongside)");
  if (!frozen.ok()) return frozen.status().WithContext("source");
  sides.frozen = std::move(*frozen);
  st = CheckNoDdl(TableSignature(sides.catalog), sides.frozen,
                  "cutover read them before the freeze");
  if (!st.ok()) return st;
  std::vector<const Table*> differ;
  if (counts_only) {
    differ = tables;
    out << fmt::format(
        "{} -> {}: rows can only be counted on both sides, so every table ({}) "
        "is copied again\n",
        OpsFor(sides.source_server.dialect).Name(), OpsFor(sides.target_server.dialect).Name(),
        tables.size());
  } else {
    st = Differing(first, checked, sides.catalog, &differ);
    if (!st.ok()) return st;
    out << fmt::format("checksummed {} tables on both sides in {:.1f} s: {} differ\n",
                       tables.size(), result.checksum_seconds, differ.size());
  }
  if (!differ.empty()) {
    st = Recopy(o, runner, differ, &result);
    if (!st.ok()) return st.WithContext("catch-up");
    Mark(o, "re-copy");
    Plan again;
    ExecOutcome rechecked = RunSteps(o, runner, StepKind::kValidate, differ, &again);
    std::vector<const Table*> still;
    st = Differing(again, rechecked, sides.catalog, &still);
    if (!st.ok()) return st;
    if (!still.empty()) {
      std::vector<std::string> names;
      for (const Table* t : still) names.push_back(t->name.Display());
      return Status::Mismatch(
          fmt::format("still different after their copy: {}", fmt::join(names, ", ")));
    }
    Mark(o, "re-check");
  }
  st = SetSequences(sides, &result);
  if (!st.ok()) return st;
  Mark(o, "sequences");
  for (const RecopiedTable& t : result.recopied) {
    out << fmt::format("re-copied {}: {} rows, {} in {:.1f} s\n", t.table, t.rows,
                       HumanBytes(t.bytes), t.seconds);
  }
  return result;
}

FreezeEstimate EstimateFreezeWindow(const std::map<std::string, StepRecord>& steps, int jobs) {
  FreezeEstimate e;
  double total = 0, longest = 0, copy_seconds = 0;
  int64_t copy_bytes = 0;
  for (const auto& [key, step] : steps) {
    if (step.state != "succeeded") continue;
    if (step.phase == "validate") {
      ++e.tables;
      total += step.seconds;
      longest = std::max(longest, step.seconds);
    } else if (step.phase == "data") {
      copy_seconds += step.seconds;
      copy_bytes += step.bytes;
    }
  }
  e.checksum_seconds = std::max(longest, total / std::max(jobs, 1));
  if (copy_seconds > 0) e.copy_bytes_per_second = static_cast<double>(copy_bytes) / copy_seconds;
  return e;
}

}  // namespace tenantshift
