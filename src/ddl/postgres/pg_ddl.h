// PostgresDdl: the DdlRenderer for PostgreSQL targets. Each method is the pgddl:: function of
// the same name (pg_renderer.h, pg_access_renderer.h), so the SQL is exactly theirs.
// Thread-safety: stateless; share freely.
#pragma once

#include <string>
#include <vector>

#include "ddl/ddl_renderer.h"

namespace tenantshift {

class PostgresDdl : public DdlRenderer {
 public:
  std::string CreateSchema(const Schema& s) const override;
  std::string SchemaComment(const Schema& s) const override;
  std::string SchemaOwner(const Schema& s) const override;
  std::string CreateSequence(const Sequence& s) const override;
  std::string SequenceComment(const Sequence& s) const override;
  std::string SequenceOwnedBy(const Sequence& s) const override;
  std::string SequenceOwner(const Sequence& s) const override;
  std::string DropSequence(const QualifiedName& s) const override;
  std::string SetSequenceValue(const QualifiedName& s, const SequenceState& v) const override;
  std::string CreateTable(const Table& t) const override;
  std::string TableComments(const Table& t) const override;
  std::string TableOwner(const Table& t) const override;
  std::string DataStepSql(const Table& t) const override;
  std::string AddConstraint(const Table& t, const Constraint& c) const override;
  std::string ConstraintComment(const QualifiedName& t, const Constraint& c) const override;
  std::string DropConstraint(const QualifiedName& t, const std::string& name) const override;
  std::string CreateIndex(const Index& i) const override;
  std::string IndexComment(const QualifiedName& t, const Index& i) const override;
  std::string AttachIndex(const QualifiedName& parent, const QualifiedName& child) const override;
  std::string ClusterOn(const QualifiedName& t, const std::string& index) const override;
  std::string DropIndex(const QualifiedName& i) const override;
  std::string CreateExtension(const Extension& e) const override;
  std::string CreateType(const UserType& t) const override;
  std::string TypeComment(const UserType& t) const override;
  std::string TypeOwner(const UserType& t) const override;
  std::string DropType(const UserType& t) const override;
  std::string RoutineKeyword(const Routine& r) const override;
  std::string NoFunctionBodyChecks() const override;
  std::string CreateRoutine(const Routine& r) const override;
  std::string RoutineComment(const Routine& r) const override;
  std::string RoutineOwner(const Routine& r) const override;
  std::string DropRoutine(const Routine& r) const override;
  std::string CreateView(const View& v) const override;
  std::string ViewComments(const View& v) const override;
  std::string ViewOwner(const View& v) const override;
  std::string RefreshMaterializedView(const View& v) const override;
  std::string DropView(const View& v) const override;
  std::string CreateTrigger(const Trigger& t) const override;
  std::string CreateRule(const Rule& r) const override;
  std::vector<std::string> RoleAttributes(const Role& r, bool superuser) const override;
  std::string CreateRole(const Role& r, bool superuser, const std::string* password) const override;
  std::string RoleComment(const Role& r) const override;
  std::string AlterRoleSet(const std::string& role, const RoleSetting& s,
                           const std::string& database) const override;
  std::string GrantMembership(const RoleMembership& m) const override;
  bool IsKnownPrivilege(const std::string& name) const override;
  std::string RevokeAll(const ObjectRef& o, const std::vector<AclItem>& grantees) const override;
  std::string Grant(const ObjectRef& o, const AclItem& item) const override;
  std::string SetRole(const std::string& role) const override;
  std::string ResetRole() const override;
  std::string RevokeAllDefault(const DefaultAcl& rule,
                               const std::vector<AclItem>& grantees) const override;
  std::string GrantDefault(const DefaultAcl& rule, const AclItem& item) const override;
  std::string RowSecurity(const Table& t) const override;
};

}  // namespace tenantshift
