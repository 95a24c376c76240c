// JSON logs for machines (`--log-format json`, or TENANTSHIFT_LOG_FORMAT=json): one JSON object
// per event, one per line, on stderr, for log systems that filter by field.
//
// Every record has "time" (ISO-8601 UTC with milliseconds), "level" ("info", "warning",
// "error") and "event" ("run_started", "step_started", "step_finished", "step_failed",
// "warning", "message", "run_finished", "error"), and, when they apply, "schema" and "table"
// (the table a step works on), "step" (its description) and "phase", "figures" (an object of
// numbers: rows, bytes, seconds, attempts, worker, ...), "error" and "sqlstate". Tables and
// steps are always fields, never only words inside "message". A record holds no secret: its
// texts are the same as the plain log's.
// Thread-safety: JsonLogProgress may be called from any number of threads; lines never
// interleave. The process-wide format switch is set once by main before any other thread runs.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "report/progress.h"
#include "util/clock.h"

namespace tenantshift {

struct LogEvent {
  std::string level = "info";
  std::string event;
  std::string schema, table;  // empty: none
  std::string step, phase;    // empty: none
  nlohmann::json figures = nlohmann::json::object();
  std::string message;  // prose for people; empty: none
  std::string error;    // the failure; empty: none
  std::string sqlstate;
};

// The record for `e` at `now`, without a trailing newline. Empty fields are left out; invalid
// UTF-8 becomes U+FFFD, so the line always parses.
std::string JsonLogLine(const LogEvent& e, WallTime now);

// Progress that writes JSON records to `out` (and passes every call on to `inner`, if any, so a
// terminal keeps its live display). Table events are not logged here: the step events
// (LogStep) name the same tables with more figures. Messages starting "warning: " are
// level "warning", event "warning".
class JsonLogProgress : public Progress {
 public:
  // REQUIRES: `out` and `clock` outlive this object.
  JsonLogProgress(std::ostream& out, std::unique_ptr<Progress> inner,
                  const Clock& clock = SystemClock());

  void Begin(int64_t total_tables, int64_t total_bytes_estimate) override;
  void TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) override;
  void TableProgress(const std::string& table, int64_t rows, int64_t bytes) override;
  void TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                     const Status& status) override;
  void Message(const std::string& line) override;
  void End() override;
  void Log(const LogEvent& e) override;

 private:
  std::ostream& out_;
  std::unique_ptr<Progress> inner_;  // may be null
  const Clock& clock_;
  std::mutex mu_;
  bool ended_ = false;  // Guarded by mu_.
};

// The process-wide log format: false (default) for plain text, true for JSON records.
void SetJsonLogFormat(bool json);
bool JsonLogFormat();

}  // namespace tenantshift
