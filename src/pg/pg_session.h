// PgSession: the libpq implementation of Session, plus SQLSTATE classification.
// Thread-safety: as Session; Cancel() uses a PGcancel made at connect time.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "pg/conn_spec.h"
#include "pg/session.h"

namespace tenantshift {

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
struct PgCancelDeleter {
  void operator()(PGcancel* c) const { PQfreeCancel(c); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnDeleter>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;
using PgCancelPtr = std::unique_ptr<PGcancel, PgCancelDeleter>;

// Maps a SQLSTATE to the Status code that drives retry and reporting decisions.
Status::Code ClassifySqlState(const std::string& sqlstate);

class PgSession final : public Session {
 public:
  // Connects. `role` ("source"/"target") prefixes error messages. On failure the message is
  // libpq's, with every secret of `spec` redacted; the code is kPermission for authentication
  // failures and kConnection otherwise.
  static Result<std::unique_ptr<PgSession>> Connect(const ConnSpec& spec, const std::string& role);

  Status Execute(const std::string& sql) override;
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override;
  Status PipeCopy(const std::string& copy_out_sql, Session& target, const std::string& copy_in_sql,
                  const std::function<void(size_t bytes)>& on_chunk) override;
  Result<int64_t> CopyOut(const std::string& copy_out_sql,
                          const std::function<Status(const char*, size_t)>& sink) override;
  Status BeginCopyIn(const std::string& copy_in_sql) override;
  Status PutCopyData(const char* data, size_t len) override;
  Result<int64_t> EndCopyIn(const std::string& error) override;
  void Cancel() override;
  Result<std::string> EncryptPassword(const std::string& password,
                                      const std::string& role) override;
  int ServerVersion() const override;
  std::string Describe() const override;
  ConnEndpoint Endpoint() const override;

 private:
  PgSession(PgConnPtr conn, ConnSpec spec, std::string role);
  // Status for a failed result (or a lost connection when `res` is null).
  Status ErrorFrom(const PGresult* res) const;
  Status CheckResult(PgResultPtr res, ExecStatusType want) const;
  Status DrainResults(ExecStatusType want);
  // The row count of the next result (a finished COPY), then DrainResults.
  Result<int64_t> CommandRows();

  PgConnPtr conn_;
  PgCancelPtr cancel_;
  ConnSpec spec_;     // kept to redact secrets from server and libpq messages
  std::string role_;  // "source" or "target", prefixes messages
};

}  // namespace tenantshift
