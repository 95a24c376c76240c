// ConnSpec: how to reach one server, resolved from what the user typed.
//
// The resolvers that turn what a user typed into a ConnSpec are in connect/conn_spec.h.
// A user gives anything libpq accepts (conninfo "host=... dbname=...", a postgres:// URI, or
// nothing and PG* variables, ~/.pgpass and service files do the rest), or
// "secret-file:PATH" naming a JSON file, or "aws-secret:ID" naming an AWS Secrets Manager secret
// (name or ARN), holding {"host","port","database"|"dbname","username","password"} ("hostname",
// "db", "user", "engine", "sslmode" are understood too; other keys are ignored). The secret's
// port is honoured; without one, a Redshift secret ("engine" containing "redshift", or a
// *.redshift[-serverless].amazonaws.com host) gets 5439 and any other libpq's default (5432).
// The password, wherever it came from, is kept only here and handed to libpq; Redact() removes
// it from any text before that text may be shown.
// Thread-safety: value type.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace tenantshift {

struct ConnSpec {
  // Parallel keyword/value arrays for PQconnectdbParams with expand_dbname=1.
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  // Secrets that must never be shown (the password from a secret file or inline in the spec).
  std::vector<std::string> secrets;

  // "host:port/dbname user=name" from the explicit keywords (empty parts when the spec leaves
  // them to libpq), with every secret redacted: for messages.
  std::string Describe() const;
  // Replaces every secret in `text` with "********".
  std::string Redact(std::string text) const;
};

}  // namespace tenantshift
