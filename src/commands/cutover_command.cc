// The `cutover` subcommand: the real side effects behind CutoverDeps (servers, the consumer's
// secret, the ledger), and the exit codes.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

#include "commands/cutover.h"
#include "commands/cutover_follow.h"
#include "commands/end_sessions.h"
#include "commands/iam_role_option.h"
#include "commands/report_command.h"
#include "ddl/quote.h"
#include "dialect/dialect_pair.h"
#include "extract/extractor.h"
#include "move/s3_staging.h"
#include "move/unload_copy.h"
#include "plan/principals.h"
#include "report/format.h"

namespace tenantshift {
namespace {

// Both servers of the recorded run, connected on first use through the same Connector seam
// as migrate (libpq unless a test passes its own), with the same per-dialect session setup.
class RecordedSides {
 public:
  RecordedSides(RunIdentity id, Connector connect)
      : id_(std::move(id)), connect_(std::move(connect)) {}
  const RunIdentity& identity() const { return id_; }

  Result<Session*> Source() { return Get(id_.source, "source", &source_); }
  Result<Session*> Target() { return Get(id_.target, "target", &target_); }
  // The engine of each side, detected on first use.
  Result<ServerInfo> SourceServer() { return Detect(Source(), &source_server_); }
  Result<ServerInfo> TargetServer() { return Detect(Target(), &target_server_); }

 private:
  Result<Session*> Get(const std::string& conn, const std::string& role,
                       std::unique_ptr<Session>* slot) {
    if (*slot != nullptr) return slot->get();
    Result<ConnSpec> spec = ResolveConnSpec(conn);
    if (!spec.ok()) return spec.status().WithContext(role);
    Result<std::unique_ptr<Session>> s = connect_(*spec, role);
    if (!s.ok()) return s.status();
    *slot = std::move(*s);
    return slot->get();
  }

  static Result<ServerInfo> Detect(Result<Session*> session, std::optional<ServerInfo>* cache) {
    if (*cache) return **cache;
    if (!session.ok()) return session.status();
    Result<ServerInfo> info = DetectServer(**session);
    if (info.ok()) *cache = *info;
    return info;
  }

  RunIdentity id_;
  Connector connect_;
  std::unique_ptr<Session> source_, target_;
  std::optional<ServerInfo> source_server_, target_server_;
};

// The tenant's principals that can log in, as `migrate` selects them, except the role
// tenantshift connects as.
Result<std::vector<Role>> TenantLogins(Session& source, const ServerInfo& server,
                                       const RunIdentity& id) {
  Result<std::vector<std::string>> schemas = ResolveSchemas(source, server, id.schemas, true);
  if (!schemas.ok()) return schemas.status();
  Result<Catalog> catalog = ExtractCatalog(source, server, *schemas);
  if (!catalog.ok()) return catalog.status();
  PrincipalOptions po;
  po.include = id.principals.value("include", std::vector<std::string>{});
  po.exclude = id.principals.value("exclude", std::vector<std::string>{});
  std::vector<Role> logins;
  for (const Principal& p : SelectPrincipals(*catalog, po).principals) {
    const Role* role = catalog->FindRole(p.name);
    if (role != nullptr && role->can_login && role->name != server.current_user) {
      logins.push_back(*role);
    }
  }
  std::sort(logins.begin(), logins.end(),
            [](const Role& a, const Role& b) { return a.name < b.name; });
  return logins;
}

// A tenant whose data travels through S3 (a Redshift side) is caught up the same way: the
// re-copies need --via, checked before anything is frozen.
Status CheckCatchUpPath(RecordedSides& sides, const StagingConfig& staging) {
  Result<ServerInfo> src = sides.SourceServer();
  if (!src.ok()) return src.status();
  Result<ServerInfo> dst = sides.TargetServer();
  if (!dst.ok()) return dst.status();
  return CheckDataPath(src->dialect, dst->dialect, staging.enabled())
      .WithContext("--freeze-source copies the tables that changed again");
}

Result<std::vector<FrozenRole>> RolesToFreeze(RecordedSides& sides, const StagingConfig& staging,
                                              std::ostream& out) {
  Status path = CheckCatchUpPath(sides, staging);
  if (!path.ok()) return path;
  Result<Session*> src = sides.Source();
  if (!src.ok()) return src.status();
  Result<ServerInfo> server = sides.SourceServer();
  if (!server.ok()) return server.status();
  Result<std::vector<Role>> logins = TenantLogins(**src, *server, sides.identity());
  if (!logins.ok()) return logins.status();
  std::vector<FrozenRole> out_roles;
  for (const Role& r : *logins) {
    if (r.superuser) {
      out << "warning: " << r.name
          << " is a superuser: a connection limit does not stop it writing on the source\n";
      continue;
    }
    out_roles.push_back({r.name, r.connection_limit});
  }
  return out_roles;
}

Status SetLimits(RecordedSides& sides, const std::vector<FrozenRole>& roles, bool freeze) {
  Result<Session*> src = sides.Source();
  if (!src.ok()) return src.status();
  Result<ServerInfo> server = sides.SourceServer();
  if (!server.ok()) return server.status();
  for (const FrozenRole& r : roles) {
    Status s = (*src)->Execute(
        OpsFor(server->dialect).ConnectionLimitSql(r.name, freeze ? 0 : r.previous_limit));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Ends the roles' sessions and waits (at most a minute) until they are gone.
Status EndSessions(RecordedSides& sides, const std::vector<FrozenRole>& roles) {
  Result<Session*> src = sides.Source();
  if (!src.ok()) return src.status();
  Result<ServerInfo> server = sides.SourceServer();
  if (!server.ok()) return server.status();
  std::vector<std::string> names;
  for (const FrozenRole& r : roles) names.push_back(r.name);
  return EndRoleSessionsAndWait(**src, OpsFor(server->dialect), names,
                                "sessions of the frozen roles did not end within a minute");
}

// The frozen source's last changes applied by the subscription, which is then dropped so
// nothing else writes the target's tables. A subscription that lags more than two minutes is
// dropped all the same: the catch-up copies again whatever it had not applied.
void Mark(PhaseTimes* phases, const std::string& phase) {
  if (phases != nullptr) phases->Mark(phase);
}

Status StopFollowing(RecordedSides& sides, const FollowNames& names, PhaseTimes* phases,
                     std::ostream& out) {
  Result<Session*> src = sides.Source();
  if (!src.ok()) return src.status();
  Result<Session*> dst = sides.Target();
  if (!dst.ok()) return dst.status();
  Result<FollowLag> state = MeasureLag(nullptr, *dst, names);
  if (!state.ok()) return state.status();
  if (!state->subscription_exists) {
    // An earlier cutover, killed while frozen, dropped it: nothing applies changes any more,
    // so waiting is pointless; the checksums find and copy whatever it had not applied.
    out << "the subscription is gone (an earlier cutover dropped it); the catch-up compares "
           "every table\n";
    return Status::Ok();
  }
  auto started = std::chrono::steady_clock::now();
  Status s = WaitCaughtUp(**src, names, 120);
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (s.ok()) {
    out << fmt::format("the subscription applied every change of the frozen source ({:.2f} s)\n",
                       waited);
  } else {
    out << "warning: " << s.message() << "; the catch-up copies what it missed\n";
  }
  Mark(phases, "wait for the subscription");
  s = DropSubscription(**dst, names);
  Mark(phases, "drop subscription");
  return s;
}

// Drops what migrate --follow created on both servers and forgets it.
Status EndFollow(RecordedSides& sides, Ledger& ledger, const FollowNames& names) {
  Result<Session*> dst = sides.Target();
  if (!dst.ok()) return dst.status();
  Status s = DropSubscription(**dst, names);
  Result<Session*> src = sides.Source();
  if (s.ok() && !src.ok()) s = src.status();
  if (s.ok()) s = DropSlotAndPublication(**src, names);
  if (s.ok()) s = ledger.SaveRecord("follow", nullptr);
  return s;
}

CutoverDeps RealDeps(const CutoverOptions& o, RecordedSides& sides, PhaseTimes* phases,
                     std::ostream& out) {
  CutoverDeps deps;
  deps.phases = phases;
  deps.consumer_ref = o.consumer_secret;
  deps.target_endpoint = [&sides]() -> Result<ConnEndpoint> {
    Result<Session*> t = sides.Target();
    if (!t.ok()) return t.status();
    return (*t)->Endpoint();
  };
  deps.roles_to_freeze = [&o, &sides, &out] { return RolesToFreeze(sides, o.staging, out); };
  deps.freeze = [&sides, phases](const std::vector<FrozenRole>& roles) {
    Status s = SetLimits(sides, roles, true);
    Mark(phases, "freeze roles");
    if (s.ok()) s = EndSessions(sides, roles);
    Mark(phases, "end sessions");
    return s;
  };
  deps.thaw = [&sides](const std::vector<FrozenRole>& roles) {
    return SetLimits(sides, roles, false);
  };
  auto prepared = std::make_shared<std::unique_ptr<PreparedCatchUp>>();
  deps.prepare_catch_up = [&o, &sides, phases, prepared]() -> Status {
    CatchUpOptions c;
    c.run = sides.identity();
    c.jobs = o.jobs;
    c.connect = o.connect ? o.connect : LibpqConnector();
    c.interrupt = o.interrupt;
    c.planned_tables = o.planned_tables;
    c.staging = o.staging;
    c.phases = phases;
    Result<std::unique_ptr<PreparedCatchUp>> p = PrepareCatchUp(c);
    if (!p.ok()) return p.status();
    *prepared = std::move(*p);
    return Status::Ok();
  };
  deps.catch_up = [&o, &sides, phases, prepared, &out]() -> Result<CatchUpResult> {
    if (*prepared == nullptr) return Status::Internal("the catch-up was not prepared");
    if (o.following) {
      Status s = StopFollowing(sides, FollowNamesFor(RunApplicationName(o.work_dir)), phases, out);
      if (!s.ok()) return s;
    }
    Result<CatchUpResult> r = (*prepared)->Run(out);
    prepared->reset();
    return r;
  };
  deps.report_path = (std::filesystem::path(o.work_dir) / "cutover_report.json").string();
  return deps;
}

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kMismatch:
      return kExitFailures;
    case Status::Code::kInvalidArgument:
    case Status::Code::kAlreadyExists:
      return kExitState;
    default:
      return kExitInternal;
  }
}

int Fail(int code, const Status& s, std::ostream& err) { return FailWith(code, s, err); }

// A --source/--target given on the command line must be the recorded run's.
Status CheckSameRun(const CutoverOptions& o, const RunIdentity& id) {
  if (!o.source.empty() && BareConnectionString(o.source) != id.source) {
    return Status::InvalidArgument("--source is not the source of the run recorded here (" +
                                   id.source + ")");
  }
  if (!o.target.empty() && BareConnectionString(o.target) != id.target) {
    return Status::InvalidArgument("--target is not the target of the run recorded here (" +
                                   id.target + ")");
  }
  return Status::Ok();
}

}  // namespace

int RunCutover(const CutoverOptions& o, std::ostream& out, std::ostream& err) {
  if (!std::filesystem::exists(std::filesystem::path(o.work_dir) / Ledger::kFileName)) {
    return Fail(kExitState,
                Status::InvalidArgument("no migration is recorded in " + o.work_dir +
                                        "; run migrate first"),
                err);
  }
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForRun(o.work_dir);
  if (!ledger.ok()) return Fail(kExitState, ledger.status(), err);
  Result<std::optional<RunIdentity>> id = (*ledger)->LoadIdentity();
  if (!id.ok()) return Fail(kExitState, id.status(), err);
  if (!*id) {
    return Fail(kExitState, Status::InvalidArgument("no migration is recorded in " + o.work_dir),
                err);
  }
  Status s = CheckSameRun(o, **id);
  if (s.ok() && !o.undo && !o.cleanup_follow) s = CheckValidatedRun(**ledger, o.work_dir);
  if (!s.ok()) return Fail(kExitState, s.WithContext("cutover refused"), err);
  if (o.consumer_secret.empty() && !o.cleanup_follow) {
    return Fail(kExitUsage, Status::InvalidArgument("--consumer-secret is required"), err);
  }
  Result<std::unique_ptr<SecretStore>> store =
      o.cleanup_follow ? Result<std::unique_ptr<SecretStore>>(std::unique_ptr<SecretStore>())
                       : OpenSecretStore(o.consumer_secret);
  if (!store.ok()) return Fail(kExitUsage, store.status().WithContext("--consumer-secret"), err);
  RecordedSides sides(**id, o.connect ? o.connect : LibpqConnector());
  Result<nlohmann::json> follow = (*ledger)->LoadRecord("follow");
  if (!follow.ok()) return Fail(kExitState, follow.status(), err);
  const FollowNames names = FollowNamesFor(RunApplicationName(o.work_dir));
  if (o.cleanup_follow) {
    s = EndFollow(sides, **ledger, names);
    if (!s.ok()) return Fail(kExitInternal, s.WithContext("--cleanup-follow"), err);
    out << "dropped what a follow left (subscription, replication slot, publication " + names.slot +
               ")\n";
    return kExitOk;
  }
  CutoverOptions with_follow = o;
  with_follow.following = !follow->is_null();
  if (!o.via.empty() && !o.undo) {
    Result<StagingConfig> staging = MakeS3Staging(o.via, StagingRunId((*ledger)->run_id()));
    if (!staging.ok()) return Fail(kExitUsage, staging.status().WithContext("--via"), err);
    MigrationOptions roles;  // EffectiveIamRole reads migrate's options
    roles.iam_role = o.iam_role;
    Status access = rsddl::CheckStagingAccess({EffectiveIamRole(roles), o.kms_key_id});
    if (!access.ok()) return Fail(kExitUsage, access, err);
    with_follow.staging = std::move(*staging);
    with_follow.staging.iam_role = EffectiveIamRole(roles);
    with_follow.staging.kms_key_id = o.kms_key_id;
  }
  Result<nlohmann::json> planned = (*ledger)->LoadRecord("source tables");
  if (!planned.ok()) return Fail(kExitState, planned.status(), err);
  with_follow.planned_tables = *planned;
  PhaseTimes phases;
  CutoverDeps deps = RealDeps(with_follow, sides, &phases, out);
  deps.ledger = ledger->get();
  deps.consumer = store->get();
  if (with_follow.following) {
    deps.end_follow = [&sides, &ledger, &names] { return EndFollow(sides, **ledger, names); };
  }
  if (o.dry_run && !o.undo) {
    s = DryRunCutover(deps, o.freeze_source, o.jobs, out);
    return s.ok() ? kExitOk : Fail(ExitCodeFor(s), s, err);
  }
  // The report's freeze window: from the moment the roles are blocked until the switch.
  nlohmann::json window = {{"consumer", store->get()->Name()},
                           {"frozen_roles", nlohmann::json::array()}};
  auto started = std::chrono::steady_clock::now();
  deps.freeze = [freeze = deps.freeze, &window, &started](const std::vector<FrozenRole>& roles) {
    started = std::chrono::steady_clock::now();
    window["freeze_started_at"] = FormatIso8601Utc(std::chrono::system_clock::now());
    for (const FrozenRole& r : roles) window["frozen_roles"].push_back(r.name);
    return freeze(roles);
  };
  s = o.undo ? UndoCutover(deps, out) : Cutover(deps, o.freeze_source, out);
  if (s.ok() && !o.undo) {
    window["switched_at"] = FormatIso8601Utc(std::chrono::system_clock::now());
    if (window.contains("freeze_started_at")) {
      window["freeze_seconds"] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    Status r = AddCutoverToReport(o.work_dir, window);
    if (!r.ok()) PrintError(err, "cut over, but the report was not updated: " + r.ToString());
  }
  return s.ok() ? kExitOk : Fail(ExitCodeFor(s), s, err);
}

}  // namespace tenantshift
