#include "pg/pg_session.h"

#include <string.h>

#include <algorithm>
#include <cstdlib>

namespace tenantshift {
namespace {

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The server's primary message plus its detail, on one line; empty when there is none.
std::string OneLine(const PGresult* res) {
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary == nullptr) return "";
  std::string msg = primary;
  if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
    msg += " (" + std::string(detail) + ")";
  }
  return msg;
}

std::vector<const char*> CStrings(const std::vector<std::string>& v) {
  std::vector<const char*> out;
  for (const auto& s : v) out.push_back(s.c_str());
  out.push_back(nullptr);
  return out;
}

}  // namespace

size_t Rows::Col(std::string_view name) const {
  auto it = std::find(columns.begin(), columns.end(), name);
  return static_cast<size_t>(it - columns.begin());
}

const std::string& Rows::Get(size_t r, std::string_view name) const {
  static const std::string kEmpty;
  const auto& v = rows[r][Col(name)];
  return v ? *v : kEmpty;
}

bool Rows::IsNull(size_t r, std::string_view name) const { return !rows[r][Col(name)]; }

Status::Code ClassifySqlState(const std::string& sqlstate) {
  using Code = Status::Code;
  if (sqlstate.size() != 5) return Code::kConnection;  // no SQLSTATE: the connection broke
  const std::string cls = sqlstate.substr(0, 2);
  if (cls == "08") return Code::kConnection;
  if (sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") return Code::kConnection;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "53300") return Code::kRetryable;
  if (sqlstate == "57014") return Code::kCancelled;
  if (cls == "28" || sqlstate == "42501") return Code::kPermission;
  if (sqlstate == "42P07" || sqlstate == "42710" || sqlstate == "42P06") {
    return Code::kAlreadyExists;
  }
  return Code::kServer;
}

Result<std::unique_ptr<PgSession>> PgSession::Connect(const ConnSpec& spec,
                                                      const std::string& role) {
  auto keys = CStrings(spec.keywords);
  auto vals = CStrings(spec.values);
  PgConnPtr conn(PQconnectdbParams(keys.data(), vals.data(), /*expand_dbname=*/1));
  if (conn == nullptr) return Status::Internal("out of memory connecting to the " + role);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string msg = spec.Redact(TrimRight(PQerrorMessage(conn.get())));
    std::replace(msg.begin(), msg.end(), '\n', ' ');
    msg = "cannot connect to the " + role + ": " + msg;
    bool auth = PQconnectionNeedsPassword(conn.get()) ||
                msg.find("authentication failed") != std::string::npos ||
                msg.find("no password supplied") != std::string::npos;
    return auth ? Status::Permission(msg) : Status::Connection(msg);
  }
  // Server notices and warnings ("there is no transaction in progress", NOTICEs from DDL) are
  // not for the user's terminal: errors reach them as Status values instead.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgSession>(new PgSession(std::move(conn), spec, role));
}

PgSession::PgSession(PgConnPtr conn, ConnSpec spec, std::string role)
    : conn_(std::move(conn)),
      cancel_(PQgetCancel(conn_.get())),
      spec_(std::move(spec)),
      role_(std::move(role)) {}

Status PgSession::ErrorFrom(const PGresult* res) const {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  std::string msg = OneLine(res);
  if (msg.empty()) msg = TrimRight(PQerrorMessage(conn_.get()));
  if (msg.empty()) msg = "connection lost";
  std::replace(msg.begin(), msg.end(), '\n', ' ');
  msg = spec_.Redact(msg);
  Status::Code code = ClassifySqlState(sqlstate);
  if (PQstatus(conn_.get()) == CONNECTION_BAD) code = Status::Code::kConnection;
  // Two sessions rewriting one catalog row at once (concurrent DDL on one object): trying
  // again succeeds.
  if (msg.find("tuple concurrently updated") != std::string::npos) {
    code = Status::Code::kRetryable;
  }
  Status s;
  switch (code) {
    case Status::Code::kConnection:
      s = Status::Connection(msg);
      break;
    case Status::Code::kRetryable:
      s = Status::Retryable(msg);
      break;
    case Status::Code::kCancelled:
      s = Status::Cancelled(msg);
      break;
    case Status::Code::kPermission:
      s = Status::Permission(msg);
      break;
    case Status::Code::kAlreadyExists:
      s = Status::AlreadyExists(msg);
      break;
    default:
      s = Status::Server(msg);
      break;
  }
  s.set_sqlstate(sqlstate);
  return s.WithContext(role_);
}

Status PgSession::CheckResult(PgResultPtr res, ExecStatusType want) const {
  if (res != nullptr && PQresultStatus(res.get()) == want) return Status::Ok();
  return ErrorFrom(res.get());
}

// Reads every pending result; the first error wins. Leaves the connection idle.
// A COPY still in progress is ended first: PQgetResult returns the same COPY result again and
// again until its data is read out (COPY OUT) or its end is sent (COPY IN).
Status PgSession::DrainResults(ExecStatusType want) {
  Status first;
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResultPtr res(raw);
    ExecStatusType st = PQresultStatus(raw);
    if (st == PGRES_COPY_OUT) {
      char* buf = nullptr;
      int n;
      while ((n = PQgetCopyData(conn_.get(), &buf, /*async=*/0)) > 0) PQfreemem(buf);
      if (n == -2) break;  // the connection failed
      continue;
    }
    if (st == PGRES_COPY_IN) {
      if (PQputCopyEnd(conn_.get(), "aborted by tenantshift") != 1) break;
      continue;
    }
    if (first.ok() && st != want && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      first = ErrorFrom(raw);
    }
    if (PQstatus(conn_.get()) == CONNECTION_BAD) break;
  }
  if (first.ok() && PQstatus(conn_.get()) == CONNECTION_BAD) first = ErrorFrom(nullptr);
  return first;
}

Status PgSession::Execute(const std::string& sql) {
  if (!PQsendQuery(conn_.get(), sql.c_str())) return ErrorFrom(nullptr);
  return DrainResults(PGRES_COMMAND_OK);
}

Result<Rows> PgSession::Query(const std::string& sql,
                              const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  // Without parameters, the simple query protocol: the only one a replication connection
  // (replication=database) accepts, e.g. for CREATE_REPLICATION_SLOT.
  PgResultPtr res(params.empty()
                      ? PQexec(conn_.get(), sql.c_str())
                      : PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()),
                                     nullptr, values.data(), nullptr, nullptr, 0));
  if (res == nullptr || PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
    return ErrorFrom(res.get());
  }
  Rows rows;
  const int ncols = PQnfields(res.get());
  const int nrows = PQntuples(res.get());
  for (int c = 0; c < ncols; ++c) rows.columns.push_back(PQfname(res.get(), c));
  rows.rows.resize(nrows);
  for (int r = 0; r < nrows; ++r) {
    auto& row = rows.rows[r];
    row.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c)));
      }
    }
  }
  return rows;
}

Status PgSession::BeginCopyIn(const std::string& copy_in_sql) {
  return CheckResult(PgResultPtr(PQexec(conn_.get(), copy_in_sql.c_str())), PGRES_COPY_IN);
}

Status PgSession::PutCopyData(const char* data, size_t len) {
  if (PQputCopyData(conn_.get(), data, static_cast<int>(len)) == 1) return Status::Ok();
  return ErrorFrom(nullptr);
}

Result<int64_t> PgSession::CommandRows() {
  PgResultPtr res(PQgetResult(conn_.get()));
  if (res == nullptr || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    Status s = ErrorFrom(res.get());
    if (res != nullptr) DrainResults(PGRES_COMMAND_OK);
    return s;
  }
  int64_t rows = std::atoll(PQcmdTuples(res.get()));
  Status s = DrainResults(PGRES_COMMAND_OK);
  if (!s.ok()) return s;
  return rows;
}

Result<int64_t> PgSession::EndCopyIn(const std::string& error) {
  if (PQputCopyEnd(conn_.get(), error.empty() ? nullptr : error.c_str()) != 1) {
    return ErrorFrom(nullptr);
  }
  if (!error.empty()) {
    DrainResults(PGRES_COMMAND_OK);  // the server's "COPY from stdin failed" is expected
    return int64_t{0};
  }
  return CommandRows();
}

Result<int64_t> PgSession::CopyOut(const std::string& copy_out_sql,
                                   const std::function<Status(const char*, size_t)>& sink) {
  Status s = CheckResult(PgResultPtr(PQexec(conn_.get(), copy_out_sql.c_str())), PGRES_COPY_OUT);
  if (!s.ok()) return s;
  char* buf = nullptr;
  int len = 0;
  while ((len = PQgetCopyData(conn_.get(), &buf, /*async=*/0)) > 0) {
    s = sink(buf, static_cast<size_t>(len));
    PQfreemem(buf);
    if (!s.ok()) break;
  }
  if (!s.ok()) {  // the sink failed: stop the server and consume what is left
    Cancel();
    DrainResults(PGRES_COMMAND_OK);
    return s;
  }
  if (len != -1) return ErrorFrom(nullptr);
  return CommandRows();
}

Status PgSession::PipeCopy(const std::string& copy_out_sql, Session& target,
                           const std::string& copy_in_sql,
                           const std::function<void(size_t)>& on_chunk) {
  // The target's COPY starts with the first row (or after an empty source), so a source COPY
  // that cannot start leaves the target untouched.
  bool target_started = false;
  bool target_failed = false;
  auto start_target = [&]() {
    Status s = target_started ? Status::Ok() : target.BeginCopyIn(copy_in_sql);
    target_started = s.ok();
    target_failed = !s.ok();
    return s;
  };
  Result<int64_t> sent = CopyOut(copy_out_sql, [&](const char* data, size_t len) {
    Status put = start_target();
    if (put.ok()) put = target.PutCopyData(data, len);
    if (!put.ok()) {
      target_failed = true;
      return put;
    }
    on_chunk(len);
    return Status::Ok();
  });
  Status s = sent.ok() ? start_target() : sent.status();
  if (!s.ok()) {
    if (target_started) {
      target.EndCopyIn(target_failed ? "source side aborted" : "source COPY failed");
    }
    return s;
  }
  return target.EndCopyIn("").status();
}

void PgSession::Cancel() {
  char err[256];
  if (cancel_ != nullptr) PQcancel(cancel_.get(), err, sizeof(err));
}

Result<std::string> PgSession::EncryptPassword(const std::string& password,
                                               const std::string& role) {
  char* verifier =
      PQencryptPasswordConn(conn_.get(), password.c_str(), role.c_str(), "scram-sha-256");
  if (verifier == nullptr) {
    // libpq's message names neither the password nor the role's secret.
    return Status::Internal("cannot compute a password verifier: " +
                            TrimRight(PQerrorMessage(conn_.get())));
  }
  std::string out = verifier;
  explicit_bzero(verifier, out.size());
  PQfreemem(verifier);
  return out;
}

int PgSession::ServerVersion() const { return PQserverVersion(conn_.get()); }

std::string PgSession::Describe() const {
  ConnEndpoint e = Endpoint();
  return e.host + ":" + e.port + "/" + e.dbname + " user=" + e.user;
}

ConnEndpoint PgSession::Endpoint() const {
  auto text = [](const char* s) { return std::string(s != nullptr ? s : ""); };
  PGconn* c = conn_.get();
  return {text(PQhost(c)), text(PQport(c)), text(PQdb(c)), text(PQuser(c))};
}

}  // namespace tenantshift
