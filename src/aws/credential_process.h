// Running a profile's credential_process: the command line split into words the way a POSIX
// shell would (quotes and backslashes, no expansion, no shell), run with a time limit, its
// standard output captured.
//
// The child's standard error is captured too, but only its last line reaches an error message,
// and only after RedactKeyLike has removed anything shaped like a key or token: a failing
// helper that dumps its credentials must not leak them into our logs. Nothing is ever passed
// in the child's argv but the configured command itself.
// Thread-safety: plain functions; RunProcess may run concurrently from several threads.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "util/status.h"

namespace tenantshift {

// "a 'b c' \"d\\\"e\"" -> {"a", "b c", "d\"e"}. InvalidArgument for an unterminated quote or an
// empty command.
Result<std::vector<std::string>> SplitCommandLine(const std::string& command);

// Runs argv[0] (looked up in PATH) with `argv`, no shell, the process environment inherited and
// stdin from /dev/null. Returns its standard output when it exits with status 0 within
// `timeout`; otherwise an error naming `what` (never argv) with the exit status and the redacted
// last line of its standard error. The child is killed on timeout.
Result<std::string> RunProcess(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                               const std::string& what);

// `text` with every run of 16 or more characters from [A-Za-z0-9+/=_-] (access key ids,
// secret keys, session tokens) replaced by "[redacted]".
std::string RedactKeyLike(const std::string& text);

}  // namespace tenantshift
