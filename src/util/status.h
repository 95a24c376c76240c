// Status: the outcome of an operation that can fail in an expected way.
//
// A Status is ok() or carries a Code that drives decisions (retry, stop, report) plus a
// message with context. Result<T> carries either a value or a non-ok Status.
// Thread-safety: value types; distinct objects may be used from distinct threads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tenantshift {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // bad input from the user: unknown schema, bad option, hostile value
    kConnection,       // could not reach or lost a server (SQLSTATE class 08, timeouts)
    kRetryable,        // transient server condition: serialization failure, deadlock, shutdown
    kPermission,       // authentication or privilege failure
    kAlreadyExists,    // target object in the way
    kMismatch,         // validation found a difference
    kServer,           // any other error reported by a server
    kInternal,         // a bug in tenantshift
    kCancelled,        // stopped on request
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status Connection(std::string msg) { return {Code::kConnection, std::move(msg)}; }
  static Status Retryable(std::string msg) { return {Code::kRetryable, std::move(msg)}; }
  static Status Permission(std::string msg) { return {Code::kPermission, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status Mismatch(std::string msg) { return {Code::kMismatch, std::move(msg)}; }
  static Status Server(std::string msg) { return {Code::kServer, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  static Status Cancelled(std::string msg) { return {Code::kCancelled, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // SQLSTATE of the server error behind this status, empty when there is none.
  const std::string& sqlstate() const { return sqlstate_; }
  Status& set_sqlstate(std::string s) {
    sqlstate_ = std::move(s);
    return *this;
  }
  // True when running the same operation again may succeed.
  bool retryable() const { return code_ == Code::kConnection || code_ == Code::kRetryable; }

  // Returns a copy whose message is "context: message"; code and SQLSTATE kept.
  Status WithContext(const std::string& context) const;
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  std::string sqlstate_;
};

// Either a T or a non-ok Status. REQUIRES: the Status given to the constructor is not ok.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tenantshift
