// What a Redshift tenant holds that tenantshift does not recreate, read from the documented
// SVV views and recorded as Catalog::unmoved (each later a manual step of the plan): scoped
// permissions, row-level security and masking policies, outbound datashares, ML models,
// ASSUMEROLE grants and LANGUAGE privileges. Internal to extract/redshift/.
// Thread-safety: uses the given query function only.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "model/unmoved.h"
#include "pg/session.h"

namespace tenantshift {

struct RsTenant {
  std::set<std::string> schemas;     // the tenant's schemas
  std::set<std::string> principals;  // owners and grantees of tenant objects
};

// Runs the queries scoped_privileges, rls_relations, rls_attachments, masking_attachments,
// datashare_objects, ml_models, iam_privileges and language_privileges through `run` (which
// maps a query name to its rows) and appends what belongs to `tenant` to `out`, in that order.
// On failure `out` may hold part of the rows and the status names the query.
Status ExtractRedshiftUnmoved(const std::function<Result<Rows>(const std::string&)>& run,
                              const RsTenant& tenant, std::vector<Unmoved>* out);

// "GRANT SELECT FOR TABLES IN SCHEMA "s" TO ROLE "r";" (r_GRANT.html, scoped permissions):
// `level` "schema" or "database", `scope` TABLES, FUNCTIONS, PROCEDURES, SCHEMAS, LANGUAGES or
// COPY JOBS, `grantee_type` user or role.
std::string RedshiftScopedGrant(const std::string& level, const std::string& name,
                                const std::string& scope, const std::string& privilege,
                                const std::string& grantee, const std::string& grantee_type,
                                bool grantable);

}  // namespace tenantshift
