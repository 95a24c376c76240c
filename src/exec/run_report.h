// Turns a finished run (its plan, the executor's results, and what the ledger remembers of steps
// done by earlier runs) into the MigrationReport that is printed and written as JSON.
// Pure. Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "exec/executor.h"
#include "model/catalog.h"
#include "plan/plan.h"
#include "report/json_log.h"
#include "report/report.h"
#include "state/ledger.h"

namespace tenantshift {

// The reason given to steps skipped because an earlier run finished them.
inline constexpr const char* kDoneEarlier = "done in an earlier run";

// Results of a run: what each step did now, or (for steps done earlier) what the ledger says.
struct RunResults {
  std::vector<StepResult> results;  // by step id
  std::vector<StepState> states;    // by step id; steps done earlier count as kSucceeded
  std::vector<bool> earlier;        // by step id; done by an earlier run (times from the ledger)
};

RunResults MergeWithLedger(const Plan& plan, std::vector<StepResult> results,
                           const std::map<std::string, StepRecord>& ledger);

// Per-table rows for the report: a table fails when its copy or validation failed or was
// blocked.
std::vector<TableReport> TableReports(const Plan& plan, const RunResults& run);
// The steps that ran (now or in an earlier run) with their times and workers, by start time.
std::vector<TimelineEntry> Timeline(const Plan& plan, const RunResults& run);
// The JSON log record of a step that started (`result` null) or finished (`state` kSucceeded
// or kFailed): its table, description, phase, figures and, on failure, error and SQLSTATE.
LogEvent StepLogEvent(const Step& step, const StepResult* result, StepState state);
std::map<std::string, int64_t> CountObjects(const Catalog& c);
// The target-SQL steps (DDL, owners, privileges, ...) that failed or were blocked, in plan
// order; a blocked one names a failed step it (transitively) waits for.
std::vector<StepReport> StepReports(const Plan& plan, const RunResults& run);
// The messages of failed steps that are not about one table's data (DDL, constraints, ...).
std::vector<std::string> StepFailures(const Plan& plan, const RunResults& run);

}  // namespace tenantshift
