#include "util/status.h"

namespace tenantshift {

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  Status s(code_, context + ": " + message_);
  s.sqlstate_ = sqlstate_;
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (sqlstate_.empty()) return message_;
  return message_ + " (SQLSTATE " + sqlstate_ + ")";
}

}  // namespace tenantshift
