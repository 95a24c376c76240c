// Small ASCII text helpers shared by the parsers of protocols and config files (HTTP headers,
// INI profiles): case folding and whitespace trimming, locale-independent.
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace tenantshift {

// `s` with A-Z turned into a-z; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string s);

// `s` without leading and trailing spaces, tabs, CRs and LFs.
std::string TrimWhitespace(const std::string& s);

}  // namespace tenantshift
