// Quoting of identifiers and literals for SQL text. Every identifier and literal that
// tenantshift writes into SQL goes through these two functions.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "model/object_name.h"

namespace tenantshift {

// Always double-quotes `ident`, doubling embedded double quotes: abc -> "abc", a"b -> "a""b".
// Quoting every identifier keeps case, spaces, keywords and unicode exact.
// REQUIRES: ident contains no NUL byte (PostgreSQL names cannot).
std::string QuoteIdent(std::string_view ident);

// "schema"."name".
std::string QuoteName(const QualifiedName& name);

// A standard-conforming string literal: 'it''s'. Backslashes are not special in it
// (standard_conforming_strings is on on every server tenantshift writes to; sessions set it).
std::string QuoteLiteral(std::string_view value);

}  // namespace tenantshift
