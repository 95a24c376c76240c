#include "ddl/postgres/pg_operator_renderer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "ddl/quote.h"

namespace tenantshift::pgddl {
namespace {

std::string Owner(const std::string& what, const std::string& owner) {
  return owner.empty() ? "" : fmt::format("ALTER {} OWNER TO {};\n", what, QuoteIdent(owner));
}

std::string Comment(const std::string& what, const std::string& comment) {
  return comment.empty() ? "" : fmt::format("COMMENT ON {} IS {};\n", what, QuoteLiteral(comment));
}

// "OPERATOR 1 >(integer,integer)" or "FUNCTION 1 (integer, integer) f(integer,integer)".
std::string Member(const OperatorMember& m) {
  if (m.is_operator) {
    std::string s = fmt::format("OPERATOR {} {}", m.number, m.target);
    if (!m.order_family.empty()) s += " FOR ORDER BY " + m.order_family;
    return s;
  }
  return fmt::format("FUNCTION {} ({}, {}) {}", m.number, m.left_type, m.right_type, m.target);
}

std::vector<std::string> Members(const std::vector<OperatorMember>& members) {
  std::vector<std::string> out;
  for (const OperatorMember& m : members) out.push_back(Member(m));
  return out;
}

// "(\n    A = x,\n    B = y )" from the clauses that are set.
std::string Clauses(const std::vector<std::pair<const char*, std::string>>& clauses) {
  std::vector<std::string> set;
  for (const auto& [key, value] : clauses) {
    if (!value.empty()) set.push_back(fmt::format("{} = {}", key, value));
  }
  return fmt::format("(\n    {} )", fmt::join(set, ",\n    "));
}

}  // namespace

std::string OperatorName(const QualifiedName& name) {
  return QuoteIdent(name.schema) + "." + name.name;
}

std::string OperatorSignature(const Operator& op) {
  return fmt::format("{} ({}, {})", OperatorName(op.name),
                     op.left_type.empty() ? "NONE" : op.left_type,
                     op.right_type.empty() ? "NONE" : op.right_type);
}

std::string CreateOperator(const Operator& op, const std::string& owner) {
  std::vector<std::string> clauses = {"FUNCTION = " + op.function};
  if (!op.left_type.empty()) clauses.push_back("LEFTARG = " + op.left_type);
  if (!op.right_type.empty()) clauses.push_back("RIGHTARG = " + op.right_type);
  if (!op.commutator.empty()) clauses.push_back("COMMUTATOR = OPERATOR(" + op.commutator + ")");
  if (!op.negator.empty()) clauses.push_back("NEGATOR = OPERATOR(" + op.negator + ")");
  if (op.merges) clauses.push_back("MERGES");
  if (op.hashes) clauses.push_back("HASHES");
  if (!op.restrict_fn.empty()) clauses.push_back("RESTRICT = " + op.restrict_fn);
  if (!op.join_fn.empty()) clauses.push_back("JOIN = " + op.join_fn);
  const std::string what = "OPERATOR " + OperatorSignature(op);
  return fmt::format("CREATE OPERATOR {} (\n    {}\n);\n", OperatorName(op.name),
                     fmt::join(clauses, ",\n    ")) +
         Owner(what, owner) + Comment(what, op.comment);
}

std::string CreateOperatorFamily(const OperatorFamily& f, const std::string& owner) {
  const std::string what =
      fmt::format("OPERATOR FAMILY {} USING {}", QuoteName(f.name), QuoteIdent(f.method));
  std::string sql = "CREATE " + what + ";\n";
  if (!f.members.empty()) {
    sql += fmt::format("ALTER {} ADD\n    {};\n", what, fmt::join(Members(f.members), ",\n    "));
  }
  return sql + Owner(what, owner) + Comment(what, f.comment);
}

std::string CreateOperatorClass(const OperatorClass& c, const std::string& owner) {
  std::vector<std::string> items = Members(c.members);
  if (!c.storage.empty() || items.empty()) {
    items.push_back("STORAGE " + (c.storage.empty() ? c.type : c.storage));
  }
  std::string sql =
      fmt::format("CREATE OPERATOR CLASS {}\n    {}FOR TYPE {} USING {} FAMILY {} AS\n    {};\n",
                  QuoteName(c.name), c.is_default ? "DEFAULT " : "", c.type, QuoteIdent(c.method),
                  QuoteName(c.family), fmt::join(items, ",\n    "));
  const std::string what =
      fmt::format("OPERATOR CLASS {} USING {}", QuoteName(c.name), QuoteIdent(c.method));
  return sql + Owner(what, owner) + Comment(what, c.comment);
}

std::string CreateConversion(const Conversion& c, const std::string& owner) {
  const std::string what = "CONVERSION " + QuoteName(c.name);
  return fmt::format("CREATE {}{} FOR {} TO {} FROM {};\n", c.is_default ? "DEFAULT " : "", what,
                     QuoteLiteral(c.from_encoding), QuoteLiteral(c.to_encoding), c.function) +
         Owner(what, owner) + Comment(what, c.comment);
}

std::string CreateTextSearchParser(const TextSearchParser& p) {
  const std::string what = "TEXT SEARCH PARSER " + QuoteName(p.name);
  return fmt::format("CREATE {} {};\n", what,
                     Clauses({{"START", p.start},
                              {"GETTOKEN", p.gettoken},
                              {"END", p.end},
                              {"LEXTYPES", p.lextypes},
                              {"HEADLINE", p.headline}})) +
         Comment(what, p.comment);
}

std::string CreateTextSearchTemplate(const TextSearchTemplate& t) {
  const std::string what = "TEXT SEARCH TEMPLATE " + QuoteName(t.name);
  return fmt::format("CREATE {} {};\n", what, Clauses({{"INIT", t.init}, {"LEXIZE", t.lexize}})) +
         Comment(what, t.comment);
}

}  // namespace tenantshift::pgddl
