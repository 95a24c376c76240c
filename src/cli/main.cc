// tenantshift command line: a table of subcommands over the library's operations.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "aws/redshift_iam.h"
#include "commands/cutover.h"
#include "commands/migration.h"
#include "commands/report_command.h"
#include "exec/executor.h"
#include "report/json_log.h"

namespace {

using tenantshift::MigrationOptions;

// Everything the command line can set; each subcommand binds and reads only its own struct.
struct CliOptions {
  MigrationOptions migration;  // plan, migrate, resume, retry, validate
  tenantshift::StatusOptions status;
  tenantshift::CaptureOptions capture;
  tenantshift::CutoverOptions cutover;
  tenantshift::ReportOptions report;
};

// What a subcommand accepts besides the options every one has.
enum Accepts : unsigned {
  kConnections = 1,        // --source, --target, --schema (required)
  kOptionalConns = 2,      // --source, --target, --schema (default: the recorded run's)
  kRunOptions = 4,         // --work-dir, --max-failed-tables
  kMigrateOptions = 8,     // --on-existing, --restart
  kWorkDirOnly = 16,       // --work-dir (required), --json
  kPrincipalOptions = 32,  // --include-users, --exclude-users, --allow-superuser, --passwords
  kCutoverOptions = 64,    // --source, --target, --work-dir, --consumer-secret, --undo, ...
  kCaptureOptions = 128,   // --source, --schema, --out (all required)
  kPlanFormat = 256,       // --format text|json|dot
  kReportOptions = 512,    // --work-dir (required)
};

struct Command {
  const char* name;
  const char* description;
  int (*run)(const CliOptions&, std::ostream&, std::ostream&);
  unsigned accepts;
};

// Adapters from the parsed command line to each operation's own options.
template <int (*F)(const MigrationOptions&, std::ostream&, std::ostream&)>
int Pipeline(const CliOptions& o, std::ostream& out, std::ostream& err) {
  return F(o.migration, out, err);
}
int StatusCli(const CliOptions& o, std::ostream& out, std::ostream& err) {
  return tenantshift::RunStatus(o.status, out, err);
}
int CaptureCli(const CliOptions& o, std::ostream& out, std::ostream& err) {
  return tenantshift::RunCapture(o.capture, out, err);
}
int CutoverCli(const CliOptions& o, std::ostream& out, std::ostream& err) {
  return tenantshift::RunCutover(o.cutover, out, err);
}
int ReportCli(const CliOptions& o, std::ostream& out, std::ostream& err) {
  return tenantshift::RunReport(o.report, out, err);
}

const Command kCommands[] = {
    {"plan", "Print the SQL a migration would run, in order; change nothing",
     Pipeline<tenantshift::RunPlan>, kConnections | kPrincipalOptions | kPlanFormat},
    {"migrate",
     "Move the tenant's schemas, objects, roles, privileges and data, then validate and report",
     Pipeline<tenantshift::RunMigrate>,
     kConnections | kRunOptions | kMigrateOptions | kPrincipalOptions},
    {"resume", "Continue the run recorded in --work-dir after a crash, kill or Ctrl-C",
     Pipeline<tenantshift::RunResume>, kOptionalConns | kRunOptions},
    {"retry", "Re-run only the failed steps of the run in --work-dir, and what depends on them",
     Pipeline<tenantshift::RunRetry>, kOptionalConns | kRunOptions},
    {"validate",
     "Compare row counts and checksums of every tenant table, and object counts, on both sides",
     Pipeline<tenantshift::RunValidate>, kConnections},
    {"status", "Show what the run in --work-dir has done, is doing and has left", StatusCli,
     kWorkDirOnly},
    {"capture",
     "Record what every catalog query returns for the tenant into one JSON file (catalog rows "
     "only: no data, no password hashes), to plan offline with --source capture:FILE",
     CaptureCli, kCaptureOptions},
    {"cutover",
     "After a validated migration, point the consumer's secret at the target (--undo: back)",
     CutoverCli, kCutoverOptions},
    {"report",
     "Write migration_report.html again from migration_report.json in --work-dir (it is written "
     "by migrate, resume, retry and cutover)",
     ReportCli, kReportOptions},
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
  sub->add_option("--redshift-jobs", o->redshift_jobs,
                  "With a Redshift side: at most this many workers (default 4: a WLM default "
                  "queue runs 5 queries at once)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
}

void AddRunOptions(CLI::App* sub, MigrationOptions* o, unsigned accepts) {
  auto* dir = sub->add_option("--work-dir", o->work_dir, "Directory for the ledger and reports")
                  ->capture_default_str();
  if (accepts & kOptionalConns) dir->required();
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

void AddStatusOptions(CLI::App* sub, tenantshift::StatusOptions* o) {
  sub->add_option("--work-dir", o->work_dir, "Directory for the ledger and reports")->required();
  sub->add_flag("--json", o->json, "Print JSON");
}

void AddCutoverOptions(CLI::App* sub, tenantshift::CutoverOptions* o) {
  sub->add_option("--source", o->source,
                  "Source connection (default: the recorded run's; must match it when given)");
  sub->add_option("--target", o->target,
                  "Target connection (default: the recorded run's; must match it when given)");
  sub->add_option("--work-dir", o->work_dir, "Directory of the migrated run's ledger")->required();
  sub->add_option("--consumer-secret", o->consumer_secret,
                  "The consumer's connection secret: secret-file:PATH, aws-secret:ID, "
                  "aws-ssm:NAME or cfn-stack:STACK?host=P&port=P&database=P (its host, "
                  "port and database are rewritten; credentials and other keys stay)");
  sub->add_flag("--undo", o->undo, "Put the recorded endpoint back and unfreeze the source");
  sub->add_flag("--freeze-source", o->freeze_source,
                "First block the tenant's roles on the source (CONNECTION LIMIT 0, sessions "
                "ended), then re-copy only the tables that changed since migrate");
  sub->add_flag("--cleanup-follow", o->cleanup_follow,
                "Drop the subscription, replication slot and publication migrate --follow "
                "created (no --consumer-secret needed)");
  sub->add_flag("--dry-run", o->dry_run,
                "Change nothing: show what cutover would do and the expected freeze window");
  sub->add_option("--via", o->via,
                  "--freeze-source with a Redshift side: stage the tables copied again in S3 "
                  "(s3://bucket/prefix), as migrate --via did");
  sub->add_option("--iam-role", o->iam_role,
                  "With --via: IAM role ARN(s) Redshift's UNLOAD/COPY use, or 'default'")
      ->default_val("default");
  sub->add_option("--kms-key-id", o->kms_key_id,
                  "With --via: encrypt the staged files with this KMS key (SSE-KMS)");
  sub->add_option("--jobs,-j", o->jobs, "Tables checksummed or copied at once while frozen")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
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

void AddFollowOptions(CLI::App* sub, MigrationOptions* o) {
  sub->add_flag("--follow", o->follow,
                "PostgreSQL to PostgreSQL: after the copy, keep the target in step with logical "
                "replication (publication, slot, subscription) until cutover");
  sub->add_flag("--replica-identity-full", o->replica_identity_full,
                "--follow: give tables without a replica identity REPLICA IDENTITY FULL on the "
                "source (default: refuse and list them)");
  sub->add_option("--follow-conninfo", o->follow_conninfo,
                  "--follow: the connection string the target server uses to reach the source, "
                  "without a password (default: the source's, password removed)");
}

void AddCaptureOptions(CLI::App* sub, tenantshift::CaptureOptions* o) {
  sub->add_option("--source", o->source,
                  "Source connection: conninfo, URI, secret-file:PATH or aws-secret:ID")
      ->required();
  sub->add_option("--schema", o->schemas, "Tenant schema name or glob pattern (repeatable)")
      ->required();
  sub->add_option("--out", o->out, "The capture file to write (JSON)")->required();
}

void AddOptions(CLI::App* sub, CliOptions* cli, unsigned accepts) {
  MigrationOptions* o = &cli->migration;
  if (accepts & kReportOptions) {
    sub->add_option("--work-dir", cli->report.work_dir, "Work directory of the run")->required();
  }
  if (accepts & kPlanFormat) {
    sub->add_option("--format", o->plan_format,
                    "text (default: the SQL, in order), json (steps, dependencies, SQL, "
                    "principals, manual steps, conflicts) or dot (the step graph, by phase)")
        ->check(CLI::IsMember({"text", "json", "dot"}));
  }
  if (accepts & kCaptureOptions) AddCaptureOptions(sub, &cli->capture);
  if (accepts & kWorkDirOnly) AddStatusOptions(sub, &cli->status);
  if (accepts & kCutoverOptions) AddCutoverOptions(sub, &cli->cutover);
  if (accepts & (kConnections | kOptionalConns)) {
    AddConnectionOptions(sub, o, accepts & kConnections);
  }
  if (accepts & kRunOptions) AddRunOptions(sub, o, accepts);
  if (accepts & kPrincipalOptions) AddPrincipalOptions(sub, o);
  if (accepts & kMigrateOptions) AddAssociateIamRoleOption(sub, o);
  if (accepts & kMigrateOptions) AddFollowOptions(sub, o);
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
      std::string msg =
          "\ntenantshift: stopping: rolling back steps in flight (again to quit now)\n";
      if (tenantshift::JsonLogFormat()) {
        tenantshift::LogEvent e;
        e.level = "warning";
        e.event = "stopping";
        e.message = "rolling back steps in flight (again to quit now)";
        msg = tenantshift::JsonLogLine(e, std::chrono::system_clock::now()) + "\n";
      }
      (void)!write(STDERR_FILENO, msg.data(), msg.size());
      interrupt->Request();
    }
  }).detach();
}

}  // namespace

constexpr const char kDescription[] =
    "tenantshift moves one tenant between PostgreSQL-protocol warehouses: its schemas with\n"
    "their tables and data, sequences, types, constraints, indexes, functions, procedures,\n"
    "views, materialized views and triggers, and the users, groups and roles that own or use\n"
    "them, with their privileges, default privileges, row-level security policies and\n"
    "passwords.\n\n"
    "Engines: PostgreSQL <-> PostgreSQL (directly or through S3), Amazon Redshift provisioned\n"
    "<-> Redshift Serverless (UNLOAD/COPY through S3), and PostgreSQL <-> Redshift.\n";

constexpr const char kFooter[] =
    "Connections: a libpq conninfo or URI (PG* variables, ~/.pgpass and service files apply),\n"
    "secret-file:PATH, or aws-secret:ID.\n"
    "Environment: TENANTSHIFT_LOG_FORMAT=json (as --log-format json), AWS_* for S3 and\n"
    "Secrets Manager, AWS_ENDPOINT_URL_S3 for another S3-compatible server.\n"
    "Exit codes: 0 ok, 1 a table or step failed, 2 bad arguments, 3 source problem, 4 target\n"
    "problem, 5 internal error, 6 too many tables failed, 7 work directory busy or empty,\n"
    "8 manual steps remain, 9 security policies would not move, 130 interrupted.\n"
    "Run 'tenantshift COMMAND --help' for a command's options.";

std::string VersionText() {
  const int pq = PQlibVersion();  // e.g. 150004 for 15.4
  return fmt::format("tenantshift {}\nlibpq {}.{}\nSQLite {}", TENANTSHIFT_VERSION, pq / 10000,
                     pq % 10000, sqlite3_libversion());
}

int main(int argc, char** argv) {
  CLI::App app{kDescription, "tenantshift"};
  app.footer(kFooter);
  app.set_version_flag("--version", VersionText());
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  std::string log_format = "text";
  app.add_option("--log-format", log_format,
                 "text (default: plain lines, or a live display on a terminal) or json (one "
                 "JSON object per event on stderr)")
      ->envname("TENANTSHIFT_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  CliOptions options;
  options.migration.progress_tty = isatty(STDOUT_FILENO) == 1;
  options.cutover.progress_tty = options.migration.progress_tty;
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
  options.migration.json_log = log_format == "json";
  tenantshift::SetJsonLogFormat(options.migration.json_log);
  static tenantshift::Interrupt interrupt;
  options.migration.interrupt = &interrupt;
  options.cutover.interrupt = &interrupt;
  StartSignalThread(&interrupt);
  return chosen->run(options, std::cout, std::cerr);
}
