// Planner: source catalog + target catalog + options -> Plan. Pure (no I/O).
//
// Order: roles -> memberships -> schemas -> extensions -> sequences -> types and the routines
// that tables or domains need (column defaults, CHECKs, index expressions), in dependency order
// -> tables -> sequence ownership -> data -> constraints and indexes -> foreign keys -> other
// routines, views and materialized views (created empty), in dependency order -> materialized
// view refreshes, in dependency order -> triggers and rules -> owners -> row-level security ->
// privileges -> default privileges -> sequence values -> ANALYZE -> validation.
// Dependency order comes from the source's pg_depend (through pg_rewrite for views), never
// from names. Routines are created with check_function_bodies off, so bodies that call each
// other or read objects created later work.
// Every statement comes from the target dialect's DdlRenderer (RendererFor(target dialect),
// ddl/ddl_renderer.h). For a Redshift target the source catalog first goes through
// AdaptForRedshift (plan/redshift_target.h): what the target cannot hold is converted with a
// warning or becomes a PlannedMigration::manual_steps entry.
// An object already on the target with the same definition is planned as skipped ("already on
// target"), which makes a rerun converge; one with a different definition is a conflict.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/catalog.h"
#include "plan/manual_step.h"
#include "plan/plan.h"
#include "plan/principals.h"
#include "util/secret.h"

namespace tenantshift {

// What to do with a tenant object that exists on the target with a different definition.
enum class OnExisting {
  kError,    // report it as a conflict; migrate refuses to start
  kSkip,     // leave the target's object as it is and plan nothing for it
  kReplace,  // drop the target's object and create the source's; a table whose rows differ
             // is emptied and copied again (never silently: plan and report list each one)
};

struct PlanOptions {
  OnExisting on_existing = OnExisting::kError;  // default: never touch what is in the way
  bool validate = true;                         // add a validation step per table
  PrincipalOptions principals;                  // --include-users / --exclude-users
  bool allow_superuser = false;  // keep SUPERUSER on created roles (--allow-superuser)
  // Set the tenant roles' database-wide default privileges (ALTER DEFAULT PRIVILEGES FOR ROLE
  // with no IN SCHEMA) as on the source (--global-default-privileges). Default: they apply to
  // every schema of the target database, so each one that differs is a manual step instead.
  bool global_default_privileges = false;
  // The password verifier (md5 or SCRAM, as the server stores it) to give each role the plan
  // creates, by name; a role without one is created without a password. Only Step::secret_sql
  // holds them: Step::sql shows PASSWORD '********'.
  std::map<std::string, Secret> passwords;
};

struct PlannedMigration {
  Plan plan;
  PrincipalSelection principals;       // the tenant's roles and why, for `plan`
  std::vector<std::string> conflicts;  // target objects in the way, one sentence each
  std::vector<std::string> warnings;   // things the user must know (e.g. owner role missing)
  // What the target cannot take from the tool and a person must do (e.g. Python UDFs).
  std::vector<ManualStep> manual_steps;
  // How many of manual_steps are objects of the tenant that tenantshift does not move (kinds it
  // does not handle yet): a migration that leaves them is not complete.
  size_t not_moved = 0;
  // Why the plan cannot run, one sentence each; migrate refuses to start when any is set.
  std::vector<std::string> source_errors;  // e.g. a dependency cycle, naming its objects
  std::vector<std::string> target_errors;  // e.g. an extension the target cannot install
};

PlannedMigration BuildPlan(const Catalog& source, const Catalog& target,
                           const PlanOptions& options);

// The tenant roles that BuildPlan will create: its principals that the target lacks, by name.
std::vector<std::string> RolesToCreate(const Catalog& source, const Catalog& target,
                                       const PlanOptions& options);

// The SQL of the whole plan in execution order, with a comment line per step; what `plan`
// prints.
std::string RenderPlanSql(const Plan& plan);

}  // namespace tenantshift
