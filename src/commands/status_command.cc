// `tenantshift status`: what the ledger of a work directory says, for people or as JSON.
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "commands/cutover_follow.h"
#include "commands/migration.h"
#include "connect/conn_spec.h"
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

Result<std::unique_ptr<Session>> Connect(const std::string& conn, const std::string& role) {
  Result<ConnSpec> spec = ResolveConnSpec(conn);
  if (!spec.ok()) return spec.status().WithContext(role);
  return LibpqConnector()(*spec, role);
}

// migrate --follow recorded here: the replication lag, or what is left on the servers (a slot
// left behind keeps the source's WAL until its disk is full).
nlohmann::json FollowStatus(Ledger& ledger, const std::string& work_dir, std::ostream& out) {
  Result<nlohmann::json> record = ledger.LoadRecord("follow");
  Result<std::optional<RunIdentity>> id = ledger.LoadIdentity();
  if (!record.ok() || record->is_null() || !id.ok() || !*id) return nullptr;
  FollowNames names = FollowNamesFor(RunApplicationName(work_dir));
  Result<std::unique_ptr<Session>> src = Connect((*id)->source, "source");
  Result<std::unique_ptr<Session>> dst = Connect((*id)->target, "target");
  Result<FollowLag> lag =
      MeasureLag(src.ok() ? src->get() : nullptr, dst.ok() ? dst->get() : nullptr, names);
  if (!lag.ok() || !src.ok() || !dst.ok()) {
    Status why = !src.ok() ? src.status() : !dst.ok() ? dst.status() : lag.status();
    out << "follow: cannot measure the lag: " << SanitizeLine(why.message()) << "\n";
    return {{"error", why.message()}};
  }
  nlohmann::json j = {{"slot", lag->slot_exists},
                      {"publication", lag->publication_exists},
                      {"subscription", lag->subscription_exists},
                      {"lag_bytes", lag->bytes},
                      {"lag_seconds", lag->seconds}};
  if (lag->slot_exists && lag->subscription_exists) {
    out << fmt::format("follow: streaming; lag {} ({} bytes), {}\n", HumanBytes(lag->bytes),
                       lag->bytes,
                       lag->seconds < 0 ? std::string("no WAL sender serves the subscription")
                                        : fmt::format("{:.1f} s behind", lag->seconds));
  } else if (lag->slot_exists || lag->publication_exists || lag->subscription_exists) {
    out << fmt::format(
        "warning: follow left {}{}{} behind{}; `tenantshift cutover --cleanup-follow --work-dir "
        "{}` "
        "drops them\n",
        lag->slot_exists ? "the replication slot " + names.slot + " on the source, " : "",
        lag->publication_exists ? "the publication " + names.publication + " on the source, " : "",
        lag->subscription_exists ? "the subscription " + names.subscription + " on the target, "
                                 : "",
        lag->slot_exists ? " (the slot keeps the source's WAL: its disk fills)" : "", work_dir);
  }
  return j;
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
  std::ostringstream follow_text;
  nlohmann::json follow = FollowStatus(**ledger, o.work_dir, follow_text);
  if (o.json) {
    out << nlohmann::json{{"run", *run},  {"follow", follow}, {"counts", counts},
                          {"rows", rows}, {"bytes", bytes},   {"steps", list}}
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
  out << follow_text.str();
  out << "tables:\n";
  PrintTables(*steps, out);
  return kExitOk;
}

}  // namespace tenantshift
