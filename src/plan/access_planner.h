// AccessPlanner: the steps that give a tenant's principals on the target what they had on the
// source: roles (attributes, settings, comment, password), memberships, row-level security and
// policies, object privileges and default privileges. Part of BuildPlan; pure (no I/O).
//
// Roles that already exist on the target are left as they are; how they differ becomes a
// warning. A membership between tenant roles that the target lacks is added. Privileges of each
// tenant object are made equal to the source's: its ACL is cleared and the source's items are
// granted again in the source's order, each by its original grantor when we may act as that
// role (we are a superuser on the target), so \dp prints the same on both sides. Grants to roles
// that do not move (--exclude-users) are left out, with a warning.
// Thread-safety: not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ddl/ddl_renderer.h"
#include "plan/planner.h"

namespace tenantshift {

class AccessPlanner {
 public:
  // The creation steps a default-privilege rule of (schema, kind) waits for.
  using DefaultAclKey = std::pair<std::string, DefaultAcl::On>;
  using CreatedBy = std::map<DefaultAclKey, std::vector<int>>;
  // REQUIRES: every argument outlives the planner.
  AccessPlanner(const Catalog& source, const Catalog& target, const PlanOptions& options,
                PlannedMigration* out);

  // Selects the principals (into out->principals) and plans their roles and memberships.
  // Returns the steps after which every tenant role and membership exists.
  std::vector<int> AddRoles();
  // Plans row-level security, object privileges and, last, default privileges. Every step runs
  // after `after` (AddRoles's steps) and after what `object_deps` says the object needs: its
  // creation and its owner step. Call after AddRoles.
  void AddAccess(const std::vector<int>& after,
                 std::function<std::vector<int>(const ObjectRef&)> object_deps);

  // The role on the target that plays `source_role`: the target's connecting role for the
  // source's, the same name for every other.
  std::string TargetRole(const std::string& source_role) const;
  // True when `source_role` may own or hold privileges on the target once AddRoles's steps ran:
  // a principal, the connecting role, or a system role the target has too.
  bool Available(const std::string& source_role) const;

 private:
  int AddSql(const std::string& phase, const std::string& description, const std::string& sql,
             std::vector<int> deps, const std::string& secret_sql = "");
  void AddRole(const Role& role);
  void ReportDifferences(const Role& want, bool superuser, const Role& have);
  void AddMembership(const RoleMembership& m);
  void AddRowSecurity(const std::vector<int>& after);
  void AddPrivileges(const std::vector<int>& after);
  void AddObjectPrivileges(const ObjectRef& object, std::vector<int> deps);
  // `created_by`: DefaultAclDeps(), what each rule waits for besides `after`.
  void AddDefaultPrivileges(const std::vector<int>& after, const CreatedBy& created_by);
  // What default privileges wait for, by schema and kind: the creation of every source object
  // they would apply to, in case a step creates one as the rule's role. Not the grant steps: a
  // default ACL changes no existing object.
  CreatedBy DefaultAclDeps() const;
  void AddGlobalDefaultPrivileges(const std::vector<int>& after, const CreatedBy& created_by);
  void WarnDropped();
  // `after` plus what object_deps_ says `o` (or, for a column, its relation) needs.
  std::vector<int> DepsOf(const std::vector<int>& after, ObjectRef o) const;

  void IndexCatalogs();
  const ObjectAcl* SourceAcl(const ObjectRef& o) const;
  const ObjectAcl* TargetAcl(const ObjectRef& o) const;
  // True when the plan migrates `object` (and so may grant on it).
  bool Migrated(const ObjectRef& object) const;
  // The object's owner on the target once the owners step ran.
  std::string TargetOwner(const ObjectRef& object) const;
  // The source's items as the target will hold them: roles mapped, items of roles that do not
  // move and unknown privileges dropped, grantors we cannot act as replaced by `owner`.
  std::vector<AclItem> MapItems(const std::string& what, const std::vector<AclItem>& items,
                                const std::string& owner);
  // GRANTs for `item`, run as its grantor when that is not `owner`.
  std::string GrantAs(const ObjectRef& object, const AclItem& item, const std::string& owner);

  const Catalog& src_;
  const Catalog& dst_;
  const PlanOptions& options_;
  PlannedMigration* out_;
  const DdlRenderer& ddl_;  // the target's dialect
  std::map<std::string, int> role_step_;
  std::vector<int> role_steps_;                      // roles and memberships
  std::map<std::string, int> schema_priv_step_;      // privileges step of each schema
  std::map<QualifiedName, int> relation_priv_step_;  // table-level privileges step
  // Row-level security step of each table: its privileges wait for it, since both rewrite the
  // table's pg_class row and concurrent rewrites fail ("tuple concurrently updated").
  std::map<QualifiedName, int> row_security_step_;
  std::map<std::string, std::set<std::string>> dropped_;  // role -> objects it lost grants on
  // Indexes over the catalogs, filled by AddPrivileges (tenants have many objects).
  std::map<ObjectRef, const ObjectAcl*> src_acls_, dst_acls_;
  std::map<QualifiedName, const Table*> identity_sequences_;  // -> the table owning it
  std::function<std::vector<int>(const ObjectRef&)> object_deps_;
};

}  // namespace tenantshift
