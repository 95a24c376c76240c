// Maps the rows of the PostgreSQL catalog queries (sql/*.sql) onto the catalog model.
#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "extract/extractor.h"

namespace tenantshift {
namespace {

using OidMap = std::map<std::string, size_t>;  // object oid (as text) -> index in a vector

Result<Rows> RunCatalogQuery(Session& session, const std::string& file,
                             const std::vector<std::optional<std::string>>& params) {
  std::string_view sql = EmbeddedSql("postgres/" + file);
  if (sql.empty()) return Status::Internal("missing embedded query " + file);
  Result<Rows> rows = session.Query(std::string(sql), params);
  if (!rows.ok()) return rows.status().WithContext("catalog query " + file);
  return rows;
}

bool IsTrue(const std::string& v) { return v == "t" || v == "true"; }
int64_t ToInt(const std::string& v) { return v.empty() ? 0 : std::stoll(v); }

std::optional<QualifiedName> OptName(const Rows& rows, size_t r, const char* schema_col,
                                     const char* name_col) {
  if (rows.IsNull(r, name_col)) return std::nullopt;
  return QualifiedName{rows.Get(r, schema_col), rows.Get(r, name_col)};
}

SequenceOptions SeqOptions(const Rows& rows, size_t r, const std::string& prefix) {
  SequenceOptions o;
  o.data_type = rows.Get(r, prefix + "type");
  o.start = ToInt(rows.Get(r, prefix + "start"));
  o.increment = ToInt(rows.Get(r, prefix + "increment"));
  o.min_value = ToInt(rows.Get(r, prefix + "min"));
  o.max_value = ToInt(rows.Get(r, prefix + "max"));
  o.cache = ToInt(rows.Get(r, prefix + "cache"));
  o.cycle = IsTrue(rows.Get(r, prefix + "cycle"));
  return o;
}

SequenceState SeqState(const Rows& rows, size_t r, const char* value_col, const char* called_col,
                       int64_t start) {
  if (rows.IsNull(r, value_col)) return {start, false};
  return {ToInt(rows.Get(r, value_col)), IsTrue(rows.Get(r, called_col))};
}

struct Extraction {
  Session& session;
  std::vector<std::optional<std::string>> params;  // {$1 = JSON array of schema names}
  Catalog catalog;
  OidMap type_by_oid;
  OidMap table_by_oid;

  Status Schemas(const std::vector<std::string>& names);
  Status Types();
  Status EnumLabels();
  Status DomainConstraints();
  Status TypeAttributes();
  Status TypeDependencies();
  Status Sequences();
  Status Tables();
  Status Columns();
  Status Constraints();
  Status Indexes();
  Status Roles();

  UserType* TypeFor(const Rows& rows, size_t r) {
    auto it = type_by_oid.find(rows.Get(r, "type_oid"));
    return it == type_by_oid.end() ? nullptr : &catalog.types[it->second];
  }
  Table* TableFor(const Rows& rows, size_t r) {
    auto it = table_by_oid.find(rows.Get(r, "table_oid"));
    return it == table_by_oid.end() ? nullptr : &catalog.tables[it->second];
  }
};

Status Extraction::Schemas(const std::vector<std::string>& names) {
  Result<Rows> rows = RunCatalogQuery(session, "schemas.sql", {});
  if (!rows.ok()) return rows.status();
  std::set<std::string> wanted(names.begin(), names.end());
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!wanted.count(rows->Get(r, "name"))) continue;
    catalog.schemas.push_back(
        {rows->Get(r, "name"), rows->Get(r, "owner"), rows->Get(r, "comment")});
  }
  return Status::Ok();
}

Status Extraction::Types() {
  Result<Rows> rows = RunCatalogQuery(session, "types.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    UserType t;
    t.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    const std::string& kind = rows->Get(r, "kind");
    t.kind = kind == "e"   ? UserType::Kind::kEnum
             : kind == "d" ? UserType::Kind::kDomain
                           : UserType::Kind::kComposite;
    t.owner = rows->Get(r, "owner");
    t.comment = rows->Get(r, "comment");
    t.base_type = rows->Get(r, "base_type");
    t.domain_default = rows->Get(r, "domain_default");
    t.domain_not_null = IsTrue(rows->Get(r, "not_null"));
    t.collation = rows->Get(r, "collation");
    type_by_oid[rows->Get(r, "oid")] = catalog.types.size();
    catalog.types.push_back(std::move(t));
  }
  return Status::Ok();
}

Status Extraction::EnumLabels() {
  Result<Rows> rows = RunCatalogQuery(session, "enum_labels.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (UserType* t = TypeFor(*rows, r)) t->enum_labels.push_back(rows->Get(r, "label"));
  }
  return Status::Ok();
}

Status Extraction::DomainConstraints() {
  Result<Rows> rows = RunCatalogQuery(session, "domain_constraints.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (UserType* t = TypeFor(*rows, r)) {
      t->domain_checks.push_back({rows->Get(r, "name"), rows->Get(r, "definition")});
    }
  }
  return Status::Ok();
}

Status Extraction::TypeAttributes() {
  Result<Rows> rows = RunCatalogQuery(session, "type_attributes.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (UserType* t = TypeFor(*rows, r)) {
      t->attributes.push_back(
          {rows->Get(r, "name"), rows->Get(r, "type"), rows->Get(r, "collation")});
    }
  }
  return Status::Ok();
}

Status Extraction::TypeDependencies() {
  Result<Rows> rows = RunCatalogQuery(session, "type_dependencies.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    UserType* t = TypeFor(*rows, r);
    QualifiedName dep{rows->Get(r, "dep_schema"), rows->Get(r, "dep_name")};
    if (t != nullptr && dep != t->name) t->depends_on.push_back(dep);
  }
  return Status::Ok();
}

Status Extraction::Sequences() {
  Result<Rows> rows = RunCatalogQuery(session, "sequences.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Sequence s;
    s.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    s.owner = rows->Get(r, "owner");
    s.comment = rows->Get(r, "comment");
    s.options = SeqOptions(*rows, r, "seq");
    s.state = SeqState(*rows, r, "last_value", "is_called", s.options.start);
    s.owned_by_table = OptName(*rows, r, "owned_by_schema", "owned_by_table");
    s.owned_by_column = rows->Get(r, "owned_by_column");
    catalog.sequences.push_back(std::move(s));
  }
  return Status::Ok();
}

Status Extraction::Tables() {
  Result<Rows> rows = RunCatalogQuery(session, "tables.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table t;
    t.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    t.owner = rows->Get(r, "owner");
    t.comment = rows->Get(r, "comment");
    t.unlogged = IsTrue(rows->Get(r, "unlogged"));
    t.partition_key = rows->Get(r, "partition_key");
    t.partition_parent = OptName(*rows, r, "parent_schema", "parent_name");
    t.partition_bound = rows->Get(r, "partition_bound");
    t.estimated_rows = ToInt(rows->Get(r, "estimated_rows"));
    t.estimated_bytes = ToInt(rows->Get(r, "estimated_bytes"));
    table_by_oid[rows->Get(r, "oid")] = catalog.tables.size();
    catalog.tables.push_back(std::move(t));
  }
  return Status::Ok();
}

Status Extraction::Columns() {
  Result<Rows> rows = RunCatalogQuery(session, "columns.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    if (t == nullptr) continue;
    Column c;
    c.name = rows->Get(r, "name");
    c.type = rows->Get(r, "type");
    c.not_null = IsTrue(rows->Get(r, "not_null"));
    c.default_expr = rows->Get(r, "default_expr");
    c.generated_expr = rows->Get(r, "generated_expr");
    const std::string& identity = rows->Get(r, "identity");
    c.identity = identity.empty() ? '\0' : identity[0];
    c.collation = rows->Get(r, "collation");
    c.comment = rows->Get(r, "comment");
    c.binary_safe = IsTrue(rows->Get(r, "binary_safe"));
    if (c.identity != '\0') {
      c.identity_sequence = rows->Get(r, "identity_sequence");
      c.identity_options = SeqOptions(*rows, r, "seq");
      c.identity_state =
          SeqState(*rows, r, "seq_last_value", "seq_is_called", c.identity_options.start);
    }
    t->columns.push_back(std::move(c));
  }
  return Status::Ok();
}

Constraint::Kind ConstraintKind(const std::string& code) {
  if (code == "p") return Constraint::Kind::kPrimaryKey;
  if (code == "u") return Constraint::Kind::kUnique;
  if (code == "f") return Constraint::Kind::kForeignKey;
  if (code == "x") return Constraint::Kind::kExclude;
  return Constraint::Kind::kCheck;
}

Status Extraction::Constraints() {
  Result<Rows> rows = RunCatalogQuery(session, "constraints.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    if (t == nullptr) continue;
    Constraint c;
    c.name = rows->Get(r, "name");
    c.kind = ConstraintKind(rows->Get(r, "kind"));
    c.definition = rows->Get(r, "definition");
    c.local = IsTrue(rows->Get(r, "local"));
    c.parent_constraint = rows->Get(r, "parent_constraint");
    c.index_name = rows->Get(r, "index_name");
    c.references = OptName(*rows, r, "ref_schema", "ref_table");
    c.comment = rows->Get(r, "comment");
    t->constraints.push_back(std::move(c));
  }
  return Status::Ok();
}

Status Extraction::Indexes() {
  Result<Rows> rows = RunCatalogQuery(session, "indexes.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    if (t == nullptr) continue;
    t->indexes.push_back({rows->Get(r, "name"), rows->Get(r, "definition"),
                          OptName(*rows, r, "parent_schema", "parent_name"),
                          rows->Get(r, "comment")});
  }
  return Status::Ok();
}

Status Extraction::Roles() {
  Result<Rows> rows = RunCatalogQuery(session, "roles.sql", {});
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) catalog.roles.insert(rows->Get(r, "rolname"));
  return Status::Ok();
}

}  // namespace

static Result<Catalog> ExtractPostgresRows(Session& session,
                                           const std::vector<std::string>& schemas);

Result<ServerInfo> DetectServer(Session& session) {
  Result<Rows> rows = RunCatalogQuery(session, "server.sql", {});
  if (!rows.ok()) return rows.status();
  ServerInfo info;
  info.version = rows->Get(0, "version");
  info.version_num = static_cast<int>(ToInt(rows->Get(0, "version_num")));
  info.current_user = rows->Get(0, "current_user");
  info.database = rows->Get(0, "database");
  info.dialect =
      info.version.find("Redshift") != std::string::npos ? Dialect::kRedshift : Dialect::kPostgres;
  return info;
}

namespace {

Result<std::vector<std::string>> MissingFrom(
    Session& session, const std::string& file,
    const std::vector<std::optional<std::string>>& params) {
  Result<Rows> rows = RunCatalogQuery(session, file, params);
  if (!rows.ok()) return rows.status();
  std::vector<std::string> out;
  for (size_t r = 0; r < rows->size(); ++r) out.push_back(rows->Get(r, "missing"));
  return out;
}

}  // namespace

Result<std::vector<std::string>> MissingSourcePrivileges(Session& session,
                                                         const std::vector<std::string>& schemas) {
  return MissingFrom(session, "preflight_source.sql", {nlohmann::json(schemas).dump()});
}

Result<std::vector<std::string>> MissingTargetPrivileges(Session& session,
                                                         const std::vector<std::string>& schemas,
                                                         const std::vector<std::string>& owners) {
  return MissingFrom(session, "preflight_target.sql",
                     {nlohmann::json(schemas).dump(), nlohmann::json(owners).dump()});
}

Result<std::vector<std::string>> ResolveSchemas(Session& session,
                                                const std::vector<std::string>& patterns,
                                                bool require_match) {
  Result<Rows> rows = RunCatalogQuery(session, "schemas.sql", {});
  if (!rows.ok()) return rows.status();
  std::set<std::string> out;
  for (const std::string& pattern : patterns) {
    bool matched = false;
    for (size_t r = 0; r < rows->size(); ++r) {
      const std::string& name = rows->Get(r, "name");
      if (name == pattern || fnmatch(pattern.c_str(), name.c_str(), 0) == 0) {
        out.insert(name);
        matched = true;
      }
    }
    if (!matched && require_match) {
      return Status::InvalidArgument("schema \"" + pattern + "\" does not exist on the source");
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<Catalog> ExtractPostgres(Session& session, const std::vector<std::string>& schemas) {
  // Numbers are parsed with std::stoll, which throws on values it cannot hold; no exception
  // leaves this module.
  try {
    return ExtractPostgresRows(session, schemas);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected value in the catalog: ") + e.what());
  }
}

static Result<Catalog> ExtractPostgresRows(Session& session,
                                           const std::vector<std::string>& schemas) {
  Result<ServerInfo> info = DetectServer(session);
  if (!info.ok()) return info.status();
  Extraction x{session, {nlohmann::json(schemas).dump()}, {}, {}, {}};
  x.catalog.server = *info;
  Status s = x.Schemas(schemas);
  if (s.ok()) s = x.Roles();
  if (s.ok()) s = x.Types();
  if (s.ok()) s = x.EnumLabels();
  if (s.ok()) s = x.DomainConstraints();
  if (s.ok()) s = x.TypeAttributes();
  if (s.ok()) s = x.TypeDependencies();
  if (s.ok()) s = x.Sequences();
  if (s.ok()) s = x.Tables();
  if (s.ok()) s = x.Columns();
  if (s.ok()) s = x.Constraints();
  if (s.ok()) s = x.Indexes();
  if (!s.ok()) return s;
  return std::move(x.catalog);
}

}  // namespace tenantshift
