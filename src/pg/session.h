// Session: one connection to a PostgreSQL-protocol server.
//
// The seam between tenantshift and libpq (compare leveldb's Env): the planner never sees it,
// the extractor, executor and data movers use it, and tests may wrap it to inject failures.
// Thread-safety: a Session is used by one thread at a time; Cancel() may be called from any.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace tenantshift {

// The rows of a query, every value as text (NULL is nullopt).
class Rows {
 public:
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  size_t size() const { return rows.size(); }
  // Index of a column by name. REQUIRES: the column exists.
  size_t Col(std::string_view name) const;
  // Value of column `name` in row `r`, or "" when NULL.
  const std::string& Get(size_t r, std::string_view name) const;
  bool IsNull(size_t r, std::string_view name) const;
};

// Where a session is connected, as libpq resolved it (spec, PG* variables, service files).
struct ConnEndpoint {
  std::string host, port, dbname, user;
};

class Session {
 public:
  virtual ~Session() = default;

  // Runs one or more statements with no parameters; results are discarded.
  virtual Status Execute(const std::string& sql) = 0;

  // Runs one statement with text parameters ($1, $2, ...), nullopt binds NULL.
  virtual Result<Rows> Query(const std::string& sql,
                             const std::vector<std::optional<std::string>>& params = {}) = 0;

  // Starts `copy_out_sql` (COPY ... TO STDOUT) here and `copy_in_sql` (COPY ... FROM STDIN) on
  // `target`, and passes every chunk from one to the other unchanged. `on_chunk(bytes)` is called
  // once per data row received. On success both COPY commands completed; on failure the target's
  // COPY is aborted and the error names the side that failed.
  virtual Status PipeCopy(const std::string& copy_out_sql, Session& target,
                          const std::string& copy_in_sql,
                          const std::function<void(size_t bytes)>& on_chunk) = 0;

  // Runs `copy_out_sql` (COPY ... TO STDOUT) and passes every data row, unchanged, to `sink`.
  // Returns the number of rows the server says it sent. When `sink` returns an error the COPY
  // is cancelled, the connection is left ready for the next statement and that error is
  // returned; a server error names this side.
  virtual Result<int64_t> CopyOut(
      const std::string& copy_out_sql,
      const std::function<Status(const char* data, size_t len)>& sink) = 0;

  // Low-level COPY IN, used by PipeCopy on the receiving side.
  virtual Status BeginCopyIn(const std::string& copy_in_sql) = 0;
  virtual Status PutCopyData(const char* data, size_t len) = 0;
  // Finishes the COPY IN and returns the number of rows the server stored; with a non-empty
  // `error` aborts it instead (and returns 0).
  virtual Result<int64_t> EndCopyIn(const std::string& error) = 0;

  // Asks the server to cancel the running statement. Safe from any thread.
  virtual void Cancel() = 0;

  // The SCRAM-SHA-256 verifier of `password` for role `role`, computed here on the client (as
  // psql's \password does) so the password itself never reaches the server or its logs.
  virtual Result<std::string> EncryptPassword(const std::string& password,
                                              const std::string& role) = 0;

  // Server version as server_version_num (e.g. 150018).
  virtual int ServerVersion() const = 0;
  // "host:port/dbname user=..." without the password, for logs and reports.
  virtual std::string Describe() const = 0;
  // Where the session is connected (no password), e.g. to point a consumer's secret at it.
  virtual ConnEndpoint Endpoint() const = 0;
};

}  // namespace tenantshift
