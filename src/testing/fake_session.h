// FakeSession: an in-memory Session for unit tests. Queries are answered from recorded rows
// keyed by their exact SQL text; everything executed is recorded. COPY works: a COPY ... TO
// STDOUT answers with the data rows recorded for its text (AddCopyOut), and a COPY ... FROM
// STDIN stores what it receives (copied_in), so the PostgreSQL -> PostgreSQL data path runs
// against two fakes. No server, no I/O.
// Thread-safety: not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pg/session.h"

namespace tenantshift {

class FakeSession final : public Session {
 public:
  // Answers `sql` (exact text) with `rows` from now on.
  void AddResult(const std::string& sql, Rows rows) { results_[sql] = std::move(rows); }
  // Execute() (and a COPY) of a statement starting with `prefix` fails with `status` from now on.
  void FailOn(const std::string& prefix, Status status) { failures_[prefix] = std::move(status); }
  // COPY `sql` TO STDOUT sends these data rows (each one CopyData message) from now on.
  void AddCopyOut(const std::string& sql, std::vector<std::string> rows) {
    copy_out_[sql] = std::move(rows);
  }
  // Any COPY ... TO STDOUT without its own AddCopyOut sends these rows (the statement can be
  // read back from `statements`).
  void AddCopyOutForAny(std::vector<std::string> rows) { copy_out_any_ = std::move(rows); }

  std::vector<std::string> executed;    // every Execute() statement, in order
  std::vector<std::string> queried;     // every Query() text, in order
  std::vector<std::string> statements;  // both, and COPY statements, in the order they ran
  // The data each COPY ... FROM STDIN that ended successfully received, keyed by its text.
  std::map<std::string, std::vector<std::string>> copied_in;

  Status Execute(const std::string& sql) override {
    executed.push_back(sql);
    return Run(sql);
  }
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>&) override {
    queried.push_back(sql);
    statements.push_back(sql);
    auto it = results_.find(sql);
    if (it == results_.end()) return Status::Server("FakeSession: no recorded result");
    return it->second;
  }
  // As PgSession: the target's COPY starts first, every source row is passed on, and a
  // failure on either side aborts the target's COPY.
  Status PipeCopy(const std::string& copy_out_sql, Session& target, const std::string& copy_in_sql,
                  const std::function<void(size_t)>& on_chunk) override {
    Status s = target.BeginCopyIn(copy_in_sql);
    if (!s.ok()) return s.WithContext("target");
    Result<int64_t> sent = CopyOut(copy_out_sql, [&](const char* data, size_t len) {
      Status put = target.PutCopyData(data, len);
      if (put.ok()) on_chunk(len);
      return put;
    });
    if (!sent.ok()) {
      target.EndCopyIn("source failed");
      return sent.status();
    }
    Result<int64_t> stored = target.EndCopyIn("");
    return stored.ok() ? Status::Ok() : stored.status().WithContext("target");
  }
  Result<int64_t> CopyOut(const std::string& sql,
                          const std::function<Status(const char*, size_t)>& sink) override {
    Status s = Run(sql);
    if (!s.ok()) return s.WithContext("source");
    auto it = copy_out_.find(sql);
    if (it == copy_out_.end() && !copy_out_any_) {
      return Status::Server("FakeSession: no recorded COPY output");
    }
    const std::vector<std::string>& rows = it != copy_out_.end() ? it->second : *copy_out_any_;
    for (const std::string& row : rows) {
      Status put = sink(row.data(), row.size());
      if (!put.ok()) return put;
    }
    return static_cast<int64_t>(rows.size());
  }
  Status BeginCopyIn(const std::string& sql) override {
    Status s = Run(sql);
    if (s.ok()) copy_in_ = {sql, {}};
    return s;
  }
  Status PutCopyData(const char* data, size_t len) override {
    copy_in_.second.emplace_back(data, len);
    return Status::Ok();
  }
  Result<int64_t> EndCopyIn(const std::string& error) override {
    if (!error.empty()) return Status::Server("COPY aborted: " + error);
    copied_in[copy_in_.first] = copy_in_.second;
    return static_cast<int64_t>(copy_in_.second.size());
  }
  void Cancel() override {}
  // Not a real verifier: a recognisable stand-in derived from the role name.
  Result<std::string> EncryptPassword(const std::string&, const std::string& role) override {
    return "SCRAM-SHA-256$fake:" + role;
  }
  int ServerVersion() const override { return 150000; }
  std::string description = "fake";  // what Describe() returns ("host:port/db user=...")
  std::string Describe() const override { return description; }
  ConnEndpoint endpoint;  // what Endpoint() returns
  ConnEndpoint Endpoint() const override { return endpoint; }

 private:
  // Records `sql` and answers with the first FailOn status whose prefix it starts with.
  Status Run(const std::string& sql) {
    statements.push_back(sql);
    for (const auto& [prefix, status] : failures_) {
      if (sql.rfind(prefix, 0) == 0) return status;
    }
    return Status::Ok();
  }

  std::map<std::string, Rows> results_;
  std::map<std::string, Status> failures_;
  std::map<std::string, std::vector<std::string>> copy_out_;
  std::optional<std::vector<std::string>> copy_out_any_;
  std::pair<std::string, std::vector<std::string>> copy_in_;  // the COPY IN in progress
};

}  // namespace tenantshift
