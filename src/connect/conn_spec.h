// Resolving what a user typed (--source/--target) into a ConnSpec (pg/conn_spec.h): libpq's
// own forms pass through; "secret-file:PATH" and "aws-secret:ID" are read here. Messages never
// quote a secret.
// Thread-safety: pure functions except for the file and AWS reads they do.
#pragma once

#include <string>

#include "pg/conn_spec.h"
#include "util/secret.h"
#include "util/status.h"

namespace tenantshift {

// Resolves a user's connection argument. On failure (unreadable or malformed secret file) the
// message names the file and the problem, never the secret.
Result<ConnSpec> ResolveConnSpec(const std::string& user_spec);

// The ConnSpec of a connection secret's JSON text; `where` ("secret file /x.json") names it in
// messages, which never quote the text. Fails when the text is not a JSON object or has no host.
Result<ConnSpec> ConnSpecFromSecretJson(const Secret& text, const std::string& where);

}  // namespace tenantshift
