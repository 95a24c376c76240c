// PostgreSQL DDL for principals and access: roles, memberships, role settings, privileges,
// default privileges and row-level security, rendered from the catalog model.
//
// Pure functions, like pg_renderer.h: identifiers go through QuoteIdent/QuoteName and literals
// (comments, setting values, VALID UNTIL, password verifiers) through QuoteLiteral; privilege
// names are emitted only when IsKnownPrivilege() accepts them. Each statement ends with ";\n".
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"

namespace tenantshift::pgddl {

// What plans print in place of a password: PASSWORD '********'.
inline constexpr const char* kMaskedPassword = "********";

// The attributes CreateRole spells out for `role`, e.g. {"NOSUPERUSER", "INHERIT", ...,
// "CONNECTION LIMIT 7", "VALID UNTIL '2099-12-31 23:00:00+00'"}; `superuser` overrides
// role.superuser (the caller applies --allow-superuser).
std::vector<std::string> RoleAttributes(const Role& role, bool superuser);
// CREATE ROLE with every attribute explicit. With a non-null `password` (a stored verifier, or
// kMaskedPassword for display) adds PASSWORD '...'.
std::string CreateRole(const Role& role, bool superuser, const std::string* password);
// COMMENT ON ROLE; empty when the role has no comment.
std::string RoleComment(const Role& role);
// ALTER ROLE ... [IN DATABASE database] SET name TO value. List settings such as search_path
// are split into their elements, each a literal (as pg_dumpall does), so values holding commas
// or quotes survive. `database` names the target database for in_database settings.
std::string AlterRoleSet(const std::string& role, const RoleSetting& setting,
                         const std::string& database);
// The value of ALTER ROLE/USER ... SET name TO <value>: a literal, or for list settings such as
// search_path each element its own literal (`'acme', '$user'`).
std::string SettingValue(const RoleSetting& setting);
// The same with each element quoted by `quote` (Redshift: QuoteRedshiftLiteral).
std::string SettingValue(const RoleSetting& setting, std::string (*quote)(std::string_view));
// "ON TABLE s.t", "ON SCHEMA s", "ON FUNCTION s.f(integer)", "ON DATABASE d"...: the object
// clause of GRANT and REVOKE (views and materialized views are named as tables).
std::string OnObject(const ObjectRef& object);
// GRANT role TO member [WITH ADMIN OPTION] [GRANTED BY grantor] (no GRANTED BY when the
// grantor is empty).
std::string GrantMembership(const RoleMembership& m);

// True for the privilege names GRANT accepts (SELECT, INSERT, ..., MAINTAIN).
bool IsKnownPrivilege(const std::string& name);
// REVOKE ALL ON object FROM each grantee ("" = PUBLIC) CASCADE: clears the object's (or
// column's) ACL of what these grantees hold, and of everything they granted on.
// REQUIRES: grantees is not empty.
std::string RevokeAll(const ObjectRef& object, const std::vector<std::string>& grantees);
// GRANT statements that give item.grantee item.privileges on `object`: one for the plain
// privileges, one WITH GRANT OPTION for the grantable ones. The server records the grantor as
// the role running them (the object's owner when a superuser runs them); see SetRole.
std::string Grant(const ObjectRef& object, const AclItem& item);
// SET LOCAL ROLE role / RESET ROLE: run statements as another role inside a transaction.
std::string SetRole(const std::string& role);
std::string ResetRole();

// ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s REVOKE ALL ON <kind> FROM each grantee.
std::string RevokeAllDefault(const DefaultAcl& rule, const std::vector<std::string>& grantees);
// ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT ... ON <kind> TO grantee [WITH GRANT
// OPTION], as Grant() splits them.
std::string GrantDefault(const DefaultAcl& rule, const AclItem& item);

// ALTER TABLE ... ENABLE / FORCE ROW LEVEL SECURITY, and CREATE POLICY for each policy;
// empty when the table has none of them.
std::string RowSecurity(const Table& table);
std::string CreatePolicy(const QualifiedName& table, const Policy& policy);

}  // namespace tenantshift::pgddl
