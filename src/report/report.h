// MigrationReport: what one run did, per table, as a value; and its renderings:
// migration_report.json (ToJson), retry_failed_tables.json (RetryFailedTables) and the summary
// table printed for people (SummaryTable).
//
// The JSON is a superset of the report written by the reference system (aws-samples
// sample-redshift-serverless-database-migration, lambda/collect_failed_tables.py), so tools that
// parse that report keep working: every key it writes is present with the same meaning and JSON
// type, except that "schemas" is an array of names where the reference copied its input string,
// and "timestamp" is ISO-8601 ("...T22:13:20Z") where the reference wrote "...T22-13-20".
// Everything else is added alongside.
// Thread-safety: value types and pure functions, except WriteJsonFile (touches the file system;
// concurrent calls for the same path leave one complete file).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/status.h"

namespace tenantshift {

struct TableReport {
  std::string schema;
  std::string table;
  bool succeeded = false;
  int64_t rows = 0;   // rows copied
  int64_t bytes = 0;  // bytes copied
  double seconds = 0;
  // Staged moves (to or from Redshift): UNLOAD (or writer) and COPY (or reader) seconds and the
  // files staged; `bytes` is their size. 0 when not staged.
  double stage_seconds = 0, load_seconds = 0;
  int64_t staged_files = 0;
  std::string validation = "not run";  // "match", "counted" (rows only), "mismatch", "not run"
  int64_t source_rows = 0;             // meaningful only when validation ran
  int64_t target_rows = 0;
  std::string source_checksum;  // empty when not computed
  std::string target_checksum;
  std::string error;  // failure message; empty when succeeded
  std::string cause;  // SQLSTATE or failure category; empty when succeeded
  int attempts = 0;   // tries of its copy (more than 1: retried); 0 when it did not run
};

// One step as it ran, for the timeline: when, on which worker, how often it was tried.
struct TimelineEntry {
  std::string phase;          // "data", "indexes", "constraints", "validate", "analyze", ...
  std::string step;           // its description
  std::string kind;           // "copy", "validate" or "sql"
  std::string schema, table;  // the table it works on; empty when none
  int worker = -1;            // -1: unknown (a step done by an earlier run)
  double started_at = 0, finished_at = 0;  // unix seconds
  int attempts = 0;
  std::vector<double> retried_at;  // unix seconds when each retried attempt failed
  std::string state;               // "succeeded" or "failed"
  bool earlier_run = false;        // done by an earlier run of this work directory
};

// A step other than a table's copy or validation (those are in TableReport) that failed, or
// that did not run because a step it needs failed: DDL of any kind, owners, privileges.
struct StepReport {
  std::string phase;     // "types", "functions", "triggers", ...
  std::string step;      // its description: "create function acme.f(integer)"
  bool blocked = false;  // false: it failed itself
  std::string error;     // the failure, or for a blocked step which failed step held it back
  std::string cause;     // SQLSTATE or "error"; "blocked" for a blocked step
};

// Something the run could not do and a person must, e.g. create a Python UDF that Redshift
// refuses to create.
struct ManualTask {
  std::string what;  // names the object
  std::string why;
  std::string sql;  // the source's definition, for the person doing it; may be empty
};

struct MigrationReport {
  std::string timestamp;  // ISO-8601 UTC, when the run started
  std::string tenant;
  std::vector<std::string> schemas;
  std::string source;  // endpoints without passwords
  std::string target;
  std::string tool_version;
  double seconds = 0;  // wall time of the run
  std::vector<TableReport> tables;
  std::map<std::string, int64_t> object_counts;  // kind -> count: "schemas", "tables", ...
  std::vector<std::string> warnings;
  std::vector<ManualTask> manual_steps;
  std::vector<StepReport> failed_steps;  // in plan order
  // The tenant's principals: role name -> why it moved (never anything secret).
  std::map<std::string, std::string> principals;
  int exit_code = 0;
  int jobs = 0;                         // workers of the run; 0: unknown
  std::vector<TimelineEntry> timeline;  // every step that ran, by start time
};

// migration_report.json. Keys of the reference report:
//   timestamp, tenant, schemas,
//   total_tables, succeeded_count, failed_count,
//   succeeded_tables: array of table names (strings, as in the reference),
//   failed_tables: array of {table, schema, error, cause} plus rows, bytes, seconds, validation.
// Added: source, target, tool_version, seconds, object_counts, warnings, manual_steps (array of
//   {what, why, sql}), principals, exit_code, failed_steps (array of {phase, step, state:
//   "failed"|"blocked", error, cause}), and
//   tables: every TableReport field per table, in report order,
//   jobs, timeline: array of {phase, step, kind, schema, table, worker, started_at,
//   finished_at, seconds, attempts, retried_at, state, earlier_run}.
nlohmann::json ToJson(const MigrationReport& report);

// retry_failed_tables.json: {"tenant", "schemas", "tables": [{"schema", "table"}, ...]} listing
// only the failed tables, in report order ("tables" is empty when none failed).
nlohmann::json RetryFailedTables(const MigrationReport& report);

// Writes `json` (2-space indented, newline-terminated) to `path` atomically: a temporary file
// in the same directory is written, fsynced and renamed over `path`, then the directory is
// fsynced. Invalid UTF-8 in strings is replaced with U+FFFD rather than failing. The file is
// created with mode 0600 (error messages may quote row values).
// On success `path` holds the whole document. On failure `path` is unchanged, no temporary file
// is left, and the Status names the path and the failed step.
Status WriteJsonFile(const std::string& path, const nlohmann::json& json);

// A fixed-width table for people:
//   Schema.Table | Rows | Size | Time | Rows/s | Validation | Status
// one row per table, a totals row (time and rate over the run's wall time), the failed tables
// with their errors, the failed and blocked other steps, and a last line "42 tables: 41 succeeded,
// 1 failed". Column widths fit the content; names are printed as they are, with control characters
// neutralized. Ends with '\n'.
std::string SummaryTable(const MigrationReport& report);

}  // namespace tenantshift
