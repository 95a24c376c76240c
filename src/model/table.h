// Table: a table of a tenant schema with its columns, constraints and indexes. Value type.
//
// Partitioned tables and their partitions are separate Tables linked by `partition_parent`.
// SQL fragments (defaults, constraint and index definitions) are kept as the server printed
// them with an empty search_path, so every name inside them is schema-qualified.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/dependency_ref.h"
#include "model/object_name.h"
#include "model/sequence.h"

namespace tenantshift {

struct Column {
  std::string name;
  std::string type;  // format_type(): "numeric(12,2)", "acme.mood[]", ...
  bool not_null = false;
  std::string default_expr;       // empty when none; not used for generated columns
  char identity = '\0';           // 'a' ALWAYS, 'd' BY DEFAULT, '\0' none
  std::string identity_sequence;  // name of the identity sequence (same schema as the table)
  SequenceOptions identity_options;
  SequenceState identity_state;
  std::string generated_expr;  // STORED generated column expression, empty when none
  std::string collation;       // qualified collation, empty for the type's default
  std::string comment;
  // True when COPY BINARY can carry this column between two servers of the same major version
  // (built-in types, enums, domains over built-in types).
  bool binary_safe = true;

  bool generated() const { return !generated_expr.empty(); }
  bool operator==(const Column&) const = default;
};

struct Constraint {
  enum class Kind { kCheck, kPrimaryKey, kUnique, kForeignKey, kExclude };
  std::string name;
  Kind kind = Kind::kCheck;
  std::string definition;  // pg_get_constraintdef(): "PRIMARY KEY (id)", "CHECK (...)" ...
  bool local = true;       // false when inherited from a partitioned parent
  // kForeignKey: the referenced table.
  std::optional<QualifiedName> references;
  // The partitioned parent's constraint this one is attached to, empty when none.
  std::string parent_constraint;
  // Index name behind PK/UNIQUE/EXCLUDE, used to attach partition indexes.
  std::string index_name;
  std::string comment;

  bool operator==(const Constraint&) const = default;
};

struct Index {
  std::string name;        // same schema as the table
  std::string definition;  // pg_get_indexdef(): "CREATE [UNIQUE] INDEX n ON [ONLY] s.t USING ..."
  // The partitioned parent index this one is attached to, empty when none (same schema rules
  // as tables: the parent index's schema and name).
  std::optional<QualifiedName> parent_index;
  std::string comment;

  bool operator==(const Index&) const = default;
};

// CREATE POLICY name ON table AS PERMISSIVE|RESTRICTIVE FOR command TO roles USING (...)
// WITH CHECK (...).
struct Policy {
  std::string name;
  std::string command = "ALL";  // ALL, SELECT, INSERT, UPDATE or DELETE
  bool permissive = true;
  std::vector<std::string> roles;  // in the server's order; "" means PUBLIC
  std::string using_expr;          // empty when none
  std::string check_expr;          // empty when none

  bool operator==(const Policy&) const = default;
};

struct Table {
  QualifiedName name;
  std::string owner;
  std::string comment;
  bool unlogged = false;
  std::string partition_key;  // pg_get_partkeydef(), non-empty for partitioned tables
  std::optional<QualifiedName> partition_parent;
  std::string partition_bound;  // "FOR VALUES ..." or "DEFAULT" for partitions
  std::vector<Column> columns;  // in attnum order, dropped columns excluded
  std::vector<Constraint> constraints;
  std::vector<Index> indexes;       // indexes not owned by a constraint
  bool row_security = false;        // ENABLE ROW LEVEL SECURITY
  bool force_row_security = false;  // FORCE ROW LEVEL SECURITY
  std::vector<Policy> policies;     // by name
  // Routines its column defaults, generated columns, CHECKs and index expressions call, from
  // pg_depend: they must exist before the table.
  std::vector<DependencyRef> routines;
  // Size estimates from the source, used to order work and for progress.
  int64_t estimated_rows = 0;
  int64_t estimated_bytes = 0;

  bool partitioned() const { return !partition_key.empty(); }
  // True when the table itself stores rows (everything but a partitioned parent).
  bool has_storage() const { return !partitioned(); }
  bool operator==(const Table&) const = default;
};

}  // namespace tenantshift
