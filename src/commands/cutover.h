// Cutover: point a tenant's consumers at the target once the migration is done and validated.
//
// `tenantshift cutover --work-dir DIR --consumer-secret REF` (REF: secret-file:PATH or
// aws-secret:ID) refuses unless the ledger in DIR holds a finished run (exit 0) whose every
// step succeeded, validation included. It then writes the target's endpoint into the consumer's
// secret: "host" (or "hostname"), "port", and the database key(s) the secret already uses
// ("dbname", "database", "db"; "dbname" when it has none). Every other key stays as it is,
// credentials included: the migration moved the consumer's role with its password verifier, so
// its own credentials work on the target, and tenantshift never writes credentials anywhere.
//
// The ledger records only endpoint fields (the values before and after) and what a freeze
// changed, never a password, so `cutover --undo` can put exactly those fields back; it refuses
// when someone changed them since. A secret file is rewritten atomically with mode 0600.
//
// --freeze-source blocks new writes by the tenant first: every tenant principal (as `migrate`
// computed them) that can log in, is not a superuser and is not the role tenantshift connects
// as gets CONNECTION LIMIT 0 (works on PostgreSQL and Redshift alike), and its sessions are
// ended. Roles keep their privileges, so no ACL has to be rebuilt, and `--undo` restores each
// role's previous limit. The target is then caught up with the frozen source (CatchUp in
// cutover_catchup.h: every table checksummed on both sides, only the tables that differ copied
// again, those checked again, sequences set), and only then switched; on a failure the source
// is unfrozen and the secret left alone. The freeze window (freeze to switch), the tables
// copied again with their rows and bytes go to the terminal, the ledger and
// cutover_report.json in the work directory. A cutover killed while frozen resumes on the
// next `cutover` (the roles' previous limits are read from the ledger, never from the frozen
// roles). Limits: a role's sessions are all blocked, in every database, reads included;
// superusers cannot be blocked this way (they are listed).
//
// After `migrate --follow` (cutover_follow.h), the catch-up first waits until the subscription
// confirmed the frozen source's WAL position and drops the subscription, so the checksums find
// nothing to copy again; slot and publication are dropped after the switch, on --undo and on
// every failure. `cutover --cleanup-follow` drops whatever a follow left behind.
//
// The freeze window holds only what needs the frozen source: the catch-up connects and reads
// the catalog before the freeze (PrepareCatchUp), and each phase inside the window is timed
// (PhaseTimes: printed, and `freeze_phases` in the record and cutover_report.json).
// kill -9 at any moment converges: a cutover run again continues a freeze (without waiting for
// a subscription the killed one dropped), finishes a switch, or, switched, drops what the
// follow left (the ledger forgets the follow only once all of it is dropped).
//
// `cutover --dry-run` changes nothing: it prints what a cutover would do and the freeze window
// to expect from the last validation's timings (EstimateFreezeWindow).
// Thread-safety: each call owns everything it creates.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands/cutover_catchup.h"
#include "commands/migration.h"
#include "connect/secret_store.h"
#include "pg/session.h"
#include "state/ledger.h"
#include "util/secret.h"

namespace tenantshift {

// A role --freeze-source blocked, and the connection limit to give back.
struct FrozenRole {
  std::string name;
  int previous_limit = -1;  // -1: no limit
};

// The side effects of a cutover, injected so the logic is tested without servers.
struct CutoverDeps {
  Ledger* ledger = nullptr;         // opened for a run: holds the work directory's lock
  SecretStore* consumer = nullptr;  // the consumer's secret
  std::string consumer_ref;         // as the user gave it; names the ledger record
  std::function<Result<ConnEndpoint>()> target_endpoint;  // host, port, dbname of the target
  // --freeze-source: the roles to block (no change yet), blocking them, unblocking them.
  std::function<Result<std::vector<FrozenRole>>()> roles_to_freeze;
  std::function<Status(const std::vector<FrozenRole>&)> freeze;
  std::function<Status(const std::vector<FrozenRole>&)> thaw;
  // Before the freeze: what the catch-up can do without the source frozen (PrepareCatchUp);
  // unset: nothing. Then, frozen: brings the target level with the source; ok when all matches.
  std::function<Status()> prepare_catch_up;
  std::function<Result<CatchUpResult>()> catch_up;
  // migrate --follow: drops subscription, slot and publication (after the switch, on undo and
  // on every failure); unset when the run does not follow.
  std::function<Status()> end_follow;
  std::string report_path;  // cutover_report.json; empty: none written
  // The freeze window's phases: started at the freeze, marked by every step inside it (the
  // deps above included); printed and recorded with the freeze. Null: not timed.
  PhaseTimes* phases = nullptr;
};

// Ok when the ledger's last run is a migrate/resume/retry that ended with exit 0 and every
// step of it succeeded (validation included); otherwise kInvalidArgument saying what is missing.
Status CheckValidatedRun(Ledger& ledger, const std::string& work_dir);

// The consumer secret pointed at `target`: the new text, and the endpoint fields before and
// after ({"host": ..., "port": ..., "dbname": ...}; null for a field the secret did not have).
struct EndpointEdit {
  Secret text;
  nlohmann::json previous = nlohmann::json::object();
  nlohmann::json written = nlohmann::json::object();
};
Result<EndpointEdit> PointSecretAt(const Secret& current, const ConnEndpoint& target,
                                   const std::string& where);
// The secret with the `previous` fields back, when its fields are still `written` (or already
// `previous`); kInvalidArgument naming the field when someone changed it since.
Result<Secret> RestoreSecret(const Secret& current, const nlohmann::json& previous,
                             const nlohmann::json& written, const std::string& where);

Status Cutover(CutoverDeps& deps, bool freeze_source, std::ostream& out);
Status UndoCutover(CutoverDeps& deps, std::ostream& out);
// --dry-run: what a cutover would do and the expected freeze window; changes nothing.
Status DryRunCutover(CutoverDeps& deps, bool freeze_source, int jobs, std::ostream& out);

// The `cutover` subcommand: options.work_dir, consumer_secret, undo, freeze_source; source,
// target and schemas default to the recorded run's (and must match it when given).
struct CutoverOptions {
  std::string source, target;     // optional: must be the recorded run's when given
  std::string work_dir;           // the migrated run's ledger (required)
  std::string consumer_secret;    // secret-file:PATH or aws-secret:ID (required)
  bool undo = false;              // --undo: put the recorded endpoint back, unfreeze
  bool freeze_source = false;     // --freeze-source
  bool dry_run = false;           // --dry-run: change nothing, show the expected freeze window
  bool cleanup_follow = false;    // --cleanup-follow: drop what migrate --follow left, only that
  bool following = false;         // set by RunCutover: the ledger records a migrate --follow
  nlohmann::json planned_tables;  // set by RunCutover: TableSignature as migrate planned
  int jobs = 4;                   // --jobs: tables checksummed / copied at once during the freeze
  // --via, --iam-role, --kms-key-id: how changed tables are copied again when a side is
  // Redshift (as migrate's options; RunCutover builds `staging` from them).
  std::string via, iam_role = "default", kms_key_id;
  StagingConfig staging;
  bool progress_tty = false;  // validation's live terminal display instead of log lines
  Interrupt* interrupt = nullptr;
  Connector connect;  // test seam; unset: libpq
};
int RunCutover(const CutoverOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tenantshift
