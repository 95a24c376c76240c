// Quoting of identifiers and literals for SQL text. Every identifier and literal that
// tenantshift writes into SQL goes through these functions: one literal rule per dialect.
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

// A Redshift string literal: single quotes AND backslashes doubled. Redshift reads a backslash
// in a literal as an escape (its QUOTE_LITERAL "doubles any embedded single quotation marks and
// backslashes": https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_LITERAL.html), unlike
// PostgreSQL's standard-conforming strings, so QuoteLiteral alone is not enough there.
std::string QuoteRedshiftLiteral(std::string_view value);

}  // namespace tenantshift
