#include "ddl/postgres/pg_ddl.h"

#include <fmt/format.h>

#include "ddl/postgres/pg_access_renderer.h"
#include "ddl/postgres/pg_renderer.h"
#include "ddl/quote.h"

namespace tenantshift {
namespace {

std::vector<std::string> Names(const std::vector<AclItem>& grantees) {
  std::vector<std::string> out;
  for (const AclItem& g : grantees) out.push_back(g.grantee);
  return out;
}

}  // namespace

std::string PostgresDdl::CreateSchema(const Schema& s) const { return pgddl::CreateSchema(s); }
std::string PostgresDdl::SchemaComment(const Schema& s) const { return pgddl::SchemaComment(s); }
std::string PostgresDdl::SchemaOwner(const Schema& s) const { return pgddl::SchemaOwner(s); }
std::string PostgresDdl::CreateSequence(const Sequence& s) const {
  return pgddl::CreateSequence(s);
}
std::string PostgresDdl::SequenceComment(const Sequence& s) const {
  return pgddl::SequenceComment(s);
}
std::string PostgresDdl::SequenceOwnedBy(const Sequence& s) const {
  return pgddl::SequenceOwnedBy(s);
}
std::string PostgresDdl::SequenceOwner(const Sequence& s) const { return pgddl::SequenceOwner(s); }
std::string PostgresDdl::DropSequence(const QualifiedName& s) const {
  return pgddl::DropSequence(s);
}
std::string PostgresDdl::SetSequenceValue(const QualifiedName& s, const SequenceState& v) const {
  return pgddl::SetSequenceValue(s, v);
}
std::string PostgresDdl::CreateTable(const Table& t) const { return pgddl::CreateTable(t); }
std::string PostgresDdl::TableComments(const Table& t) const { return pgddl::TableComments(t); }
std::string PostgresDdl::TableOwner(const Table& t) const { return pgddl::TableOwner(t); }
std::string PostgresDdl::DataStepSql(const Table& t) const {
  bool binary = pgddl::CanCopyBinary(t);
  return fmt::format(
      "BEGIN;\nTRUNCATE ONLY {};\n{};  -- rows streamed from the source: {};\n"
      "COMMIT;\n",
      QuoteName(t.name), pgddl::CopyIn(t, binary, /*freeze=*/true), pgddl::CopyOut(t, binary));
}
std::string PostgresDdl::AddConstraint(const Table& t, const Constraint& c) const {
  return pgddl::AddConstraint(t, c);
}
std::string PostgresDdl::ConstraintComment(const QualifiedName& t, const Constraint& c) const {
  return pgddl::ConstraintComment(t, c);
}
std::string PostgresDdl::DropConstraint(const QualifiedName& t, const std::string& name) const {
  return pgddl::DropConstraint(t, name);
}
std::string PostgresDdl::CreateIndex(const Index& i) const { return pgddl::CreateIndex(i); }
std::string PostgresDdl::IndexComment(const QualifiedName& t, const Index& i) const {
  return pgddl::IndexComment(t, i);
}
std::string PostgresDdl::AttachIndex(const QualifiedName& parent,
                                     const QualifiedName& child) const {
  return pgddl::AttachIndex(parent, child);
}
std::string PostgresDdl::ClusterOn(const QualifiedName& t, const std::string& index) const {
  return pgddl::ClusterOn(t, index);
}
std::string PostgresDdl::DropIndex(const QualifiedName& i) const { return pgddl::DropIndex(i); }
std::string PostgresDdl::CreateExtension(const Extension& e) const {
  return pgddl::CreateExtension(e);
}
std::string PostgresDdl::CreateType(const UserType& t) const { return pgddl::CreateType(t); }
std::string PostgresDdl::TypeComment(const UserType& t) const { return pgddl::TypeComment(t); }
std::string PostgresDdl::TypeOwner(const UserType& t) const { return pgddl::TypeOwner(t); }
std::string PostgresDdl::DropType(const UserType& t) const { return pgddl::DropType(t); }
std::string PostgresDdl::RoutineKeyword(const Routine& r) const { return pgddl::RoutineKeyword(r); }
std::string PostgresDdl::NoFunctionBodyChecks() const { return pgddl::NoFunctionBodyChecks(); }
std::string PostgresDdl::CreateRoutine(const Routine& r) const { return pgddl::CreateRoutine(r); }
std::string PostgresDdl::RoutineComment(const Routine& r) const { return pgddl::RoutineComment(r); }
std::string PostgresDdl::RoutineOwner(const Routine& r) const { return pgddl::RoutineOwner(r); }
std::string PostgresDdl::DropRoutine(const Routine& r) const { return pgddl::DropRoutine(r); }
std::string PostgresDdl::CreateView(const View& v) const { return pgddl::CreateView(v); }
std::string PostgresDdl::ViewComments(const View& v) const { return pgddl::ViewComments(v); }
std::string PostgresDdl::ViewOwner(const View& v) const { return pgddl::ViewOwner(v); }
std::string PostgresDdl::RefreshMaterializedView(const View& v) const {
  return pgddl::RefreshMaterializedView(v);
}
std::string PostgresDdl::DropView(const View& v) const { return pgddl::DropView(v); }
std::string PostgresDdl::CreateTrigger(const Trigger& t) const { return pgddl::CreateTrigger(t); }
std::string PostgresDdl::CreateRule(const Rule& r) const { return pgddl::CreateRule(r); }
std::vector<std::string> PostgresDdl::RoleAttributes(const Role& r, bool superuser) const {
  return pgddl::RoleAttributes(r, superuser);
}
std::string PostgresDdl::CreateRole(const Role& r, bool superuser,
                                    const std::string* password) const {
  return pgddl::CreateRole(r, superuser, password);
}
std::string PostgresDdl::RoleComment(const Role& r) const { return pgddl::RoleComment(r); }
std::string PostgresDdl::AlterRoleSet(const std::string& role, const RoleSetting& s,
                                      const std::string& database) const {
  return pgddl::AlterRoleSet(role, s, database);
}
std::string PostgresDdl::GrantMembership(const RoleMembership& m) const {
  return pgddl::GrantMembership(m);
}
bool PostgresDdl::IsKnownPrivilege(const std::string& name) const {
  return pgddl::IsKnownPrivilege(name);
}
std::string PostgresDdl::RevokeAll(const ObjectRef& o, const std::vector<AclItem>& grantees) const {
  return pgddl::RevokeAll(o, Names(grantees));
}
std::string PostgresDdl::Grant(const ObjectRef& o, const AclItem& item) const {
  return pgddl::Grant(o, item);
}
std::string PostgresDdl::SetRole(const std::string& role) const { return pgddl::SetRole(role); }
std::string PostgresDdl::ResetRole() const { return pgddl::ResetRole(); }
std::string PostgresDdl::RevokeAllDefault(const DefaultAcl& rule,
                                          const std::vector<AclItem>& grantees) const {
  return pgddl::RevokeAllDefault(rule, Names(grantees));
}
std::string PostgresDdl::GrantDefault(const DefaultAcl& rule, const AclItem& item) const {
  return pgddl::GrantDefault(rule, item);
}
std::string PostgresDdl::RowSecurity(const Table& t) const { return pgddl::RowSecurity(t); }
}  // namespace tenantshift
