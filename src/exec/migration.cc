#include "exec/migration.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "exec/executor.h"
#include "exec/migration_runner.h"
#include "extract/extractor.h"
#include "pg/pg_session.h"
#include "report/format.h"
#include "report/report.h"

namespace tenantshift {
namespace {

// Everything a command learned before changing anything.
struct Prepared {
  ConnSpec source_spec, target_spec;
  std::unique_ptr<Session> source, target;  // the coordinator's sessions
  std::string snapshot;                     // exported by `source`, empty if not requested
  std::vector<std::string> schemas;
  Catalog source_catalog, target_catalog;
};

// A failure before any change: the exit code and the one line that explains it.
struct Failure {
  int exit_code = kExitOk;
  Status status;
  bool failed() const { return exit_code != kExitOk; }
};

Failure Fail(int code, const Status& s) { return {code, s}; }

int Report(const Failure& f, std::ostream& err) {
  err << "tenantshift: error: " << f.status.ToString() << "\n";
  return f.exit_code;
}

Result<std::unique_ptr<Session>> Connect(const ConnSpec& spec, const std::string& role) {
  Result<std::unique_ptr<PgSession>> s = PgSession::Connect(spec, role);
  if (!s.ok()) return s.status();
  return std::unique_ptr<Session>(std::move(*s));
}

Failure ConnectBoth(const MigrationOptions& o, Prepared* p) {
  Result<ConnSpec> src = ResolveConnSpec(o.source);
  if (!src.ok()) return Fail(kExitUsage, src.status().WithContext("--source"));
  Result<ConnSpec> dst = ResolveConnSpec(o.target);
  if (!dst.ok()) return Fail(kExitUsage, dst.status().WithContext("--target"));
  p->source_spec = *src;
  p->target_spec = *dst;
  Result<std::unique_ptr<Session>> s = Connect(p->source_spec, "source");
  if (!s.ok()) return Fail(kExitSource, s.status());
  p->source = std::move(*s);
  Result<std::unique_ptr<Session>> t = Connect(p->target_spec, "target");
  if (!t.ok()) return Fail(kExitTarget, t.status());
  p->target = std::move(*t);
  Status st = PrepareSession(*p->source);
  if (!st.ok()) return Fail(kExitSource, st);
  st = PrepareSession(*p->target);
  if (!st.ok()) return Fail(kExitTarget, st);
  return {};
}

// Opens the snapshot every worker will read, and reads the source catalog inside it.
Failure ExportSnapshot(Prepared* p) {
  Status s = p->source->Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
  if (!s.ok()) return Fail(kExitSource, s);
  Result<Rows> rows = p->source->Query("SELECT pg_catalog.pg_export_snapshot() AS id", {});
  if (!rows.ok()) return Fail(kExitSource, rows.status().WithContext("exporting a snapshot"));
  p->snapshot = rows->Get(0, "id");
  return {};
}

Failure Prepare(const MigrationOptions& o, bool snapshot, Prepared* p) {
  if (o.schemas.empty()) return Fail(kExitUsage, Status::InvalidArgument("no --schema given"));
  Failure f = ConnectBoth(o, p);
  if (!f.failed() && snapshot) f = ExportSnapshot(p);
  if (f.failed()) return f;
  Result<std::vector<std::string>> names = ResolveSchemas(*p->source, o.schemas, true);
  if (!names.ok()) return Fail(kExitSource, names.status());
  p->schemas = *names;
  Result<Catalog> src = ExtractPostgres(*p->source, p->schemas);
  if (!src.ok()) return Fail(kExitSource, src.status());
  if (src->server.dialect != Dialect::kPostgres) {
    return Fail(kExitSource, Status::InvalidArgument("the source is not PostgreSQL; Redshift "
                                                     "support is not built yet"));
  }
  p->source_catalog = std::move(*src);
  Result<Catalog> dst = ExtractPostgres(*p->target, p->schemas);
  if (!dst.ok()) return Fail(kExitTarget, dst.status());
  p->target_catalog = std::move(*dst);
  return {};
}

Failure PrepareAndPlan(const MigrationOptions& o, bool snapshot, Prepared* p,
                       PlannedMigration* pm) {
  Failure f = Prepare(o, snapshot, p);
  if (f.failed()) return f;
  PlanOptions po;
  po.on_existing = o.on_existing;
  *pm = BuildPlan(p->source_catalog, p->target_catalog, po);
  return {};
}

RunnerConfig MakeRunnerConfig(const Prepared& p) {
  RunnerConfig c;
  ConnSpec src = p.source_spec, dst = p.target_spec;
  c.connect_source = [src] { return Connect(src, "source"); };
  c.connect_target = [dst] { return Connect(dst, "target"); };
  c.snapshot = p.snapshot;
  c.allow_binary = p.source->ServerVersion() / 10000 == p.target->ServerVersion() / 10000;
  return c;
}

std::map<std::string, int64_t> CountObjects(const Catalog& c) {
  auto n = [](size_t size) { return static_cast<int64_t>(size); };
  std::map<std::string, int64_t> counts{{"schemas", n(c.schemas.size())},
                                        {"types", n(c.types.size())},
                                        {"sequences", n(c.sequences.size())},
                                        {"tables", n(c.tables.size())},
                                        {"constraints", 0},
                                        {"indexes", 0},
                                        {"functions", 0},
                                        {"procedures", 0},
                                        {"aggregates", 0},
                                        {"views", 0},
                                        {"materialized_views", 0},
                                        {"triggers", n(c.triggers.size())},
                                        {"rules", n(c.rules.size())},
                                        {"extensions", n(c.extensions.size())}};
  for (const Table& t : c.tables) {
    counts["constraints"] += n(t.constraints.size());
    counts["indexes"] += n(t.indexes.size());
  }
  for (const Routine& r : c.routines) {
    ++counts[r.kind == Routine::Kind::kProcedure   ? "procedures"
             : r.kind == Routine::Kind::kAggregate ? "aggregates"
                                                   : "functions"];
  }
  for (const View& v : c.views) {
    ++counts[v.materialized ? "materialized_views" : "views"];
    counts["indexes"] += n(v.indexes.size());
  }
  return counts;
}

void FillTableReport(const Step& step, const StepResult& r, TableReport* t) {
  if (step.kind == StepKind::kCopyData) {
    t->rows = r.rows;
    t->bytes = r.bytes;
    t->seconds = r.seconds;
  } else {
    if (step.state == StepState::kSucceeded) t->validation = "match";
    if (step.state == StepState::kFailed) {
      t->validation = r.status.code() == Status::Code::kMismatch ? "mismatch" : "error";
    }
    t->source_rows = r.source_rows;
    t->target_rows = r.target_rows;
    t->source_checksum = r.source_checksum;
    t->target_checksum = r.target_checksum;
  }
  if (step.state == StepState::kBlocked && t->error.empty()) {
    t->error = step.description + " did not run: a step it depends on failed";
    t->cause = "blocked";
  } else if (!r.status.ok() && t->error.empty()) {
    t->error = r.status.message();
    t->cause = r.status.sqlstate().empty() ? "mismatch" : r.status.sqlstate();
    if (r.status.code() != Status::Code::kMismatch && r.status.sqlstate().empty()) {
      t->cause = "error";
    }
  }
}

// Per-table results from the data and validation steps; a table also fails when any step on
// it (constraint, index) failed.
std::vector<TableReport> TableReports(const Plan& plan, const std::vector<StepResult>& results) {
  std::map<QualifiedName, TableReport> by_table;
  for (const Step& step : plan.steps()) {
    if (step.kind == StepKind::kTargetSql) continue;
    TableReport& t = by_table[step.table];
    t.schema = step.table.schema;
    t.table = step.table.name;
    FillTableReport(step, results[step.id], &t);
  }
  std::vector<TableReport> out;
  for (auto& [name, t] : by_table) {
    t.succeeded = t.error.empty();
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> StepFailures(const Plan& plan, const std::vector<StepResult>& results) {
  std::vector<std::string> out;
  for (const Step& s : plan.steps()) {
    if (s.kind == StepKind::kTargetSql && s.state == StepState::kFailed) {
      out.push_back(results[s.id].status.ToString());
    }
  }
  return out;
}

// Runs the plan; an interrupt stops new steps and cancels the running ones.
std::vector<StepResult> Execute(const MigrationOptions& o, Plan& plan, MigrationRunner& runner,
                                ExecOptions eo) {
  if (o.interrupt == nullptr) return ExecutePlan(plan, runner, eo);
  eo.stop = o.interrupt->flag();
  int handle = o.interrupt->OnRequest([&runner] { runner.CancelAll(); });
  std::vector<StepResult> results = ExecutePlan(plan, runner, eo);
  o.interrupt->Remove(handle);
  return results;
}

// The plan cannot run: a dependency cycle on the source (exit 3) or something the target lacks
// (exit 4).
int PrintPlanErrors(const PlannedMigration& pm, std::ostream& err) {
  for (const std::string& e : pm.source_errors) err << "tenantshift: error: " << e << "\n";
  for (const std::string& e : pm.target_errors) err << "tenantshift: error: " << e << "\n";
  err << "tenantshift: error: the tenant cannot be migrated as it is; nothing was changed\n";
  return pm.source_errors.empty() ? kExitTarget : kExitSource;
}

// Object counts per kind on both sides: one line each; returns how many kinds differ.
int CompareObjectCounts(const Prepared& p, std::ostream& out) {
  std::map<std::string, int64_t> want = CountObjects(p.source_catalog);
  std::map<std::string, int64_t> have = CountObjects(p.target_catalog);
  int differ = 0;
  for (const auto& [kind, count] : want) {
    bool same = have[kind] == count;
    if (!same) ++differ;
    out << fmt::format("{:<8} objects: {}  source {}  target {}\n", same ? "match" : "MISMATCH",
                       kind, count, have[kind]);
  }
  return differ;
}

int PrintConflicts(const PlannedMigration& pm, std::ostream& err) {
  for (const std::string& c : pm.conflicts) err << "tenantshift: conflict: " << c << "\n";
  err << "tenantshift: error: " << pm.conflicts.size()
      << " object(s) in the way on the target; nothing was changed (use --on-existing skip to "
         "leave them as they are)\n";
  return kExitTarget;
}

}  // namespace

int RunPlan(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  Prepared p;
  PlannedMigration pm;
  Failure f = PrepareAndPlan(o, /*snapshot=*/false, &p, &pm);
  if (f.failed()) return Report(f, err);
  out << "-- tenantshift plan: schemas " << fmt::format("{}", fmt::join(p.schemas, ", "))
      << "\n-- source: " << p.source->Describe() << "\n-- target: " << p.target->Describe() << "\n";
  out << RenderPlanSql(pm.plan);
  for (const std::string& e : pm.source_errors) out << "-- error: " << e << "\n";
  for (const std::string& e : pm.target_errors) out << "-- error: " << e << "\n";
  for (const std::string& w : pm.warnings) out << "-- warning: " << w << "\n";
  for (const std::string& c : pm.conflicts) out << "-- conflict: " << c << "\n";
  return kExitOk;
}

int RunMigrate(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  auto started = std::chrono::steady_clock::now();
  MigrationReport report;
  report.timestamp = FormatIso8601Utc(std::chrono::system_clock::now());
  Prepared p;
  PlannedMigration pm;
  Failure f = PrepareAndPlan(o, /*snapshot=*/true, &p, &pm);
  if (f.failed()) return Report(f, err);
  if (!pm.source_errors.empty() || !pm.target_errors.empty()) return PrintPlanErrors(pm, err);
  if (!pm.conflicts.empty()) return PrintConflicts(pm, err);
  if (o.interrupt != nullptr && o.interrupt->requested()) {
    err << "tenantshift: interrupted before any change\n";
    return kExitInterrupted;
  }
  std::error_code ec;
  std::filesystem::create_directories(o.work_dir, ec);
  if (ec)
    return Report(Fail(kExitUsage, Status::InvalidArgument("cannot create work directory " +
                                                           o.work_dir + ": " + ec.message())),
                  err);

  std::unique_ptr<Progress> progress = MakeProgress(o.progress_tty, out);
  for (const std::string& w : pm.warnings) progress->Message("warning: " + w);
  int64_t total_bytes = 0, total_tables = 0;
  for (const Table& t : p.source_catalog.tables) {
    if (t.has_storage()) total_bytes += t.estimated_bytes, ++total_tables;
  }
  progress->Begin(total_tables, total_bytes);
  MigrationRunner runner(p.source_catalog, MakeRunnerConfig(p), *progress, o.jobs);
  ExecOptions eo;
  eo.jobs = o.jobs;
  std::vector<StepResult> results = Execute(o, pm.plan, runner, eo);
  progress->End();

  report.tenant = fmt::format("{}", fmt::join(p.schemas, ","));
  report.schemas = p.schemas;
  report.source = p.source->Describe();
  report.target = p.target->Describe();
  report.tool_version = TENANTSHIFT_VERSION;
  report.tables = TableReports(pm.plan, results);
  report.object_counts = CountObjects(p.source_catalog);
  report.warnings = pm.warnings;
  std::vector<std::string> step_failures = StepFailures(pm.plan, results);
  for (const std::string& s : step_failures) report.warnings.push_back("failed: " + s);
  bool all_ok = step_failures.empty() && pm.plan.CountIn(StepState::kBlocked) == 0;
  for (const TableReport& t : report.tables) all_ok = all_ok && t.succeeded;
  report.exit_code = all_ok ? kExitOk : kExitFailures;
  if (o.interrupt != nullptr && o.interrupt->requested()) {
    report.exit_code = kExitInterrupted;
    report.warnings.push_back(
        "interrupted: steps in flight were rolled back; run migrate again "
        "to continue");
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::string dir = o.work_dir + "/";
  Status s = WriteJsonFile(dir + "migration_report.json", ToJson(report));
  if (s.ok()) s = WriteJsonFile(dir + "retry_failed_tables.json", RetryFailedTables(report));
  if (!s.ok()) err << "tenantshift: error: " << s.ToString() << "\n";
  out << SummaryTable(report);
  for (const std::string& sf : step_failures) err << "tenantshift: failed: " << sf << "\n";
  out << "report: " << dir << "migration_report.json\n";
  return s.ok() ? report.exit_code : kExitInternal;
}

int RunValidate(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  Prepared p;
  Failure f = Prepare(o, /*snapshot=*/false, &p);
  if (f.failed()) return Report(f, err);
  Plan plan;
  for (const Table& t : p.source_catalog.tables) {
    if (!t.has_storage()) continue;
    Step v;
    v.kind = StepKind::kValidate;
    v.description = "validate " + t.name.Display();
    v.table = t.name;
    v.priority = t.estimated_bytes;
    plan.Add(std::move(v));
  }
  NopProgress progress;
  MigrationRunner runner(p.source_catalog, MakeRunnerConfig(p), progress, o.jobs);
  ExecOptions eo;
  eo.jobs = o.jobs;
  std::vector<StepResult> results = Execute(o, plan, runner, eo);
  if (o.interrupt != nullptr && o.interrupt->requested()) return kExitInterrupted;
  int mismatches = 0;
  for (const Step& s : plan.steps()) {
    const StepResult& r = results[s.id];
    std::string state = r.status.ok() ? "match" : "MISMATCH";
    if (!r.status.ok()) ++mismatches;
    out << fmt::format("{:<8} {}  source {} rows  target {} rows\n", state, s.table.Display(),
                       r.source_rows, r.target_rows);
    if (!r.status.ok() && r.status.code() != Status::Code::kMismatch) {
      err << "tenantshift: error: " << r.status.ToString() << "\n";
    }
  }
  out << fmt::format("{} tables: {} match, {} differ\n", plan.steps().size(),
                     plan.steps().size() - mismatches, mismatches);
  int kinds = CompareObjectCounts(p, out);
  if (kinds > 0) out << fmt::format("{} object kinds differ in number\n", kinds);
  return mismatches == 0 && kinds == 0 ? kExitOk : kExitFailures;
}

}  // namespace tenantshift
