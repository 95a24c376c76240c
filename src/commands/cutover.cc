#include "commands/cutover.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <ostream>
#include <set>
#include <thread>

#include "ddl/quote.h"
#include "extract/extractor.h"
#include "plan/principals.h"
#include "report/format.h"
#include "report/report.h"
#include "util/clock.h"

namespace tenantshift {
namespace {

std::string RecordName(const std::string& consumer_ref) { return "cutover " + consumer_ref; }

Result<nlohmann::json> ParseObject(const Secret& text, const std::string& where) {
  nlohmann::json doc = nlohmann::json::parse(text.Reveal(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument(where + " is not a JSON object");
  }
  return doc;
}

// The keys of `doc` that hold the endpoint, and what to write into each.
std::vector<std::pair<std::string, nlohmann::json>> EndpointFields(const nlohmann::json& doc,
                                                                   const ConnEndpoint& target) {
  std::vector<std::pair<std::string, nlohmann::json>> out;
  out.emplace_back(doc.contains("hostname") && !doc.contains("host") ? "hostname" : "host",
                   target.host);
  bool numeric_port = !doc.contains("port") || doc["port"].is_number();
  nlohmann::json port = target.port;
  if (numeric_port && !target.port.empty() &&
      target.port.find_first_not_of("0123456789") == std::string::npos) {
    port = std::stoi(target.port);
  }
  out.emplace_back("port", port);
  bool any_db = false;
  for (const char* key : {"dbname", "database", "db"}) {
    if (!doc.contains(key)) continue;
    out.emplace_back(key, target.dbname);
    any_db = true;
  }
  if (!any_db) out.emplace_back("dbname", target.dbname);
  return out;
}

bool FieldsEqual(const nlohmann::json& doc, const nlohmann::json& fields) {
  for (const auto& [key, value] : fields.items()) {
    nlohmann::json have = doc.contains(key) ? doc[key] : nlohmann::json();
    if (have != value) return false;
  }
  return true;
}

Secret Dump(nlohmann::json& doc) {
  Secret out(doc.dump(2) + "\n");
  for (auto& [key, value] : doc.items()) value = nullptr;  // no stray copy of a password
  return out;
}

std::string Join(const std::vector<FrozenRole>& roles) {
  std::string out;
  for (const FrozenRole& r : roles) out += (out.empty() ? "" : ", ") + r.name;
  return out;
}

nlohmann::json ToJson(const std::vector<FrozenRole>& roles) {
  nlohmann::json out = nlohmann::json::array();
  for (const FrozenRole& r : roles) {
    out.push_back({{"role", r.name}, {"previous_connection_limit", r.previous_limit}});
  }
  return out;
}

std::vector<FrozenRole> FrozenFromJson(const nlohmann::json& j) {
  std::vector<FrozenRole> out;
  for (const nlohmann::json& r : j) {
    out.push_back({r.value("role", ""), r.value("previous_connection_limit", -1)});
  }
  return out;
}

std::string Now() { return FormatIso8601Utc(std::chrono::system_clock::now()); }

Status EndFollow(CutoverDeps& deps) { return deps.end_follow ? deps.end_follow() : Status::Ok(); }

// Unfreezes after a failed cutover step; returns `why` with the outcome added.
Status Abandon(CutoverDeps& deps, const std::vector<FrozenRole>& frozen, const Status& why) {
  Status ended = EndFollow(deps);
  if (!ended.ok()) {
    return why.WithContext("cutover stopped and could not drop the follow's slot (" +
                           ended.message() + "); run `cutover --cleanup-follow`");
  }
  Status thawed = frozen.empty() ? Status::Ok() : deps.thaw(frozen);
  if (!thawed.ok()) {
    return why.WithContext("cutover stopped and could not unfreeze the source (" +
                           thawed.message() + "); run `cutover --undo`");
  }
  std::string state =
      frozen.empty() ? "nothing was changed" : "the source was unfrozen; nothing else was changed";
  Status cleared = deps.ledger->SaveRecord(RecordName(deps.consumer_ref), nullptr);
  if (!cleared.ok()) state += "; the ledger still holds the attempt: run `cutover --undo`";
  return why.WithContext("cutover stopped (" + state + ")");
}

// The roles to freeze: those a cutover killed while frozen recorded (their limits are 0 now, so
// the recorded previous limits are the ones to give back), else the tenant's as they are now.
Result<std::vector<FrozenRole>> RolesToFreeze(CutoverDeps& deps, const nlohmann::json& earlier) {
  if (earlier.is_object() && earlier.value("state", "") == "freezing") {
    return FrozenFromJson(earlier.value("frozen", nlohmann::json::array()));
  }
  return deps.roles_to_freeze();
}

// What a freeze did, for the switch's record, the terminal and the report.
struct Freeze {
  std::vector<FrozenRole> roles;
  std::chrono::steady_clock::time_point started;
  CatchUpResult caught_up;
};

Status FreezeAndCatchUp(CutoverDeps& deps, const nlohmann::json& earlier, Freeze* f,
                        std::ostream& out) {
  Result<std::vector<FrozenRole>> roles = RolesToFreeze(deps, earlier);
  if (!roles.ok()) return roles.status();
  f->roles = *roles;
  Status s = deps.prepare_catch_up ? deps.prepare_catch_up() : Status::Ok();
  if (!s.ok()) {
    // Refused before freezing (DDL since migrate, say); a cutover killed while frozen left
    // its roles frozen, and those are unfrozen. Either way the follow ends, as on every failure.
    bool frozen_before = earlier.is_object() && earlier.value("state", "") == "freezing";
    return Abandon(deps, frozen_before ? f->roles : std::vector<FrozenRole>{}, s);
  }
  s = deps.ledger->SaveRecord(RecordName(deps.consumer_ref),
                              {{"state", "freezing"}, {"frozen", ToJson(f->roles)}, {"at", Now()}});
  if (!s.ok()) return s;
  out << fmt::format("freezing the source: CONNECTION LIMIT 0 for {} role(s): {}\n",
                     f->roles.size(), Join(f->roles));
  f->started = std::chrono::steady_clock::now();
  if (deps.phases != nullptr) deps.phases->Start();
  s = deps.freeze(f->roles);
  if (s.ok()) {
    out << "catching up: checksumming every tenant table on both sides with the source frozen\n";
    Result<CatchUpResult> caught_up = deps.catch_up();
    if (caught_up.ok()) f->caught_up = std::move(*caught_up);
    s = caught_up.status();
  }
  return s.ok() ? s : Abandon(deps, f->roles, s);
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The freeze's figures: printed, and added to the switch's record.
void ReportFreeze(const Freeze& f, double frozen_seconds, const PhaseTimes* phases,
                  nlohmann::json* record, std::ostream& out) {
  const CatchUpResult& c = f.caught_up;
  (*record)["freeze_seconds"] = frozen_seconds;
  (*record)["catch_up"] = c.ToJson();
  if (phases != nullptr) {
    (*record)["freeze_phases"] = phases->ToJson();
    out << "freeze window: " << phases->ToString() << "\n";
  }
  out << fmt::format(
      "source frozen for {:.2f} s (freeze to switch): {} tables checked, {} re-copied ({} rows, "
      "{}), {} sequence(s) set\n",
      frozen_seconds, c.tables_checked, c.recopied.size(), c.RecopiedRows(),
      HumanBytes(c.RecopiedBytes()), c.sequences_set);
}

// cutover_report.json: the switch's record (endpoint fields, frozen roles, freeze window,
// tables re-copied), never a password.
Status WriteReport(const CutoverDeps& deps, const nlohmann::json& record) {
  if (deps.report_path.empty()) return Status::Ok();
  nlohmann::json report = record;
  report["consumer"] = deps.consumer->Name();
  return WriteJsonFile(deps.report_path, report);
}

// The consumer's secret as it will read once pointed at the target (`*target`).
Result<EndpointEdit> EditForTarget(CutoverDeps& deps, ConnEndpoint* target) {
  Result<Secret> current = deps.consumer->Read();
  if (!current.ok()) return current.status();
  Result<ConnEndpoint> endpoint = deps.target_endpoint();
  if (!endpoint.ok()) return endpoint.status();
  *target = *endpoint;
  return PointSecretAt(*current, *target, deps.consumer->Name());
}

// A cutover killed while switching: the source is frozen and caught up, the secret may or may
// not have been written. Writes it (again) and keeps the recorded previous endpoint.
Status FinishSwitch(CutoverDeps& deps, nlohmann::json record, std::ostream& out) {
  out << "finishing a cutover that stopped while switching\n";
  ConnEndpoint target;
  Result<EndpointEdit> edit = EditForTarget(deps, &target);
  if (!edit.ok()) return edit.status();
  Status s = deps.consumer->Write(edit->text);
  record["state"] = "switched";
  if (s.ok()) s = deps.ledger->SaveRecord(RecordName(deps.consumer_ref), record);
  if (s.ok()) s = WriteReport(deps, record);
  if (!s.ok()) return s;
  out << deps.consumer->Name() << " now points at the target\n";
  return EndFollow(deps);
}

// Puts the recorded endpoint back into the consumer's secret (when cutover had written it).
Status RestoreConsumer(CutoverDeps& deps, const nlohmann::json& record, std::ostream& out) {
  if (!record.contains("previous")) return Status::Ok();  // stopped before switching
  Result<Secret> current = deps.consumer->Read();
  if (!current.ok()) return current.status();
  Result<Secret> restored =
      RestoreSecret(*current, record["previous"], record["written"], deps.consumer->Name());
  if (!restored.ok()) return restored.status();
  if (restored->Reveal() == current->Reveal()) return Status::Ok();
  Status s = deps.consumer->Write(*restored);
  if (s.ok()) out << deps.consumer->Name() << " points at the source again\n";
  return s;
}

}  // namespace

Status CheckValidatedRun(Ledger& ledger, const std::string& dir) {
  Result<nlohmann::json> run = ledger.LastRun();
  if (!run.ok()) return run.status();
  const std::string cmd = run->value("command", "");
  if (cmd != "migrate" && cmd != "resume" && cmd != "retry") {
    return Status::InvalidArgument("no migration is recorded in " + dir + "; run migrate first");
  }
  if ((*run)["exit_code"].is_null()) {
    return Status::InvalidArgument("the last run in " + dir +
                                   " did not finish (it is running or was killed); resume it");
  }
  // 8 (kExitManual): everything moved and validated; manual steps were listed for a person.
  if ((*run)["exit_code"] != 0 && (*run)["exit_code"] != 8) {
    return Status::InvalidArgument(fmt::format(
        "the last run in {} ended with exit code {}; finish it (retry, resume) until it ends "
        "with 0",
        dir, (*run)["exit_code"].get<int64_t>()));
  }
  Result<std::map<std::string, StepRecord>> steps = ledger.LoadSteps();
  if (!steps.ok()) return steps.status();
  int validated = 0, tables = 0;
  for (const auto& [key, step] : *steps) {
    if (step.state != "succeeded" && step.state != "skipped") {
      return Status::InvalidArgument("the migration in " + dir + " is not complete: step \"" +
                                     step.description + "\" is " + step.state);
    }
    if (step.phase == "data") ++tables;
    if (step.phase == "validate" && step.state == "succeeded") ++validated;
  }
  if (validated < tables) {
    return Status::InvalidArgument(fmt::format(
        "the migration in {} validated {} of its {} tables; run validate, then migrate again", dir,
        validated, tables));
  }
  return Status::Ok();
}

Result<EndpointEdit> PointSecretAt(const Secret& current, const ConnEndpoint& target,
                                   const std::string& where) {
  Result<nlohmann::json> doc = ParseObject(current, where);
  if (!doc.ok()) return doc.status();
  if (target.host.empty() || target.dbname.empty()) {
    return Status::InvalidArgument("the target's host or database is unknown");
  }
  EndpointEdit edit;
  for (auto& [key, value] : EndpointFields(*doc, target)) {
    edit.previous[key] = doc->contains(key) ? (*doc)[key] : nlohmann::json();
    edit.written[key] = value;
    (*doc)[key] = value;
  }
  edit.text = Dump(*doc);
  return edit;
}

Result<Secret> RestoreSecret(const Secret& current, const nlohmann::json& previous,
                             const nlohmann::json& written, const std::string& where) {
  Result<nlohmann::json> doc = ParseObject(current, where);
  if (!doc.ok()) return doc.status();
  if (FieldsEqual(*doc, previous)) return current;  // already restored
  if (!FieldsEqual(*doc, written)) {
    return Status::InvalidArgument(
        where + " was changed after the cutover (its host, port or database is no longer the " +
        "target's); nothing was restored: put the source's endpoint back by hand");
  }
  for (const auto& [key, value] : previous.items()) {
    if (value.is_null()) {
      doc->erase(key);
    } else {
      (*doc)[key] = value;
    }
  }
  return Dump(*doc);
}

Status Cutover(CutoverDeps& deps, bool freeze_source, std::ostream& out) {
  const std::string name = RecordName(deps.consumer_ref);
  Result<nlohmann::json> earlier = deps.ledger->LoadRecord(name);
  if (!earlier.ok()) return earlier.status();
  const std::string state = earlier->is_object() ? earlier->value("state", "") : "";
  if (state == "switching") return FinishSwitch(deps, *earlier, out);
  if (state == "switched" && deps.end_follow) {
    // Killed after the switch, before the follow's subscription, slot and publication were all
    // dropped (the ledger forgets the follow once they are): drop what is left.
    out << "finishing a cutover that stopped after switching: dropping what the follow left\n";
    return EndFollow(deps);
  }
  if (state == "freezing" && freeze_source) {
    out << "continuing a cutover that stopped with the source frozen\n";
  } else if (!earlier->is_null()) {
    return Status::AlreadyExists(
        fmt::format("{} was already cut over ({}, {}); `cutover --undo` reverts it",
                    deps.consumer->Name(), earlier->value("state", ""), earlier->value("at", "")));
  }
  ConnEndpoint target;
  Result<EndpointEdit> edit = EditForTarget(deps, &target);
  if (!edit.ok()) return edit.status();
  Freeze freeze;
  if (freeze_source) {
    Status s = FreezeAndCatchUp(deps, *earlier, &freeze, out);
    if (!s.ok()) return s;
  }
  nlohmann::json record = {{"state", "switching"},
                           {"previous", edit->previous},
                           {"written", edit->written},
                           {"frozen", ToJson(freeze.roles)},
                           {"at", Now()}};
  Status s = deps.ledger->SaveRecord(name, record);
  if (s.ok()) s = deps.consumer->Write(edit->text);
  if (!s.ok()) return Abandon(deps, freeze.roles, s);
  record["state"] = "switched";
  if (freeze_source && deps.phases != nullptr) deps.phases->Mark("switch");
  if (freeze_source) {
    ReportFreeze(freeze, SecondsSince(freeze.started), deps.phases, &record, out);
  }
  s = deps.ledger->SaveRecord(name, record);
  if (s.ok()) s = WriteReport(deps, record);
  if (!s.ok()) return s;
  out << fmt::format("{} now points at {}:{}/{}\n", deps.consumer->Name(), target.host, target.port,
                     target.dbname);
  auto cleanup = std::chrono::steady_clock::now();
  s = EndFollow(deps);
  if (s.ok() && deps.end_follow) {
    out << fmt::format(
        "after the switch: dropped the follow's subscription, slot and publication "
        "in {:.2f} s\n",
        SecondsSince(cleanup));
  }
  return s;
}

Status UndoCutover(CutoverDeps& deps, std::ostream& out) {
  const std::string name = RecordName(deps.consumer_ref);
  Result<nlohmann::json> record = deps.ledger->LoadRecord(name);
  if (!record.ok()) return record.status();
  if (record->is_null()) {
    return Status::InvalidArgument("no cutover of " + deps.consumer->Name() +
                                   " is recorded here; nothing to undo");
  }
  Status s = RestoreConsumer(deps, *record, out);
  if (s.ok()) s = EndFollow(deps);
  if (!s.ok()) return s;
  std::vector<FrozenRole> frozen = FrozenFromJson(record->value("frozen", nlohmann::json()));
  if (!frozen.empty()) {
    s = deps.thaw(frozen);
    if (!s.ok()) return s.WithContext("unfreezing the source");
    out << fmt::format("source unfrozen: connection limits restored for {}\n", Join(frozen));
  }
  return deps.ledger->SaveRecord(name, nullptr);
}

Status DryRunCutover(CutoverDeps& deps, bool freeze_source, int jobs, std::ostream& out) {
  Result<ConnEndpoint> target = deps.target_endpoint();
  if (!target.ok()) return target.status();
  out << fmt::format("dry run, nothing is changed: {} would point at {}:{}/{}\n",
                     deps.consumer->Name(), target->host, target->port, target->dbname);
  if (!freeze_source) return Status::Ok();
  Result<std::vector<FrozenRole>> roles = deps.roles_to_freeze();
  if (!roles.ok()) return roles.status();
  out << fmt::format("--freeze-source would set CONNECTION LIMIT 0 for {} role(s): {}\n",
                     roles->size(), Join(*roles));
  Result<std::map<std::string, StepRecord>> steps = deps.ledger->LoadSteps();
  if (!steps.ok()) return steps.status();
  FreezeEstimate e = EstimateFreezeWindow(*steps, jobs);
  if (e.tables == 0) {
    out << "expected freeze window: unknown (the ledger holds no validation timings)\n";
    return Status::Ok();
  }
  std::string copy = e.copy_bytes_per_second > 0
                         ? "each table changed since adds its copy, at about " +
                               FormatByteRate(e.copy_bytes_per_second) + " (migrate's rate)"
                         : "each table changed since adds its copy";
  out << fmt::format(
      "expected freeze window: about {:.1f} s to checksum {} tables on both sides with --jobs {} "
      "(the last validation's timings); {}\n",
      e.checksum_seconds, e.tables, jobs, copy);
  return Status::Ok();
}

}  // namespace tenantshift
