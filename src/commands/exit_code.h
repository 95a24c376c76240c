// How a subcommand ends: its named process exit code (README "Exit codes") and the one error
// printer every subcommand uses, so each error is printed once, at the top, the same way.
// Thread-safety: pure functions; PrintError writes to the given stream only.
#pragma once

#include <iosfwd>
#include <string_view>

#include "util/status.h"

namespace tenantshift {

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

// Writes "tenantshift: error: <text>" and a newline to `err`.
void PrintError(std::ostream& err, std::string_view text);
// Writes "tenantshift: <label>: <text>" (just "tenantshift: <text>" for an empty label), or
// with --log-format json an error record whose event is the label ("error" when empty).
void PrintProblem(std::ostream& err, std::string_view label, std::string_view text);
// PrintError(err, status.ToString()), then returns `code`.
int FailWith(int code, const Status& status, std::ostream& err);

}  // namespace tenantshift
