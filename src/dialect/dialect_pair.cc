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

// The text a non-NULL value of `c` hashes as: the same on every Redshift for equal values,
// given the sessions' equal settings (RedshiftOps::SetUpSession: UTC, ISO dates).
std::string ValueText(const Column& c) {
  const std::string type = rsddl::BaseType(c.type);
  const std::string col = QuoteIdent(c.name);
  if (OneOf(type, {"character varying", "varchar", "character", "char", "bpchar", "text",
                   "nvarchar", "nchar"})) {
    return col;
  }
  if (type == "super") return "JSON_SERIALIZE(" + col + ")";
  if (OneOf(type, {"varbyte", "varbinary", "binary varying"})) {
    return "FROM_VARBYTE(" + col + ", 'hex')";
  }
  if (OneOf(type, {"geometry", "geography"})) return "ST_AsHexEWKB(" + col + ")";
  // HLLSKETCH has no text form; its cardinality is the closest deterministic stand-in.
  if (type == "hllsketch") return "HLL_CARDINALITY(" + col + ")::VARCHAR";
  return col + "::VARCHAR";
}

// One column's token: 'n' for NULL, 't'/'f' for booleans, else the MD5 of its text.
std::string ColumnToken(const Column& c) {
  const std::string col = QuoteIdent(c.name);
  if (OneOf(rsddl::BaseType(c.type), {"boolean", "bool"})) {
    return fmt::format("CASE WHEN {0} IS NULL THEN 'n' WHEN {0} THEN 't' ELSE 'f' END", col);
  }
  return fmt::format("CASE WHEN {} IS NULL THEN 'n' ELSE MD5({}) END", col, ValueText(c));
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
  return notes;
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
