// migration_report.html: the run's report for people, rendered from migration_report.json
// (ToJson in report.h), so the page and the JSON always tell the same story and `tenantshift
// report --work-dir DIR` can render it again later from the JSON alone.
//
// One self-contained file that works offline: inline CSS, an inline SVG timeline, and a few
// lines of inline JavaScript that only sort tables; no fonts, images, scripts or styles from
// anywhere else. Sections: outcome and exit code, totals, a timeline with one lane per worker
// (each step a bar with a hover title; failed steps and retried attempts marked) followed by a
// table of the same figures, the per-table figures, object counts, principals with the reason
// each moved, failed steps, manual steps, warnings, conflicts and, after a cutover, the freeze
// window. Every text from the report (identifiers are hostile) is HTML-escaped. The JSON report
// holds no secret, and nothing else goes into the page.
//
// Elements tests and tools may rely on: #total-tables, #total-succeeded, #total-failed,
// #total-rows, #total-bytes, #exit-code (each with a data-value attribute holding the exact
// number), svg#timeline with one rect.bar per timeline step (data-kind="copy"|"validate"|"sql",
// class "failed" when it failed, "retried" when tried again), table#tables.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/status.h"

namespace tenantshift {

inline constexpr const char* kJsonReportName = "migration_report.json";
inline constexpr const char* kHtmlReportName = "migration_report.html";

// The page for a report as ToJson(MigrationReport) writes it; missing keys are shown as absent
// rather than failing, so reports written by older versions still render.
std::string HtmlReport(const nlohmann::json& report);

// Writes HtmlReport(report) to `path` atomically (as WriteJsonFile does, mode 0600).
Status WriteHtmlReport(const std::string& path, const nlohmann::json& report);

// `s` with &, <, >, " and ' replaced by character references; safe in text and in quoted
// attribute values. Invalid UTF-8 is passed through byte for byte.
std::string HtmlEscape(std::string_view s);

}  // namespace tenantshift
