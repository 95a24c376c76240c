#include "report/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <vector>

#include "report/format.h"
#include "util/file.h"

namespace tenantshift {
namespace {

using Json = nlohmann::json;

// ---- Reading the JSON leniently ----

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double Num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

int64_t Int(const Json& j, const char* key) { return std::llround(Num(j, key)); }

const Json& Arr(const Json& j, const char* key) {
  static const Json kEmpty = Json::array();
  auto it = j.find(key);
  return it != j.end() && (it->is_array() || it->is_object()) ? *it : kEmpty;
}

std::string E(std::string_view s) { return HtmlEscape(s); }

std::string Qualified(const Json& t) {
  std::string schema = Str(t, "schema"), table = Str(t, "table");
  return schema.empty() ? table : schema + "." + table;
}

// ---- Outcome ----

const char* ExitMeaning(int64_t code) {
  switch (code) {
    case 0:
      return "success: everything migrated and every table matched";
    case 1:
      return "finished, but a table or another step failed or did not match";
    case 5:
      return "internal error";
    case 6:
      return "stopped early: more tables failed than --max-failed-tables allows";
    case 8:
      return "done, but manual steps remain that a person must do";
    case 130:
      return "interrupted (resume continues)";
    default:
      return "the run did not finish";
  }
}

const char* OutcomeClass(int64_t code) { return code == 0 ? "ok" : code == 8 ? "manual" : "bad"; }

std::string Figure(const char* id, const std::string& label, int64_t value,
                   const std::string& shown) {
  return StringPrintf(
      "<div class=\"fig\"><div class=\"v\" id=\"%s\" data-value=\"%lld\">%s</div>"
      "<div class=\"l\">%s</div></div>\n",
      id, static_cast<long long>(value), E(shown).c_str(), E(label).c_str());
}

std::string Header(const Json& r) {
  const int64_t code = Int(r, "exit_code");
  std::string out = "<header>\n<h1>tenantshift migration report</h1>\n";
  out += StrCat({"<p class=\"tenant\">", E(Str(r, "tenant")), "</p>\n"});
  out += StringPrintf(
      "<p class=\"outcome %s\">Exit code <b id=\"exit-code\" data-value=\"%lld\">"
      "%lld</b>: %s</p>\n",
      OutcomeClass(code), static_cast<long long>(code), static_cast<long long>(code),
      ExitMeaning(code));
  out += "<dl class=\"meta\">";
  for (const auto& [key, label] :
       std::vector<std::pair<const char*, const char*>>{{"timestamp", "Started"},
                                                        {"source", "Source"},
                                                        {"target", "Target"},
                                                        {"tool_version", "tenantshift"}}) {
    out += StrCat({"<dt>", label, "</dt><dd>", E(Str(r, key)), "</dd>"});
  }
  return out + "</dl>\n</header>\n";
}

std::string Totals(const Json& r) {
  int64_t rows = 0, bytes = 0;
  for (const Json& t : Arr(r, "tables")) rows += Int(t, "rows"), bytes += Int(t, "bytes");
  const double seconds = Num(r, "seconds");
  std::string out = "<section id=\"totals\"><h2>Totals</h2><div class=\"figs\">\n";
  out += Figure("total-tables", "tables", Int(r, "total_tables"),
                WithThousands(Int(r, "total_tables")));
  out += Figure("total-succeeded", "succeeded", Int(r, "succeeded_count"),
                WithThousands(Int(r, "succeeded_count")));
  out += Figure("total-failed", "failed", Int(r, "failed_count"),
                WithThousands(Int(r, "failed_count")));
  out += Figure("total-rows", "rows", rows, WithThousands(rows));
  out += Figure("total-bytes", "copied", bytes, HumanBytes(bytes));
  out += Figure("total-seconds", "wall time", std::llround(seconds), HumanDuration(seconds));
  out += Figure("total-rate", "overall", std::llround(seconds > 0 ? bytes / seconds : 0),
                seconds > 0 ? FormatByteRate(bytes / seconds) : "-");
  return out + "</div></section>\n";
}

// ---- Timeline ----

// Bar colour class: the step's kind, or for SQL steps the phase groups the page tells apart.
std::string BarClass(const Json& e) {
  const std::string kind = Str(e, "kind"), phase = Str(e, "phase");
  if (kind == "copy" || kind == "validate") return "k-" + kind;
  if (phase == "indexes") return "k-index";
  if (phase == "constraints" || phase == "foreign keys") return "k-constraint";
  if (phase == "analyze") return "k-analyze";
  return "k-sql";
}

struct Scale {
  double t0 = 0, span = 1;
  static constexpr double kLeft = 110, kWidth = 870, kLane = 24, kTop = 26;
  double X(double t) const { return kLeft + (t - t0) / span * kWidth; }
};

std::string LaneName(int64_t worker) {
  return worker < 0 ? "earlier run" : StringPrintf("worker %lld", static_cast<long long>(worker));
}

std::string BarTitle(const Json& e, double t0) {
  std::string t = StrCat({Str(e, "step"), " [", Str(e, "phase"), "] ", Str(e, "state")});
  t += StringPrintf("\nstart +%.2fs, %.2fs", Num(e, "started_at") - t0,
                    Num(e, "finished_at") - Num(e, "started_at"));
  if (Int(e, "attempts") > 1) {
    t += StringPrintf(", %lld attempts", static_cast<long long>(Int(e, "attempts")));
  }
  return t;
}

std::string Bar(const Json& e, const Scale& sc, double y) {
  const double x = sc.X(Num(e, "started_at"));
  const double w = std::max(1.5, sc.X(Num(e, "finished_at")) - x);
  std::string cls = "bar " + BarClass(e);
  if (Str(e, "state") == "failed") cls += " failed";
  if (Int(e, "attempts") > 1) cls += " retried";
  std::string out = StringPrintf(
      "<rect class=\"%s\" data-kind=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
      "<title>%s</title></rect>",
      cls.c_str(), E(Str(e, "kind")).c_str(), x, y + 3, w, Scale::kLane - 6,
      E(BarTitle(e, sc.t0)).c_str());
  for (const Json& at : Arr(e, "retried_at")) {
    if (!at.is_number()) continue;
    double rx = sc.X(at.get<double>());
    out += StringPrintf(
        "<line class=\"retry-mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
        "y2=\"%.1f\"><title>attempt failed, tried again</title></line>",
        rx, rx, y + 1, y + Scale::kLane - 1);
  }
  return out + "\n";
}

std::string Axis(const Scale& sc, double height) {
  std::string out;
  for (int i = 0; i <= 5; ++i) {
    double t = sc.t0 + sc.span * i / 5;
    double x = sc.X(t);
    out += StringPrintf(
        "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
        "<text class=\"tick\" x=\"%.1f\" y=\"16\">%s</text>\n",
        x, x, Scale::kTop - 4, height, x, E(HumanDuration(sc.span * i / 5)).c_str());
  }
  return out;
}

std::string Legend() {
  std::string out = "<p class=\"legend\">";
  for (const auto& [cls, label] : std::vector<std::pair<const char*, const char*>>{
           {"k-copy", "copy"},
           {"k-index", "index build"},
           {"k-constraint", "constraint build"},
           {"k-validate", "validation"},
           {"k-analyze", "ANALYZE"},
           {"k-sql", "other SQL"},
           {"failed", "failed"},
           {"retried", "retried (marks: failed attempts)"}}) {
    out += StrCat({"<span class=\"key ", cls, "\"></span>", label, " "});
  }
  return out + "</p>\n";
}

std::string TimelineFigures(const Json& timeline, double t0) {
  std::string out =
      "<details class=\"figures\"><summary>Timeline figures</summary>\n<table class=\"sortable\">"
      "<thead><tr><th>Lane</th><th>Step</th><th>Phase</th><th class=\"n\">Start (s)</th>"
      "<th class=\"n\">Seconds</th><th class=\"n\">Attempts</th><th>State</th></tr></thead>"
      "<tbody>\n";
  for (const Json& e : timeline) {
    const double start = Num(e, "started_at") - t0;
    const double secs = Num(e, "finished_at") - Num(e, "started_at");
    out += StrCat({"<tr><td>", E(LaneName(Int(e, "worker"))), "</td><td>", E(Str(e, "step")),
                   "</td><td>", E(Str(e, "phase")), "</td>"});
    out += StringPrintf(
        "<td class=\"n\" data-sort=\"%.3f\">%.2f</td>"
        "<td class=\"n\" data-sort=\"%.3f\">%.2f</td><td class=\"n\">%lld</td>",
        start, start, secs, secs, static_cast<long long>(Int(e, "attempts")));
    out += StrCat({"<td>", E(Str(e, "state")), "</td></tr>\n"});
  }
  return out + "</tbody></table></details>\n";
}

std::string TimelineSection(const Json& r) {
  const Json& timeline = Arr(r, "timeline");
  std::string out = "<section id=\"timeline-section\"><h2>Timeline</h2>\n";
  if (timeline.empty()) {
    return out +
           "<p>No step timings were recorded for this run.</p>\n<svg id=\"timeline\" "
           "width=\"0\" height=\"0\"></svg></section>\n";
  }
  Scale sc;
  double t1 = 0;
  sc.t0 = Num(timeline[0], "started_at");
  std::set<int64_t> workers;
  for (const Json& e : timeline) {
    sc.t0 = std::min(sc.t0, Num(e, "started_at"));
    t1 = std::max(t1, Num(e, "finished_at"));
    workers.insert(Int(e, "worker"));
  }
  sc.span = std::max(t1 - sc.t0, 0.001);
  std::map<int64_t, double> lane_y;
  for (int64_t w : workers) {
    lane_y[w] = Scale::kTop + Scale::kLane * static_cast<double>(lane_y.size());
  }
  const double height = Scale::kTop + Scale::kLane * static_cast<double>(workers.size()) + 4;
  out += Legend();
  out += StringPrintf(
      "<svg id=\"timeline\" viewBox=\"0 0 1000 %.0f\" role=\"img\" "
      "aria-label=\"steps over time, one lane per worker\">\n",
      height);
  for (const auto& [w, y] : lane_y) {
    out += StringPrintf(
        "<rect class=\"lane\" x=\"0\" y=\"%.1f\" width=\"1000\" height=\"%.1f\"/>"
        "<text class=\"lane\" x=\"4\" y=\"%.1f\">%s</text>\n",
        y, Scale::kLane, y + 16, E(LaneName(w)).c_str());
  }
  out += Axis(sc, height);
  for (const Json& e : timeline) out += Bar(e, sc, lane_y[Int(e, "worker")]);
  out += "</svg>\n";
  return out + TimelineFigures(timeline, sc.t0) + "</section>\n";
}

// ---- Tables, principals, problems ----

std::string NumCell(double sort, const std::string& shown) {
  return StringPrintf("<td class=\"n\" data-sort=\"%.6g\">%s</td>", sort, E(shown).c_str());
}

std::string TableRow(const Json& t) {
  const double secs = Num(t, "seconds");
  const int64_t rows = Int(t, "rows"), bytes = Int(t, "bytes");
  const bool ok = t.value("succeeded", false);
  std::string out =
      StrCat({"<tr class=\"", ok ? "ok" : "bad", "\"><td>", E(Qualified(t)), "</td>"});
  out += NumCell(static_cast<double>(rows), WithThousands(rows));
  out += NumCell(static_cast<double>(bytes), HumanBytes(bytes));
  out += NumCell(secs, StringPrintf("%.2f", secs));
  out += NumCell(secs > 0 ? rows / secs : 0, secs > 0 ? HumanCount(rows / secs) + "/s" : "-");
  out += NumCell(secs > 0 ? bytes / secs : 0, secs > 0 ? FormatByteRate(bytes / secs) : "-");
  out += StrCat({"<td>", E(Str(t, "validation")), "</td>"});
  out += NumCell(static_cast<double>(Int(t, "attempts")), std::to_string(Int(t, "attempts")));
  std::string status = ok ? "ok" : "FAILED: " + Str(t, "error");
  if (!ok && !Str(t, "cause").empty()) status += " (" + Str(t, "cause") + ")";
  return out + StrCat({"<td>", E(status), "</td></tr>\n"});
}

std::string TablesSection(const Json& r) {
  std::vector<const Json*> tables;
  for (const Json& t : Arr(r, "tables")) tables.push_back(&t);
  // Where the time went first; failed tables before all others.
  std::stable_sort(tables.begin(), tables.end(), [](const Json* a, const Json* b) {
    bool fa = !a->value("succeeded", false), fb = !b->value("succeeded", false);
    if (fa != fb) return fa;
    return Num(*a, "seconds") > Num(*b, "seconds");
  });
  std::string out =
      "<section><h2>Tables</h2>\n<p class=\"hint\">Failed tables first, then by time; click a "
      "heading to sort.</p>\n<table id=\"tables\" class=\"sortable\"><thead><tr><th>Table</th>"
      "<th class=\"n\">Rows</th><th class=\"n\">Bytes</th><th class=\"n\">Seconds</th>"
      "<th class=\"n\">Rows/s</th><th class=\"n\">Bytes/s</th><th>Validation</th>"
      "<th class=\"n\">Attempts</th><th>Status</th></tr></thead><tbody>\n";
  for (const Json* t : tables) out += TableRow(*t);
  return out + "</tbody></table></section>\n";
}

std::string KeyValueSection(const char* id, const char* title, const Json& map,
                            const char* key_head, const char* value_head) {
  std::string out = StrCat({"<section id=\"", id, "\"><h2>", title, "</h2>\n"});
  if (map.empty()) return out + "<p>None.</p></section>\n";
  out += StrCat(
      {"<table><thead><tr><th>", key_head, "</th><th>", value_head, "</th></tr></thead><tbody>\n"});
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    out += StrCat({"<tr><td>", E(it.key()), "</td><td>", E(value), "</td></tr>\n"});
  }
  return out + "</tbody></table></section>\n";
}

std::string ListSection(const char* id, const char* title, const Json& items) {
  std::string out = StrCat({"<section id=\"", id, "\"><h2>", title, "</h2>\n"});
  if (items.empty()) return out + "<p>None.</p></section>\n";
  out += "<ul>\n";
  for (const Json& w : items) {
    out += StrCat({"<li>", E(w.is_string() ? w.get<std::string>() : w.dump()), "</li>\n"});
  }
  return out + "</ul></section>\n";
}

std::string ManualSection(const Json& r) {
  const Json& manual = Arr(r, "manual_steps");
  std::string out = "<section id=\"manual\"><h2>Manual steps</h2>\n";
  if (manual.empty()) return out + "<p>None.</p></section>\n";
  out += "<ol>\n";
  for (const Json& m : manual) {
    out += StrCat({"<li><b>", E(Str(m, "what")), "</b>: ", E(Str(m, "why"))});
    if (!Str(m, "sql").empty()) out += StrCat({"<pre>", E(Str(m, "sql")), "</pre>"});
    out += "</li>\n";
  }
  return out + "</ol></section>\n";
}

std::string FailedStepsSection(const Json& r) {
  const Json& steps = Arr(r, "failed_steps");
  if (steps.empty()) return "";
  std::string out =
      "<section id=\"failed-steps\"><h2>Failed and blocked steps</h2>\n<table><thead><tr>"
      "<th>State</th><th>Phase</th><th>Step</th><th>Error</th><th>Cause</th></tr></thead>"
      "<tbody>\n";
  for (const Json& s : steps) {
    out += StrCat({"<tr class=\"bad\"><td>", E(Str(s, "state")), "</td><td>", E(Str(s, "phase")),
                   "</td><td>", E(Str(s, "step")), "</td><td>", E(Str(s, "error")), "</td><td>",
                   E(Str(s, "cause")), "</td></tr>\n"});
  }
  return out + "</tbody></table></section>\n";
}

std::string CutoverSection(const Json& r) {
  auto it = r.find("cutover");
  if (it == r.end() || !it->is_object()) return "";
  const Json& c = *it;
  std::string out = "<section id=\"cutover\"><h2>Cutover</h2>\n<dl class=\"meta\">";
  out += StrCat({"<dt>Consumer</dt><dd>", E(Str(c, "consumer")), "</dd>"});
  out += StrCat({"<dt>Switched at</dt><dd>", E(Str(c, "switched_at")), "</dd>"});
  if (!Str(c, "freeze_started_at").empty()) {
    out += StrCat({"<dt>Freeze window</dt><dd id=\"freeze-window\">",
                   E(Str(c, "freeze_started_at")), " to ", E(Str(c, "switched_at")), " (",
                   E(HumanDuration(Num(c, "freeze_seconds"))), ")</dd>"});
    std::string roles;
    for (const Json& name : Arr(c, "frozen_roles")) {
      if (!name.is_string()) continue;
      roles += (roles.empty() ? "" : ", ") + name.get<std::string>();
    }
    out += StrCat({"<dt>Frozen roles</dt><dd>", E(roles.empty() ? "none" : roles), "</dd>"});
  } else {
    out += "<dt>Freeze window</dt><dd id=\"freeze-window\">none (the source was not frozen)</dd>";
  }
  return out + "</dl></section>\n";
}

constexpr const char kStyle[] = R"css(
:root{--fg:#1d2329;--mute:#5b6670;--line:#d5dbe1;--ok:#1f7a45;--bad:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:16px 24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid var(--line);padding-bottom:3px}
.tenant{font-weight:600;margin:0 0 6px;word-break:break-all}
.outcome{padding:6px 10px;border-radius:4px;display:inline-block;margin:4px 0}
.outcome.ok{background:#e3f4ea;color:var(--ok)}.outcome.manual{background:#fdf1dc;color:var(--warn)}.outcome.bad{background:#fbe4e2;color:var(--bad)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dl.meta dt{color:var(--mute)}dl.meta dd{margin:0;word-break:break-all}
.figs{display:flex;flex-wrap:wrap;gap:10px}.fig{border:1px solid var(--line);border-radius:4px;padding:6px 12px;min-width:110px}
.fig .v{font-size:18px;font-weight:600}.fig .l{color:var(--mute);font-size:12px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f3f5f7;white-space:nowrap}#principals td:first-child,#objects td:first-child{white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.sortable th{cursor:pointer}tr.bad td{color:var(--bad)}
pre{background:#f6f8fa;padding:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.hint{color:var(--mute);font-size:12px;margin:0}
svg#timeline{width:100%;height:auto;border:1px solid var(--line)}
rect.lane{fill:#fafbfc;stroke:#eef1f4}text.lane{font-size:11px;fill:var(--mute)}text.tick{font-size:10px;fill:var(--mute);text-anchor:middle}line.tick{stroke:#e3e7eb}
rect.bar{stroke:#fff;stroke-width:.5}.k-copy{fill:#3b7dd8;background:#3b7dd8}.k-index{fill:#e39b2d;background:#e39b2d}.k-constraint{fill:#8e5bd0;background:#8e5bd0}
.k-validate{fill:#2fa36b;background:#2fa36b}.k-analyze{fill:#7a8a99;background:#7a8a99}.k-sql{fill:#b9c2cc;background:#b9c2cc}
rect.bar.failed,.key.failed{fill:#d93025;background:#d93025}rect.bar.retried{stroke:#111;stroke-width:1.5;stroke-dasharray:3 2}.key.retried{border:2px dashed #111}
line.retry-mark{stroke:#111;stroke-width:2}
.legend{font-size:12px;color:var(--mute)}.key{display:inline-block;width:12px;height:10px;margin:0 3px 0 8px;vertical-align:middle}
details.figures summary{cursor:pointer;color:var(--mute)}
@media print{body{max-width:none;padding:0;font-size:11px}.hint,details.figures summary{display:none}
section{break-inside:auto}tr,rect{break-inside:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
table.sortable th{cursor:auto}}
)css";

// Sorts a table.sortable by the clicked column: numbers by data-sort, text otherwise. Opens
// the collapsed figures before printing, so paper shows them too.
constexpr const char kScript[] = R"js(
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var desc = th.getAttribute('data-dir') !== 'desc';
      th.setAttribute('data-dir', desc ? 'desc' : 'asc');
      var key = function (row) {
        var cell = row.cells[col];
        var n = cell.getAttribute('data-sort');
        return n === null ? cell.textContent : parseFloat(n);
      };
      Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return desc ? -c : c;
      }).forEach(function (row) { body.appendChild(row); });
    });
  });
});
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
});
)js";

}  // namespace

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlReport(const Json& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n";
  out += StrCat({"<title>tenantshift report: ", E(Str(r, "tenant")), "</title>\n<style>", kStyle,
                 "</style></head><body>\n"});
  out += Header(r) + Totals(r) + TimelineSection(r) + TablesSection(r);
  out += KeyValueSection("objects", "Objects", Arr(r, "object_counts"), "Kind", "Count");
  out += KeyValueSection("principals", "Principals moved", Arr(r, "principals"), "Role",
                         "Why it moved");
  out += FailedStepsSection(r) + ManualSection(r);
  out += ListSection("warnings", "Warnings", Arr(r, "warnings"));
  out += ListSection("conflicts", "Conflicts", Arr(r, "conflicts"));
  out += CutoverSection(r);
  return out + StrCat({"<script>", kScript, "</script>\n</body></html>\n"});
}

Status WriteHtmlReport(const std::string& path, const Json& report) {
  return WriteFileAtomically(path, HtmlReport(report));
}

}  // namespace tenantshift
