// tenantshift command line: a table of subcommands over the library's operations.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <thread>

#include "exec/migration.h"

namespace {

using tenantshift::MigrationOptions;

struct Command {
  const char* name;
  const char* description;
  int (*run)(const MigrationOptions&, std::ostream&, std::ostream&);
  bool writes;  // takes --work-dir and --on-existing
};

const Command kCommands[] = {
    {"plan", "Print the SQL a migration would run, in order; change nothing", tenantshift::RunPlan,
     false},
    {"migrate", "Move the tenant's schemas, objects and data, then validate and report",
     tenantshift::RunMigrate, true},
    {"validate",
     "Compare row counts and checksums of every tenant table, and object counts, on both sides",
     tenantshift::RunValidate, false},
};

void AddCommonOptions(CLI::App* sub, MigrationOptions* o, bool writes) {
  sub->add_option("--source", o->source,
                  "Source connection: conninfo, URI or secret-file:PATH (PG* variables, "
                  "~/.pgpass and service files apply)")
      ->required();
  sub->add_option("--target", o->target, "Target connection, same forms as --source")->required();
  sub->add_option("--schema", o->schemas, "Tenant schema name or glob pattern (repeatable)")
      ->required();
  sub->add_option("--jobs,-j", o->jobs, "Parallel workers (connections per side)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  if (!writes) return;
  sub->add_option("--work-dir", o->work_dir, "Directory for reports")->capture_default_str();
  std::map<std::string, tenantshift::OnExisting> policies{
      {"error", tenantshift::OnExisting::kError}, {"skip", tenantshift::OnExisting::kSkip}};
  sub->add_option("--on-existing", o->on_existing,
                  "What to do with a target object that differs: error (default) or skip")
      ->transform(CLI::CheckedTransformer(policies, CLI::ignore_case));
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
    AddCommonOptions(sub, &options, c.writes);
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
