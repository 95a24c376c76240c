// Captures: what every catalog query of one source returned for a tenant, in one JSON file, so
// a tenant can be planned offline (`plan --source capture:FILE`), attached to a bug report, or
// kept as a test fixture, without giving access to the server.
//
// A capture holds catalog rows only: RecordingSession refuses COPY (no table data is ever
// read) and replaces every value of a password column ("verifier", "rolpassword", "passwd",
// "password") with "********", so no password, verifier or secret reaches the file. It also
// records the server's dialect and version and the tenantshift version that wrote it.
//
// ReplaySession answers the same questions from the file: a query is answered by the recorded
// answer to the same text and parameters (rows, or the same error). One relaxation: a query
// whose only parameter is a JSON array of names (e.g. the password query, asked for the roles
// a plan creates) is answered from the recording of the same text with a larger list, keeping
// the rows whose "name" is asked for. Anything else not recorded fails, naming the query.
// Thread-safety: a session is used by one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

struct CapturedQuery {
  std::string sql;
  std::vector<std::optional<std::string>> params;
  bool is_execute = false;  // Execute() (no rows) rather than Query()
  Status status;            // the server's answer when it failed
  Rows rows;
};

struct Capture {
  std::string tenantshift_version;
  std::string source;   // Describe() of the captured session (no password)
  std::string dialect;  // "postgres", "redshift" or "redshift-serverless"
  int server_version_num = 0;
  std::vector<std::string> schemas;  // what the user asked for (names or patterns)
  std::vector<CapturedQuery> queries;
};

// "capture:PATH" -> PATH; nullopt for any other connection argument.
std::optional<std::string> CapturePath(const std::string& connection_argument);

Status WriteCapture(const std::string& path, const Capture& capture);
Result<Capture> ReadCapture(const std::string& path);

// A session that answers catalog questions only: every COPY and EncryptPassword fails with
// Refusal(what), `what` naming the thing refused ("table data", "a password verifier").
class CatalogOnlySession : public Session {
 public:
  Status PipeCopy(const std::string&, Session&, const std::string&,
                  const std::function<void(size_t)>&) final;
  Result<int64_t> CopyOut(const std::string&,
                          const std::function<Status(const char*, size_t)>&) final;
  Status BeginCopyIn(const std::string&) final;
  Status PutCopyData(const char*, size_t) final;
  Result<int64_t> EndCopyIn(const std::string&) final;
  Result<std::string> EncryptPassword(const std::string&, const std::string&) final;

 protected:
  virtual Status Refusal(const std::string& what) const = 0;
};

// Forwards Execute and Query to `target` and records them (password columns redacted); COPY and
// EncryptPassword are refused. REQUIRES: `target` outlives the recorder.
class RecordingSession final : public CatalogOnlySession {
 public:
  explicit RecordingSession(Session& target) : target_(target) {}
  const std::vector<CapturedQuery>& recorded() const { return recorded_; }

  Status Execute(const std::string& sql) override;
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override;
  void Cancel() override { target_.Cancel(); }
  int ServerVersion() const override { return target_.ServerVersion(); }
  std::string Describe() const override { return target_.Describe(); }
  ConnEndpoint Endpoint() const override { return target_.Endpoint(); }

 private:
  Status Refusal(const std::string& what) const override;

  Session& target_;
  std::vector<CapturedQuery> recorded_;
};

// Answers from a capture; changes nothing anywhere.
class ReplaySession final : public CatalogOnlySession {
 public:
  ReplaySession(Capture capture, std::string path);

  Status Execute(const std::string& sql) override;
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override;
  void Cancel() override {}
  int ServerVersion() const override { return capture_.server_version_num; }
  // The captured session's Describe(), so detection sees the same endpoint.
  std::string Describe() const override;
  ConnEndpoint Endpoint() const override { return {}; }

 private:
  Status Refusal(const std::string& what) const override;

  Capture capture_;
  std::string path_;
};

}  // namespace tenantshift
