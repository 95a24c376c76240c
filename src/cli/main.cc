// tenantshift command line: a table of subcommands over the library's operations.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <thread>

#include "aws/redshift_iam.h"
#include "commands/cutover.h"
#include "commands/migration.h"
#include "exec/executor.h"

namespace {

using tenantshift::MigrationOptions;

// What a subcommand accepts besides the options every one has.
enum Accepts : unsigned {
  kConnections = 1,        // --source, --target, --schema (required)
  kOptionalConns = 2,      // --source, --target, --schema (default: the recorded run's)
  kRunOptions = 4,         // --work-dir, --max-failed-tables
  kMigrateOptions = 8,     // --on-existing, --restart
  kWorkDirOnly = 16,       // --work-dir (required), --json
  kPrincipalOptions = 32,  // --include-users, --exclude-users, --allow-superuser, --passwords
  kCutoverOptions = 64,    // --consumer-secret (required), --undo, --freeze-source
  kCaptureOptions = 128,   // --source, --schema, --out (all required)
};

struct Command {
  const char* name;
  const char* description;
  int (*run)(const MigrationOptions&, std::ostream&, std::ostream&);
  unsigned accepts;
};

const Command kCommands[] = {
    {"plan", "Print the SQL a migration would run, in order; change nothing", tenantshift::RunPlan,
     kConnections | kPrincipalOptions},
    {"migrate",
     "Move the tenant's schemas, objects, roles, privileges and data, then validate and report",
     tenantshift::RunMigrate, kConnections | kRunOptions | kMigrateOptions | kPrincipalOptions},
    {"resume", "Continue the run recorded in --work-dir after a crash, kill or Ctrl-C",
     tenantshift::RunResume, kOptionalConns | kRunOptions},
    {"retry", "Re-run only the failed steps of the run in --work-dir, and what depends on them",
     tenantshift::RunRetry, kOptionalConns | kRunOptions},
    {"validate",
     "Compare row counts and checksums of every tenant table, and object counts, on both sides",
     tenantshift::RunValidate, kConnections},
    {"status", "Show what the run in --work-dir has done, is doing and has left",
     tenantshift::RunStatus, kWorkDirOnly},
    {"capture",
     "Record what every catalog query returns for the tenant into one JSON file (catalog rows "
     "only: no data, no password hashes), to plan offline with --source capture:FILE",
     tenantshift::RunCapture, kCaptureOptions},
    {"cutover",
     "After a validated migration, point the consumer's secret at the target (--undo: back)",
     tenantshift::RunCutover, kOptionalConns | kCutoverOptions},
};

void AddPrincipalOptions(CLI::App* sub, MigrationOptions* o) {
  sub->add_option("--include-users", o->principals.include,
                  "Also move roles matching this name or glob pattern (repeatable)");
  sub->add_option("--exclude-users", o->principals.exclude,
                  "Never move roles matching this name or glob pattern (repeatable)");
  sub->add_flag("--allow-superuser", o->allow_superuser,
                "Create source superusers as superusers (default: without SUPERUSER)");
  std::map<std::string, tenantshift::PasswordMode> modes{
      {"copy-hash", tenantshift::PasswordMode::kCopyHash},
      {"random", tenantshift::PasswordMode::kRandom},
      {"disable", tenantshift::PasswordMode::kDisable}};
  sub->add_option("--passwords", o->passwords,
                  "Passwords of created roles: copy-hash (default: the source's stored hash), "
                  "random (written to role_passwords.jsonl, mode 0600, in the work directory) "
                  "or disable")
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case));
}

void AddConnectionOptions(CLI::App* sub, MigrationOptions* o, bool required) {
  auto* src =
      sub->add_option("--source", o->source,
                      "Source connection: conninfo, URI, secret-file:PATH or aws-secret:ID (PG* "
                      "variables, ~/.pgpass and service files apply); plan also reads "
                      "capture:FILE (tenantshift capture)");
  auto* dst = sub->add_option("--target", o->target, "Target connection, same forms as --source");
  auto* schema =
      sub->add_option("--schema", o->schemas, "Tenant schema name or glob pattern (repeatable)");
  if (required) {
    src->required();
    dst->required();
    schema->required();
  }
  sub->add_option("--jobs,-j", o->jobs, "Parallel workers (connections per side)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
}

void AddRunOptions(CLI::App* sub, MigrationOptions* o, unsigned accepts) {
  auto* dir = sub->add_option("--work-dir", o->work_dir, "Directory for the ledger and reports")
                  ->capture_default_str();
  if (accepts & (kOptionalConns | kWorkDirOnly)) dir->required();
  if (accepts & kWorkDirOnly) {
    sub->add_flag("--json", o->json, "Print JSON");
    return;
  }
  sub->add_option("--via", o->via,
                  "Stage table data in S3 (s3://bucket/prefix) instead of a direct COPY; staged "
                  "files are deleted after each table loads, kept when it fails");
  sub->add_option("--iam-role", o->iam_role,
                  "Redshift UNLOAD/COPY: IAM role ARN(s) to reach the --via location, or "
                  "'default' (the role set as default on the cluster or namespace)")
      ->default_val("default");
  sub->add_option("--kms-key-id", o->kms_key_id,
                  "Redshift UNLOAD: encrypt staged files with this KMS key (SSE-KMS)");
  sub->add_option("--max-failed-tables", o->max_failed_tables,
                  "Stop when more tables than this failed: a percentage (\"20%\") or a count")
      ->check([](const std::string& v) {
        return tenantshift::FailureBudget(v, 100) ? std::string() : "expected N or N%";
      })
      ->capture_default_str();
  if (!(accepts & kMigrateOptions)) return;
  sub->add_flag("--without-security-policies", o->without_security_policies,
                "Migrate although the source's row-level security or masking policies cannot be "
                "moved (each is listed as a manual step); default: refuse before any change");
  std::map<std::string, tenantshift::OnExisting> policies{
      {"error", tenantshift::OnExisting::kError},
      {"skip", tenantshift::OnExisting::kSkip},
      {"replace", tenantshift::OnExisting::kReplace}};
  sub->add_option("--on-existing", o->on_existing,
                  "What to do with a target object that differs: error (default), skip, or replace "
                  "(drop it and create the source's; differing rows are copied again)")
      ->transform(CLI::CheckedTransformer(policies, CLI::ignore_case));
  sub->add_flag("--restart", o->restart,
                "Forget the run recorded in --work-dir, even one of another migration");
}

void AddCutoverOptions(CLI::App* sub, MigrationOptions* o) {
  sub->add_option("--work-dir", o->work_dir, "Directory of the migrated run's ledger")->required();
  sub->add_option("--consumer-secret", o->consumer_secret,
                  "The consumer's connection secret: secret-file:PATH or aws-secret:ID (its host, "
                  "port and database are rewritten; credentials and other keys stay)")
      ->required();
  sub->add_flag("--undo", o->undo, "Put the recorded endpoint back and unfreeze the source");
  sub->add_flag("--freeze-source", o->freeze_source,
                "First block the tenant's roles on the source (CONNECTION LIMIT 0, sessions "
                "ended) and validate again");
}

void AddAssociateIamRoleOption(CLI::App* sub, MigrationOptions* o) {
  sub->add_option("--associate-iam-role", o->associate_iam_role,
                  "Attach this IAM role ARN to the target Redshift warehouse (never the source) "
                  "and wait until it is in effect; UNLOAD/COPY then use it unless --iam-role "
                  "names an ARN")
      ->check([](const std::string& v) {
        return tenantshift::IsIamRoleArn(v)
                   ? std::string()
                   : "expected an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)";
      });
}

void AddCaptureOptions(CLI::App* sub, MigrationOptions* o) {
  sub->add_option("--source", o->source,
                  "Source connection: conninfo, URI, secret-file:PATH or aws-secret:ID")
      ->required();
  sub->add_option("--schema", o->schemas, "Tenant schema name or glob pattern (repeatable)")
      ->required();
  sub->add_option("--out", o->capture_out, "The capture file to write (JSON)")->required();
}

void AddOptions(CLI::App* sub, MigrationOptions* o, unsigned accepts) {
  if (accepts & kCaptureOptions) AddCaptureOptions(sub, o);
  if (accepts & (kConnections | kOptionalConns)) {
    AddConnectionOptions(sub, o, accepts & kConnections);
  }
  if (accepts & (kRunOptions | kWorkDirOnly)) AddRunOptions(sub, o, accepts);
  if (accepts & kPrincipalOptions) AddPrincipalOptions(sub, o);
  if (accepts & kCutoverOptions) AddCutoverOptions(sub, o);
  if (accepts & kMigrateOptions) AddAssociateIamRoleOption(sub, o);
}

// Blocks SIGINT and SIGTERM in every thread and handles them on a dedicated one: the first
// asks the run to stop gracefully (in-flight transactions roll back, the report is written,
// exit 130); a second one ends the process at once (the target keeps only committed steps).
void StartSignalThread(tenantshift::Interrupt* interrupt) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, interrupt] {
    for (int seen = 0;; ++seen) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (seen > 0) _exit(tenantshift::kExitInterrupted);
      const char msg[] =
          "\ntenantshift: stopping: rolling back steps in flight (again to quit now)\n";
      (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
      interrupt->Request();
    }
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tenantshift: move a tenant (schemas, objects, data) between PostgreSQL servers"};
  app.set_version_flag("--version", std::string(TENANTSHIFT_VERSION));
  app.require_subcommand(1);
  MigrationOptions options;
  options.progress_tty = isatty(STDOUT_FILENO) == 1;
  const Command* chosen = nullptr;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.description);
    AddOptions(sub, &options, c.accepts);
    sub->callback([&chosen, &c] { chosen = &c; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : tenantshift::kExitUsage;
  }
  static tenantshift::Interrupt interrupt;
  options.interrupt = &interrupt;
  StartSignalThread(&interrupt);
  return chosen->run(options, std::cout, std::cerr);
}
