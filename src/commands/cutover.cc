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

// Unfreezes after a failed cutover step; returns `why` with the outcome added.
Status Abandon(CutoverDeps& deps, const std::vector<FrozenRole>& frozen, const Status& why) {
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

Status FreezeAndRevalidate(CutoverDeps& deps, std::vector<FrozenRole>* frozen, std::ostream& out) {
  Result<std::vector<FrozenRole>> roles = deps.roles_to_freeze();
  if (!roles.ok()) return roles.status();
  *frozen = *roles;
  Status s =
      deps.ledger->SaveRecord(RecordName(deps.consumer_ref),
                              {{"state", "freezing"}, {"frozen", ToJson(*frozen)}, {"at", Now()}});
  if (!s.ok()) return s;
  out << fmt::format("freezing the source: CONNECTION LIMIT 0 for {} role(s): {}\n", frozen->size(),
                     Join(*frozen));
  s = deps.freeze(*frozen);
  if (s.ok()) {
    out << "validating the tenant again with the source frozen\n";
    s = deps.validate();
  }
  return s.ok() ? s : Abandon(deps, *frozen, s);
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
  if (!earlier->is_null()) {
    return Status::AlreadyExists(
        fmt::format("{} was already cut over ({}, {}); `cutover --undo` reverts it",
                    deps.consumer->Name(), earlier->value("state", ""), earlier->value("at", "")));
  }
  Result<Secret> current = deps.consumer->Read();
  if (!current.ok()) return current.status();
  Result<ConnEndpoint> target = deps.target_endpoint();
  if (!target.ok()) return target.status();
  Result<EndpointEdit> edit = PointSecretAt(*current, *target, deps.consumer->Name());
  if (!edit.ok()) return edit.status();
  std::vector<FrozenRole> frozen;
  if (freeze_source) {
    Status s = FreezeAndRevalidate(deps, &frozen, out);
    if (!s.ok()) return s;
  }
  nlohmann::json record = {{"state", "switching"},
                           {"previous", edit->previous},
                           {"written", edit->written},
                           {"frozen", ToJson(frozen)},
                           {"at", Now()}};
  Status s = deps.ledger->SaveRecord(name, record);
  if (s.ok()) s = deps.consumer->Write(edit->text);
  if (!s.ok()) return Abandon(deps, frozen, s);
  record["state"] = "switched";
  s = deps.ledger->SaveRecord(name, record);
  if (!s.ok()) return s;
  out << fmt::format("{} now points at {}:{}/{}\n", deps.consumer->Name(), target->host,
                     target->port, target->dbname);
  return Status::Ok();
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
  if (!s.ok()) return s;
  std::vector<FrozenRole> frozen = FrozenFromJson(record->value("frozen", nlohmann::json()));
  if (!frozen.empty()) {
    s = deps.thaw(frozen);
    if (!s.ok()) return s.WithContext("unfreezing the source");
    out << fmt::format("source unfrozen: connection limits restored for {}\n", Join(frozen));
  }
  return deps.ledger->SaveRecord(name, nullptr);
}

}  // namespace tenantshift
