// What differs per source/target dialect *pair*, built on each side's DialectOps
// (dialect/dialect_ops.h), so the migration pipeline calls one function per difference:
//  - every data move touching Redshift goes through S3, so it needs --via before anything runs;
//  - plan notes: a Redshift source has no exported snapshots (each table is read as of its own
//    UNLOAD), and PostgreSQL <-> Redshift validation counts rows only;
//  - validation: PostgreSQL's checksum (hashtextextended, FROM ONLY) does not exist on
//    Redshift. Redshift <-> Redshift compares count(*) and an order-independent sum of an MD5
//    of each row's canonical text, computed by the same SQL on both sides. PostgreSQL <->
//    Redshift compares row counts only: the engines print values differently, so no content
//    checksum is comparable across them, and the report says so.
// Pure functions except SetUpSession. Thread-safety: none needed.
#pragma once

#include <string>
#include <vector>

#include "dialect/dialect_ops.h"
#include "model/catalog.h"
#include "pg/session.h"

namespace tenantshift {

// OpsFor(dialect).SetUpSession(session).
Status SetUpSession(Dialect dialect, Session& session);

// True when a table's rows between these two servers go through files (move/redshift_mover.h).
bool MovesThroughRedshift(Dialect source, Dialect target);

// Whether a migrate from `source` to `target` can move data: any Redshift side needs a staging
// location (--via s3://...). InvalidArgument naming the flag otherwise.
Status CheckDataPath(Dialect source, Dialect target, bool staged);

// Warnings every plan of this pair carries (none for PostgreSQL -> PostgreSQL).
std::vector<std::string> DialectNotes(Dialect source, Dialect target);

// How validation compares one table's two sides.
enum class Comparison {
  kPostgres,  // ComputeChecksum (migration_runner.h) on both sides
  kRedshift,  // RedshiftChecksumSql on both sides
  kRowCount,  // RowCountSql on each side: PostgreSQL <-> Redshift
};
Comparison ComparisonFor(Dialect source, Dialect target);

// Redshift checksum of `table` (its columns as the source catalog lists them): columns n (row
// count) and sum (decimal text). Each column becomes a token, NULL 'n' and a value the 32-hex
// MD5 of its text (booleans 't'/'f'), so NULL and '' differ and the concatenation is
// unambiguous; a row's hash is the first 60 bits of the MD5 of its tokens, summed as
// DECIMAL(38,0) (no overflow below 10^19 rows).
std::string RedshiftChecksumSql(const Table& table);

// The plan's note on how staged data moves (file format and sizes, why the file count is not
// fitted to the target's slices, concurrency), for any pair with a Redshift side.
std::string StagingNote();

// validate's line after its totals when tables were compared by row count only.
std::string CountedOnlyNote();

}  // namespace tenantshift
