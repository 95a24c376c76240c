// Planner: source catalog + target catalog + options -> Plan. Pure (no I/O).
//
// Order: schemas -> extensions -> sequences -> types and the routines that tables or domains
// need (column defaults, CHECKs, index expressions), in dependency order -> tables -> sequence
// ownership -> data -> constraints and indexes -> foreign keys -> other routines, views and
// materialized views (created empty), in dependency order -> materialized view refreshes, in
// dependency order -> triggers and rules -> owners -> sequence values -> ANALYZE -> validation.
// Dependency order comes from the source's pg_depend (through pg_rewrite for views), never
// from names. Routines are created with check_function_bodies off, so bodies that call each
// other or read objects created later work.
// An object already on the target with the same definition is planned as skipped ("already on
// target"), which makes a rerun converge; one with a different definition is a conflict.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"
#include "plan/plan.h"

namespace tenantshift {

// What to do with a tenant object that exists on the target with a different definition.
enum class OnExisting {
  kError,  // report it as a conflict; migrate refuses to start
  kSkip,   // leave the target's object as it is and plan nothing for it
};

struct PlanOptions {
  OnExisting on_existing = OnExisting::kError;  // default: never touch what is in the way
  bool validate = true;                         // add a validation step per table
};

struct PlannedMigration {
  Plan plan;
  std::vector<std::string> conflicts;  // target objects in the way, one sentence each
  std::vector<std::string> warnings;   // things the user must know (e.g. owner role missing)
  // Why the plan cannot run, one sentence each; migrate refuses to start when any is set.
  std::vector<std::string> source_errors;  // e.g. a dependency cycle, naming its objects
  std::vector<std::string> target_errors;  // e.g. an extension the target cannot install
};

PlannedMigration BuildPlan(const Catalog& source, const Catalog& target,
                           const PlanOptions& options);

// The SQL of the whole plan in execution order, with a comment line per step; what `plan`
// prints.
std::string RenderPlanSql(const Plan& plan);

}  // namespace tenantshift
