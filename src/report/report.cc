#include "report/report.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "report/format.h"
#include "util/file.h"

namespace tenantshift {
namespace {

using Json = nlohmann::json;

constexpr size_t kColumns = 7;
using Row = std::array<std::string, kColumns>;
// Right-aligned (numeric) columns of the summary table.
constexpr std::array<bool, kColumns> kRightAligned = {false, true, true, true, true, false, false};

// ---- JSON ----

Json TableJson(const TableReport& t) {
  return Json{{"schema", t.schema},
              {"table", t.table},
              {"succeeded", t.succeeded},
              {"rows", t.rows},
              {"bytes", t.bytes},
              {"seconds", t.seconds},
              {"stage_seconds", t.stage_seconds},
              {"load_seconds", t.load_seconds},
              {"staged_files", t.staged_files},
              {"validation", t.validation},
              {"source_rows", t.source_rows},
              {"target_rows", t.target_rows},
              {"source_checksum", t.source_checksum},
              {"target_checksum", t.target_checksum},
              {"error", t.error},
              {"cause", t.cause},
              {"attempts", t.attempts}};
}

Json TimelineJson(const TimelineEntry& e) {
  return Json{{"phase", e.phase},
              {"step", e.step},
              {"kind", e.kind},
              {"schema", e.schema},
              {"table", e.table},
              {"worker", e.worker},
              {"started_at", e.started_at},
              {"finished_at", e.finished_at},
              {"seconds", std::max(0.0, e.finished_at - e.started_at)},
              {"attempts", e.attempts},
              {"retried_at", e.retried_at},
              {"state", e.state},
              {"earlier_run", e.earlier_run}};
}

Json FailedTableJson(const TableReport& t) {
  return Json{{"table", t.table},     {"schema", t.schema},
              {"error", t.error},     {"cause", t.cause},
              {"rows", t.rows},       {"bytes", t.bytes},
              {"seconds", t.seconds}, {"validation", t.validation}};
}

int64_t CountSucceeded(const MigrationReport& report) {
  int64_t n = 0;
  for (const TableReport& t : report.tables) n += t.succeeded ? 1 : 0;
  return n;
}

// ---- Atomic file write ----

// ---- Summary table ----

std::string QualifiedName(const TableReport& t) { return StrCat({t.schema, ".", t.table}); }

Row TableRow(const TableReport& t) {
  return Row{SanitizeLine(QualifiedName(t)),
             WithThousands(t.rows),
             HumanBytes(t.bytes),
             HumanDuration(t.seconds),
             t.seconds > 0 ? HumanCount(static_cast<double>(t.rows) / t.seconds) : "-",
             SanitizeLine(t.validation),
             t.succeeded ? "ok" : "FAILED"};
}

Row TotalsRow(const MigrationReport& report) {
  int64_t rows = 0;
  int64_t bytes = 0;
  for (const TableReport& t : report.tables) {
    rows += t.rows;
    bytes += t.bytes;
  }
  const int64_t failed = static_cast<int64_t>(report.tables.size()) - CountSucceeded(report);
  const double s = report.seconds;
  return Row{"Total",
             WithThousands(rows),
             HumanBytes(bytes),
             HumanDuration(s),
             s > 0 ? HumanCount(static_cast<double>(rows) / s) : "-",
             "",
             failed > 0 ? StringPrintf("%lld FAILED", static_cast<long long>(failed)) : "ok"};
}

std::array<int, kColumns> ColumnWidths(const std::vector<Row>& rows) {
  std::array<int, kColumns> widths{};
  for (const Row& row : rows) {
    for (size_t c = 0; c < kColumns; ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  return widths;
}

std::string RenderRow(const Row& row, const std::array<int, kColumns>& widths) {
  std::string line;
  for (size_t c = 0; c < kColumns; ++c) {
    if (c > 0) line += " | ";
    line += kRightAligned[c] ? PadLeft(row[c], widths[c]) : PadRight(row[c], widths[c]);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string RenderRule(const std::array<int, kColumns>& widths) {
  std::string line;
  for (size_t c = 0; c < kColumns; ++c) {
    if (c > 0) line += "-+-";
    line.append(static_cast<size_t>(widths[c]), '-');
  }
  return line + "\n";
}

std::string FailureDetails(const MigrationReport& report) {
  std::string out;
  for (const TableReport& t : report.tables) {
    if (t.succeeded) continue;
    if (out.empty()) out = "Failed tables:\n";
    out += StrCat({"  ", SanitizeLine(QualifiedName(t)), ": ", SanitizeLine(t.error)});
    if (!t.cause.empty()) out += StrCat({" (", SanitizeLine(t.cause), ")"});
    out += "\n";
  }
  return out;
}

std::string StepFailureDetails(const MigrationReport& report) {
  std::string out;
  for (const StepReport& s : report.failed_steps) {
    if (out.empty()) out = "Failed or blocked steps:\n";
    out += StrCat({"  ", s.blocked ? "blocked" : "FAILED", " [", SanitizeLine(s.phase), "] ",
                   SanitizeLine(s.step), ": ", SanitizeLine(s.error)});
    if (!s.cause.empty() && !s.blocked) out += StrCat({" (", SanitizeLine(s.cause), ")"});
    out += "\n";
  }
  return out;
}

std::string CountsLine(const MigrationReport& report) {
  const auto total = static_cast<long long>(report.tables.size());
  const auto succeeded = static_cast<long long>(CountSucceeded(report));
  return StringPrintf("%lld %s: %lld succeeded, %lld failed\n", total,
                      total == 1 ? "table" : "tables", succeeded, total - succeeded);
}

}  // namespace

nlohmann::json ToJson(const MigrationReport& report) {
  Json succeeded = Json::array(), failed = Json::array(), tables = Json::array();
  for (const TableReport& t : report.tables) {
    if (t.succeeded) {
      succeeded.push_back(t.table);
    } else {
      failed.push_back(FailedTableJson(t));
    }
    tables.push_back(TableJson(t));
  }
  Json steps = Json::array();
  for (const StepReport& s : report.failed_steps) {
    steps.push_back(Json{{"phase", s.phase},
                         {"step", s.step},
                         {"state", s.blocked ? "blocked" : "failed"},
                         {"error", s.error},
                         {"cause", s.cause}});
  }
  Json manual = Json::array();
  for (const ManualTask& m : report.manual_steps) {
    manual.push_back(Json{{"what", m.what}, {"why", m.why}, {"sql", m.sql}});
  }
  Json timeline = Json::array();
  for (const TimelineEntry& e : report.timeline) timeline.push_back(TimelineJson(e));
  return Json{{"timestamp", report.timestamp},
              {"tenant", report.tenant},
              {"schemas", report.schemas},
              {"total_tables", report.tables.size()},
              {"succeeded_count", succeeded.size()},
              {"failed_count", failed.size()},
              {"succeeded_tables", succeeded},
              {"failed_tables", failed},
              {"source", report.source},
              {"target", report.target},
              {"tool_version", report.tool_version},
              {"seconds", report.seconds},
              {"object_counts", report.object_counts},
              {"warnings", report.warnings},
              {"manual_steps", manual},
              {"principals", report.principals},
              {"exit_code", report.exit_code},
              {"failed_steps", steps},
              {"tables", tables},
              {"jobs", report.jobs},
              {"timeline", timeline}};
}

nlohmann::json RetryFailedTables(const MigrationReport& report) {
  Json tables = Json::array();
  for (const TableReport& t : report.tables) {
    if (!t.succeeded) tables.push_back(Json{{"schema", t.schema}, {"table", t.table}});
  }
  return Json{{"tenant", report.tenant}, {"schemas", report.schemas}, {"tables", tables}};
}

Status WriteJsonFile(const std::string& path, const nlohmann::json& json) {
  return WriteFileAtomically(path, json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

std::string SummaryTable(const MigrationReport& report) {
  std::vector<Row> rows{{"Schema.Table", "Rows", "Size", "Time", "Rows/s", "Validation", "Status"}};
  for (const TableReport& t : report.tables) rows.push_back(TableRow(t));
  const Row totals = TotalsRow(report);
  rows.push_back(totals);
  const std::array<int, kColumns> widths = ColumnWidths(rows);
  rows.pop_back();

  std::string out = RenderRow(rows[0], widths) + RenderRule(widths);
  for (size_t i = 1; i < rows.size(); ++i) out += RenderRow(rows[i], widths);
  out += RenderRule(widths) + RenderRow(totals, widths);
  out += FailureDetails(report);
  out += StepFailureDetails(report);
  if (const size_t n = report.warnings.size(); n > 0) {
    out += StringPrintf("%zu %s\n", n, n == 1 ? "warning" : "warnings");
  }
  if (const size_t n = report.manual_steps.size(); n > 0) {
    out += StringPrintf("%zu manual %s left to do (see migration_report.json)\n", n,
                        n == 1 ? "step" : "steps");
  }
  return out + CountsLine(report);
}

}  // namespace tenantshift
