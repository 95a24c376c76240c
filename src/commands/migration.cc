#include "commands/migration.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include "commands/cutover_catchup.h"
#include "commands/cutover_follow.h"
#include "commands/end_sessions.h"
#include "commands/iam_role_option.h"
#include "commands/lock_preflight.h"
#include "commands/plan_output.h"
#include "connect/capture.h"
#include "ddl/quote.h"
#include "dialect/dialect_pair.h"
#include "exec/executor.h"
#include "exec/migration_runner.h"
#include "exec/run_report.h"
#include "extract/extractor.h"
#include "move/s3_staging.h"
#include "move/unload_copy.h"
#include "report/format.h"
#include "report/html_report.h"
#include "report/report.h"
#include "state/ledger.h"

namespace tenantshift {
namespace {

// Everything a command learned before changing anything.
struct Prepared {
  ConnSpec source_spec, target_spec;
  std::unique_ptr<Session> source, target;  // the coordinator's sessions
  // Holds the exported snapshot open for the whole command: an idle transaction that locks
  // nothing. Null when no snapshot was requested.
  std::unique_ptr<Session> snapshot_holder;
  std::string snapshot;                     // exported by `snapshot_holder`, empty if not requested
  bool source_is_capture = false;           // --source capture:FILE (a recording, not a server)
  ServerInfo source_server, target_server;  // DetectServer of each, before anything else
  Connector connect;                        // opens every session of the command
  std::vector<std::string> schemas;
  Catalog source_catalog, target_catalog;
  // --passwords random: each new login role's password, for the password file only.
  std::map<std::string, Secret> random_passwords;
  std::vector<std::string> warnings;  // found while preparing, reported with the plan's
  FollowSlot follow;                  // migrate --follow: the slot whose snapshot `snapshot` is
  std::string follow_conninfo;        // migrate --follow: the subscription's (no password)
};

// A failure before any change: the exit code and the one line that explains it.
struct Failure {
  int exit_code = kExitOk;
  Status status;
  bool failed() const { return exit_code != kExitOk; }
};

Failure Fail(int code, const Status& s) { return {code, s}; }

int Report(const Failure& f, std::ostream& err) { return FailWith(f.exit_code, f.status, err); }

// `--source capture:FILE`: only `plan` may read a capture (RunPlan passes `plan_only`); every
// other command needs the live source.
Failure ConnectCapture(const std::string& path, bool plan_only, Prepared* p) {
  if (!plan_only) {
    return Fail(kExitUsage, Status::InvalidArgument(
                                "--source capture:" + path +
                                ": a capture can only be planned from (tenantshift plan); this "
                                "command reads and changes live servers"));
  }
  Result<Capture> capture = ReadCapture(path);
  if (!capture.ok()) return Fail(kExitUsage, capture.status().WithContext("--source"));
  p->source = std::make_unique<ReplaySession>(std::move(*capture), path);
  p->source_is_capture = true;
  return {};
}

Failure ConnectBoth(const MigrationOptions& o, Prepared* p) {
  std::optional<std::string> capture = CapturePath(o.source);
  Result<ConnSpec> src = capture ? Result<ConnSpec>(ConnSpec{}) : ResolveConnSpec(o.source);
  if (!src.ok()) return Fail(kExitUsage, src.status().WithContext("--source"));
  Result<ConnSpec> dst = ResolveConnSpec(o.target);
  if (!dst.ok()) return Fail(kExitUsage, dst.status().WithContext("--target"));
  p->source_spec = *src;
  p->target_spec = *dst;
  if (!o.application_name.empty()) {  // later keywords win over the user's spec
    for (ConnSpec* spec : {&p->source_spec, &p->target_spec}) {
      spec->keywords.push_back("application_name");
      spec->values.push_back(o.application_name);
    }
  }
  p->connect = o.connect ? o.connect : LibpqConnector();
  if (capture) {
    Failure f = ConnectCapture(*capture, o.plan_only, p);
    if (f.failed()) return f;
  } else {
    Result<std::unique_ptr<Session>> s = p->connect(p->source_spec, "source");
    if (!s.ok()) return Fail(kExitSource, s.status());
    p->source = std::move(*s);
  }
  Result<std::unique_ptr<Session>> t = p->connect(p->target_spec, "target");
  if (!t.ok()) return Fail(kExitTarget, t.status());
  p->target = std::move(*t);
  // The dialect decides the session settings, so it is read first (outside any transaction:
  // DetectServer may probe an STV view).
  Result<ServerInfo> server = DetectServer(*p->source);
  if (!server.ok()) return Fail(kExitSource, server.status());
  p->source_server = *server;
  server = DetectServer(*p->target);
  if (!server.ok()) return Fail(kExitTarget, server.status());
  p->target_server = *server;
  Status st = SetUpSession(p->source_server.dialect, *p->source);
  if (!st.ok()) return Fail(kExitSource, st);
  st = SetUpSession(p->target_server.dialect, *p->target);
  if (!st.ok()) return Fail(kExitTarget, st);
  return {};
}

// Where the migration's snapshot comes from: a transaction of `holder` that exports it and
// then stays open and idle (taking no locks) until the command ends. The one place that
// decides it, so another source of snapshots (a logical replication slot) replaces only this.
Result<std::string> OpenSnapshot(Session& holder) {
  Status s = holder.Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;");
  if (!s.ok()) return s.WithContext("exporting a snapshot");
  Result<Rows> rows = holder.Query("SELECT pg_catalog.pg_export_snapshot() AS id", {});
  if (!rows.ok()) return rows.status().WithContext("exporting a snapshot");
  return rows->Get(0, "id");
}

// Opens the snapshot every worker will read on a session of its own, and starts the
// coordinator's catalog read inside it (ended by EndCatalogRead once the plan is built).
Failure ExportSnapshot(Prepared* p) {
  Result<std::unique_ptr<Session>> holder = p->connect(p->source_spec, "source");
  if (!holder.ok()) return Fail(kExitSource, holder.status());
  Status s = SetUpSession(p->source_server.dialect, **holder);
  if (!s.ok()) return Fail(kExitSource, s);
  Result<std::string> id = OpenSnapshot(**holder);
  if (!id.ok()) return Fail(kExitSource, id.status());
  p->snapshot_holder = std::move(*holder);
  p->snapshot = *id;
  s = p->source->Execute(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
      QuoteLiteral(p->snapshot) + ";");
  if (!s.ok()) return Fail(kExitSource, s.WithContext("reading the source's snapshot"));
  return {};
}

// Ends the coordinator's catalog read, releasing the locks reading view definitions took
// (pg_get_viewdef locks each view and what it reads), before the workers start.
Failure EndCatalogRead(Prepared* p) {
  if (p->snapshot.empty()) return {};
  Status s = p->source->Execute("COMMIT");
  return s.ok() ? Failure{} : Fail(kExitSource, s.WithContext("ending the catalog read"));
}

// migrate --follow: preflight, publication and slot; the snapshot is the slot's.
Failure BeginFollow(const MigrationOptions& o, Prepared* p) {
  if (p->target_server.dialect != Dialect::kPostgres) {
    return Fail(kExitUsage, Status::InvalidArgument(
                                "--follow needs PostgreSQL on both sides (logical replication)"));
  }
  Result<std::vector<std::string>> schemas =
      ResolveSchemas(*p->source, p->source_server, o.schemas, true);
  if (!schemas.ok()) return Fail(kExitSource, schemas.status());
  Result<FollowPreflightResult> pre =
      FollowPreflight(*p->source, *p->target, *schemas, o.replica_identity_full);
  if (!pre.ok()) return Fail(kExitSource, pre.status());
  if (!pre->problems.empty()) {
    return Fail(kExitSource, Status::InvalidArgument(
                                 fmt::format("--follow cannot start; nothing was changed: {}",
                                             fmt::join(pre->problems, "; "))));
  }
  Result<std::string> conninfo = SubscriptionConninfo(o.source, p->source_spec, o.follow_conninfo);
  if (!conninfo.ok()) return Fail(kExitUsage, conninfo.status());
  p->follow_conninfo = *conninfo;
  FollowNames names = FollowNamesFor(o.application_name);
  Status s = ProbeSubscriptionConnection(*p->target, names, *conninfo);
  if (!s.ok()) return Fail(kExitTarget, s);
  Result<FollowSlot> slot =
      StartFollow(*p->source, p->connect, p->source_spec, names, *schemas,
                  o.replica_identity_full ? pre->no_identity : std::vector<std::string>{});
  if (!slot.ok()) {
    DropSlotAndPublication(*p->source, names);
    return Fail(kExitSource, slot.status());
  }
  p->follow = std::move(*slot);
  p->snapshot = p->follow.snapshot;
  s = p->source->Execute(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT " +
      QuoteLiteral(p->snapshot) + ";");
  return s.ok() ? Failure{} : Fail(kExitSource, s);
}

// After the copy of a --follow run: the subscription when everything was copied; otherwise
// (and when it cannot start) slot and publication are dropped, since a slot left behind keeps
// the source's WAL. Returns the run's exit code.
int FinishFollow(const MigrationOptions& o, Prepared& p, Ledger& ledger, int rc, std::ostream& out,
                 std::ostream& err) {
  FollowNames names = FollowNamesFor(o.application_name);
  p.follow.keep = true;          // dropped below, or kept for the subscription
  p.follow.replication.reset();  // every worker has imported the snapshot by now
  p.source->Execute("ROLLBACK");
  Status s = rc == kExitOk || rc == kExitManual
                 ? Subscribe(*p.target, names, p.follow_conninfo)
                 : Status::Internal("the copy did not finish (exit " + std::to_string(rc) + ")");
  if (s.ok()) {
    out << fmt::format(
        "following: the subscription {} on the target streams the source's changes; "
        "`tenantshift status` shows the lag, `tenantshift cutover --freeze-source` switches\n",
        names.subscription);
    return rc;
  }
  DropSubscription(*p.target, names);
  Status dropped = DropSlotAndPublication(*p.source, names);
  if (dropped.ok()) ledger.SaveRecord("follow", nullptr);
  PrintError(err,
             s.WithContext("--follow stopped; its slot and publication were " +
                           std::string(dropped.ok() ? "dropped"
                                                    : "NOT dropped (run "
                                                      "`tenantshift cutover --cleanup-follow`)"))
                 .ToString());
  return rc == kExitOk || rc == kExitManual ? kExitTarget : rc;
}

std::vector<std::string> OwnerRoles(const Catalog& c) {
  std::set<std::string> owners;
  for (const Schema& s : c.schemas) owners.insert(s.owner);
  for (const UserType& t : c.types) owners.insert(t.owner);
  for (const Sequence& s : c.sequences) owners.insert(s.owner);
  for (const Table& t : c.tables) owners.insert(t.owner);
  return {owners.begin(), owners.end()};
}

Failure MissingPrivileges(int code, const std::string& side,
                          const Result<std::vector<std::string>>& missing) {
  if (!missing.ok()) return Fail(code, missing.status());
  if (missing->empty()) return {};
  return Fail(
      code, Status::Permission(fmt::format("the {} role lacks privileges this migration needs: {}",
                                           side, fmt::join(*missing, "; "))));
}

// Preflight on the target: its role must be able to create and hand over all the plan needs.
Failure CheckTargetPrivileges(Prepared* p) {
  return MissingPrivileges(kExitTarget, "target",
                           OpsFor(p->target_server.dialect)
                               .MissingTargetPrivileges(*p->target, p->target_server, p->schemas,
                                                        OwnerRoles(p->source_catalog)));
}

// A killed run's statements go on in their server sessions until they finish (a CREATE INDEX
// may still commit after the kill). Before reading the target, end every session an earlier
// run of this work directory left behind, and wait until they are gone. The application_name
// is unique to the work directory, whose lock this run holds, so no live run is touched.
Status EndLeftoverSessions(Session& session, const std::string& application_name) {
  return EndSessionsAndWait(session, "application_name = $1", {application_name},
                            "sessions of an earlier run of this work directory did not end");
}

Failure Prepare(const MigrationOptions& o, bool snapshot, Prepared* p) {
  if (o.schemas.empty()) return Fail(kExitUsage, Status::InvalidArgument("no --schema given"));
  Failure f = ConnectBoth(o, p);
  // Where pg_stat_activity lists no application_name (Redshift), leftover sessions are not
  // looked for (DialectOps::ListsApplicationName).
  bool source_pg = OpsFor(p->source_server.dialect).ListsApplicationName();
  if (!f.failed() && !o.application_name.empty() &&
      OpsFor(p->target_server.dialect).ListsApplicationName()) {
    Status s = EndLeftoverSessions(*p->target, o.application_name);
    if (!s.ok()) f = Fail(kExitTarget, s.WithContext("target"));
  }
  if (!f.failed() && !o.application_name.empty() && source_pg) {
    Status s = EndLeftoverSessions(*p->source, o.application_name);
    if (!s.ok()) f = Fail(kExitSource, s.WithContext("source"));
  }
  // Redshift exports no snapshot: each table is read as of its own UNLOAD (DialectNotes).
  if (!f.failed() && snapshot && source_pg) f = o.follow ? BeginFollow(o, p) : ExportSnapshot(p);
  if (f.failed()) return f;
  const ServerInfo& server = p->source_server;  // which catalog queries apply
  Result<std::vector<std::string>> names = ResolveSchemas(*p->source, server, o.schemas, true);
  if (!names.ok()) return Fail(kExitSource, names.status());
  p->schemas = *names;
  f = MissingPrivileges(kExitSource, "source",
                        MissingSourcePrivileges(*p->source, server, p->schemas));
  if (f.failed()) return f;
  if (server.dialect == Dialect::kPostgres && !p->source_is_capture) {
    Status s = CheckLockTable(*p->source, p->schemas, "source");
    if (!s.ok()) return Fail(kExitSource, s);
  }
  if (p->target_server.dialect == Dialect::kPostgres) {
    Status s = CheckLockTable(*p->target, p->schemas, "target");
    if (!s.ok()) return Fail(kExitTarget, s);
  }
  Result<Catalog> src = ExtractCatalog(*p->source, server, p->schemas);
  if (!src.ok()) return Fail(kExitSource, src.status());
  Status facts = OpsFor(server.dialect).ReadSourceFacts(*p->source, &*src);
  if (!facts.ok()) return Fail(kExitSource, facts);
  p->source_catalog = std::move(*src);
  Result<Catalog> dst = ExtractCatalog(*p->target, p->target_server, p->schemas);
  if (!dst.ok()) return Fail(kExitTarget, dst.status());
  p->target_catalog = std::move(*dst);
  return CheckTargetPrivileges(p);
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
    if (role == nullptr || !TakesPassword(*role)) continue;
    Result<Secret> password = RandomPassword();
    if (!password.ok()) return Fail(kExitInternal, password.status());
    Result<std::string> verifier =
        PasswordVerifier(*p->target, p->target_catalog.server.dialect, password->Reveal(), name);
    if (!verifier.ok()) return Fail(kExitTarget, verifier.status());
    po->passwords[name] = Secret(std::move(*verifier));
    p->random_passwords[name] = std::move(*password);
  }
  return {};
}

Failure PreparePasswords(const MigrationOptions& o, Prepared* p, PlanOptions* po) {
  Status mode = CheckPasswordMode(o.passwords, p->source_catalog.server.dialect);
  if (!mode.ok()) return Fail(kExitUsage, mode);
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

// Preflight: what the source's tenant uses from outside its schemas and the target lacks goes
// into the target catalog, where the planner turns each into an error (nothing starts).
Failure FindMissingExternal(Prepared* p) {
  if (p->target_server.dialect != Dialect::kPostgres) return {};
  Result<std::vector<ExternalObject>> missing =
      MissingExternalObjects(*p->target, p->source_catalog.external_objects);
  if (!missing.ok()) return Fail(kExitTarget, missing.status());
  p->target_catalog.missing_external = std::move(*missing);
  return {};
}

Failure PrepareAndPlan(const MigrationOptions& o, bool snapshot, Prepared* p,
                       PlannedMigration* pm) {
  Failure f = Prepare(o, snapshot, p);
  if (!f.failed()) f = FindMissingExternal(p);
  if (f.failed()) return f;
  PlanOptions po;
  po.on_existing = o.on_existing;
  po.principals = o.principals;
  po.allow_superuser = o.allow_superuser;
  po.global_default_privileges = o.global_default_privileges;
  f = PreparePasswords(o, p, &po);
  if (f.failed()) return f;
  *pm = BuildPlan(p->source_catalog, p->target_catalog, po);
  pm->warnings.insert(pm->warnings.end(), p->warnings.begin(), p->warnings.end());
  for (std::string& n : DialectNotes(p->source_server.dialect, p->target_server.dialect))
    pm->warnings.push_back(std::move(n));
  return {};
}

// --jobs, bounded by --redshift-jobs when a side is Redshift (a note says so when it bites).
int WorkerCount(const MigrationOptions& o, const Prepared& p, std::ostream& err) {
  if (!MovesThroughRedshift(p.source_server.dialect, p.target_server.dialect) ||
      o.jobs <= o.redshift_jobs) {
    return o.jobs;
  }
  err << fmt::format(
      "note: {} workers instead of --jobs {}: a Redshift side runs at most --redshift-jobs "
      "UNLOADs or COPYs at once\n",
      o.redshift_jobs, o.jobs);
  return o.redshift_jobs;
}

// Any Redshift side moves its data through S3: without --via nothing may start.
Failure RequireStaging(const Prepared& p, const StagingConfig& staging) {
  Status s = CheckDataPath(p.source_server.dialect, p.target_server.dialect, staging.enabled());
  return s.ok() ? Failure{} : Fail(kExitUsage, s);
}

RunnerConfig MakeRunnerConfig(const Prepared& p, StagingConfig staging = {}) {
  RunnerConfig c;
  c.staging = std::move(staging);
  ConnSpec src = p.source_spec, dst = p.target_spec;
  Connector connect = p.connect;
  c.connect_source = [src, connect] { return connect(src, "source"); };
  c.connect_target = [dst, connect] { return connect(dst, "target"); };
  c.snapshot = p.snapshot;
  c.allow_binary = p.source->ServerVersion() / 10000 == p.target->ServerVersion() / 10000;
  c.target_dialect = p.target_catalog.server.dialect;
  return c;
}

// Runs the plan. An interrupt (or a ledger that cannot be written) stops new steps and
// cancels the running ones; every start and finish is committed to the ledger, if any.
ExecOutcome Execute(const MigrationOptions& o, Plan& plan, MigrationRunner& runner, ExecOptions eo,
                    Ledger* ledger, Status* ledger_error, Progress* log = nullptr) {
  std::atomic<bool> stop{false};
  eo.stop = &stop;
  auto record = [&](const Status& s) {
    if (s.ok() || !ledger_error->ok()) return;
    *ledger_error = s;
    stop = true;
    runner.CancelAll();
  };
  eo.on_started = [&](const Step& step) {
    if (log != nullptr) log->Log(StepLogEvent(step, nullptr, StepState::kRunning));
    if (ledger != nullptr) record(ledger->StepStarted(step));
  };
  if (log != nullptr) {
    eo.on_finished = [&](const Step& step, const StepResult& r, StepState st) {
      log->Log(StepLogEvent(step, &r, st));
    };
  }
  if (ledger != nullptr) {
    eo.on_finished_group = [&](const std::vector<FinishedStep>& group) {
      record(ledger->StepsFinished(group));
    };
  }
  int handle = -1;
  if (o.interrupt != nullptr) {
    handle = o.interrupt->OnRequest([&] {
      stop = true;
      runner.CancelAll();
    });
  }
  ExecOutcome outcome = ExecutePlan(plan, runner, eo);
  if (o.interrupt != nullptr) o.interrupt->Remove(handle);
  return outcome;
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

// The plan cannot run: a dependency cycle on the source (exit 3) or something the target lacks
// (exit 4).
int PrintPlanErrors(const PlannedMigration& pm, std::ostream& err) {
  for (const std::string& e : pm.source_errors) PrintError(err, e);
  for (const std::string& e : pm.target_errors) PrintError(err, e);
  PrintError(err, "the tenant cannot be migrated as it is; nothing was changed");
  return pm.source_errors.empty() ? kExitTarget : kExitSource;
}

// Object counts per kind on both sides: one line each; returns how many kinds differ.
int CompareObjectCounts(const Catalog& source, const Catalog& target, std::ostream& out) {
  std::map<std::string, int64_t> want = CountObjects(source);
  std::map<std::string, int64_t> have = CountObjects(target);
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
  for (const std::string& c : pm.conflicts) PrintProblem(err, "conflict", c);
  PrintError(err, fmt::format("{} object(s) in the way on the target; nothing was changed (use "
                              "--on-existing skip to leave them as they are)",
                              pm.conflicts.size()));
  return kExitTarget;
}

enum class RunMode { kFresh, kResume, kRetry };

const char* ModeName(RunMode m) {
  return m == RunMode::kFresh ? "migrate" : m == RunMode::kResume ? "resume" : "retry";
}

RunIdentity IdentityOf(const MigrationOptions& o) {
  RunIdentity id;
  id.source = BareConnectionString(o.source);
  id.target = BareConnectionString(o.target);
  id.schemas = o.schemas;
  id.on_existing = o.on_existing == OnExisting::kSkip      ? "skip"
                   : o.on_existing == OnExisting::kReplace ? "replace"
                                                           : "error";
  id.principals = {{"include", o.principals.include},
                   {"exclude", o.principals.exclude},
                   {"allow_superuser", o.allow_superuser},
                   {"passwords", static_cast<int>(o.passwords)}};
  // Recorded only when set, so runs recorded before the option existed still match.
  if (o.global_default_privileges) id.principals["global_default_privileges"] = true;
  id.tool_version = TENANTSHIFT_VERSION;
  id.ledger_version = Ledger::kFormatVersion;
  return id;
}

// Checks the work directory's recorded run against this command and, for resume and retry,
// fills the options the user left out from it.
Failure ReconcileIdentity(RunMode mode, Ledger& ledger, MigrationOptions* o) {
  Result<std::optional<RunIdentity>> stored = ledger.LoadIdentity();
  if (!stored.ok()) return Fail(kExitState, stored.status());
  const std::string dir = o->work_dir;
  if (mode == RunMode::kFresh) {
    if (!*stored || o->restart) return {};
    std::string diff = IdentityOf(*o).DifferenceFrom(**stored);
    if (diff.empty()) return {};
    return Fail(kExitState,
                Status::InvalidArgument("the work directory " + dir +
                                        " holds a run of another migration: " + diff +
                                        "; use another --work-dir, or --restart to forget it"));
  }
  if (!*stored) return Fail(kExitState, Status::InvalidArgument("nothing to resume in " + dir));
  const RunIdentity& id = **stored;
  if (o->source.empty()) o->source = id.source;
  if (o->target.empty()) o->target = id.target;
  if (o->schemas.empty()) o->schemas = id.schemas;
  o->on_existing = id.on_existing == "skip"      ? OnExisting::kSkip
                   : id.on_existing == "replace" ? OnExisting::kReplace
                                                 : OnExisting::kError;
  o->principals.include = id.principals.value("include", std::vector<std::string>{});
  o->principals.exclude = id.principals.value("exclude", std::vector<std::string>{});
  o->allow_superuser = id.principals.value("allow_superuser", false);
  o->passwords = static_cast<PasswordMode>(id.principals.value("passwords", 0));
  o->global_default_privileges = id.principals.value("global_default_privileges", false);
  std::string diff = IdentityOf(*o).DifferenceFrom(id);
  if (diff.empty()) return {};
  return Fail(kExitState, Status::InvalidArgument("cannot " + std::string(ModeName(mode)) +
                                                  " the run in " + dir + ": " + diff +
                                                  " (run migrate --restart to start over)"));
}

// resume and retry refuse a --follow run: its copy had to meet its slot's exported snapshot,
// which ended with the run that created it, so it cannot go on following consistently.
Failure RefuseFollowedRun(RunMode mode, Ledger& ledger, const std::string& dir) {
  if (mode == RunMode::kFresh) return {};
  Result<nlohmann::json> follow = ledger.LoadRecord("follow");
  if (!follow.ok()) return Fail(kExitState, follow.status());
  if (follow->is_null()) return {};
  return Fail(kExitState,
              Status::InvalidArgument(fmt::format(
                  "cannot {0} the run in {1}: it was started with --follow, and the snapshot its "
                  "copy shares with the replication slot {2} ended with that run; nothing was "
                  "changed. If it follows (`tenantshift status`), cut over instead. Otherwise run "
                  "`tenantshift cutover --cleanup-follow --work-dir {1}` (drops the slot, "
                  "publication and subscription), then either {0} (it finishes without following; "
                  "`cutover --freeze-source` then catches up by checksums) or `migrate --follow "
                  "--restart` to follow from a new snapshot",
                  ModeName(mode), dir, follow->value("slot", ""))));
}

// Marks the steps this run must not do: done by an earlier run (resume, retry), or, for retry,
// neither failed earlier nor depending on a step that did.
void SelectSteps(RunMode mode, const std::map<std::string, StepRecord>& records, Plan* plan) {
  if (mode == RunMode::kFresh) return;
  std::vector<bool> selected(plan->steps().size(), mode == RunMode::kResume);
  std::vector<int> todo;
  for (const Step& s : plan->steps()) {
    auto it = records.find(s.key);
    if (it == records.end()) continue;
    if (it->second.state == "succeeded") {
      plan->Skip(s.id, kDoneEarlier);
    } else if (it->second.state == "failed" || it->second.state == "blocked") {
      todo.push_back(s.id);
    }
  }
  while (!todo.empty()) {  // retry: the failed steps and everything that depends on them
    int id = todo.back();
    todo.pop_back();
    if (selected[id]) continue;
    selected[id] = true;
    for (int d : plan->step(id).dependents) todo.push_back(d);
  }
  for (const Step& s : plan->steps()) {
    if (!selected[s.id] && s.state != StepState::kSkipped)
      plan->Skip(s.id, "not selected by retry");
  }
}

int CountDataSteps(const Plan& plan) {
  int n = 0;
  for (const Step& s : plan.steps()) n += s.kind == StepKind::kCopyData ? 1 : 0;
  return n;
}

int ExitCodeFor(const MigrationOptions& o, const ExecOutcome& outcome, bool all_ok,
                const Status& ledger_error, bool manual_steps) {
  if (!ledger_error.ok()) return kExitInternal;
  if (o.interrupt != nullptr && o.interrupt->requested()) return kExitInterrupted;
  if (outcome.budget_exceeded) return kExitBudget;
  if (!all_ok) return kExitFailures;
  return manual_steps ? kExitManual : kExitOk;
}

// The manual steps whose omission weakens access control (RLS, masking): migrate refuses to
// start while there are any, unless --without-security-policies. Empty: go ahead.
std::string SecurityRefusal(const MigrationOptions& o, const PlannedMigration& pm) {
  if (o.without_security_policies) return "";
  std::vector<std::string> what;
  for (const ManualStep& m : pm.manual_steps) {
    if (m.security) what.push_back(CommentText(m.what));
  }
  if (what.empty()) return "";
  return fmt::format(
      "the source protects tenant tables with policies tenantshift cannot move ({}); nothing was "
      "changed. Recreate them by hand (`plan` lists their SQL) and rerun with "
      "--without-security-policies",
      fmt::join(what, "; "));
}

// Everything a run needs after it has planned: builds and writes the report, prints the
// summary, records the end of the run. Returns the exit code.
struct Finished {
  const MigrationOptions& o;
  const Prepared& p;
  const PlannedMigration& pm;
  const ExecOutcome& outcome;
  const std::map<std::string, StepRecord>& records;
  const Status& ledger_error;
  double seconds;
  std::string timestamp;
};

// Reads the target's catalog again and compares its object counts with the source's, as
// validate does. Returns how many kinds differ, or -1 when the target could not be read.
int CountTargetObjects(const Prepared& p, std::ostream& out, std::ostream& err) {
  Result<Catalog> now = ExtractCatalog(*p.target, p.target_server, p.schemas);
  if (!now.ok()) {
    PrintError(err, now.status().WithContext("counting the target's objects").ToString());
    return -1;
  }
  return CompareObjectCounts(p.source_catalog, *now, out);
}

int FinishRun(const Finished& f, Ledger& ledger, std::ostream& out, std::ostream& err) {
  MigrationReport report;
  report.timestamp = f.timestamp;
  report.tenant = fmt::format("{}", fmt::join(f.p.schemas, ","));
  report.schemas = f.p.schemas;
  report.source = f.p.source->Describe();
  report.target = f.p.target->Describe();
  report.tool_version = TENANTSHIFT_VERSION;
  RunResults run = MergeWithLedger(f.pm.plan, f.outcome.results, f.records);
  report.tables = TableReports(f.pm.plan, run);
  report.failed_steps = StepReports(f.pm.plan, run);
  report.object_counts = CountObjects(f.p.source_catalog);
  report.object_counts["roles"] = static_cast<int64_t>(f.pm.principals.principals.size());
  report.object_counts["object acls"] = static_cast<int64_t>(f.p.source_catalog.acls.size());
  int64_t& policies = report.object_counts["policies"];  // row-level security policies
  for (const Table& t : f.p.source_catalog.tables)
    policies += static_cast<int64_t>(t.policies.size());
  report.warnings = f.pm.warnings;
  for (const ManualStep& m : f.pm.manual_steps)
    report.manual_steps.push_back({m.what, m.why, m.sql});
  for (const Principal& pr : f.pm.principals.principals) report.principals[pr.name] = pr.Explain();
  std::vector<std::string> step_failures = StepFailures(f.pm.plan, run);
  for (const std::string& s : step_failures) report.warnings.push_back("failed: " + s);
  bool all_ok = step_failures.empty();
  for (const TableReport& t : report.tables) all_ok = all_ok && t.succeeded;
  for (StepState st : run.states) all_ok = all_ok && st != StepState::kBlocked;
  // The run ends with validate's object-count comparison, on the target as it is now.
  if (all_ok && f.ledger_error.ok() && !(f.o.interrupt && f.o.interrupt->requested())) {
    int kinds = CountTargetObjects(f.p, out, err);
    if (kinds != 0) {
      all_ok = false;
      report.warnings.push_back(
          kinds > 0
              ? fmt::format("{} object kinds differ in number between source and target", kinds)
              : "the target's objects could not be counted after the run");
    }
  }
  if (f.pm.not_moved > 0) {
    report.warnings.push_back(
        fmt::format("{} objects or properties of the tenant were not moved: see the manual steps",
                    f.pm.not_moved));
  }
  // Manual steps (objects not recreated, not_moved included) end with kExitManual.
  report.exit_code =
      ExitCodeFor(f.o, f.outcome, all_ok, f.ledger_error, !f.pm.manual_steps.empty());
  if (report.exit_code == kExitInterrupted) {
    report.warnings.push_back(
        "interrupted: steps in flight were rolled back; run `tenantshift "
        "resume` to continue");
  } else if (report.exit_code == kExitBudget) {
    report.warnings.push_back(
        fmt::format("stopped: {} tables failed, more than "
                    "--max-failed-tables {} allows",
                    f.outcome.failed_tables, f.o.max_failed_tables));
  }
  report.seconds = f.seconds;
  report.jobs = f.o.jobs;
  report.timeline = Timeline(f.pm.plan, run);
  ledger.StepsBlocked(f.pm.plan);
  ledger.EndRun(report.exit_code);
  std::string dir = f.o.work_dir + "/";
  const nlohmann::json json = ToJson(report);
  Status s = WriteJsonFile(dir + "migration_report.json", json);
  if (s.ok()) s = WriteJsonFile(dir + "retry_failed_tables.json", RetryFailedTables(report));
  if (s.ok()) s = WriteHtmlReport(dir + kHtmlReportName, json);
  out << SummaryTable(report);
  if (!f.o.json_log) {  // JSON logs have them as step_failed records
    for (const std::string& sf : step_failures) err << "tenantshift: failed: " << sf << "\n";
  }
  if (!f.ledger_error.ok()) PrintError(err, f.ledger_error.ToString());
  if (!s.ok()) PrintError(err, s.ToString());
  out << "report: " << dir << "migration_report.json\n";
  out << "report (HTML): " << dir << kHtmlReportName << "\n";
  return s.ok() ? report.exit_code : kExitInternal;
}

int RunSteps(const MigrationOptions& options, RunMode mode, std::ostream& out, std::ostream& err) {
  auto started = std::chrono::steady_clock::now();
  std::string timestamp = FormatIso8601Utc(std::chrono::system_clock::now());
  if (mode != RunMode::kFresh &&
      !std::filesystem::exists(std::filesystem::path(options.work_dir) / Ledger::kFileName)) {
    return Report(
        Fail(kExitState, Status::InvalidArgument("nothing to " + std::string(ModeName(mode)) +
                                                 " in " + options.work_dir)),
        err);
  }
  Result<std::unique_ptr<Ledger>> opened = Ledger::OpenForRun(options.work_dir);
  if (!opened.ok()) return Report(Fail(kExitState, opened.status()), err);
  Ledger& ledger = **opened;
  MigrationOptions o = options;
  o.application_name = RunApplicationName(o.work_dir);
  Failure f = ReconcileIdentity(mode, ledger, &o);
  if (!f.failed()) f = RefuseFollowedRun(mode, ledger, o.work_dir);
  if (f.failed()) return Report(f, err);
  Status s = ledger.BeginRun(IdentityOf(o), ModeName(mode), mode == RunMode::kFresh);
  if (!s.ok()) return Report(Fail(kExitInternal, s), err);
  Result<StagingConfig> staging =
      o.via.empty() ? StagingConfig{} : MakeS3Staging(o.via, StagingRunId(ledger.run_id()));
  if (!staging.ok()) {
    f = Fail(staging.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitTarget,
             staging.status());
    ledger.EndRun(f.exit_code);
    return Report(f, err);
  }
  Status access = rsddl::CheckStagingAccess({EffectiveIamRole(o), o.kms_key_id});
  if (!access.ok()) {
    f = Fail(kExitUsage, access);
    ledger.EndRun(f.exit_code);
    return Report(f, err);
  }
  staging->iam_role = EffectiveIamRole(o);
  staging->kms_key_id = o.kms_key_id;

  Prepared p;
  PlannedMigration pm;
  if (o.follow) {
    FollowNames n = FollowNamesFor(o.application_name);
    ledger.SaveRecord(
        "follow",
        {{"publication", n.publication}, {"slot", n.slot}, {"subscription", n.subscription}});
  }
  f = PrepareAndPlan(o, /*snapshot=*/true, &p, &pm);
  if (!f.failed()) f = EndCatalogRead(&p);
  if (!f.failed() && CountDataSteps(pm.plan) > 0) f = RequireStaging(p, *staging);
  if (f.failed() && o.follow) ledger.SaveRecord("follow", nullptr);  // FollowSlot dropped all
  // What cutover compares the source with to detect DDL since (CatchUpOptions).
  if (!f.failed()) ledger.SaveRecord("source tables", TableSignature(p.source_catalog));
  if (f.failed()) {
    ledger.EndRun(f.exit_code);
    return Report(f, err);
  }
  if (!pm.source_errors.empty() || !pm.target_errors.empty()) {
    int code = PrintPlanErrors(pm, err);
    ledger.EndRun(code);
    return code;
  }
  if (!pm.conflicts.empty()) {
    ledger.EndRun(kExitTarget);
    return PrintConflicts(pm, err);
  }
  if (std::string refusal = SecurityRefusal(o, pm); mode == RunMode::kFresh && !refusal.empty()) {
    ledger.EndRun(kExitSecurity);
    PrintProblem(err, "", refusal);
    return kExitSecurity;
  }
  std::optional<int> budget = FailureBudget(o.max_failed_tables, CountDataSteps(pm.plan));
  Result<std::map<std::string, StepRecord>> records = ledger.LoadSteps();
  if (records.ok()) SelectSteps(mode, *records, &pm.plan);
  if (mode != RunMode::kFresh && pm.plan.CountIn(StepState::kSkipped) > 0) {
    pm.warnings.push_back(
        "continuing an earlier run: tables copied by it hold the source's rows as of that run; "
        "the rest are copied as of now");
  }
  s = records.ok() ? ledger.RecordPlan(pm.plan) : records.status();
  if (!s.ok()) return Report(Fail(kExitInternal, s), err);

  std::unique_ptr<Progress> progress =
      o.json_log ? std::make_unique<JsonLogProgress>(
                       err, o.progress_tty ? MakeProgress(true, out) : nullptr)
                 : MakeProgress(o.progress_tty, out);
  for (const std::string& w : pm.warnings) progress->Message("warning: " + w);
  s = SavePasswords(o, p, *progress);
  if (!s.ok()) {
    ledger.EndRun(kExitUsage);
    return Report(Fail(kExitUsage, s), err);
  }
  int64_t total_bytes = 0, total_tables = 0;
  for (const Table& t : p.source_catalog.tables) {
    if (t.has_storage()) total_bytes += t.estimated_bytes, ++total_tables;
  }
  progress->Begin(total_tables, total_bytes);
  const int jobs = WorkerCount(o, p, err);
  MigrationRunner runner(p.source_catalog, MakeRunnerConfig(p, std::move(*staging)), *progress,
                         jobs);
  ExecOptions eo;
  eo.jobs = jobs;
  eo.max_failed_tables = budget.value_or(-1);
  Status ledger_error;
  ExecOutcome outcome = Execute(o, pm.plan, runner, eo, &ledger, &ledger_error, progress.get());
  progress->End();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int rc =
      FinishRun({o, p, pm, outcome, *records, ledger_error, seconds, timestamp}, ledger, out, err);
  return o.follow ? FinishFollow(o, p, ledger, rc, out, err) : rc;
}

}  // namespace

int RunPlan(const MigrationOptions& options, std::ostream& out, std::ostream& err) {
  MigrationOptions o = options;
  o.plan_only = true;  // the only command that may read --source capture:FILE
  Prepared p;
  PlannedMigration pm;
  Failure f = PrepareAndPlan(o, /*snapshot=*/false, &p, &pm);
  if (f.failed()) return Report(f, err);
  // The plan cannot run as it is: say so with the exit code migrate would refuse with; else
  // manual steps mean a person must act.
  const int code = !pm.source_errors.empty()   ? kExitSource
                   : !pm.target_errors.empty() ? kExitTarget
                   : pm.manual_steps.empty()   ? kExitOk
                                               : kExitManual;
  if (o.plan_format == "json") {
    PlanHeader header{p.schemas, p.source->Describe(), p.target->Describe()};
    out << PlanJson(header, pm, code).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    return code;
  }
  if (o.plan_format == "dot") {
    out << PlanDot(pm);
    return code;
  }
  out << "-- tenantshift plan: schemas " << fmt::format("{}", fmt::join(p.schemas, ", "))
      << "\n-- source: " << p.source->Describe() << "\n-- target: " << p.target->Describe() << "\n";
  out << PrincipalsText(pm.principals);
  out << RenderPlanSql(pm.plan);
  for (const std::string& w : pm.warnings) out << "-- warning: " << w << "\n";
  out << ManualStepsText(pm.manual_steps);
  for (const std::string& c : pm.conflicts) out << "-- conflict: " << c << "\n";
  for (const std::string& e : pm.source_errors) out << "-- error: " << e << "\n";
  for (const std::string& e : pm.target_errors) out << "-- error: " << e << "\n";
  return code;
}

int RunMigrate(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  int rc = o.associate_iam_role.empty() ? kExitOk : AssociateTargetIamRole(o, out, err);
  return rc != kExitOk ? rc : RunSteps(o, RunMode::kFresh, out, err);
}

int RunResume(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  return RunSteps(o, RunMode::kResume, out, err);
}

int RunRetry(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  return RunSteps(o, RunMode::kRetry, out, err);
}

namespace {

// "12 rows", or "not counted" when that side's query failed (its error is printed).
std::string CountedRows(int64_t rows) {
  return rows < 0 ? "not counted" : fmt::format("{} rows", rows);
}

}  // namespace

int RunValidate(const MigrationOptions& o, std::ostream& out, std::ostream& err) {
  Prepared p;
  Failure f = Prepare(o, /*snapshot=*/false, &p);
  if (f.failed()) return Report(f, err);
  Plan plan;
  std::string foreign;  // foreign tables: their rows live on their server, as pg_dump leaves them
  for (const Table& t : p.source_catalog.tables) {
    if (t.foreign()) {
      foreign += fmt::format("{:<8} {}  foreign table (server {}): not counted\n", "skipped",
                             t.name.Display(), t.foreign_server);
    }
    if (!t.has_storage()) continue;
    Step v;
    v.kind = StepKind::kValidate;
    v.description = "validate " + t.name.Display();
    v.table = t.name;
    v.priority = t.estimated_bytes;
    plan.Add(std::move(v));
  }
  NopProgress progress;
  const int jobs = WorkerCount(o, p, err);
  MigrationRunner runner(p.source_catalog, MakeRunnerConfig(p), progress, jobs);
  ExecOptions eo;
  eo.jobs = jobs;
  Status no_ledger;
  std::vector<StepResult> results = Execute(o, plan, runner, eo, nullptr, &no_ledger).results;
  if (o.interrupt != nullptr && o.interrupt->requested()) return kExitInterrupted;
  int mismatches = 0, counted = 0;
  for (const Step& s : plan.steps()) {
    const StepResult& r = results[s.id];
    bool count_only = r.status.ok() && r.source_checksum.empty();  // PostgreSQL <-> Redshift
    counted += count_only ? 1 : 0;
    std::string state = !r.status.ok() ? "MISMATCH" : count_only ? "counted" : "match";
    if (!r.status.ok()) ++mismatches;
    out << fmt::format("{:<8} {}  source {}  target {}\n", state, s.table.Display(),
                       CountedRows(r.source_rows), CountedRows(r.target_rows));
    if (!r.status.ok() && r.status.code() != Status::Code::kMismatch) {
      PrintError(err, r.status.ToString());
    }
  }
  out << foreign;
  out << fmt::format("{} tables: {} match{}, {} differ\n", plan.steps().size(),
                     plan.steps().size() - mismatches, counted > 0 ? " by row count" : "",
                     mismatches);
  if (counted > 0) out << CountedOnlyNote();
  int kinds = CompareObjectCounts(p.source_catalog, p.target_catalog, out);
  if (kinds > 0) out << fmt::format("{} object kinds differ in number\n", kinds);
  return mismatches == 0 && kinds == 0 ? kExitOk : kExitFailures;
}

std::string RunApplicationName(const std::string& work_dir) {
  std::error_code ec;
  std::string path = std::filesystem::weakly_canonical(work_dir, ec).string();
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across processes and builds
  for (unsigned char c : path) h = (h ^ c) * 1099511628211ULL;
  return fmt::format("tenantshift {:016x}", h);
}

}  // namespace tenantshift
