#include "state/ledger.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "connect/secret_store.h"

namespace tenantshift {
namespace {

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  identity TEXT NOT NULL,          -- JSON, no secrets
  command TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at REAL NOT NULL,
  finished_at REAL,
  exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS step (
  key TEXT PRIMARY KEY,            -- unique within a plan, stable across runs
  phase TEXT NOT NULL,
  description TEXT NOT NULL,
  table_schema TEXT, table_name TEXT,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  started_at REAL, finished_at REAL, seconds REAL,
  rows INTEGER, bytes INTEGER, source_rows INTEGER, target_rows INTEGER,
  source_checksum TEXT, target_checksum TEXT,
  error TEXT, sqlstate TEXT,
  run_id INTEGER
);
)sql";

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Quote(const std::string& value) {  // a libpq conninfo value
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

bool IsKind(const Step& s, StepKind k) { return s.kind == k; }

}  // namespace

const char* StateName(StepState s) {
  switch (s) {
    case StepState::kWaiting:
      return "waiting";
    case StepState::kReady:
      return "ready";
    case StepState::kRunning:
      return "running";
    case StepState::kSucceeded:
      return "succeeded";
    case StepState::kFailed:
      return "failed";
    case StepState::kBlocked:
      return "blocked";
    case StepState::kSkipped:
      return "skipped";
  }
  return "unknown";
}

nlohmann::json RunIdentity::ToJson() const {
  return {{"principals", principals},
          {"source", source},
          {"target", target},
          {"schemas", schemas},
          {"on_existing", on_existing},
          {"tool_version", tool_version},
          {"ledger_version", ledger_version}};
}

RunIdentity RunIdentity::FromJson(const nlohmann::json& j) {
  RunIdentity id;
  id.source = j.value("source", "");
  id.target = j.value("target", "");
  id.schemas = j.value("schemas", std::vector<std::string>{});
  id.on_existing = j.value("on_existing", "");
  id.principals = j.value("principals", nlohmann::json::object());
  id.tool_version = j.value("tool_version", "");
  id.ledger_version = j.value("ledger_version", 0);
  return id;
}

std::string RunIdentity::DifferenceFrom(const RunIdentity& o) const {
  if (source != o.source) return "the source differs (" + o.source + " before, " + source + " now)";
  if (target != o.target) return "the target differs (" + o.target + " before, " + target + " now)";
  if (schemas != o.schemas) return "the --schema arguments differ";
  if (on_existing != o.on_existing) return "--on-existing differs";
  if (principals != o.principals) {
    return "--include-users, --exclude-users, --allow-superuser or --passwords differ";
  }
  if (ledger_version != o.ledger_version) return "the ledger was written by another format version";
  return "";
}

std::string BareConnectionString(const std::string& conn) {
  if (IsSecretReference(conn)) return conn;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conn.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return "";  // unparseable: remember nothing rather than a secret
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "password") continue;
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "=" + Quote(o->val);
  }
  PQconninfoFree(opts);
  return out;
}

Result<std::unique_ptr<Ledger>> Ledger::OpenForRun(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::InvalidArgument("cannot create work directory " + dir + ": " + ec.message());
  int fd = open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::InvalidArgument("cannot open " + dir + "/lock");
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Status::InvalidArgument("another tenantshift run is using the work directory " + dir);
  }
  Result<SqliteDb> db = SqliteDb::Open(dir + "/" + kFileName);
  if (!db.ok()) {
    close(fd);
    return db.status();
  }
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(*db), fd));
  Status s = ledger->CreateSchema();
  if (!s.ok()) return s;
  return ledger;
}

Result<std::unique_ptr<Ledger>> Ledger::OpenForReading(const std::string& dir) {
  std::string path = dir + "/" + kFileName;
  if (!std::filesystem::exists(path)) {
    return Status::InvalidArgument("no tenantshift run in " + dir + " (no " + kFileName + ")");
  }
  Result<SqliteDb> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Ledger>(new Ledger(std::move(*db), -1));
}

Ledger::~Ledger() {
  if (lock_fd_ >= 0) close(lock_fd_);  // releases the flock
}

Status Ledger::CreateSchema() {
  Status s = db_.Exec(kSchema);
  if (!s.ok()) return s;
  Result<std::vector<std::vector<SqlValue>>> v =
      db_.Query("SELECT value FROM meta WHERE key = 'format_version'");
  if (!v.ok()) return v.status();
  if (v->empty()) {
    return db_.Exec("INSERT INTO meta VALUES ('format_version', '" +
                    std::to_string(kFormatVersion) + "')");
  }
  if (AsText((*v)[0][0]) != std::to_string(kFormatVersion)) {
    return Status::InvalidArgument("the ledger has format version " + AsText((*v)[0][0]) +
                                   ", this tenantshift writes " + std::to_string(kFormatVersion) +
                                   "; use --restart to start over");
  }
  return Status::Ok();
}

Result<std::optional<RunIdentity>> Ledger::LoadIdentity() {
  auto rows = db_.Query("SELECT identity FROM run ORDER BY id DESC LIMIT 1");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<RunIdentity>();
  nlohmann::json j = nlohmann::json::parse(AsText((*rows)[0][0]), nullptr, false);
  if (j.is_discarded()) return Status::Internal("the ledger's run identity is corrupt");
  return std::optional<RunIdentity>(RunIdentity::FromJson(j));
}

Status Ledger::BeginRun(const RunIdentity& identity, const std::string& command, bool fresh) {
  Status s = db_.Exec("BEGIN IMMEDIATE");
  if (s.ok() && fresh) s = db_.Exec("DELETE FROM step");
  if (s.ok()) {
    s = db_.Query(
               "UPDATE step SET state = 'failed', error = 'interrupted (the run stopped while "
               "this step ran)' WHERE state = 'running'")
            .status();
  }
  if (s.ok()) {
    s = db_.Query("INSERT INTO run (identity, command, pid, started_at) VALUES (?1, ?2, ?3, ?4)",
                  {identity.ToJson().dump(), command, static_cast<int64_t>(getpid()), Now()})
            .status();
  }
  if (s.ok()) {
    auto id = db_.Query("SELECT last_insert_rowid()");
    s = id.status();
    if (s.ok()) run_id_ = AsInt((*id)[0][0]);
  }
  if (s.ok()) return db_.Exec("COMMIT");
  db_.Exec("ROLLBACK");
  return s;
}

Status Ledger::RecordPlan(const Plan& plan) {
  Status s = db_.Exec("BEGIN IMMEDIATE");
  for (const Step& step : plan.steps()) {
    if (!s.ok()) break;
    bool has_table = !IsKind(step, StepKind::kTargetSql);
    s = db_.Query(
               "INSERT INTO step (key, phase, description, table_schema, table_name, state, "
               "run_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (key) DO UPDATE SET "
               "state = CASE WHEN excluded.state = 'skipped' AND step.state <> 'succeeded' "
               "THEN 'skipped' ELSE step.state END",
               {step.key, step.phase, step.description,
                has_table ? SqlValue(step.table.schema) : SqlValue(),
                has_table ? SqlValue(step.table.name) : SqlValue(),
                std::string(step.state == StepState::kSkipped ? "skipped" : "waiting"), run_id_})
            .status();
  }
  if (s.ok()) return db_.Exec("COMMIT");
  db_.Exec("ROLLBACK");
  return s;
}

Status Ledger::StepStarted(const Step& step) {
  std::lock_guard<std::mutex> lock(started_mu_);
  started_.emplace_back(step.key, Now());
  return Status::Ok();
}

Status Ledger::WriteStarted() {
  std::vector<std::pair<std::string, double>> started;
  {
    std::lock_guard<std::mutex> lock(started_mu_);
    started.swap(started_);
  }
  Status s;
  for (const auto& [key, at] : started) {
    if (!s.ok()) break;
    s = db_.Query("UPDATE step SET state = 'running', started_at = ?2, run_id = ?3 WHERE key = ?1",
                  {key, at, run_id_})
            .status();
  }
  return s;
}

Status Ledger::WriteFinished(const Step& step, const StepResult& r, StepState state) {
  return db_
      .Query(
          "UPDATE step SET state = ?2, attempts = attempts + ?3, finished_at = ?4, "
          "seconds = ?5, rows = ?6, bytes = ?7, source_rows = ?8, target_rows = ?9, "
          "source_checksum = ?10, target_checksum = ?11, error = ?12, sqlstate = ?13 "
          "WHERE key = ?1",
          {step.key, std::string(StateName(state)), static_cast<int64_t>(r.attempts), Now(),
           r.seconds, r.rows, r.bytes, r.source_rows, r.target_rows, r.source_checksum,
           r.target_checksum, r.status.ok() ? SqlValue() : SqlValue(r.status.message()),
           r.status.sqlstate()})
      .status();
}

Status Ledger::StepFinished(const Step& step, const StepResult& r, StepState state) {
  return StepsFinished({FinishedStep{&step, &r, state}});
}

Status Ledger::StepsFinished(const std::vector<FinishedStep>& group) {
  Status s = db_.Exec("BEGIN IMMEDIATE");
  if (s.ok()) s = WriteStarted();
  for (const FinishedStep& f : group) {
    if (!s.ok()) break;
    s = WriteFinished(*f.step, *f.result, f.state);
  }
  if (s.ok()) return db_.Exec("COMMIT");
  db_.Exec("ROLLBACK");
  return s;
}

Status Ledger::StepsBlocked(const Plan& plan) {
  Status s = db_.Exec("BEGIN IMMEDIATE");
  for (const Step& step : plan.steps()) {
    if (!s.ok() || step.state != StepState::kBlocked) continue;
    s = db_.Query(
               "UPDATE step SET state = 'blocked', error = 'a step it depends on failed' "
               "WHERE key = ?1",
               {step.key})
            .status();
  }
  if (s.ok()) return db_.Exec("COMMIT");
  db_.Exec("ROLLBACK");
  return s;
}

Status Ledger::EndRun(int exit_code) {
  return db_
      .Query("UPDATE run SET finished_at = ?2, exit_code = ?3 WHERE id = ?1",
             {run_id_, Now(), static_cast<int64_t>(exit_code)})
      .status();
}

Result<std::map<std::string, StepRecord>> Ledger::LoadSteps() {
  auto rows = db_.Query(
      "SELECT key, phase, description, state, attempts, started_at, finished_at, seconds, rows, "
      "bytes, source_rows, target_rows, source_checksum, target_checksum, error, sqlstate, "
      "table_schema, table_name FROM step");
  if (!rows.ok()) return rows.status();
  std::map<std::string, StepRecord> out;
  for (const auto& row : *rows) {
    StepRecord r;
    r.key = AsText(row[0]);
    r.phase = AsText(row[1]);
    r.description = AsText(row[2]);
    r.state = AsText(row[3]);
    r.attempts = static_cast<int>(AsInt(row[4]));
    r.started_at = AsReal(row[5]);
    r.finished_at = AsReal(row[6]);
    r.seconds = AsReal(row[7]);
    r.rows = AsInt(row[8]);
    r.bytes = AsInt(row[9]);
    r.source_rows = std::holds_alternative<std::monostate>(row[10]) ? -1 : AsInt(row[10]);
    r.target_rows = std::holds_alternative<std::monostate>(row[11]) ? -1 : AsInt(row[11]);
    r.source_checksum = AsText(row[12]);
    r.target_checksum = AsText(row[13]);
    r.error = AsText(row[14]);
    r.sqlstate = AsText(row[15]);
    r.table_schema = AsText(row[16]);
    r.table_name = AsText(row[17]);
    out[r.key] = std::move(r);
  }
  return out;
}

Result<nlohmann::json> Ledger::LastRun() {
  auto rows = db_.Query(
      "SELECT command, pid, started_at, finished_at, exit_code, identity FROM run "
      "ORDER BY id DESC LIMIT 1");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return nlohmann::json::object();
  const auto& r = (*rows)[0];
  return nlohmann::json{
      {"command", AsText(r[0])},
      {"pid", AsInt(r[1])},
      {"started_at", AsReal(r[2])},
      {"finished_at", std::holds_alternative<std::monostate>(r[3]) ? nlohmann::json()
                                                                   : nlohmann::json(AsReal(r[3]))},
      {"exit_code", std::holds_alternative<std::monostate>(r[4]) ? nlohmann::json()
                                                                 : nlohmann::json(AsInt(r[4]))},
      {"identity", nlohmann::json::parse(AsText(r[5]), nullptr, false)}};
}

Result<nlohmann::json> Ledger::LoadRecord(const std::string& name) {
  auto rows = db_.Query("SELECT value FROM meta WHERE key = ?1", {"record " + name});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return nlohmann::json();
  nlohmann::json j = nlohmann::json::parse(AsText((*rows)[0][0]), nullptr, false);
  if (j.is_discarded()) return Status::Internal("the ledger's record " + name + " is corrupt");
  return j;
}

Status Ledger::SaveRecord(const std::string& name, const nlohmann::json& value) {
  if (value.is_null()) {
    return db_.Query("DELETE FROM meta WHERE key = ?1", {"record " + name}).status();
  }
  return db_
      .Query(
          "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET "
          "value = excluded.value",
          {"record " + name, value.dump()})
      .status();
}

}  // namespace tenantshift
