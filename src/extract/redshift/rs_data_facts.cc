#include "extract/redshift/rs_data_facts.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "ddl/quote.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {
namespace {

bool IsSuper(const Column& c) { return rsddl::BaseType(c.type) == "super"; }

std::string Select(const Table& t, const Column& c) {
  std::string col = QuoteIdent(c.name);
  std::string names = fmt::format("SELECT {} AS schema_name, {} AS table_name, {} AS column_name",
                                  QuoteRedshiftLiteral(t.name.schema),
                                  QuoteRedshiftLiteral(t.name.name), QuoteRedshiftLiteral(c.name));
  if (c.identity != '\0') {
    return fmt::format(
        "{0}, MAX({1})::BIGINT AS hi, MIN({1})::BIGINT AS lo, NULL::BIGINT AS json_bytes FROM {2}",
        names, col, QuoteName(t.name));
  }
  return fmt::format(
      "{}, NULL::BIGINT AS hi, NULL::BIGINT AS lo, COALESCE(MAX(JSON_SIZE({})), 0)::BIGINT AS "
      "json_bytes FROM {}",
      names, col, QuoteName(t.name));
}

using ColumnKey = std::tuple<std::string, std::string, std::string>;

}  // namespace

std::string RedshiftDataFactsSql(const Catalog& catalog) {
  std::string sql;
  for (const Table& t : catalog.tables) {
    for (const Column& c : t.columns) {
      if (c.identity == '\0' && !IsSuper(c)) continue;
      sql += (sql.empty() ? "" : "\nUNION ALL\n") + Select(t, c);
    }
  }
  return sql;
}

Status ReadRedshiftDataFacts(Session& session, Catalog* catalog) {
  std::string sql = RedshiftDataFactsSql(*catalog);
  if (sql.empty()) return Status::Ok();
  Result<Rows> rows = session.Query(sql, {});
  if (!rows.ok()) {
    return rows.status().WithContext(
        "reading the source's identity high-water marks and SUPER value sizes");
  }
  std::map<ColumnKey, size_t> row_of;
  for (size_t r = 0; r < rows->size(); ++r) {
    row_of[{rows->Get(r, "schema_name"), rows->Get(r, "table_name"), rows->Get(r, "column_name")}] =
        r;
  }
  // Parse everything first: a bad answer changes nothing.
  std::map<Column*, std::pair<SequenceState, int64_t>> facts;
  try {
    for (Table& t : catalog->tables) {
      for (Column& c : t.columns) {
        auto it = row_of.find({t.name.schema, t.name.name, c.name});
        if (it == row_of.end()) continue;
        size_t r = it->second;
        std::pair<SequenceState, int64_t> f{c.identity_state, c.largest_json_bytes};
        if (c.identity != '\0' && !rows->IsNull(r, "hi")) {
          bool down = c.identity_options.increment < 0;
          f.first = {std::stoll(rows->Get(r, down ? "lo" : "hi")), true};
        }
        if (IsSuper(c) && !rows->IsNull(r, "json_bytes")) {
          f.second = std::stoll(rows->Get(r, "json_bytes"));
        }
        facts[&c] = f;
      }
    }
  } catch (const std::exception& e) {
    return Status::Server(std::string("unexpected value from the identity and SUPER probe: ") +
                          e.what());
  }
  for (auto& [column, f] : facts) {
    column->identity_state = f.first;
    column->largest_json_bytes = f.second;
  }
  return Status::Ok();
}

}  // namespace tenantshift
