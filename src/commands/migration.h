// The operations behind the CLI's subcommands, each a linear chain of checked steps:
// connect -> resolve schemas -> extract -> plan -> execute -> validate -> report.
// Thread-safety: each call owns everything it creates.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "commands/exit_code.h"
#include "commands/passwords.h"
#include "connect/conn_spec.h"
#include "connect/connector.h"
#include "pg/session.h"
#include "plan/planner.h"
#include "util/interrupt.h"
#include "util/status.h"

namespace tenantshift {

// The options of the five subcommands that run the migration pipeline (plan, migrate, resume,
// retry, validate): they share connect -> extract -> plan and most of their flags. status,
// capture and cutover have their own structs below.
struct MigrationOptions {
  std::string source;  // user's connection argument (see ResolveConnSpec)
  std::string target;
  std::vector<std::string> schemas;  // names or glob patterns; at least one
  int jobs = 4;                      // parallel workers (connections per side)
  // --redshift-jobs: with a Redshift side, at most this many workers (UNLOADs or COPYs at once
  // there): a manual-WLM default queue runs five queries at once ("initially configured to run
  // five queries concurrently", https://docs.aws.amazon.com/redshift/latest/dg/
  // cm-c-defining-query-queues.html), so 4 leaves a slot for everyone else. Raise it for a
  // larger queue or a Serverless workgroup with capacity to spare.
  int redshift_jobs = 4;
  std::string work_dir = "tenantshift-work";  // ledger and reports
  OnExisting on_existing = OnExisting::kError;
  std::string max_failed_tables = "20%";  // failure budget: percent or a count
  bool restart = false;  // forget an earlier run in work_dir, even of another migration
  // Set by migrate, resume and retry: the application_name of every session of the run.
  std::string application_name;
  PrincipalOptions principals;   // --include-users / --exclude-users
  bool allow_superuser = false;  // --allow-superuser
  // --global-default-privileges: also set the tenant roles' database-wide default privileges
  // (PlanOptions::global_default_privileges). Default: each is a manual step.
  bool global_default_privileges = false;
  // migrate --without-security-policies: run although row-level security or masking policies
  // of the source stay behind (each a manual step). Default: refuse before any change.
  bool without_security_policies = false;
  PasswordMode passwords = PasswordMode::kCopyHash;  // --passwords
  bool progress_tty = false;                         // live terminal display instead of log lines
  std::string via;  // --via s3://bucket/prefix: stage table data in S3; empty: direct COPY
  std::string iam_role = "default";  // --iam-role: Redshift UNLOAD/COPY's IAM_ROLE
  std::string kms_key_id;            // --kms-key-id: Redshift UNLOAD ... ENCRYPTED KMS_KEY_ID
  // migrate --associate-iam-role ARN: attach this IAM role to the target (Redshift) first;
  // UNLOAD/COPY then use it unless --iam-role names an ARN (see EffectiveIamRole).
  std::string associate_iam_role;
  bool plan_only = false;            // set by RunPlan: --source may be capture:FILE
  std::string plan_format = "text";  // plan --format: text (SQL), json or dot
  bool json_log = false;  // --log-format json: events as JSON lines on stderr, not plain lines
  // migrate --follow (PostgreSQL -> PostgreSQL): after the copy, keep the target in step with
  // logical replication until `cutover` (commands/cutover_follow.h). Not recorded for resume.
  bool follow = false;
  bool replica_identity_full = false;  // --replica-identity-full: for tables without one
  std::string follow_conninfo;         // --follow-conninfo: how the target reaches the source
  // Ctrl-C / SIGTERM: stop starting steps and cancel running ones. Null: never interrupted.
  Interrupt* interrupt = nullptr;
  // Test seam: opens every session instead of libpq (recorded catalogs stand in for Redshift).
  Connector connect;
};

// "tenantshift <hash of the work directory's absolute path>": the application_name of every
// session of a run, which tells this work directory's sessions apart from other runs'.
std::string RunApplicationName(const std::string& work_dir);

// Each returns the process exit code; user-facing output goes to `out`, errors (one line
// each) to `err`. No secret is ever written to either.
int RunPlan(const MigrationOptions& options, std::ostream& out, std::ostream& err);
int RunMigrate(const MigrationOptions& options, std::ostream& out, std::ostream& err);
// Continues the run recorded in options.work_dir: steps done earlier are not run again.
// Source, target and schemas default to the recorded ones and must match them.
int RunResume(const MigrationOptions& options, std::ostream& out, std::ostream& err);
// Re-runs only the steps of the recorded run that failed, and the steps depending on them.
int RunRetry(const MigrationOptions& options, std::ostream& out, std::ostream& err);
int RunValidate(const MigrationOptions& options, std::ostream& out, std::ostream& err);
struct CaptureOptions {
  std::string source;                // the live source (not a capture)
  std::vector<std::string> schemas;  // names or glob patterns; at least one
  std::string out;                   // the capture file to write
  Connector connect;                 // test seam; unset: libpq
};
// Records what every catalog query plan runs on the source returns for options.schemas into
// options.out (catalog rows only: no data, no password verifiers, no secrets).
// `plan --source capture:FILE` replays it; every other command refuses a capture.
int RunCapture(const CaptureOptions& options, std::ostream& out, std::ostream& err);

struct StatusOptions {
  std::string work_dir;  // required
  bool json = false;     // print JSON
};
// Prints what the ledger in options.work_dir says (JSON with options.json).
int RunStatus(const StatusOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tenantshift
