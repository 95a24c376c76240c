// Extraction of operators, operator families and classes, conversions, and text search parsers
// and templates of the tenant schemas (sql/operators.sql) into the catalog. Internal to
// extract/postgres. Thread-safety: uses `session` only; one call at a time per session.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/catalog.h"
#include "pg/session.h"
#include "util/status.h"

namespace tenantshift {

// Runs operators.sql with `params` ({$1 = JSON array of schema names}) and appends its rows to
// catalog->operator_objects. On failure returns the query's status and leaves `catalog` as it
// was.
Status ExtractOperators(Session& session, const std::vector<std::optional<std::string>>& params,
                        Catalog* catalog);

}  // namespace tenantshift
