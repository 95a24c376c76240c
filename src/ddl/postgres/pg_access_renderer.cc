#include "ddl/postgres/pg_access_renderer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "ddl/quote.h"

namespace tenantshift::pgddl {
namespace {

std::string Flag(bool on, const char* name) { return (on ? "" : "NO") + std::string(name); }

// Settings whose value is a list of quoted elements (GUC_LIST_QUOTE in the server).
bool IsListSetting(const std::string& name) {
  static const std::set<std::string> kLists = {
      "local_preload_libraries",  "search_path",      "session_preload_libraries",
      "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories"};
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return kLists.count(lower) > 0;
}

// Splits a stored list setting (`a, "b c", "x""y"`) into its elements as the server's
// SplitGUCList does: double-quoted elements lose their quotes, doubled quotes become one.
// Returns false on a malformed list.
bool SplitList(const std::string& value, std::vector<std::string>* out) {
  size_t i = 0, n = value.size();
  auto skip_space = [&] {
    while (i < n && isspace(static_cast<unsigned char>(value[i]))) ++i;
  };
  skip_space();
  if (i == n) return true;
  for (;;) {
    std::string element;
    if (value[i] == '"') {
      for (++i;; ++i) {
        if (i == n) return false;
        if (value[i] == '"' && i + 1 < n && value[i + 1] == '"') {
          element += '"';
          ++i;
        } else if (value[i] == '"') {
          ++i;
          break;
        } else {
          element += value[i];
        }
      }
    } else {
      while (i < n && value[i] != ',' && !isspace(static_cast<unsigned char>(value[i]))) {
        element += value[i++];
      }
    }
    out->push_back(std::move(element));
    skip_space();
    if (i == n) return true;
    if (value[i] != ',') return false;
    ++i;
    skip_space();
  }
}

}  // namespace

std::string SettingValue(const RoleSetting& s) { return SettingValue(s, QuoteLiteral); }

std::string SettingValue(const RoleSetting& s, std::string (*quote)(std::string_view)) {
  std::vector<std::string> elements;
  if (!IsListSetting(s.name) || !SplitList(s.value, &elements)) return quote(s.value);
  for (std::string& e : elements) e = quote(e);
  return fmt::format("{}", fmt::join(elements, ", "));
}

namespace {

std::string Grantee(const std::string& role) { return role.empty() ? "PUBLIC" : QuoteIdent(role); }

std::string Grantees(const std::vector<std::string>& roles) {
  std::vector<std::string> out;
  for (const std::string& r : roles) out.push_back(Grantee(r));
  return fmt::format("{}", fmt::join(out, ", "));
}

}  // namespace

std::string OnObject(const ObjectRef& o) {
  switch (o.kind) {
    case ObjectKind::kSchema:
      return "ON SCHEMA " + QuoteIdent(o.name.schema);
    case ObjectKind::kSequence:
      return "ON SEQUENCE " + QuoteName(o.name);
    case ObjectKind::kType:
      return "ON TYPE " + QuoteName(o.name);
    case ObjectKind::kFunction:
      return "ON FUNCTION " + QuoteName(o.name) + "(" + o.arguments + ")";
    case ObjectKind::kProcedure:
      return "ON PROCEDURE " + QuoteName(o.name) + "(" + o.arguments + ")";
    case ObjectKind::kDatabase:
      return "ON DATABASE " + QuoteIdent(o.name.schema);
    case ObjectKind::kTable:
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView:
      break;
  }
  return "ON TABLE " + QuoteName(o.name);
}

namespace {

// "SELECT, UPDATE" or, for a column, "SELECT ("c"), UPDATE ("c")"; only known privileges with
// the given grant option.
std::string PrivilegeList(const ObjectRef& o, const AclItem& item, bool grantable) {
  std::vector<std::string> names;
  for (const Privilege& p : item.privileges) {
    if (p.grantable != grantable || !IsKnownPrivilege(p.name)) continue;
    names.push_back(o.column.empty() ? p.name : p.name + " (" + QuoteIdent(o.column) + ")");
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

const char* DefaultOn(DefaultAcl::On on) {
  switch (on) {
    case DefaultAcl::On::kTables:
      return "TABLES";
    case DefaultAcl::On::kSequences:
      return "SEQUENCES";
    case DefaultAcl::On::kFunctions:
      return "FUNCTIONS";
    case DefaultAcl::On::kTypes:
      return "TYPES";
    case DefaultAcl::On::kSchemas:
      return "SCHEMAS";
    case DefaultAcl::On::kProcedures:  // Redshift only; PostgreSQL 11+ names them ROUTINES
      return "ROUTINES";
  }
  return "TABLES";
}

// A rule without a schema is database-wide.
std::string AlterDefault(const DefaultAcl& rule) {
  std::string in_schema = rule.schema.empty() ? "" : " IN SCHEMA " + QuoteIdent(rule.schema);
  return "ALTER DEFAULT PRIVILEGES FOR ROLE " + QuoteIdent(rule.role) + in_schema;
}

}  // namespace

std::vector<std::string> RoleAttributes(const Role& r, bool superuser) {
  std::vector<std::string> out = {
      Flag(superuser, "SUPERUSER"),      Flag(r.inherit, "INHERIT"),
      Flag(r.create_role, "CREATEROLE"), Flag(r.create_db, "CREATEDB"),
      Flag(r.can_login, "LOGIN"),        Flag(r.replication, "REPLICATION"),
      Flag(r.bypass_rls, "BYPASSRLS"),   fmt::format("CONNECTION LIMIT {}", r.connection_limit)};
  if (!r.valid_until.empty()) out.push_back("VALID UNTIL " + QuoteLiteral(r.valid_until));
  return out;
}

std::string CreateRole(const Role& role, bool superuser, const std::string* password) {
  std::string sql = fmt::format("CREATE ROLE {} WITH {}", QuoteIdent(role.name),
                                fmt::join(RoleAttributes(role, superuser), " "));
  if (password != nullptr) sql += " PASSWORD " + QuoteLiteral(*password);
  return sql + ";\n";
}

std::string RoleComment(const Role& role) {
  if (role.comment.empty()) return "";
  return "COMMENT ON ROLE " + QuoteIdent(role.name) + " IS " + QuoteLiteral(role.comment) + ";\n";
}

std::string AlterRoleSet(const std::string& role, const RoleSetting& s,
                         const std::string& database) {
  std::string in = s.in_database ? " IN DATABASE " + QuoteIdent(database) : "";
  return fmt::format("ALTER ROLE {}{} SET {} TO {};\n", QuoteIdent(role), in, QuoteIdent(s.name),
                     SettingValue(s));
}

std::string GrantMembership(const RoleMembership& m) {
  std::string sql = "GRANT " + QuoteIdent(m.role) + " TO " + QuoteIdent(m.member);
  if (m.admin_option) sql += " WITH ADMIN OPTION";
  if (!m.grantor.empty()) sql += " GRANTED BY " + QuoteIdent(m.grantor);
  return sql + ";\n";
}

bool IsKnownPrivilege(const std::string& name) {
  static const std::set<std::string> kKnown = {
      "SELECT", "INSERT", "UPDATE",  "DELETE",  "TRUNCATE",  "REFERENCES", "TRIGGER",
      "USAGE",  "CREATE", "EXECUTE", "CONNECT", "TEMPORARY", "MAINTAIN"};
  return kKnown.count(name) > 0;
}

std::string RevokeAll(const ObjectRef& o, const std::vector<std::string>& grantees) {
  std::string all = o.column.empty() ? "ALL" : "ALL (" + QuoteIdent(o.column) + ")";
  return fmt::format("REVOKE {} {} FROM {} CASCADE;\n", all, OnObject(o), Grantees(grantees));
}

std::string Grant(const ObjectRef& o, const AclItem& item) {
  std::string sql;
  for (bool grantable : {false, true}) {
    std::string privileges = PrivilegeList(o, item, grantable);
    if (privileges.empty()) continue;
    sql += fmt::format("GRANT {} {} TO {}{};\n", privileges, OnObject(o), Grantee(item.grantee),
                       grantable ? " WITH GRANT OPTION" : "");
  }
  return sql;
}

std::string SetRole(const std::string& role) {
  return "SET LOCAL ROLE " + QuoteIdent(role) + ";\n";
}
std::string ResetRole() { return "RESET ROLE;\n"; }

std::string RevokeAllDefault(const DefaultAcl& rule, const std::vector<std::string>& grantees) {
  return fmt::format("{} REVOKE ALL ON {} FROM {};\n", AlterDefault(rule), DefaultOn(rule.on),
                     Grantees(grantees));
}

std::string GrantDefault(const DefaultAcl& rule, const AclItem& item) {
  std::string sql;
  for (bool grantable : {false, true}) {
    std::string privileges = PrivilegeList({}, item, grantable);
    if (privileges.empty()) continue;
    sql += fmt::format("{} GRANT {} ON {} TO {}{};\n", AlterDefault(rule), privileges,
                       DefaultOn(rule.on), Grantee(item.grantee),
                       grantable ? " WITH GRANT OPTION" : "");
  }
  return sql;
}

std::string RowSecurity(const Table& t) {
  std::string sql;
  if (t.row_security) sql += "ALTER TABLE " + QuoteName(t.name) + " ENABLE ROW LEVEL SECURITY;\n";
  if (t.force_row_security) {
    sql += "ALTER TABLE " + QuoteName(t.name) + " FORCE ROW LEVEL SECURITY;\n";
  }
  for (const Policy& p : t.policies) sql += CreatePolicy(t.name, p);
  return sql;
}

std::string CreatePolicy(const QualifiedName& table, const Policy& p) {
  static const std::set<std::string> kCommands = {"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"};
  std::string sql = fmt::format("CREATE POLICY {} ON {} AS {} FOR {}", QuoteIdent(p.name),
                                QuoteName(table), p.permissive ? "PERMISSIVE" : "RESTRICTIVE",
                                kCommands.count(p.command) ? p.command : "ALL");
  if (!p.roles.empty()) sql += " TO " + Grantees(p.roles);
  if (!p.using_expr.empty()) sql += " USING (" + p.using_expr + ")";
  if (!p.check_expr.empty()) sql += " WITH CHECK (" + p.check_expr + ")";
  sql += ";\n";
  if (!p.comment.empty()) {
    sql += fmt::format("COMMENT ON POLICY {} ON {} IS {};\n", QuoteIdent(p.name), QuoteName(table),
                       QuoteLiteral(p.comment));
  }
  return sql;
}

}  // namespace tenantshift::pgddl
