// Plan: the ordered steps of a migration as a dependency graph, and their progress.
//
// The planner fills a Plan; the executor asks it for ready work (FindWork) and reports each
// outcome (StepFinished). A step runs only after every step it depends on succeeded; when a step
// fails, everything that depends on it, directly or not, is marked kBlocked and never runs.
// Pure: no I/O. Thread-safety: not thread-safe; the executor serialises access.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/object_name.h"

namespace tenantshift {

enum class StepKind {
  kTargetSql,  // run `sql` on a target connection, in one transaction
  kCopyData,   // stream the rows of `table` from source to target
  kValidate,   // compare row count and checksum of `table` on both sides
};

enum class StepState { kWaiting, kReady, kRunning, kSucceeded, kFailed, kBlocked, kSkipped };

struct Step {
  int id = -1;
  StepKind kind = StepKind::kTargetSql;
  // Unique within the plan and stable across runs for the same catalogs: how the ledger knows
  // a step again. Plan::Add derives it from phase and description when left empty.
  std::string key;
  std::string phase;        // "schemas", "types", "tables", "data", "indexes", ... for display
  std::string description;  // "create table acme.orders", for people
  std::string sql;          // kTargetSql: statements; others: what will run, for `plan`
  // kTargetSql: when not empty, the statements that run instead of `sql`: the same ones with
  // secrets (password verifiers) where `sql` shows '********'. Never print, log or store it.
  std::string secret_sql;
  QualifiedName table;             // kCopyData / kValidate: the table
  bool table_preexisting = false;  // kCopyData: the table existed before this run
  bool replace_rows = false;       // kCopyData: rows that differ on the target may be replaced
  int64_t priority = 0;            // among ready steps, larger runs first (bytes to copy)
  std::vector<int> deps;           // steps that must succeed first
  std::vector<int> dependents;
  StepState state = StepState::kWaiting;
  std::string skip_reason;  // kSkipped: why (e.g. "already on target")
};

class Plan {
 public:
  // Adds a step; returns its id. An empty key becomes "phase: description", made unique with a
  // " #n" suffix. REQUIRES: every id in step.deps was returned earlier.
  int Add(Step step);
  // Marks a step as already done (it will not run and counts as succeeded for its dependents).
  void Skip(int id, std::string reason);

  // Steps whose dependencies all succeeded and that were not handed out yet, highest priority
  // first; each returned step is now kRunning.
  std::vector<int> FindWork(size_t max);
  // Records the outcome of a running step; on failure blocks every transitive dependent.
  void StepFinished(int id, bool succeeded);
  // True when no step is waiting, ready or running.
  bool Finished() const;

  const Step& step(int id) const { return steps_[id]; }
  // REQUIRES: the executor has not started.
  Step& mutable_step(int id) { return steps_[id]; }
  const std::vector<Step>& steps() const { return steps_; }
  // The steps in an order a single worker could run them (dependencies first, stable).
  std::vector<int> TopologicalOrder() const;
  size_t CountIn(StepState state) const;

 private:
  void Prepare();  // computes initial readiness on the first FindWork
  bool DepsSucceeded(const Step& s) const;
  void Block(int id);

  void MakeReady(int id);

  std::vector<Step> steps_;
  std::set<std::string> keys_;
  bool prepared_ = false;
  // Once prepared: the kReady steps, highest priority first, then lowest id (FindWork takes
  // from the front), and how many steps are waiting, ready or running. They keep FindWork and
  // Finished O(log n) per step instead of a scan of every step (issue 14).
  std::set<std::pair<int64_t, int>> ready_;  // (-priority, id)
  size_t open_ = 0;
};

}  // namespace tenantshift
