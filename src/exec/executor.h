// Executor: runs a Plan on a pool of workers, the way ninja's Builder runs a build.
//
// One loop per worker thread: take the highest-priority ready step, run it through the
// StepRunner, record the outcome in the Plan, repeat until nothing is left. A step that fails
// with a retryable status (lost connection, serialization failure, deadlock, shutdown) is tried
// again with exponential backoff and jitter, on fresh connections, up to `max_attempts`.
// Thread-safety: Run() is called once from one thread; StepRunner::Run is called concurrently
// from the worker threads, each with its own worker index.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan/step_result.h"
#include "util/backoff.h"
#include "util/clock.h"
#include "util/status.h"

namespace tenantshift {

class StepRunner {
 public:
  virtual ~StepRunner() = default;
  // Runs one step on worker `worker` (0 <= worker < jobs).
  virtual StepResult Run(const Step& step, int worker) = 0;
  // Drops the worker's connections after a retryable failure so the next try starts afresh.
  virtual void ResetWorker(int worker) = 0;
};

struct ExecOptions {
  int jobs = 4;          // worker threads
  int max_attempts = 3;  // tries per step for retryable failures
  // Delays between tries (util/backoff.h: doubled each time, capped, equal jitter).
  BackoffPolicy backoff{std::chrono::milliseconds(500), std::chrono::milliseconds(10000)};
  // Times attempts and sleeps between retries; tests pass a FakeClock. Default: SystemClock().
  const Clock* clock = nullptr;
  // When it becomes true, no new step starts; running steps finish (or fail, if cancelled).
  const std::atomic<bool>* stop = nullptr;
  // Failure budget: once more than this many data-copy steps failed, no new step starts.
  // Negative: no budget.
  int max_failed_tables = -1;
  // Called when a step starts and when it ends (after retries), one call at a time, in the
  // order the executor observed them. `state` is kSucceeded or kFailed.
  std::function<void(const Step&)> on_started;
  std::function<void(const Step&, const StepResult&, StepState state)> on_finished;
  // Group commit: called with every group of steps that finished while the previous group was
  // being recorded, one call at a time, without blocking the other workers. A step counts as
  // finished (its dependents may start, on_finished is called) only after the call that
  // recorded it returned, so a finished step is always recorded before anything after it runs.
  std::function<void(const std::vector<FinishedStep>&)> on_finished_group;
};

struct ExecOutcome {
  std::vector<StepResult> results;  // one per step id; default for steps that did not run
  bool budget_exceeded = false;     // stopped because too many tables failed
  int failed_tables = 0;            // data-copy steps that failed
};

// Runs the steps of `plan` until every one has run, been blocked or skipped, or a stop.
ExecOutcome ExecutePlan(Plan& plan, StepRunner& runner, const ExecOptions& options);

// The --max-failed-tables budget for `tables` tables: "20%" (of the tables, rounded down) or a
// count such as "3". Returns nullopt when `spec` is neither.
std::optional<int> FailureBudget(const std::string& spec, int tables);

}  // namespace tenantshift
