// SessionWrapper: a Session that forwards every call to another one (leveldb's EnvWrapper), and
// FaultySession, a wrapper that injects failures after a number of statements (leveldb's
// ErrorEnv): FailAfter(n, status) makes every statement after the first n fail with `status`
// (the session stays usable for what the test checks), DropAfter(n) makes them fail as a
// dropped connection does (SQLSTATE class 08: retryable). Statements are Execute, Query,
// PipeCopy, CopyOut and BeginCopyIn calls.
// Thread-safety: as the wrapped session.
#pragma once

#include <string>

#include "pg/session.h"

namespace tenantshift {

class SessionWrapper : public Session {
 public:
  // REQUIRES: `target` outlives the wrapper.
  explicit SessionWrapper(Session& target) : target_(target) {}

  Status Execute(const std::string& sql) override { return target_.Execute(sql); }
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override {
    return target_.Query(sql, params);
  }
  Status PipeCopy(const std::string& copy_out_sql, Session& target, const std::string& copy_in_sql,
                  const std::function<void(size_t)>& on_chunk) override {
    return target_.PipeCopy(copy_out_sql, target, copy_in_sql, on_chunk);
  }
  Result<int64_t> CopyOut(const std::string& sql,
                          const std::function<Status(const char*, size_t)>& sink) override {
    return target_.CopyOut(sql, sink);
  }
  Status BeginCopyIn(const std::string& sql) override { return target_.BeginCopyIn(sql); }
  Status PutCopyData(const char* data, size_t len) override {
    return target_.PutCopyData(data, len);
  }
  Result<int64_t> EndCopyIn(const std::string& error) override { return target_.EndCopyIn(error); }
  void Cancel() override { target_.Cancel(); }
  Result<std::string> EncryptPassword(const std::string& password,
                                      const std::string& role) override {
    return target_.EncryptPassword(password, role);
  }
  int ServerVersion() const override { return target_.ServerVersion(); }
  std::string Describe() const override { return target_.Describe(); }
  ConnEndpoint Endpoint() const override { return target_.Endpoint(); }

 protected:
  Session& target_;
};

class FaultySession final : public SessionWrapper {
 public:
  using SessionWrapper::SessionWrapper;

  // Statements after the first `n` fail with `status`.
  void FailAfter(int n, Status status) {
    budget_ = n;
    failure_ = std::move(status);
  }
  // Statements after the first `n` fail as on a dropped connection.
  void DropAfter(int n) {
    FailAfter(n, Status::Connection("server closed the connection unexpectedly (injected)"));
  }
  int statements() const { return count_; }

  Status Execute(const std::string& sql) override {
    return Next() ? SessionWrapper::Execute(sql) : failure_;
  }
  Result<Rows> Query(const std::string& sql,
                     const std::vector<std::optional<std::string>>& params) override {
    if (!Next()) return failure_;
    return SessionWrapper::Query(sql, params);
  }
  Status PipeCopy(const std::string& copy_out_sql, Session& target, const std::string& copy_in_sql,
                  const std::function<void(size_t)>& on_chunk) override {
    if (!Next()) return failure_;
    return SessionWrapper::PipeCopy(copy_out_sql, target, copy_in_sql, on_chunk);
  }
  Result<int64_t> CopyOut(const std::string& sql,
                          const std::function<Status(const char*, size_t)>& sink) override {
    if (!Next()) return failure_;
    return SessionWrapper::CopyOut(sql, sink);
  }
  Status BeginCopyIn(const std::string& sql) override {
    return Next() ? SessionWrapper::BeginCopyIn(sql) : failure_;
  }

 private:
  // Counts one statement; false once the budget is spent.
  bool Next() {
    ++count_;
    return budget_ < 0 || count_ <= budget_;
  }

  int budget_ = -1;  // statements that still succeed; -1: no fault armed
  int count_ = 0;
  Status failure_;
};

}  // namespace tenantshift
