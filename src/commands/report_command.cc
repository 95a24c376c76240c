#include "commands/report_command.h"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "commands/exit_code.h"
#include "report/html_report.h"
#include "report/report.h"

namespace tenantshift {
namespace {

std::string ReportPath(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

Result<nlohmann::json> ReadReport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Internal(path + " is not a JSON object (was it written by tenantshift?)");
  }
  return doc;
}

}  // namespace

int RunReport(const ReportOptions& options, std::ostream& out, std::ostream& err) {
  const std::string json_path = ReportPath(options.work_dir, kJsonReportName);
  if (!std::filesystem::exists(json_path)) {
    return FailWith(kExitState,
                    Status::InvalidArgument("no " + std::string(kJsonReportName) + " in " +
                                            options.work_dir + ": run migrate first"),
                    err);
  }
  Result<nlohmann::json> report = ReadReport(json_path);
  if (!report.ok()) return FailWith(kExitInternal, report.status(), err);
  const std::string html_path = ReportPath(options.work_dir, kHtmlReportName);
  Status s = WriteHtmlReport(html_path, *report);
  if (!s.ok()) return FailWith(kExitInternal, s, err);
  out << "report (HTML): " << html_path << "\n";
  return kExitOk;
}

Status AddCutoverToReport(const std::string& work_dir, const nlohmann::json& cutover) {
  const std::string json_path = ReportPath(work_dir, kJsonReportName);
  if (!std::filesystem::exists(json_path)) return Status::Ok();
  Result<nlohmann::json> report = ReadReport(json_path);
  if (!report.ok()) return report.status();
  (*report)["cutover"] = cutover;
  Status s = WriteJsonFile(json_path, *report);
  if (!s.ok()) return s;
  return WriteHtmlReport(ReportPath(work_dir, kHtmlReportName), *report);
}

}  // namespace tenantshift
