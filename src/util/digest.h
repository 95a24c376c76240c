// SHA-256 as lower-case hex: the one digest helper (SigV4 payload hashes, staged key suffixes).
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace tenantshift {

// The 64 lower-case hex digits of the SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace tenantshift
