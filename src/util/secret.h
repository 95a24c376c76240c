// Secret: text that must never be shown: a password or a password verifier.
//
// It has no stream operator and no conversion to string; Reveal() is the one way to its text,
// for the few places that put it into a statement or into the 0600 password file. The memory
// is wiped when the Secret goes away. Thread-safety: a value type.
#pragma once

#include <string.h>

#include <string>
#include <utility>

namespace tenantshift {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&&) = default;
  Secret& operator=(Secret&&) = default;
  ~Secret() { explicit_bzero(value_.data(), value_.size()); }

  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret&) const = default;

 private:
  std::string value_;
};

}  // namespace tenantshift
