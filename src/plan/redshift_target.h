// What a Redshift target cannot hold of a source catalog, converted before planning, each
// conversion reported (never silently):
//  - What the source extractor could not recreate (Catalog::unmoved: RLS and masking policies,
//    scoped and ASSUMEROLE grants, datashares, ML models, ...): one ManualStep each, security
//    ones flagged (migrate stops on them unless the user opts in).
//  - Python UDFs (plpythonu): "Amazon Redshift will no longer support the creation of new Python
//  UDFs starting Patch 198"
//    (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_FUNCTION.html); each
//    becomes a ManualStep holding its CREATE FUNCTION, owner and grants, and leaves the plan.
//  - Lambda UDFs (any other language): a ManualStep each (their LAMBDA and IAM_ROLE are in no
//    documented catalog column); they leave the plan with their privileges.
//  - Procedures of a Redshift source: one warning that NONATOMIC and SET clauses are not read.
//  - Default privileges ALTER DEFAULT PRIVILEGES cannot grant (ALTER ON TABLES): one warning
//    each.
//  - INTERLEAVED sort keys: Serverless keeps none ("Redshift converts tables with interleaved
//    sort keys and DISTSTYLE KEY to compound sort keys" when migrating to Serverless:
//    https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-known-issues.html), and
//    materialized views never accept them; they become COMPOUND, one warning per table or
//    materialized view.
//  - Comments on schemas, functions, procedures and users: COMMENT ON's syntax has no such
//    objects (SCHEMA only in its parameter list, unconfirmed); one warning each.
//  - Identity columns (D10): created with the seed one step past the source's high-water mark
//    (ContinuedIdentitySeed), one warning each saying which seed and why.
//  - SUPER values over COPY's 4 MB row limit (R8): errors (migrate refuses before any change);
//    over half of it: a warning.
//  - System privileges that GRANT ... TO ROLE does not know, and WITH GRANT OPTION held by a
//    group, role or PUBLIC (Redshift grants it to users only): one warning each.
// Pure. Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/catalog.h"
#include "plan/manual_step.h"

namespace tenantshift {

struct RedshiftAdaptation {
  Catalog source;  // what the plan creates
  std::vector<std::string> warnings;
  std::vector<ManualStep> manual_steps;
  // What no plan can move (a SUPER value COPY cannot read): the plan's source errors, so
  // migrate refuses before any change.
  std::vector<std::string> errors;
};

// COPY's limit on one input row, "4 MB"
// (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-source.html), taken as
// 4 MiB: values between 4,000,000 and 4,194,304 bytes are warned about (over half), not refused.
inline constexpr int64_t kCopyMaxRowBytes = 4 * 1024 * 1024;

// The IDENTITY seed a Redshift target table gets for `column` (D10): one step past the source's
// high-water mark (identity_state, read before planning) when that is past the source's own
// seed, the source's seed otherwise (no rows, or only values before it). nullopt when one more
// step would leave BIGINT.
std::optional<int64_t> ContinuedIdentitySeed(const Column& column);

// REQUIRES: target.dialect is kRedshift or kRedshiftServerless. `target_catalog`, when given,
// is what the target holds: its tables keep their identity seeds (see ContinuedIdentitySeed).
RedshiftAdaptation AdaptForRedshift(const Catalog& source, const ServerInfo& target,
                                    const Catalog* target_catalog = nullptr);

}  // namespace tenantshift
