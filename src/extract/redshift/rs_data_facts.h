// Facts about a Redshift source's *data* that the plan needs before it creates anything:
//  - D10: the highest (for a negative step, lowest) value of every IDENTITY column, so the
//    target table is created with its seed past it. COPY does not move an identity's next
//    value ("COPY doesn't update the identity high watermark",
//    https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html) and
//    no statement reseeds an identity afterwards, so the seed of CREATE TABLE ... IDENTITY(seed,
//    step) (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html) is the only
//    place to carry it. aws-samples/redshift-migrate-db (02_migrate_ddl.sh @ 9f40a3b) reads
//    SELECT MAX(col) on the source for the same reason.
//  - R8: the largest value of every SUPER column in bytes, JSON_SIZE(col) ("JSON_SIZE(x) is
//    functionally identical to OCTET_LENGTH(JSON_SERIALIZE)" without the VARCHAR limit:
//    https://docs.aws.amazon.com/redshift/latest/dg/r_json_size.html), because COPY reads no
//    input row over 4 MB
//    (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source.html).
// One query for the whole tenant (a UNION ALL of one aggregate per column), written from the
// catalog, so its text depends on the tenant; it scans SUPER columns in full.
// Thread-safety: uses the given Session only.
#pragma once

#include <string>

#include "model/catalog.h"
#include "pg/session.h"

namespace tenantshift {

// The probe for `catalog`'s tables: one row per IDENTITY or SUPER column with schema_name,
// table_name, column_name, hi and lo (identity max/min, else NULL) and json_bytes (SUPER
// max(JSON_SIZE), else NULL). "" when no table has such a column.
std::string RedshiftDataFactsSql(const Catalog& catalog);

// Runs RedshiftDataFactsSql on `session` (the source) and records the answers on the columns
// of `catalog`: identity_state (last_value = hi, or lo for a negative step; is_called when the
// table has rows) and largest_json_bytes (0 for a table without rows). On failure nothing is
// changed and the status names the probe.
Status ReadRedshiftDataFacts(Session& session, Catalog* catalog);

}  // namespace tenantshift
