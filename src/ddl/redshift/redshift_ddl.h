// RedshiftDdl: the DdlRenderer for Redshift targets, provisioned clusters and Serverless
// workgroups (the Redshift Database Developer Guide's syntax; see
// shared/reference/redshift-catalog.md §3-§14).
//
// Principals are users (CREATE USER with SYSLOG ACCESS, SESSION TIMEOUT, ...), groups (CREATE
// GROUP, ALTER GROUP ... ADD USER) and RBAC roles (CREATE ROLE, GRANT ROLE, system privileges);
// grantees are named plainly, as GROUP g or as ROLE r (AclItem::grantee_kind). Tables carry
// IDENTITY, ENCODE, DISTSTYLE/DISTKEY, SORTKEY, BACKUP and CASE_INSENSITIVE collation; views may
// be late-binding; materialized views carry BACKUP, distribution, sort key and AUTO REFRESH.
// Functions and procedures are assembled from Routine::parts (Redshift has no
// pg_get_functiondef). Statements Redshift shares with PostgreSQL (ALTER ... OWNER TO, DROP,
// REFRESH) are PostgresDdl's. Every literal (COMMENT, VALID UNTIL, PASSWORD, SET values) is
// written with QuoteRedshiftLiteral, which doubles backslashes too (ddl/quote.h).
//
// What Redshift cannot hold is not rendered here: the planner converts it first, with a
// warning or a manual step each (plan/redshift_target.h): interleaved sort keys on Serverless,
// Python and Lambda UDFs, comments on schemas, routines and users.
// Thread-safety: stateless after construction; share freely.
#pragma once

#include <string>
#include <vector>

#include "ddl/postgres/pg_ddl.h"

namespace tenantshift {

class RedshiftDdl : public PostgresDdl {
 public:
  explicit RedshiftDdl(bool serverless) : serverless_(serverless) {}

  bool serverless() const { return serverless_; }

  // CREATE SCHEMA s [AUTHORIZATION owner] [QUOTA n MB] (AUTHORIZATION when the owner is set).
  std::string CreateSchema(const Schema& s) const override;
  std::string SchemaComment(const Schema& s) const override;  // none: Redshift has no such COMMENT
  std::string CreateTable(const Table& t) const override;
  std::string TableComments(const Table& t) const override;
  std::string ConstraintComment(const QualifiedName& t, const Constraint& c) const override;
  std::string DataStepSql(const Table& t) const override;
  // ALTER TABLE s.t ADD CONSTRAINT n <definition> (Redshift has no ONLY).
  std::string AddConstraint(const Table& t, const Constraint& c) const override;
  std::string NoFunctionBodyChecks() const override;
  // CREATE FUNCTION / CREATE PROCEDURE assembled from Routine::parts.
  std::string CreateRoutine(const Routine& r) const override;
  std::string RoutineComment(const Routine& r) const override;  // none: see SchemaComment
  // CREATE VIEW v [(columns)] ... [WITH NO SCHEMA BINDING]; CREATE MATERIALIZED VIEW [BACKUP NO]
  // [DISTSTYLE ...] [DISTKEY (c)] [SORTKEY (c, ...)] [AUTO REFRESH YES] AS ....
  std::string CreateView(const View& v) const override;
  std::string ViewComments(const View& v) const override;
  // ALTER TABLE s.v OWNER TO u: Redshift changes view owners with ALTER TABLE.
  std::string ViewOwner(const View& v) const override;

  std::vector<std::string> RoleAttributes(const Role& r, bool superuser) const override;
  // CREATE USER (PASSWORD '<password>', or PASSWORD DISABLE when there is none or the user has
  // an EXTERNALID), CREATE GROUP, or CREATE ROLE [EXTERNALID] and GRANT <system privilege> TO
  // ROLE r for each of its system privileges.
  std::string CreateRole(const Role& r, bool superuser, const std::string* password) const override;
  std::string RoleComment(const Role& r) const override;  // none: see SchemaComment
  // ALTER USER u SET name TO value (Redshift settings are per user, never per database).
  std::string AlterRoleSet(const std::string& role, const RoleSetting& s,
                           const std::string& database) const override;
  // ALTER GROUP g ADD USER u; GRANT ROLE r TO u; GRANT ROLE r TO ROLE r2.
  std::string GrantMembership(const RoleMembership& m) const override;
  bool IsKnownPrivilege(const std::string& name) const override;
  std::string RevokeAll(const ObjectRef& o, const std::vector<AclItem>& grantees) const override;
  // WITH GRANT OPTION only to users: Redshift accepts it for no other grantee.
  std::string Grant(const ObjectRef& o, const AclItem& item) const override;
  std::string SetRole(const std::string& role) const override;  // SET SESSION AUTHORIZATION
  std::string ResetRole() const override;
  // ALTER DEFAULT PRIVILEGES FOR USER u [IN SCHEMA s] (database-wide when the schema is empty).
  std::string RevokeAllDefault(const DefaultAcl& rule,
                               const std::vector<AclItem>& grantees) const override;
  // Only the privileges IsRedshiftDefaultPrivilege allows for the rule's kind.
  std::string GrantDefault(const DefaultAcl& rule, const AclItem& item) const override;
  std::string RowSecurity(const Table& t) const override;  // none on Redshift

 private:
  bool serverless_;
};

// The system privileges GRANT ... TO ROLE accepts (DG:r_GRANT), upper case.
bool IsRedshiftSystemPrivilege(const std::string& name);

// What ALTER DEFAULT PRIVILEGES ... GRANT accepts ON TABLES (SELECT, INSERT, UPDATE, DELETE,
// DROP, REFERENCES, TRUNCATE: no ALTER) and ON FUNCTIONS / PROCEDURES (EXECUTE):
// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_DEFAULT_PRIVILEGES.html
bool IsRedshiftDefaultPrivilege(DefaultAcl::On on, const std::string& name);

// "$$", or the first "$ts$", "$ts1$", ... that does not occur in `body`: a dollar quote that
// `body` cannot end.
std::string DollarQuote(const std::string& body);

namespace rsddl {

// The type name as format_type() prints it, lower case, without its modifier: "varbyte",
// "character varying", "super".
std::string BaseType(const std::string& type);

}  // namespace rsddl
}  // namespace tenantshift
