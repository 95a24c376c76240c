// Durable file replacement: the one rule every file tenantshift writes for later (reports,
// secret files, password files) follows, as leveldb's SetCurrentFile does.
// Thread-safety: pure functions of the file system.
#pragma once

#include <string>

#include "util/status.h"

namespace tenantshift {

// Replaces `path` with `data`: writes a temporary file beside it (mode 0600, close-on-exec),
// fsyncs it, renames it over `path` and fsyncs the directory, so a crash leaves either the old
// or the new content, never a mix. On failure `path` is unchanged and the temporary file is
// removed; the message names `path`, the step and the system error, never `data`.
// Permission for EACCES/EPERM/EROFS, InvalidArgument for a missing or bad directory, Internal
// otherwise.
Status WriteFileAtomically(const std::string& path, const std::string& data);

}  // namespace tenantshift
