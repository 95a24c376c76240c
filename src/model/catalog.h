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

#include "model/extension.h"
#include "model/lazy_index.h"
#include "model/operator.h"
#include "model/privilege.h"
#include "model/role.h"
#include "model/routine.h"
#include "model/schema.h"
#include "model/sequence.h"
#include "model/table.h"
#include "model/text_search.h"
#include "model/trigger.h"
#include "model/type.h"
#include "model/unmoved.h"
#include "model/view.h"

namespace tenantshift {

enum class Dialect { kPostgres, kRedshift, kRedshiftServerless };

// Provisioned or Serverless. Code above dialect/ asks DialectOps (dialect/dialect_ops.h)
// instead; this is for the layers below it (extract/, plan/, ddl/).
inline bool IsRedshift(Dialect dialect) {
  return dialect == Dialect::kRedshift || dialect == Dialect::kRedshiftServerless;
}

struct ServerInfo {
  Dialect dialect = Dialect::kPostgres;
  int version_num = 0;       // server_version_num
  std::string version;       // version()
  std::string current_user;  // the role tenantshift is connected as
  std::string database;
  bool superuser = false;           // current_user is a superuser
  bool can_read_passwords = false;  // current_user may read password verifiers (pg_authid)
};

// An object or property of a tenant schema that tenantshift does not move (yet): listed so that
// nothing is dropped silently.
struct NotMovedObject {
  std::string kind;  // "operator", "statistics object", "storage parameters of table", ...
  std::string name;  // for people, never for SQL: "acme.===(integer,integer)"

  bool operator==(const NotMovedObject&) const = default;
};

// Something outside the tenant schemas that tenant objects use and tenantshift does not create
// (a type, collation, access method or foreign server): the target must have it already.
struct ExternalObject {
  std::string kind;    // "type", "collation", "access method" or "foreign server"
  std::string schema;  // empty for kinds without a schema
  std::string name;
  std::string used_by;  // one tenant object that uses it, for people: "acme.t.c"

  // "type public.pair", "access method my_am": for people, never for SQL.
  std::string Display() const;
  bool operator==(const ExternalObject&) const = default;
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
  // PostgreSQL: database-wide default privileges (no IN SCHEMA; `schema` empty) of every role,
  // by role: the planner keeps the tenant's roles'.
  std::vector<DefaultAcl> global_default_acls;
  std::vector<Routine> routines;      // by schema, name, identity arguments
  std::vector<View> views;            // views and materialized views, by schema and name
  std::vector<Trigger> triggers;      // by schema, relation, name
  std::vector<Rule> rules;            // by schema, relation, name
  std::vector<Extension> extensions;  // the extensions tenant objects depend on, by name
  // PostgreSQL: text search dictionaries and configurations, by schema and name.
  std::vector<TextSearchDictionary> ts_dictionaries;
  std::vector<TextSearchConfiguration> ts_configurations;
  // PostgreSQL: operators, operator families and classes, conversions, text search parsers and
  // templates (operators.sql).
  OperatorObjects operator_objects;
  std::set<std::string> all_schemas;  // every schema name on this server, tenant or not
  std::map<std::string, ServerExtension> server_extensions;  // by name: available or installed
  std::vector<Unmoved> unmoved;  // what the plan cannot recreate: each becomes a manual step
  // PostgreSQL: objects of the tenant schemas of kinds tenantshift does not move, by kind and
  // name; every extension installed in a tenant schema is there too (as kind "extension").
  std::vector<NotMovedObject> not_moved;
  // PostgreSQL source: what tenant objects use from outside the tenant schemas (extension
  // members excepted: extensions are planned on their own).
  std::vector<ExternalObject> external_objects;
  // Target: those of the source's external_objects this server lacks (MissingExternalObjects,
  // extract/extractor.h); the plan refuses to start while there are any.
  std::vector<ExternalObject> missing_external;

  const Schema* FindSchema(const std::string& name) const;
  const Table* FindTable(const QualifiedName& name) const;
  const UserType* FindType(const QualifiedName& name) const;
  const Sequence* FindSequence(const QualifiedName& name) const;
  const Role* FindRole(const std::string& name) const;
  const ObjectAcl* FindAcl(const ObjectRef& object) const;
  const Routine* FindRoutine(const QualifiedName& name, const std::string& identity_args) const;
  const View* FindView(const QualifiedName& name) const;  // a view or materialized view
  const Trigger* FindTrigger(const QualifiedName& relation, const std::string& name) const;
  const Rule* FindRule(const QualifiedName& relation, const std::string& name) const;
  // True when `ref` names an object of this catalog (of the same kind).
  bool Contains(const DependencyRef& ref) const;

  // The Find* functions' indexes (model/lazy_index.h): O(log n) per lookup.
  struct Indexes {
    LazyIndex<std::string> schemas, roles;
    LazyIndex<QualifiedName> tables, types, sequences, views;
    LazyIndex<ObjectRef> acls;
    LazyIndex<std::pair<QualifiedName, std::string>> routines, triggers, rules;
    bool operator==(const Indexes&) const { return true; }
  };
  Indexes indexes;
};

}  // namespace tenantshift
