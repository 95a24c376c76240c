// Catalog: everything tenantshift knows about one side's tenant, as plain values.
//
// Built by an extractor, read by the planner and renderers. Objects are kept in a stable order
// (by schema, then name) so plans and outputs are reproducible.
// Thread-safety: a value type; share it read-only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/privilege.h"
#include "model/role.h"
#include "model/schema.h"
#include "model/sequence.h"
#include "model/table.h"
#include "model/type.h"

namespace tenantshift {

enum class Dialect { kPostgres, kRedshift, kRedshiftServerless };

struct ServerInfo {
  Dialect dialect = Dialect::kPostgres;
  int version_num = 0;       // server_version_num
  std::string version;       // version()
  std::string current_user;  // the role tenantshift is connected as
  std::string database;
  bool superuser = false;           // current_user is a superuser
  bool can_read_passwords = false;  // current_user may read password verifiers (pg_authid)
};

struct Catalog {
  ServerInfo server;
  std::vector<Schema> schemas;
  std::vector<UserType> types;
  std::vector<Sequence> sequences;
  std::vector<Table> tables;
  // Every role on the server and every membership between roles (not only the tenant's: the
  // planner computes which belong to the tenant).
  std::vector<Role> roles;
  std::vector<RoleMembership> memberships;
  std::vector<ObjectAcl> acls;           // tenant objects and columns whose ACL is not the default
  std::vector<DefaultAcl> default_acls;  // per-schema default privileges of tenant schemas

  const Schema* FindSchema(const std::string& name) const;
  const Table* FindTable(const QualifiedName& name) const;
  const UserType* FindType(const QualifiedName& name) const;
  const Sequence* FindSequence(const QualifiedName& name) const;
  const Role* FindRole(const std::string& name) const;
  const ObjectAcl* FindAcl(const ObjectRef& object) const;
};

}  // namespace tenantshift
