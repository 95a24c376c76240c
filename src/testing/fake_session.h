// FakeSession: an in-memory Session for unit tests. Queries are answered from recorded rows
// keyed by their exact SQL text; everything executed is recorded. No server, no I/O.
// Thread-safety: not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pg/session.h"

namespace tenantshift {

class FakeSession final : public Session {
 public:
  // Answers `sql` (exact text) with `rows` from now on.
  void AddResult(const std::string& sql, Rows rows) { results_[sql] = std::move(rows); }
  // Execute() of a statement starting with `prefix` fails with `status` from now on.
  void FailOn(const std::string& prefix, Status status) { failures_[prefix] = std::move(status); }

  std::vector<std::string> executed;    // every Execute() statement, in order
  std::vector<std::string> queried;     // every Query() text, in order
  std::vector<std::string> statements;  // both, in the order they ran

  Status Execute(const std::string& sql) override {
    executed.push_back(sql);
    statements.push_back(sql);
    for (const auto& [prefix, status] : failures_) {
      if (sql.rfind(prefix, 0) == 0) return status;
    }
    return Status::Ok();
  }
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>&) override {
    queried.push_back(sql);
    statements.push_back(sql);
    auto it = results_.find(sql);
    if (it == results_.end()) return Status::Server("FakeSession: no recorded result");
    return it->second;
  }
  Status PipeCopy(const std::string&, Session&, const std::string&,
                  const std::function<void(size_t)>&) override {
    return Status::Internal("FakeSession: COPY is not supported");
  }
  // COPY ... TO STDOUT: records the statement and sends `copy_out_rows` (one chunk per row);
  // unsupported while that is empty.
  std::vector<std::string> copy_out_rows;
  std::vector<std::string> copied_out;
  Result<int64_t> CopyOut(const std::string& sql,
                          const std::function<Status(const char*, size_t)>& sink) override {
    if (copy_out_rows.empty()) return Status::Internal("FakeSession: COPY is not supported");
    copied_out.push_back(sql);
    for (const std::string& row : copy_out_rows) {
      Status s = sink(row.data(), row.size());
      if (!s.ok()) return s;
    }
    return static_cast<int64_t>(copy_out_rows.size());
  }
  Status BeginCopyIn(const std::string&) override { return Status::Internal("unsupported"); }
  Status PutCopyData(const char*, size_t) override { return Status::Internal("unsupported"); }
  Result<int64_t> EndCopyIn(const std::string&) override { return Status::Internal("unsupported"); }
  void Cancel() override {}
  // Not a real verifier: a recognisable stand-in derived from the role name.
  Result<std::string> EncryptPassword(const std::string&, const std::string& role) override {
    return "SCRAM-SHA-256$fake:" + role;
  }
  int ServerVersion() const override { return 150000; }
  std::string description = "fake";  // what Describe() returns ("host:port/db user=...")
  std::string Describe() const override { return description; }

 private:
  std::map<std::string, Rows> results_;
  std::map<std::string, Status> failures_;
};

}  // namespace tenantshift
