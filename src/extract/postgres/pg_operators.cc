// Maps the rows of sql/operators.sql onto the catalog model.
#include "extract/postgres/pg_operators.h"

#include <nlohmann/json.hpp>

#include "extract/extractor.h"

namespace tenantshift {
namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? std::string() : it->get<std::string>();
}

bool Flag(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

json ParseOrNull(const Rows& rows, size_t r, const char* col) {
  return rows.IsNull(r, col) ? json() : json::parse(rows.Get(r, col));
}

OperatorLinks Links(const Rows& rows, size_t r) {
  OperatorLinks links;
  for (const json& n : ParseOrNull(rows, r, "needs")) {
    std::string kind = Text(n, "kind");
    QualifiedName name{Text(n, "schema"), Text(n, "name")};
    if (kind == "routine") {
      links.routines.push_back({DependencyKind::kRoutine, name, Text(n, "args")});
    } else if (kind == "type") {
      links.types.push_back(name);
    } else if (kind == "operator") {
      links.operators.push_back(Text(n, "identity"));
    } else if (kind == "operator family") {
      links.families.push_back(Text(n, "identity"));
    }
  }
  for (const json& u : ParseOrNull(rows, r, "used_by")) {
    std::string kind = Text(u, "kind");
    QualifiedName name{Text(u, "schema"), Text(u, "name")};
    if (kind == "index") {
      links.used_by_indexes.push_back(name);
    } else if (kind == "routine") {
      links.used_by.push_back({DependencyKind::kRoutine, name, Text(u, "args")});
    } else if (kind == "view") {
      links.used_by.push_back({DependencyKind::kView, name, ""});
    } else if (kind == "materialized view") {
      links.used_by.push_back({DependencyKind::kMaterializedView, name, ""});
    } else {
      links.used_by.push_back({DependencyKind::kTable, name, ""});
    }
  }
  return links;
}

std::vector<OperatorMember> Members(const json& detail) {
  std::vector<OperatorMember> out;
  auto it = detail.find("members");
  if (it == detail.end() || it->is_null()) return out;
  for (const json& m : *it) {
    out.push_back({Flag(m, "op"), m.at("number").get<int>(), Text(m, "target"), Text(m, "left"),
                   Text(m, "right"), Text(m, "order_family")});
  }
  return out;
}

// One row of operators.sql into `catalog`.
void AddRow(const Rows& rows, size_t r, OperatorObjects* catalog) {
  OperatorObjects& out = *catalog;
  const std::string kind = rows.Get(r, "kind");
  const QualifiedName name{rows.Get(r, "schema"), rows.Get(r, "name")};
  const std::string identity = rows.Get(r, "identity");
  const std::string owner = rows.Get(r, "owner");
  const std::string comment = rows.Get(r, "comment");
  const json d = json::parse(rows.Get(r, "detail"));
  OperatorLinks links = Links(rows, r);
  if (kind == "operator") {
    out.operators.push_back({name, identity, owner, Text(d, "function"), Text(d, "left"),
                             Text(d, "right"), Text(d, "commutator"), Text(d, "negator"),
                             Text(d, "restrict"), Text(d, "join"), Flag(d, "hashes"),
                             Flag(d, "merges"), comment, std::move(links)});
  } else if (kind == "operator family") {
    out.families.push_back(
        {name, identity, Text(d, "method"), owner, Members(d), comment, std::move(links)});
  } else if (kind == "operator class") {
    out.classes.push_back({name, identity, Text(d, "method"), Flag(d, "default"), Text(d, "type"),
                           Text(d, "storage"),
                           QualifiedName{Text(d, "family_schema"), Text(d, "family")}, owner,
                           Members(d), comment, std::move(links)});
  } else if (kind == "conversion") {
    out.conversions.push_back({name, identity, Text(d, "from"), Text(d, "to"), Text(d, "function"),
                               Flag(d, "default"), owner, comment, std::move(links)});
  } else if (kind == "text search parser") {
    out.ts_parsers.push_back({name, identity, Text(d, "start"), Text(d, "gettoken"), Text(d, "end"),
                              Text(d, "lextypes"), Text(d, "headline"), comment, std::move(links)});
  } else if (kind == "text search template") {
    out.ts_templates.push_back(
        {name, identity, Text(d, "init"), Text(d, "lexize"), comment, std::move(links)});
  }
}

}  // namespace

Status ExtractOperators(Session& session, const std::vector<std::optional<std::string>>& params,
                        Catalog* catalog) {
  Result<Rows> rows = RunEmbeddedQuery(session, "postgres/operators.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) AddRow(*rows, r, &catalog->operator_objects);
  return Status::Ok();
}

}  // namespace tenantshift
