// UNLOAD and COPY statements that move one Redshift table's rows through S3 exactly.
//
// Pure functions (no I/O), golden-tested. Every choice follows the exact-copy checklist of
// redshift-catalog.md §17.4:
//   - an explicit column list in column order on both sides (COPY maps by position otherwise);
//   - FORMAT CSV on both sides: it quotes fields holding the delimiter, quotes, CR or LF and
//     doubles embedded quotes, and has no escape character, so backslashes, embedded newlines,
//     delimiters and leading/trailing spaces travel as they are. It is also the only format
//     that carries VARBYTE (as hex), GEOMETRY/GEOGRAPHY (as hex EWKB, SRID included) and
//     HLLSKETCH, and COPY reads each of those back from the same text. Parquet would lose
//     nothing for numbers but cannot carry those types, so one format serves every table;
//   - NULL AS a per-run random marker (StagedFormat::null_marker) that no stored value equals,
//     so NULL and '' stay apart (no EMPTYASNULL/BLANKSASNULL, ever);
//   - SUPER columns are unloaded as they are: UNLOAD writes them as serialized JSON without a
//     length cap and COPY parses the JSON back. CAST(... AS VARCHAR), as one reference tool
//     does, turns objects and arrays into NULL and caps values at 65,535 bytes; JSON_SERIALIZE
//     caps them too. Known loss: UNLOAD ignores NULL AS for SUPER, so a SQL NULL in a SUPER
//     column comes back as JSON null (SupersLoseSqlNull says when a table is exposed to that);
//   - MANIFEST VERBOSE on UNLOAD, MANIFEST on COPY: exactly the files this UNLOAD wrote are
//     loaded, never a neighbour that shares the key prefix;
//   - ALLOWOVERWRITE: the prefix belongs to one run and one table (TablePrefix), so the only
//     files it can overwrite are an earlier attempt's of the same table, and the manifest is
//     rewritten with them; CLEANPATH would also need s3:DeleteObject on the UNLOAD role;
//   - ENCRYPTED KMS_KEY_ID on UNLOAD only: COPY reads SSE-KMS objects transparently, and
//     ENCRYPTED on COPY means client-side encryption (being retired), which we never use;
//   - COPY with EXPLICIT_IDS when a column is IDENTITY (GENERATED ALWAYS): its values are the
//     source's; BY DEFAULT identity columns take explicit values without it;
//   - COMPUPDATE OFF (keep the DDL's encodings), STATUPDATE OFF (ANALYZE runs after commit),
//     MAXERROR 0, and never TRUNCATECOLUMNS, ROUNDEC, ACCEPTINVCHARS, FILLRECORD or TRIMBLANKS:
//     a value that does not fit fails the load instead of changing;
//   - DATEFORMAT 'auto' and TIMEFORMAT 'auto': both sessions run with TimeZone UTC and ISO
//     dates, so UNLOAD prints dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MI:SS[.ffffff]
//     and TIMESTAMPTZ with a +00 offset; 'auto' reads all of these back to the microsecond
//     (DG:automatic-recognition), while COPY's default TIMESTAMPTZ layout expects HH:MI:SSOF.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ddl/quote.h"
#include "ddl/redshift/redshift_ddl.h"
#include "model/table.h"
#include "move/staging.h"
#include "util/status.h"

namespace tenantshift::rsddl {

// Where UNLOAD and COPY get their S3 access and encryption.
struct StagingAccess {
  // "default" (IAM_ROLE default: the cluster's or namespace's default role), one role ARN, or a
  // comma-separated chain of ARNs.
  std::string iam_role = "default";
  std::string kms_key_id;  // non-empty: UNLOAD ... ENCRYPTED KMS_KEY_ID (SSE-KMS)
};

// OK, or InvalidArgument naming the bad value and what is expected (never echoes anything but
// the value given). Role: "default" or arn:aws[-partition]:iam::<12 digits>:role/<path/name>
// (chains comma-separated); KMS key: a key id, key ARN, alias name or alias ARN.
Status CheckStagingAccess(const StagingAccess& access);

// "SELECT "c1", "c2" FROM "schema"."table"": every column, in column order; REAL columns as
// "c"::FLOAT8 so that UNLOAD prints every digit (D5).
std::string UnloadSelect(const Table& table);

// UNLOAD of `table` to `prefix` (s3://... ending in "/") with `format`.
// REQUIRES: CheckStagingAccess(access).ok(); format.csv; format.null_marker not empty.
std::string UnloadStatement(const Table& table, const std::string& prefix,
                            const StagedFormat& format, const StagingAccess& access);

// The manifest UNLOAD ... MANIFEST writes under `prefix`: prefix + "manifest".
std::string ManifestUrl(const std::string& prefix);

// COPY into `table` from the manifest at `manifest_url`, reading what UnloadStatement wrote.
// REQUIRES: as UnloadStatement.
std::string CopyStatement(const Table& table, const std::string& manifest_url,
                          const StagedFormat& format, const StagingAccess& access);

// The format for `table`: CSV with `null_marker` (see the header comment for why).
StagedFormat ChooseStagedFormat(const Table& table, std::string null_marker);

// True when a column is IDENTITY (GENERATED ALWAYS): COPY needs EXPLICIT_IDS.
bool NeedsExplicitIds(const Table& table);

// Names of the nullable SUPER columns, comma-separated ("" when none): their SQL NULLs come
// back as JSON null (see the header comment).
std::string SupersLoseSqlNull(const Table& table);

// Names of the columns UNLOAD can only write as text that is not the value's PostgreSQL text
// (VARBYTE and GEOMETRY/GEOGRAPHY as hex, HLLSKETCH as Base64/JSON), comma-separated; "" when
// none.
std::string TextOnlyColumns(const Table& table);

}  // namespace tenantshift::rsddl
