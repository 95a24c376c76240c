// The operations behind the CLI's subcommands, each a linear chain of checked steps:
// connect -> resolve schemas -> extract -> plan -> execute -> validate -> report.
// Thread-safety: each call owns everything it creates.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "commands/passwords.h"
#include "connect/conn_spec.h"
#include "pg/session.h"
#include "plan/planner.h"
#include "util/interrupt.h"
#include "util/status.h"

namespace tenantshift {

// Named process exit codes (README "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitFailures = 1,       // the run finished but some table failed or did not match
  kExitUsage = 2,          // bad arguments
  kExitSource = 3,         // source unreachable, refused us, or a schema does not exist
  kExitTarget = 4,         // target unreachable or refused us, or objects in the way
  kExitInternal = 5,       // a bug
  kExitBudget = 6,         // stopped early: more tables failed than --max-failed-tables allows
  kExitState = 7,          // the work directory is busy, or holds a different or no run
  kExitManual = 8,         // done, but manual steps remain: a person must act (see the report)
  kExitSecurity = 9,       // refused before any change: security policies would not move
  kExitInterrupted = 130,  // stopped by a signal
};

// Opens a session of role "source" or "target" (libpq in production).
using Connector =
    std::function<Result<std::unique_ptr<Session>>(const ConnSpec&, const std::string& role)>;

struct MigrationOptions {
  std::string source;  // user's connection argument (see ResolveConnSpec)
  std::string target;
  std::vector<std::string> schemas;           // names or glob patterns; at least one
  int jobs = 4;                               // parallel workers (connections per side)
  std::string work_dir = "tenantshift-work";  // ledger and reports
  OnExisting on_existing = OnExisting::kError;
  std::string max_failed_tables = "20%";  // failure budget: percent or a count
  bool restart = false;  // forget an earlier run in work_dir, even of another migration
  bool json = false;     // status: print JSON
  // Set by migrate, resume and retry: the application_name of every session of the run.
  std::string application_name;
  PrincipalOptions principals;   // --include-users / --exclude-users
  bool allow_superuser = false;  // --allow-superuser
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
  std::string consumer_secret;  // cutover: secret-file:PATH or aws-secret:ID
  bool undo = false;            // cutover --undo
  bool freeze_source = false;   // cutover --freeze-source
  // Ctrl-C / SIGTERM: stop starting steps and cancel running ones. Null: never interrupted.
  Interrupt* interrupt = nullptr;
  // Test seam: opens every session instead of libpq (recorded catalogs stand in for Redshift).
  Connector connect;
};

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
// Prints what the ledger in options.work_dir says (JSON with options.json).
int RunStatus(const MigrationOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tenantshift
