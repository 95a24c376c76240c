// `tenantshift status`: what the ledger of a work directory says, for people or as JSON.
#include <fmt/format.h>

#include <map>

#include "commands/migration.h"
#include "report/format.h"
#include "state/ledger.h"

namespace tenantshift {
namespace {

nlohmann::json StepJson(const StepRecord& r) {
  nlohmann::json j = {{"key", r.key},     {"phase", r.phase},       {"description", r.description},
                      {"state", r.state}, {"attempts", r.attempts}, {"seconds", r.seconds},
                      {"rows", r.rows},   {"bytes", r.bytes}};
  if (!r.table_name.empty()) j["table"] = {{"schema", r.table_schema}, {"name", r.table_name}};
  if (!r.error.empty()) j["error"] = r.error;
  if (!r.sqlstate.empty()) j["sqlstate"] = r.sqlstate;
  return j;
}

std::string RunLine(const nlohmann::json& run) {
  if (run.empty()) return "no run recorded";
  std::string state = run["exit_code"].is_null()
                          ? "running or stopped abruptly (pid " + run["pid"].dump() + ")"
                          : "finished with exit code " + run["exit_code"].dump();
  return fmt::format("last run: {} — {}", run.value("command", "?"), state);
}

void PrintTables(const std::map<std::string, StepRecord>& steps, std::ostream& out) {
  for (const auto& [key, r] : steps) {
    if (r.phase != "data") continue;
    double rate = r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds : 0;
    out << fmt::format("  {:<9} {}.{}  {} rows  {}  {}\n", r.state, r.table_schema, r.table_name,
                       WithThousands(r.rows), HumanBytes(r.bytes),
                       r.state == "succeeded" ? FormatByteRate(rate) : "");
    if (!r.error.empty()) out << "            " << SanitizeLine(r.error) << "\n";
  }
}

}  // namespace

int RunStatus(const StatusOptions& o, std::ostream& out, std::ostream& err) {
  Result<std::unique_ptr<Ledger>> ledger = Ledger::OpenForReading(o.work_dir);
  if (!ledger.ok()) {
    PrintError(err, ledger.status().ToString());
    return kExitState;
  }
  Result<nlohmann::json> run = (*ledger)->LastRun();
  Result<std::map<std::string, StepRecord>> steps = (*ledger)->LoadSteps();
  if (!run.ok() || !steps.ok()) {
    PrintError(err, (run.ok() ? steps.status() : run.status()).ToString());
    return kExitInternal;
  }
  std::map<std::string, int> counts;
  int64_t rows = 0, bytes = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, r] : *steps) {
    ++counts[r.state];
    if (r.phase == "data" && r.state == "succeeded") rows += r.rows, bytes += r.bytes;
    list.push_back(StepJson(r));
  }
  if (o.json) {
    out << nlohmann::json{{"run", *run},
                          {"counts", counts},
                          {"rows", rows},
                          {"bytes", bytes},
                          {"steps", list}}
               .dump(2)
        << "\n";
    return kExitOk;
  }
  out << RunLine(*run) << "\n";
  std::string summary;
  for (const auto& [state, n] : counts)
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", n, state);
  out << "steps: " << summary << "\n";
  out << fmt::format("copied: {} rows, {}\n", WithThousands(rows), HumanBytes(bytes));
  out << "tables:\n";
  PrintTables(*steps, out);
  return kExitOk;
}

}  // namespace tenantshift
