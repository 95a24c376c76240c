#include "report/json_log.h"

#include <atomic>
#include <cstdio>

#include "report/format.h"

namespace tenantshift {
namespace {

std::atomic<bool> json_log_format{false};

constexpr char kWarningPrefix[] = "warning: ";

std::string TimeWithMillis(WallTime now) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  std::string s = FormatIso8601Utc(now);  // "...T12:34:56Z"
  char frac[8];
  std::snprintf(frac, sizeof(frac), ".%03lldZ", static_cast<long long>(ms.count() % 1000));
  s.pop_back();
  return s + frac;
}

void PutIf(nlohmann::ordered_json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

}  // namespace

std::string JsonLogLine(const LogEvent& e, WallTime now) {
  // Ordered: time, level and event lead every line, for people reading the raw log too.
  nlohmann::ordered_json j = {
      {"time", TimeWithMillis(now)}, {"level", e.level}, {"event", e.event}};
  PutIf(j, "schema", e.schema);
  PutIf(j, "table", e.table);
  PutIf(j, "step", e.step);
  PutIf(j, "phase", e.phase);
  if (!e.figures.empty()) j["figures"] = e.figures;
  PutIf(j, "message", e.message);
  PutIf(j, "error", e.error);
  PutIf(j, "sqlstate", e.sqlstate);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

JsonLogProgress::JsonLogProgress(std::ostream& out, std::unique_ptr<Progress> inner,
                                 const Clock& clock)
    : out_(out), inner_(std::move(inner)), clock_(clock) {}

void JsonLogProgress::Begin(int64_t total_tables, int64_t total_bytes_estimate) {
  if (inner_) inner_->Begin(total_tables, total_bytes_estimate);
  LogEvent e;
  e.event = "run_started";
  e.figures = {{"tables", total_tables}, {"bytes_estimate", total_bytes_estimate}};
  Log(e);
}

void JsonLogProgress::TableStarted(const std::string& table, int64_t est_rows, int64_t est_bytes) {
  if (inner_) inner_->TableStarted(table, est_rows, est_bytes);
}

void JsonLogProgress::TableProgress(const std::string& table, int64_t rows, int64_t bytes) {
  if (inner_) inner_->TableProgress(table, rows, bytes);
}

void JsonLogProgress::TableFinished(const std::string& table, int64_t rows, int64_t bytes,
                                    const Status& status) {
  if (inner_) inner_->TableFinished(table, rows, bytes, status);
}

void JsonLogProgress::Message(const std::string& line) {
  if (inner_) inner_->Message(line);
  LogEvent e;
  if (line.rfind(kWarningPrefix, 0) == 0) {
    e.level = e.event = "warning";
    e.message = line.substr(sizeof(kWarningPrefix) - 1);
  } else {
    e.event = "message";
    e.message = line;
  }
  Log(e);
}

void JsonLogProgress::End() {
  if (inner_) inner_->End();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ended_) return;
    ended_ = true;
  }
  LogEvent e;
  e.event = "run_finished";
  Log(e);
}

void JsonLogProgress::Log(const LogEvent& e) {
  std::string line = JsonLogLine(e, clock_.WallNow());
  std::lock_guard<std::mutex> lock(mu_);
  out_ << line << '\n';
  out_.flush();
}

void SetJsonLogFormat(bool json) { json_log_format = json; }
bool JsonLogFormat() { return json_log_format; }

}  // namespace tenantshift
