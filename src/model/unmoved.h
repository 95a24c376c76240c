// Unmoved: something of the tenant's that the source holds and tenantshift does not recreate
// (on Redshift: row-level security and masking policies, datashares, ML models, Lambda UDFs,
// scoped and ASSUMEROLE grants, LANGUAGE privileges, external schemas). The extractor records
// each; the planner turns each into a ManualStep, so nothing is dropped silently. Value type.
#pragma once

#include <string>

namespace tenantshift {

struct Unmoved {
  std::string what;  // names the object, for people: "RLS policy pol1 on table acme.t"
  std::string why;   // one sentence: why tenantshift does not recreate it
  std::string sql;   // documented DDL a person can run or adapt on the target; may be empty
  // Leaving it behind weakens access control on the target (RLS, masking): `migrate` stops
  // before any change unless the user opts in.
  bool security = false;

  bool operator==(const Unmoved&) const = default;
};

}  // namespace tenantshift
