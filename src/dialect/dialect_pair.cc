#include "dialect/dialect_pair.h"

#include <fmt/format.h>

#include <algorithm>

#include "ddl/quote.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {
namespace {

bool OneOf(const std::string& type, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return type == n; });
}

// VARBYTE holds up to 1,024,000 bytes, GEOMETRY about 1 MB, but MD5 and FROM_VARBYTE work on
// VARCHAR, which tops out at 65,535 bytes (D12, R9;
// https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_VARBYTE_type.html). So a binary value is hashed
// in chunks of kHashChunk bytes (64,000 hex digits each), SUBSTRING counting bytes for a binary
// expression (https://docs.aws.amazon.com/redshift/latest/dg/r_SUBSTRING.html), and the chunk
// digests are hashed again. kHashChunks chunks cover the VARBYTE maximum.
constexpr int kHashChunk = 32000;
constexpr int kHashChunks = 1024000 / kHashChunk;

// The MD5 of a VARBYTE expression of any size up to 1,024,000 bytes: one MD5 for values of at
// most one chunk, else the MD5 of the chunks' MD5s.
std::string VarbyteMd5(const std::string& bytes) {
  std::string chunks;
  for (int i = 0; i < kHashChunks; ++i) {
    chunks += fmt::format("{}MD5(FROM_VARBYTE(SUBSTRING({}, {}, {}), 'hex'))", i == 0 ? "" : " || ",
                          bytes, 1 + i * kHashChunk, kHashChunk);
  }
  return fmt::format(
      "CASE WHEN LEN({0}) <= {1} THEN MD5(FROM_VARBYTE({0}, 'hex')) ELSE MD5({2}) END", bytes,
      kHashChunk, chunks);
}

// The token of a non-NULL value of `c`: the MD5 of a text that is the same on every Redshift for
// equal values, given the sessions' equal settings (RedshiftOps::SetUpSession: UTC, ISO dates,
// extra_float_digits 2).
std::string ValueMd5(const Column& c) {
  const std::string type = rsddl::BaseType(c.type);
  const std::string col = QuoteIdent(c.name);
  if (OneOf(type, {"character varying", "varchar", "character", "char", "bpchar", "text",
                   "nvarchar", "nchar"})) {
    return "MD5(" + col + ")";
  }
  // JSON_SERIALIZE fails beyond the VARCHAR limit (D12,
  // https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE.html); its VARBYTE twin does
  // not (https://docs.aws.amazon.com/redshift/latest/dg/JSON_SERIALIZE_TO_VARBYTE.html).
  if (type == "super") return VarbyteMd5("JSON_SERIALIZE_TO_VARBYTE(" + col + ")");
  if (OneOf(type, {"varbyte", "varbinary", "binary varying"})) return VarbyteMd5(col);
  // ST_AsEWKB returns VARBYTE, where ST_AsHexEWKB returns a VARCHAR capped at 65,535 bytes (R9;
  // https://docs.aws.amazon.com/redshift/latest/dg/ST_AsEWKB-function.html).
  if (OneOf(type, {"geometry", "geography"})) return VarbyteMd5("ST_AsEWKB(" + col + ")");
  // HLLSKETCH has no text form; its cardinality is the closest deterministic stand-in.
  if (type == "hllsketch") return "MD5(HLL_CARDINALITY(" + col + ")::VARCHAR)";
  // D5: REAL printed through FLOAT8 gives 17 significant digits of its exact value, where
  // extra_float_digits 2 gives a REAL only 8 (FLT_DIG 6 + 2), too few to tell every two apart.
  if (OneOf(type, {"real", "float4"})) return "MD5(" + col + "::FLOAT8::VARCHAR)";
  return "MD5(" + col + "::VARCHAR)";
}

// One column's token: 'n' for NULL, 't'/'f' for booleans, else the MD5 of its value.
std::string ColumnToken(const Column& c) {
  const std::string col = QuoteIdent(c.name);
  const std::string type = rsddl::BaseType(c.type);
  if (OneOf(type, {"boolean", "bool"})) {
    return fmt::format("CASE WHEN {0} IS NULL THEN 'n' WHEN {0} THEN 't' ELSE 'f' END", col);
  }
  // R7: UNLOAD writes a SUPER SQL NULL as JSON null ("SUPER data columns ignore the NULL [AS]
  // option", https://docs.aws.amazon.com/redshift/latest/dg/unload-super.html), so a copy can
  // only keep the two apart as far as the source did not need them apart: both count as 'n'.
  // JSON_TYPEOF names JSON null 'null'
  // (https://docs.aws.amazon.com/redshift/latest/dg/r_json_typeof.html).
  if (type == "super") {
    return fmt::format("CASE WHEN {0} IS NULL OR JSON_TYPEOF({0}) = 'null' THEN 'n' ELSE {1} END",
                       col, ValueMd5(c));
  }
  return fmt::format("CASE WHEN {} IS NULL THEN 'n' ELSE {} END", col, ValueMd5(c));
}

}  // namespace

Status SetUpSession(Dialect dialect, Session& session) {
  return OpsFor(dialect).SetUpSession(session);
}

bool MovesThroughRedshift(Dialect source, Dialect target) {
  return OpsFor(source).NeedsStagedData() || OpsFor(target).NeedsStagedData();
}

Status CheckDataPath(Dialect source, Dialect target, bool staged) {
  if (staged || !MovesThroughRedshift(source, target)) return Status::Ok();
  const char* pair = ComparisonFor(source, target) == Comparison::kRedshift
                         ? "Redshift -> Redshift data moves use UNLOAD and COPY"
                         : "PostgreSQL <-> Redshift data moves go through files";
  return Status::InvalidArgument(fmt::format(
      "{}, which need an S3 staging location: give --via s3://bucket/prefix (readable and "
      "writable by the IAM role of --iam-role); nothing was changed",
      pair));
}

std::vector<std::string> DialectNotes(Dialect source, Dialect target) {
  std::vector<std::string> notes = OpsFor(source).SourceNotes();
  if (ComparisonFor(source, target) == Comparison::kRowCount) {
    notes.push_back(
        "validation compares row counts only: PostgreSQL and Redshift print values "
        "differently, so their content checksums are not comparable");
  }
  if (MovesThroughRedshift(source, target)) notes.push_back(StagingNote());
  return notes;
}

std::string StagingNote() {
  return "data moves through S3 as uncompressed CSV: UNLOAD ... PARALLEL ON MAXFILESIZE 1 GB "
         "writes at least one file per source slice, none over 1 GB (AWS: load files of 1 MB to "
         "1 GB, https://docs.aws.amazon.com/redshift/latest/dg/"
         "queries-troubleshooting-load-takes-too-long.html); the file count is not fitted to the "
         "target's slices, because COPY splits uncompressed CSV files of 128 MB or more across "
         "them itself (https://docs.aws.amazon.com/redshift/latest/dg/"
         "c_best-practices-use-multiple-files.html); tables move concurrently up to --jobs, one "
         "UNLOAD or COPY per job on each side";
}

Comparison ComparisonFor(Dialect source, Dialect target) {
  bool staged_source = OpsFor(source).NeedsStagedData();
  bool staged_target = OpsFor(target).NeedsStagedData();
  if (!staged_source && !staged_target) return Comparison::kPostgres;
  if (staged_source && staged_target) return Comparison::kRedshift;
  return Comparison::kRowCount;
}

std::string RedshiftChecksumSql(const Table& table) {
  std::string tokens;
  for (const Column& c : table.columns) {
    tokens += (tokens.empty() ? "" : " || ") + ColumnToken(c);
  }
  if (tokens.empty()) tokens = "''";
  return fmt::format(
      "SELECT count(*) AS n, COALESCE(SUM(STRTOL(SUBSTRING(MD5({}), 1, 15), 16)::DECIMAL(38,0)), "
      "0)::VARCHAR AS sum FROM {}",
      tokens, QuoteName(table.name));
}

std::string CountedOnlyNote() {
  return "PostgreSQL and Redshift content checksums are not comparable: table contents were not "
         "checked, only row counts\n";
}

}  // namespace tenantshift
