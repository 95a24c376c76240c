#include "report/html_report.h"

#include <gtest/gtest.h>

#include <regex>

#include "report/report.h"

namespace tenantshift {
namespace {

using Json = nlohmann::json;

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TimelineEntry Entry(std::string kind, std::string phase, int worker, double start, double end) {
  TimelineEntry e;
  e.kind = std::move(kind);
  e.phase = std::move(phase);
  e.step = e.phase + " step";
  e.worker = worker;
  e.started_at = start;
  e.finished_at = end;
  e.attempts = 1;
  e.state = "succeeded";
  return e;
}

// A report with a hostile schema name in every place a name can be shown.
MigrationReport HostileReport() {
  const std::string hostile = "Bill\"ing; $(touch pwned) </td><script>alert(1)</script> & ü";
  MigrationReport r;
  r.tenant = hostile;
  r.schemas = {hostile};
  r.exit_code = 1;
  TableReport ok;
  ok.schema = hostile;
  ok.table = "t<i>x";
  ok.succeeded = true;
  ok.rows = 1234;
  ok.bytes = 5678;
  ok.seconds = 2;
  ok.attempts = 1;
  TableReport bad = ok;
  bad.table = "u";
  bad.succeeded = false;
  bad.rows = 10;
  bad.bytes = 20;
  bad.error = "duplicate key <x>";
  bad.cause = "23505";
  r.tables = {ok, bad};
  TimelineEntry copy = Entry("copy", "data", 0, 100, 102);
  copy.schema = hostile;
  copy.step = "copy " + hostile;
  TimelineEntry retried = Entry("copy", "data", 1, 100.5, 103);
  retried.attempts = 2;
  retried.retried_at = {101.0};
  retried.state = "failed";
  r.timeline = {copy, retried, Entry("sql", "indexes", 0, 102, 102.5),
                Entry("validate", "validate", 1, 103, 104)};
  r.principals = {{"app<1>", "owns table " + hostile}};
  r.manual_steps = {{"create operator " + hostile, "not moved", "CREATE OPERATOR <x>;"}};
  r.warnings = {"warning about " + hostile};
  return r;
}

TEST(HtmlEscape, ReplacesEveryCharacterThatEndsTextOrAnAttribute) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'd ü"), "a&lt;b&gt;&amp;&quot;c&#39;d ü");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(HtmlReport, EscapesHostileNamesEverywhere) {
  const std::string html = HtmlReport(ToJson(HostileReport()));
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(html.find("</td><script>"), std::string::npos);
  EXPECT_EQ(html.find("<i>x"), std::string::npos);
  EXPECT_NE(html.find("t&lt;i&gt;x"), std::string::npos);
  EXPECT_EQ(html.find("app<1>"), std::string::npos);
  EXPECT_NE(html.find("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; ü"),
            std::string::npos);
  EXPECT_NE(html.find("CREATE OPERATOR &lt;x&gt;;"), std::string::npos);
  // The page's only scripts are its own: one <script> element.
  EXPECT_EQ(Count(html, "<script"), 1);
}

TEST(HtmlReport, DrawsOneBarPerTimelineStepWithItsKindAndMarks) {
  const std::string html = HtmlReport(ToJson(HostileReport()));
  EXPECT_EQ(Count(html, "<rect class=\"bar "), 4);
  EXPECT_EQ(Count(html, "data-kind=\"copy\""), 2);
  EXPECT_EQ(Count(html, "data-kind=\"validate\""), 1);
  EXPECT_EQ(Count(html, "class=\"bar k-index\""), 1);
  EXPECT_EQ(Count(html, "class=\"bar k-copy failed retried\""), 1);
  EXPECT_EQ(Count(html, "<line class=\"retry-mark\""), 1);
  // One lane per worker.
  EXPECT_EQ(Count(html, "<rect class=\"lane\""), 2);
  EXPECT_NE(html.find(">worker 0<"), std::string::npos);
  EXPECT_NE(html.find(">worker 1<"), std::string::npos);
}

TEST(HtmlReport, TotalsCarryTheJsonReportsNumbers) {
  const std::string html = HtmlReport(ToJson(HostileReport()));
  EXPECT_NE(html.find("id=\"total-tables\" data-value=\"2\""), std::string::npos);
  EXPECT_NE(html.find("id=\"total-succeeded\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(html.find("id=\"total-failed\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(html.find("id=\"total-rows\" data-value=\"1244\""), std::string::npos);
  EXPECT_NE(html.find("id=\"total-bytes\" data-value=\"5698\""), std::string::npos);
  EXPECT_NE(html.find("id=\"exit-code\" data-value=\"1\""), std::string::npos);
}

TEST(HtmlReport, NeedsNothingFromTheNetwork) {
  const std::string html = HtmlReport(ToJson(HostileReport()));
  EXPECT_FALSE(std::regex_search(html, std::regex("(src|href)\\s*=")));
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST(HtmlReport, ShowsTheFreezeWindowAfterACutover) {
  Json report = ToJson(HostileReport());
  EXPECT_EQ(HtmlReport(report).find("freeze-window"), std::string::npos);
  report["cutover"] = {{"consumer", "secret-file:/tmp/app.json"},
                       {"switched_at", "2026-01-01T10:00:07Z"},
                       {"freeze_started_at", "2026-01-01T10:00:00Z"},
                       {"freeze_seconds", 7.0},
                       {"frozen_roles", {"app", "etl"}}};
  const std::string html = HtmlReport(report);
  EXPECT_NE(html.find("2026-01-01T10:00:00Z to 2026-01-01T10:00:07Z (7.0s)"), std::string::npos)
      << html.substr(html.find("freeze-window"), 200);
  EXPECT_NE(html.find("app, etl"), std::string::npos);
}

TEST(HtmlReport, RendersAnEmptyOrOldReportWithoutFailing) {
  const std::string html = HtmlReport(Json::object());
  EXPECT_NE(html.find("No step timings were recorded"), std::string::npos);
  EXPECT_NE(html.find("id=\"total-tables\" data-value=\"0\""), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

}  // namespace
}  // namespace tenantshift
