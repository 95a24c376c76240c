// What the migration pipeline (exec/migration.cc, exec/migration_runner.cc) does differently
// per dialect pair, kept here so those shared files call one function per difference:
//  - session settings: PostgreSQL's (PrepareSession) name settings Redshift lacks;
//  - Redshift has no exported snapshots (no pg_export_snapshot, no SET TRANSACTION SNAPSHOT):
//    each table is read as of its own UNLOAD, which the plan and report say;
//  - every data move touching Redshift goes through S3, so it needs --via before anything runs;
//  - a Redshift target's preflight is "superuser" (creating users and groups and handing
//    objects to other owners take one there);
//  - validation: PostgreSQL's checksum (hashtextextended, FROM ONLY) does not exist on
//    Redshift. Redshift <-> Redshift compares count(*) and an order-independent sum of an MD5
//    of each row's canonical text, computed by the same SQL on both sides. PostgreSQL <->
//    Redshift compares row counts only: the engines print values differently, so no content
//    checksum is comparable across them, and the report says so.
// Pure functions except PrepareSessionFor. Thread-safety: none needed.
#pragma once

#include <string>
#include <vector>

#include "model/catalog.h"
#include "pg/session.h"

namespace tenantshift {

// PrepareSession on PostgreSQL, PrepareRedshiftSession on Redshift.
Status PrepareSessionFor(Dialect dialect, Session& session);

// Whether a migrate from `source` to `target` can move data: any Redshift side needs a staging
// location (--via s3://...). InvalidArgument naming the flag otherwise.
Status CheckDataPath(Dialect source, Dialect target, bool staged);

// Warnings every plan of this pair carries (none for PostgreSQL -> PostgreSQL).
std::vector<std::string> DialectNotes(Dialect source, Dialect target);

// Preflight of a Redshift target: what its connected user lacks, one sentence each.
std::vector<std::string> MissingRedshiftTargetPrivileges(const ServerInfo& target);

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

// SELECT count(*) AS n, '' AS sum: the row count on a side of `dialect` (FROM ONLY on
// PostgreSQL, as its checksum reads).
std::string RowCountSql(Dialect dialect, const QualifiedName& table);

// validate's line after its totals when tables were compared by row count only.
std::string CountedOnlyNote();

}  // namespace tenantshift
