// Thin RAII wrappers over the SQLite C API: a database handle and prepared statements with
// bound parameters. Errors come back as Status, never as exceptions.
// Thread-safety: one Database per thread (SQLite's serialized mode is not relied upon).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "util/status.h"

namespace tenantshift {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// A bound value: NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

class SqliteDb {
 public:
  // Opens (creating if needed) the database file at `path`, in WAL mode with synchronous=NORMAL:
  // a committed step survives a crash of tenantshift; after a power loss the last few may be
  // lost, and rerunning them converges (every step is idempotent).
  static Result<SqliteDb> Open(const std::string& path);

  // Runs statements without results.
  Status Exec(const std::string& sql);
  // Runs one statement with parameters ?1, ?2, ...; returns its rows (values as SqlValue).
  Result<std::vector<std::vector<SqlValue>>> Query(const std::string& sql,
                                                   const std::vector<SqlValue>& params = {});

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  Status Error(const std::string& what) const;
  std::unique_ptr<sqlite3, SqliteCloser> db_;
};

// Helpers for reading SqlValue cells.
int64_t AsInt(const SqlValue& v);
double AsReal(const SqlValue& v);
std::string AsText(const SqlValue& v);

}  // namespace tenantshift
