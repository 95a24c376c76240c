// PostgreSQL DDL for operators, operator families and classes, conversions, and text search
// parsers and templates, as pg_dump writes them. Pure functions (model values in, SQL text out);
// names go through QuoteIdent, function, type and operator names are the server's own text.
// `owner`: the role on the target (empty: left to the connected role). Thread-safety: pure.
#pragma once

#include <string>

#include "model/operator.h"

namespace tenantshift::pgddl {

// "s.===": an operator's name (its symbol is never quoted).
std::string OperatorName(const QualifiedName& name);
// "s.=== (integer, integer)": how ALTER, COMMENT and DROP name an operator.
std::string OperatorSignature(const Operator& op);
// CREATE OPERATOR with every clause the source has, then owner and comment.
std::string CreateOperator(const Operator& op, const std::string& owner);
// CREATE OPERATOR FAMILY, ALTER OPERATOR FAMILY ... ADD for its loose members, owner, comment.
std::string CreateOperatorFamily(const OperatorFamily& f, const std::string& owner);
// CREATE OPERATOR CLASS ... FAMILY f AS its members (STORAGE last), then owner and comment.
std::string CreateOperatorClass(const OperatorClass& c, const std::string& owner);
std::string CreateConversion(const Conversion& c, const std::string& owner);
// These two have no owner (PostgreSQL keeps none); they need a superuser on the target.
std::string CreateTextSearchParser(const TextSearchParser& p);
std::string CreateTextSearchTemplate(const TextSearchTemplate& t);

}  // namespace tenantshift::pgddl
