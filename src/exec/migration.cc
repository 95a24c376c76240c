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
  // --passwords random: each new login role's password, for the password file only.
  std::map<std::string, Secret> random_passwords;
  std::vector<std::string> warnings;  // found while preparing, reported with the plan's
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

// --passwords copy-hash: the source's verifiers of the roles the plan creates, when readable.
Failure CopyPasswordHashes(const std::vector<std::string>& roles, Prepared* p, PlanOptions* po) {
  if (roles.empty()) return {};
  if (!p->source_catalog.server.can_read_passwords) {
    p->warnings.push_back(fmt::format(
        "cannot read password hashes on the source ({} may not read pg_authid; it takes a "
        "superuser): {} new role(s) are created without a password; set them by hand or use "
        "--passwords random",
        p->source_catalog.server.current_user, roles.size()));
    return {};
  }
  Result<std::map<std::string, Secret>> v = ReadPasswordVerifiers(*p->source, roles);
  if (!v.ok()) return Fail(kExitSource, v.status());
  po->passwords = std::move(*v);
  return {};
}

// --passwords random: a password per new login role; the target gets only its verifier.
Failure MakeRandomPasswords(const std::vector<std::string>& roles, Prepared* p, PlanOptions* po) {
  for (const std::string& name : roles) {
    const Role* role = p->source_catalog.FindRole(name);
    if (role == nullptr || !role->can_login) continue;
    Result<Secret> password = RandomPassword();
    if (!password.ok()) return Fail(kExitInternal, password.status());
    Result<std::string> verifier = p->target->EncryptPassword(password->Reveal(), name);
    if (!verifier.ok()) return Fail(kExitTarget, verifier.status());
    po->passwords[name] = Secret(std::move(*verifier));
    p->random_passwords[name] = std::move(*password);
  }
  return {};
}

Failure PreparePasswords(const MigrationOptions& o, Prepared* p, PlanOptions* po) {
  std::vector<std::string> roles = RolesToCreate(p->source_catalog, p->target_catalog, *po);
  switch (o.passwords) {
    case PasswordMode::kCopyHash:
      return CopyPasswordHashes(roles, p, po);
    case PasswordMode::kRandom:
      return MakeRandomPasswords(roles, p, po);
    case PasswordMode::kDisable:
      break;
  }
  return {};
}

Failure PrepareAndPlan(const MigrationOptions& o, bool snapshot, Prepared* p,
                       PlannedMigration* pm) {
  Failure f = Prepare(o, snapshot, p);
  if (f.failed()) return f;
  PlanOptions po;
  po.on_existing = o.on_existing;
  po.principals = o.principals;
  po.allow_superuser = o.allow_superuser;
  f = PreparePasswords(o, p, &po);
  if (f.failed()) return f;
  *pm = BuildPlan(p->source_catalog, p->target_catalog, po);
  pm->warnings.insert(pm->warnings.end(), p->warnings.begin(), p->warnings.end());
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
  std::map<std::string, int64_t> counts{
      {"schemas", c.schemas.size()}, {"types", c.types.size()}, {"sequences", c.sequences.size()},
      {"tables", c.tables.size()},   {"constraints", 0},        {"indexes", 0}};
  for (const Table& t : c.tables) {
    counts["constraints"] += static_cast<int64_t>(t.constraints.size());
    counts["indexes"] += static_cast<int64_t>(t.indexes.size());
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

// The tenant's principals and why each was chosen, as SQL comments.
std::string PrincipalsText(const PrincipalSelection& sel) {
  std::string out = fmt::format("-- principals: {} role(s) move\n", sel.principals.size());
  for (const Principal& p : sel.principals) {
    out += fmt::format("--   {}: {}\n", p.name, p.Explain());
  }
  for (const Principal& p : sel.left_out) {
    out += fmt::format("--   (not moved) {}: {}\n", p.name, p.Explain());
  }
  return out;
}

// Writes the random passwords of the roles about to be created into the 0600 password file.
Status SavePasswords(const MigrationOptions& o, const Prepared& p, Progress& progress) {
  if (p.random_passwords.empty()) return Status::Ok();
  std::string path = o.work_dir + "/" + kPasswordFileName;
  Status s = WritePasswordFile(path, p.random_passwords);
  if (s.ok()) {
    progress.Message(fmt::format("passwords of {} new role(s) written to {} (mode 0600)",
                                 p.random_passwords.size(), path));
  }
  return s;
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
  out << PrincipalsText(pm.principals);
  out << RenderPlanSql(pm.plan);
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
  Status saved = SavePasswords(o, p, *progress);
  if (!saved.ok()) return Report(Fail(kExitUsage, saved), err);
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
  report.object_counts["roles"] = static_cast<int64_t>(pm.principals.principals.size());
  report.object_counts["object acls"] = static_cast<int64_t>(p.source_catalog.acls.size());
  report.warnings = pm.warnings;
  for (const Principal& pr : pm.principals.principals) report.principals[pr.name] = pr.Explain();
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
  return mismatches == 0 ? kExitOk : kExitFailures;
}

}  // namespace tenantshift
