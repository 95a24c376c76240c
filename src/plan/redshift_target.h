// What a Redshift target cannot hold of a source catalog, converted before planning, each
// conversion reported (never silently):
//  - Python UDFs (plpythonu): Redshift no longer creates them (redshift-catalog.md §1.5); each
//    becomes a ManualStep holding its CREATE FUNCTION, owner and grants, and leaves the plan.
//  - INTERLEAVED sort keys: Serverless keeps none (restoring a snapshot there makes them
//    COMPOUND, §7), and materialized views never accept them; they become COMPOUND, one warning
//    per table or materialized view.
//  - Comments on schemas, functions, procedures and users: Redshift's COMMENT ON has no such
//    objects; one warning each.
//  - System privileges that GRANT ... TO ROLE does not know, and WITH GRANT OPTION held by a
//    group, role or PUBLIC (Redshift grants it to users only): one warning each.
// Pure. Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"
#include "plan/manual_step.h"

namespace tenantshift {

struct RedshiftAdaptation {
  Catalog source;  // what the plan creates
  std::vector<std::string> warnings;
  std::vector<ManualStep> manual_steps;
};

// REQUIRES: target.dialect is kRedshift or kRedshiftServerless.
RedshiftAdaptation AdaptForRedshift(const Catalog& source, const ServerInfo& target);

}  // namespace tenantshift
