// Operators, operator families and classes, conversions, and text search parsers and templates
// of a tenant schema (PostgreSQL), as pg_dump dumps them. Value types. Function, type and
// operator names are the server's text (regproc, regoperator, format_type), quoted as needed.
#pragma once

#include <string>
#include <vector>

#include "model/dependency_ref.h"
#include "model/object_name.h"

namespace tenantshift {

// What one of these objects uses and what uses it, in the tenant schemas (pg_depend): the
// planner orders its step after the former and before the latter.
struct OperatorLinks {
  std::vector<DependencyRef> routines;  // kRoutine: its functions (a family's or class's too)
  std::vector<QualifiedName> types;     // argument, result and indexed types
  std::vector<std::string> operators;   // identities of tenant operators it uses
  std::vector<std::string> families;    // identities of tenant operator families it uses
  // Tenant tables, views, materialized views and routines that use it (kTable, kView, ...).
  std::vector<DependencyRef> used_by;
  std::vector<QualifiedName> used_by_indexes;  // (schema, index name)

  bool operator==(const OperatorLinks&) const = default;
};

// CREATE OPERATOR name (FUNCTION, LEFTARG, RIGHTARG, COMMUTATOR, NEGATOR, RESTRICT, JOIN,
// HASHES, MERGES).
struct Operator {
  QualifiedName name;    // name.name is the symbol: "==="
  std::string identity;  // "s.===(integer,integer)" (pg_identify_object): tells overloads apart
  std::string owner;
  std::string function;   // regproc: "s.same"
  std::string left_type;  // empty for a prefix operator
  std::string right_type;
  std::string commutator;   // "s.===" or empty
  std::string negator;      // "s.!==" or empty
  std::string restrict_fn;  // regproc or empty
  std::string join_fn;      // regproc or empty
  bool hashes = false;
  bool merges = false;
  std::string comment;  // empty when none
  OperatorLinks links;

  bool operator==(const Operator&) const = default;
};

// OPERATOR n op(lt,rt) [FOR ORDER BY family] or FUNCTION n (lt, rt) f(args) of a class or family.
struct OperatorMember {
  bool is_operator = true;
  int number = 0;         // strategy or support number
  std::string target;     // regoperator or regprocedure: "s.===(integer,integer)"
  std::string left_type;  // functions: the types they serve
  std::string right_type;
  std::string order_family;  // operators for ORDER BY: "s.family"; empty otherwise

  bool operator==(const OperatorMember&) const = default;
};

// CREATE OPERATOR FAMILY name USING method; then ALTER ... ADD for its loose members (those of
// no class).
struct OperatorFamily {
  QualifiedName name;
  std::string identity;  // "s.f USING btree"
  std::string method;    // access method: "btree"
  std::string owner;
  std::vector<OperatorMember> members;  // loose members, operators first
  std::string comment;
  OperatorLinks links;

  bool operator==(const OperatorFamily&) const = default;
};

// CREATE OPERATOR CLASS name [DEFAULT] FOR TYPE t USING method [FAMILY f] AS members.
struct OperatorClass {
  QualifiedName name;
  std::string identity;  // "s.c USING btree"
  std::string method;
  bool is_default = false;
  std::string type;     // format_type of the indexed type
  std::string storage;  // STORAGE type; empty when the same as `type`
  QualifiedName family;
  std::string owner;
  std::vector<OperatorMember> members;  // operators first
  std::string comment;
  OperatorLinks links;

  bool operator==(const OperatorClass&) const = default;
};

// CREATE [DEFAULT] CONVERSION name FOR 'from' TO 'to' FROM function.
struct Conversion {
  QualifiedName name;
  std::string identity;
  std::string from_encoding;  // "LATIN1"
  std::string to_encoding;
  std::string function;  // regproc
  bool is_default = false;
  std::string owner;
  std::string comment;
  OperatorLinks links;

  bool operator==(const Conversion&) const = default;
};

// CREATE TEXT SEARCH PARSER name (START, GETTOKEN, END, LEXTYPES[, HEADLINE]) or
// CREATE TEXT SEARCH TEMPLATE name ([INIT, ]LEXIZE). Both need a superuser and have no owner.
struct TextSearchParser {
  QualifiedName name;
  std::string identity;
  std::string start, gettoken, end, lextypes;  // regproc
  std::string headline;                        // regproc or empty
  std::string comment;
  OperatorLinks links;

  bool operator==(const TextSearchParser&) const = default;
};

struct TextSearchTemplate {
  QualifiedName name;
  std::string identity;
  std::string init;  // regproc or empty
  std::string lexize;
  std::string comment;
  OperatorLinks links;

  bool operator==(const TextSearchTemplate&) const = default;
};

// Every object above of the tenant schemas, each list by schema and identity.
struct OperatorObjects {
  std::vector<Operator> operators;
  std::vector<OperatorFamily> families;
  std::vector<OperatorClass> classes;
  std::vector<Conversion> conversions;
  std::vector<TextSearchParser> ts_parsers;
  std::vector<TextSearchTemplate> ts_templates;

  bool operator==(const OperatorObjects&) const = default;
};

}  // namespace tenantshift
