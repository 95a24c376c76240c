// DdlRenderer: the dialect seam between the planner and the SQL it plans. The planner asks a
// DdlRenderer for every statement it puts into a step, and RendererFor() picks the one that
// matches the target's dialect: PostgreSQL (ddl/postgres/) or Redshift provisioned/Serverless
// (ddl/redshift/).
//
// Every method is pure (model values in, SQL text out) and ends each statement with ";\n".
// Statements for objects a dialect does not have (sequences, types, triggers, rules, indexes,
// policies and extensions on Redshift) are still answered: a Redshift catalog holds none of
// them, so the planner never asks.
// Thread-safety: implementations are stateless after construction; share them freely.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"

namespace tenantshift {

class DdlRenderer {
 public:
  virtual ~DdlRenderer() = default;

  // ---- schemas, sequences, tables, data -------------------------------------------------------
  virtual std::string CreateSchema(const Schema& s) const = 0;
  virtual std::string SchemaComment(const Schema& s) const = 0;
  virtual std::string SchemaOwner(const Schema& s) const = 0;
  virtual std::string CreateSequence(const Sequence& s) const = 0;
  virtual std::string SequenceComment(const Sequence& s) const = 0;
  virtual std::string SequenceOwnedBy(const Sequence& s) const = 0;
  virtual std::string SequenceOwner(const Sequence& s) const = 0;
  virtual std::string DropSequence(const QualifiedName& s) const = 0;
  virtual std::string SetSequenceValue(const QualifiedName& s, const SequenceState& v) const = 0;
  virtual std::string CreateTable(const Table& t) const = 0;
  virtual std::string TableComments(const Table& t) const = 0;
  virtual std::string TableOwner(const Table& t) const = 0;
  // What the data step of `t` shows in a plan (the mover runs the real thing).
  virtual std::string DataStepSql(const Table& t) const = 0;
  virtual std::string AddConstraint(const Table& t, const Constraint& c) const = 0;
  virtual std::string ConstraintComment(const QualifiedName& t, const Constraint& c) const = 0;
  virtual std::string DropConstraint(const QualifiedName& t, const std::string& name) const = 0;
  virtual std::string CreateIndex(const Index& i) const = 0;
  virtual std::string IndexComment(const QualifiedName& t, const Index& i) const = 0;
  virtual std::string AttachIndex(const QualifiedName& parent,
                                  const QualifiedName& child) const = 0;
  virtual std::string DropIndex(const QualifiedName& i) const = 0;
  // ALTER TABLE ... CLUSTER ON the index `index` of `t`'s schema; empty where the dialect has
  // no such property (Redshift).
  virtual std::string ClusterOn(const QualifiedName& t, const std::string& index) const {
    (void)t, (void)index;
    return "";
  }

  // ---- types, extensions, routines, views, triggers, rules ---------------------------------
  virtual std::string CreateExtension(const Extension& e) const = 0;
  virtual std::string CreateType(const UserType& t) const = 0;
  virtual std::string TypeComment(const UserType& t) const = 0;
  virtual std::string TypeOwner(const UserType& t) const = 0;
  virtual std::string DropType(const UserType& t) const = 0;
  // "FUNCTION", "PROCEDURE" or "AGGREGATE".
  virtual std::string RoutineKeyword(const Routine& r) const = 0;
  // What a routine step runs first (PostgreSQL: no body validation); may be empty.
  virtual std::string NoFunctionBodyChecks() const = 0;
  virtual std::string CreateRoutine(const Routine& r) const = 0;
  virtual std::string RoutineComment(const Routine& r) const = 0;
  virtual std::string RoutineOwner(const Routine& r) const = 0;
  virtual std::string DropRoutine(const Routine& r) const = 0;
  virtual std::string CreateView(const View& v) const = 0;
  virtual std::string ViewComments(const View& v) const = 0;
  virtual std::string ViewOwner(const View& v) const = 0;
  virtual std::string RefreshMaterializedView(const View& v) const = 0;
  virtual std::string DropView(const View& v) const = 0;
  virtual std::string CreateTrigger(const Trigger& t) const = 0;
  virtual std::string CreateRule(const Rule& r) const = 0;

  // ---- principals and access ----------------------------------------------------------------
  // The attributes a created principal gets, spelled as in its CREATE statement; two roles
  // with equal lists are created alike (used to report how an existing one differs).
  virtual std::vector<std::string> RoleAttributes(const Role& r, bool superuser) const = 0;
  // CREATE ROLE / USER / GROUP; `password` null: none (Redshift: PASSWORD DISABLE).
  virtual std::string CreateRole(const Role& r, bool superuser,
                                 const std::string* password) const = 0;
  virtual std::string RoleComment(const Role& r) const = 0;
  virtual std::string AlterRoleSet(const std::string& role, const RoleSetting& s,
                                   const std::string& database) const = 0;
  virtual std::string GrantMembership(const RoleMembership& m) const = 0;
  virtual bool IsKnownPrivilege(const std::string& name) const = 0;
  // `grantees`: who loses everything (only grantee and grantee_kind are read; "" is PUBLIC).
  virtual std::string RevokeAll(const ObjectRef& o, const std::vector<AclItem>& grantees) const = 0;
  virtual std::string Grant(const ObjectRef& o, const AclItem& item) const = 0;
  // Run the following statements as `role`, and back.
  virtual std::string SetRole(const std::string& role) const = 0;
  virtual std::string ResetRole() const = 0;
  virtual std::string RevokeAllDefault(const DefaultAcl& rule,
                                       const std::vector<AclItem>& grantees) const = 0;
  virtual std::string GrantDefault(const DefaultAcl& rule, const AclItem& item) const = 0;
  virtual std::string RowSecurity(const Table& t) const = 0;
};

// The renderer for a target of `dialect`; a static instance that lives for the whole program.
const DdlRenderer& RendererFor(Dialect dialect);

}  // namespace tenantshift
