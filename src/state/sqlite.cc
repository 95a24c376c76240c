#include "state/sqlite.h"

namespace tenantshift {

Result<SqliteDb> SqliteDb::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return db.Error("cannot open ledger " + path);
  sqlite3_busy_timeout(raw, 5000);
  Status s = db.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  if (!s.ok()) return s;
  return db;
}

Status SqliteDb::Error(const std::string& what) const {
  const char* msg = db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
  return Status::Internal(what + ": " + msg);
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) {
    return Status::Ok();
  }
  std::string msg = err ? err : "unknown error";
  sqlite3_free(err);
  return Status::Internal("ledger: " + msg);
}

namespace {

int Bind(sqlite3_stmt* stmt, int index, const SqlValue& v) {
  if (std::holds_alternative<int64_t>(v))
    return sqlite3_bind_int64(stmt, index, std::get<int64_t>(v));
  if (std::holds_alternative<double>(v))
    return sqlite3_bind_double(stmt, index, std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) {
    const std::string& s = std::get<std::string>(v);
    return sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  return sqlite3_bind_null(stmt, index);
}

SqlValue Column(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return std::monostate{};
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

Result<std::vector<std::vector<SqlValue>>> SqliteDb::Query(const std::string& sql,
                                                           const std::vector<SqlValue>& params) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return Error("ledger query");
  }
  std::unique_ptr<sqlite3_stmt, SqliteFinalizer> stmt(raw);
  for (size_t i = 0; i < params.size(); ++i) {
    if (Bind(raw, static_cast<int>(i + 1), params[i]) != SQLITE_OK) return Error("ledger bind");
  }
  std::vector<std::vector<SqlValue>> rows;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::vector<SqlValue> row;
    for (int c = 0; c < sqlite3_column_count(raw); ++c) row.push_back(Column(raw, c));
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return Error("ledger step");
  return rows;
}

int64_t AsInt(const SqlValue& v) {
  if (std::holds_alternative<int64_t>(v)) return std::get<int64_t>(v);
  if (std::holds_alternative<double>(v)) return static_cast<int64_t>(std::get<double>(v));
  return 0;
}

double AsReal(const SqlValue& v) {
  if (std::holds_alternative<double>(v)) return std::get<double>(v);
  if (std::holds_alternative<int64_t>(v)) return static_cast<double>(std::get<int64_t>(v));
  return 0;
}

std::string AsText(const SqlValue& v) {
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  return "";
}

}  // namespace tenantshift
