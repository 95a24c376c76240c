// Routine: a function, procedure or aggregate defined in a tenant schema. Value type.
//
// Functions and procedures keep the server's own definition (pg_get_functiondef), which carries
// every attribute: argument modes, names and defaults, return type, language, volatility,
// STRICT, SECURITY DEFINER, LEAKPROOF, PARALLEL, COST/ROWS, SET configuration and the body.
// (PostgreSQL keeps no typmod on argument and result types, so numeric(10,2) arguments are
// numeric on the source already; the definition reproduces exactly what the source has.)
// Aggregates have no such definition and are described field by field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/dependency_ref.h"

namespace tenantshift {

// CREATE AGGREGATE options, as pg_aggregate stores them. Function and type names are printed by
// the server with an empty search_path: schema-qualified unless they are in pg_catalog.
// Empty strings mean "not set".
struct AggregateSpec {
  char kind = 'n';        // 'n' normal, 'o' ordered-set, 'h' hypothetical-set
  std::string arguments;  // pg_get_function_arguments(); empty for an aggregate over (*)
  std::string sfunc;
  std::string stype;
  int64_t sspace = 0;
  std::string finalfunc;
  bool finalfunc_extra = false;
  char finalfunc_modify = 'r';  // 'r' READ_ONLY, 's' SHAREABLE, 'w' READ_WRITE
  std::string combinefunc;
  std::string serialfunc;
  std::string deserialfunc;
  std::optional<std::string> initcond;  // nullopt: none (differs from '')
  std::string msfunc;
  std::string minvfunc;
  std::string mstype;
  int64_t msspace = 0;
  std::string mfinalfunc;
  bool mfinalfunc_extra = false;
  char mfinalfunc_modify = 'r';
  std::optional<std::string> minitcond;
  std::string sortop;   // "OPERATOR(pg_catalog.>)"
  char parallel = 'u';  // 's' SAFE, 'r' RESTRICTED, 'u' UNSAFE

  bool operator==(const AggregateSpec&) const = default;
};

// A Redshift function or procedure, field by field: Redshift has no pg_get_functiondef, so the
// extractor reads the parts and the Redshift renderer assembles the CREATE statement.
struct RoutineParts {
  // Arguments with names, modes and types in Redshift's CREATE order (name, mode, type), names
  // quoted: "\"a\" integer, \"b\" INOUT character varying, \"c\" OUT bigint". SQL UDF arguments
  // have no names ("integer, integer"). Redshift keeps no typmod on argument types.
  std::string arguments;
  std::string returns;    // functions: the result type; procedures: empty
  char volatility = 'v';  // 'i' IMMUTABLE, 's' STABLE, 'v' VOLATILE
  bool security_definer = false;
  bool nonatomic = false;  // procedures: NONATOMIC
  // SET name = value (procedures), in catalog order, value as Redshift stores it.
  std::vector<std::pair<std::string, std::string>> config;
  std::string body;  // between the dollar quotes

  bool operator==(const RoutineParts&) const = default;
};

struct Routine {
  enum class Kind { kFunction, kProcedure, kAggregate };  // window functions are kFunction

  QualifiedName name;
  // pg_get_function_identity_arguments(): tells overloads apart and names the routine in
  // COMMENT/ALTER statements ("p numeric, currency text"; "" for no arguments).
  std::string identity_args;
  Kind kind = Kind::kFunction;
  std::string owner;
  std::string comment;
  std::string language;
  // kFunction/kProcedure: pg_get_functiondef(), "CREATE OR REPLACE FUNCTION ... AS $function$
  // ... $function$" without a trailing semicolon. Empty for aggregates.
  std::string definition;
  AggregateSpec aggregate;  // kAggregate only
  RoutineParts parts;       // Redshift only (definition is empty there)
  // Tables, views, routines and types this routine needs first, as pg_depend records them
  // (argument and result types, SQL-standard bodies, aggregate support functions). Bodies in
  // other languages are opaque to the server and are not listed.
  std::vector<DependencyRef> depends_on;

  DependencyRef ref() const { return {DependencyKind::kRoutine, name, identity_args}; }
  bool operator==(const Routine&) const = default;
};

}  // namespace tenantshift
