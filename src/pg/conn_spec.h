// ConnSpec: how to reach one server, resolved from what the user typed.
//
// A user gives anything libpq accepts (conninfo "host=... dbname=...", a postgres:// URI, or
// nothing and PG* variables, ~/.pgpass and service files do the rest), or
// "secret-file:PATH" naming a JSON file {"host","port","database"|"dbname","username","password"}.
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

  // Replaces every secret in `text` with "********".
  std::string Redact(std::string text) const;
};

// Resolves a user's connection argument. On failure (unreadable or malformed secret file) the
// message names the file and the problem, never the secret.
Result<ConnSpec> ResolveConnSpec(const std::string& user_spec);

}  // namespace tenantshift
