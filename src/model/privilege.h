// Privileges as plain values: who may do what on which object (ObjectAcl), and which grants
// new objects receive (DefaultAcl). Value types.
//
// An object whose ACL is the built-in default (NULL in the catalog: only its owner has
// privileges, plus PUBLIC for types and functions) has no ObjectAcl. One that was ever granted
// or revoked has one, holding its items in the server's order, which GRANTs replayed in that
// order reproduce exactly.
#pragma once

#include <compare>
#include <string>
#include <vector>

#include "model/object_name.h"

namespace tenantshift {

enum class ObjectKind {
  kSchema,
  kTable,  // also partitioned tables
  kView,
  kMaterializedView,
  kSequence,
  kType,  // enum, domain and composite types
  kFunction,
  kProcedure,
  kDatabase,  // Redshift database privileges; name.schema holds the database name
};

// How a grantee is named in GRANT: PostgreSQL roles and Redshift users plainly, Redshift groups
// as GROUP g and RBAC roles as ROLE r (a Redshift user and a group may share a name).
enum class GranteeKind { kPlain, kGroup, kRole };

// "table", "materialized view", ...: for people.
const char* ObjectKindName(ObjectKind kind);

// Names an object, or one column of a relation, that privileges apply to.
struct ObjectRef {
  ObjectKind kind = ObjectKind::kTable;
  // The object's name; kSchema: name.schema is the schema and name.name is empty.
  QualifiedName name;
  std::string arguments;  // kFunction/kProcedure: identity arguments, e.g. "integer, text"
  std::string column;     // a column's own privileges; empty for the object's

  auto operator<=>(const ObjectRef&) const = default;
  // "table acme.orders", "column acme.orders.total", "schema acme": for people, never SQL.
  std::string Display() const;
};

struct Privilege {
  std::string name;        // SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER,
                           // USAGE, CREATE, EXECUTE, MAINTAIN (what aclexplode() prints)
  bool grantable = false;  // held WITH GRANT OPTION

  bool operator==(const Privilege&) const = default;
};

// One aclitem: what `grantor` granted to `grantee`.
struct AclItem {
  std::string grantee;  // role name; empty means PUBLIC
  std::string grantor;  // role name
  std::vector<Privilege> privileges;
  GranteeKind grantee_kind = GranteeKind::kPlain;

  bool operator==(const AclItem&) const = default;
};

// The privileges on one object or column whose ACL is not the built-in default.
struct ObjectAcl {
  ObjectRef object;
  std::string owner;           // the object's owner (the relation's, for a column)
  std::vector<AclItem> items;  // in the server's order; empty: every privilege revoked

  bool operator==(const ObjectAcl&) const = default;
};

// ALTER DEFAULT PRIVILEGES FOR ROLE role IN SCHEMA schema GRANT ... ON <on>: grants that objects
// `role` creates in `schema` receive. Only per-schema rules belong to a tenant on PostgreSQL;
// Redshift also has database-wide rules (empty `schema`) for a tenant's users.
struct DefaultAcl {
  // kProcedures: Redshift's ON PROCEDURES (defaclobjtype 'p'); PostgreSQL's rules on functions
  // cover procedures too and are kFunctions.
  enum class On { kTables, kSequences, kFunctions, kTypes, kSchemas, kProcedures };

  std::string role;
  std::string schema;
  On on = On::kTables;
  std::vector<AclItem> items;  // grantor is always `role`

  bool operator==(const DefaultAcl&) const = default;
};

}  // namespace tenantshift
