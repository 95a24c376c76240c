// Ledger: the run's durable state in the work directory (SQLite, DIR/ledger.db).
//
// It records the run's identity (endpoints without passwords, schema patterns, options, tool
// and ledger versions) and one row per planned step (state, attempts, times, rows, bytes,
// checksums, last error), so that `resume` continues after a crash, `retry` re-runs what failed
// and `status` reports progress. Steps that finish together are committed together (group
// commit, StepsFinished); starts ride along with the next commit.
// An exclusive advisory lock on DIR/lock, held while a Ledger opened for writing lives, keeps a
// second run away from the same directory; the kernel releases it when the process dies, even
// by kill -9.
// Thread-safety: not thread-safe, except that StepStarted may run concurrently with
// StepsFinished; the executor serialises every other call.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan/step_result.h"
#include "state/sqlite.h"

namespace tenantshift {

// What a run is: a resume with a different identity is refused unless restarted.
struct RunIdentity {
  std::string source;  // connection argument with any password removed
  std::string target;
  std::vector<std::string> schemas;  // as the user gave them (names or patterns)
  std::string on_existing;
  // Which roles move and how (--include-users, --exclude-users, --allow-superuser,
  // --passwords), as JSON; restored by resume and retry.
  nlohmann::json principals = nlohmann::json::object();
  std::string tool_version;
  int ledger_version = 0;

  nlohmann::json ToJson() const;
  static RunIdentity FromJson(const nlohmann::json& j);
  // Empty when `other` describes the same run; otherwise what differs, for the user.
  std::string DifferenceFrom(const RunIdentity& other) const;
};

// One step as the ledger remembers it.
struct StepRecord {
  std::string key, phase, description, state;  // state: see StateName()
  int attempts = 0;
  double started_at = 0, finished_at = 0, seconds = 0;  // unix seconds
  int64_t rows = 0, bytes = 0, source_rows = -1, target_rows = -1;
  std::string source_checksum, target_checksum, error, sqlstate;
  std::string table_schema, table_name;  // for data and validation steps
};

// "waiting", "ready", "running", "succeeded", "failed", "blocked", "skipped".
const char* StateName(StepState s);

class Ledger {
 public:
  static constexpr int kFormatVersion = 1;
  static constexpr const char* kFileName = "ledger.db";

  // Opens DIR/ledger.db for a run, creating DIR if needed. Fails with kInvalidArgument naming
  // the directory when another process holds it.
  static Result<std::unique_ptr<Ledger>> OpenForRun(const std::string& dir);
  // Opens an existing ledger for reading only (no lock; works while a run is going on).
  static Result<std::unique_ptr<Ledger>> OpenForReading(const std::string& dir);
  ~Ledger();

  // The identity of the last run, if any run was recorded.
  Result<std::optional<RunIdentity>> LoadIdentity();
  // Starts a run: stores the identity, and with `fresh` forgets every step of earlier runs.
  // Steps left "running" by a dead process become "failed" ("interrupted").
  Status BeginRun(const RunIdentity& identity, const std::string& command, bool fresh);
  // Adds a row for every step of `plan` not yet in the ledger; updates skipped ones.
  Status RecordPlan(const Plan& plan);
  // Notes that `step` started. Written with the next StepsFinished (or StepFinished) call, in
  // its transaction: a step that starts and is killed before that is redone on resume, as one
  // recorded "running" would be. Safe to call while another thread is in StepsFinished.
  Status StepStarted(const Step& step);
  Status StepFinished(const Step& step, const StepResult& result, StepState state);
  // Group commit: the started steps noted so far and every step of `group`, in one committed
  // transaction. When it returns Ok, all of them survive kill -9.
  Status StepsFinished(const std::vector<FinishedStep>& group);
  // Steps that never ran because a dependency failed.
  Status StepsBlocked(const Plan& plan);
  Status EndRun(int exit_code);

  Result<std::map<std::string, StepRecord>> LoadSteps();
  // The last run's command, start and end times and exit code (-1 while running).
  Result<nlohmann::json> LastRun();
  // The id BeginRun gave this run (1, 2, ... within this ledger); 0 before BeginRun.
  int64_t run_id() const { return run_id_; }

  // A named JSON record kept beside the runs (what `cutover` changed, so `cutover --undo` can
  // put it back). Never a secret. LoadRecord gives null when there is none; saving null
  // removes it. Each save is one committed transaction.
  Result<nlohmann::json> LoadRecord(const std::string& name);
  Status SaveRecord(const std::string& name, const nlohmann::json& value);

 private:
  Ledger(SqliteDb db, int lock_fd) : db_(std::move(db)), lock_fd_(lock_fd) {}
  Status CreateSchema();

  Status WriteFinished(const Step& step, const StepResult& r, StepState state);
  // Writes the started steps noted by StepStarted. REQUIRES: inside a transaction.
  Status WriteStarted();

  SqliteDb db_;
  int lock_fd_ = -1;  // held flock; -1 for a read-only ledger
  std::mutex started_mu_;
  std::vector<std::pair<std::string, double>> started_;  // guarded by started_mu_: key, time
  int64_t run_id_ = 0;
};

// Removes the password from a connection argument (conninfo or URI); a secret-file: or
// aws-secret: argument, which holds no secret itself, is kept as it is.
std::string BareConnectionString(const std::string& conn);

}  // namespace tenantshift
