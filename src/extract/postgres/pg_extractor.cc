// Maps the rows of the PostgreSQL catalog queries (sql/*.sql) onto the catalog model.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "extract/extractor.h"
#include "extract/postgres/pg_operators.h"

namespace tenantshift {
namespace {

using OidMap = std::map<std::string, size_t>;  // object oid (as text) -> index in a vector

Result<Rows> RunCatalogQuery(Session& session, const std::string& file,
                             const std::vector<std::optional<std::string>>& params) {
  return RunEmbeddedQuery(session, "postgres/" + file, params);
}

bool IsTrue(const std::string& v) { return v == "t" || v == "true"; }
int64_t ToInt(const std::string& v) { return v.empty() ? 0 : std::stoll(v); }
char FirstChar(const std::string& v, char fallback) { return v.empty() ? fallback : v[0]; }

// A JSON array of text (array_to_json of a text[]), empty when NULL.
std::vector<std::string> TextArray(const Rows& rows, size_t r, const char* col) {
  std::vector<std::string> out;
  if (rows.IsNull(r, col)) return out;
  for (const auto& item : nlohmann::json::parse(rows.Get(r, col))) {
    out.push_back(item.get<std::string>());
  }
  return out;
}

// The INHERITS parents of tables.sql's or foreign_tables.sql's "inherits" ([[schema, name], ...]).
std::vector<QualifiedName> Parents(const Rows& rows, size_t r) {
  std::vector<QualifiedName> out;
  if (rows.IsNull(r, "inherits")) return out;
  for (const auto& parent : nlohmann::json::parse(rows.Get(r, "inherits"))) {
    out.push_back({parent.at(0).get<std::string>(), parent.at(1).get<std::string>()});
  }
  return out;
}

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

std::string PolicyCommand(const std::string& code) {
  if (code == "r") return "SELECT";
  if (code == "a") return "INSERT";
  if (code == "w") return "UPDATE";
  if (code == "d") return "DELETE";
  return "ALL";
}

ObjectKind AclObjectKind(const std::string& kind) {
  static const std::map<std::string, ObjectKind> kKinds = {
      {"schema", ObjectKind::kSchema},     {"table", ObjectKind::kTable},
      {"view", ObjectKind::kView},         {"materialized view", ObjectKind::kMaterializedView},
      {"sequence", ObjectKind::kSequence}, {"type", ObjectKind::kType},
      {"function", ObjectKind::kFunction}, {"procedure", ObjectKind::kProcedure}};
  auto it = kKinds.find(kind);
  return it == kKinds.end() ? ObjectKind::kTable : it->second;
}

ObjectRef AclObject(const Rows& rows, size_t r) {
  ObjectRef o;
  o.kind = AclObjectKind(rows.Get(r, "kind"));
  o.name = {rows.Get(r, "schema"), rows.Get(r, "name")};
  o.arguments = rows.Get(r, "arguments");
  o.column = rows.Get(r, "column_name");
  return o;
}

DefaultAcl::On DefaultAclOn(const std::string& objtype) {
  if (objtype == "S") return DefaultAcl::On::kSequences;
  if (objtype == "f") return DefaultAcl::On::kFunctions;
  if (objtype == "T") return DefaultAcl::On::kTypes;
  if (objtype == "n") return DefaultAcl::On::kSchemas;
  return DefaultAcl::On::kTables;
}

// Adds one aclexplode() row to `items`: to the item of the same grantee and grantor, or as a new
// item at the end, which keeps the ACL's own order.
void AddPrivilege(const Rows& rows, size_t r, const std::string& grantor,
                  std::vector<AclItem>* items) {
  const std::string& grantee = rows.Get(r, "grantee");
  auto it = std::find_if(items->begin(), items->end(), [&](const AclItem& i) {
    return i.grantee == grantee && i.grantor == grantor;
  });
  if (it == items->end()) it = items->insert(items->end(), AclItem{grantee, grantor, {}});
  it->privileges.push_back({rows.Get(r, "privilege"), IsTrue(rows.Get(r, "grantable"))});
}

struct Extraction {
  Session& session;
  std::vector<std::optional<std::string>> params;  // {$1 = JSON array of schema names}
  Catalog catalog;
  OidMap type_by_oid;
  OidMap table_by_oid;
  OidMap routine_by_oid;
  OidMap view_by_oid;
  OidMap trigger_by_oid;
  OidMap rule_by_oid;

  Status Schemas(const std::vector<std::string>& names);
  Status Types();
  Status EnumLabels();
  Status DomainConstraints();
  Status TypeAttributes();
  Status TypeDependencies();
  Status Sequences();
  Status Tables();
  Status ForeignTables();
  void FinishTables();
  Status Columns();
  Status ForeignColumns();
  Status Constraints();
  Status Indexes();
  Status IndexStatistics();
  Status Policies();
  Status Statistics();
  Status TextSearch();
  Status Roles();
  Status RoleSettings();
  Status Memberships();
  Status Acls();
  Status DefaultAcls(const std::string& file, std::vector<DefaultAcl>* all);
  Status Routines();
  Status Views();
  Status MatviewProperties();
  Status Triggers();
  Status Rules();
  Status Dependencies();
  Status DependencyRows(const std::string& file, std::map<std::string, std::string>* extensions);
  Status ServerExtensions();
  Status NotMoved();
  Status ExternalObjects();
  void AddDependency(const std::string& catalog, const std::string& oid, const DependencyRef& ref);

  UserType* TypeFor(const Rows& rows, size_t r) {
    auto it = type_by_oid.find(rows.Get(r, "type_oid"));
    return it == type_by_oid.end() ? nullptr : &catalog.types[it->second];
  }
  Table* TableFor(const Rows& rows, size_t r) {
    auto it = table_by_oid.find(rows.Get(r, "table_oid"));
    return it == table_by_oid.end() ? nullptr : &catalog.tables[it->second];
  }
  // The object of `items` whose oid is `oid`, or null.
  template <typename T>
  static T* ByOid(const OidMap& map, std::vector<T>& items, const std::string& oid) {
    auto it = map.find(oid);
    return it == map.end() ? nullptr : &items[it->second];
  }
};

Status Extraction::Schemas(const std::vector<std::string>& names) {
  Result<Rows> rows = RunCatalogQuery(session, "schemas.sql", {});
  if (!rows.ok()) return rows.status();
  std::set<std::string> wanted(names.begin(), names.end());
  for (size_t r = 0; r < rows->size(); ++r) {
    catalog.all_schemas.insert(rows->Get(r, "name"));
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
             : kind == "r" ? UserType::Kind::kRange
                           : UserType::Kind::kComposite;
    t.owner = rows->Get(r, "owner");
    t.comment = rows->Get(r, "comment");
    t.base_type = rows->Get(r, "base_type");
    t.domain_default = rows->Get(r, "domain_default");
    t.domain_not_null = IsTrue(rows->Get(r, "not_null"));
    t.collation = rows->Get(r, "collation");
    if (t.kind == UserType::Kind::kRange) {
      t.base_type = rows->Get(r, "range_subtype");
      t.range_opclass = rows->Get(r, "range_opclass");
      t.collation = rows->Get(r, "range_collation");
      t.range_subdiff = rows->Get(r, "range_subdiff");
      t.range_multirange = rows->Get(r, "range_multirange");
    }
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
      t->domain_checks.push_back(
          {rows->Get(r, "name"), rows->Get(r, "definition"), rows->Get(r, "comment")});
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
    t.row_security = IsTrue(rows->Get(r, "row_security"));
    t.force_row_security = IsTrue(rows->Get(r, "force_row_security"));
    t.partition_key = rows->Get(r, "partition_key");
    t.partition_parent = OptName(*rows, r, "parent_schema", "parent_name");
    t.partition_bound = rows->Get(r, "partition_bound");
    t.inherits = Parents(*rows, r);
    t.storage_parameters = TextArray(*rows, r, "storage_parameters");
    t.access_method = rows->Get(r, "access_method");
    t.cluster_index = rows->Get(r, "cluster_index");
    t.estimated_rows = ToInt(rows->Get(r, "estimated_rows"));
    t.estimated_bytes = ToInt(rows->Get(r, "estimated_bytes"));
    table_by_oid[rows->Get(r, "oid")] = catalog.tables.size();
    catalog.tables.push_back(std::move(t));
  }
  return Status::Ok();
}

// One row of columns.sql or foreign_columns.sql.
Column ColumnRow(const Rows& rows, size_t r) {
  Column c;
  c.name = rows.Get(r, "name");
  c.type = rows.Get(r, "type");
  c.not_null = IsTrue(rows.Get(r, "not_null"));
  c.default_expr = rows.Get(r, "default_expr");
  c.generated_expr = rows.Get(r, "generated_expr");
  c.identity = FirstChar(rows.Get(r, "identity"), '\0');
  c.collation = rows.Get(r, "collation");
  c.comment = rows.Get(r, "comment");
  c.binary_safe = IsTrue(rows.Get(r, "binary_safe"));
  c.inherited = IsTrue(rows.Get(r, "inherited"));
  c.parent_default = IsTrue(rows.Get(r, "parent_default"));
  c.parent_not_null = IsTrue(rows.Get(r, "parent_not_null"));
  c.storage = FirstChar(rows.Get(r, "storage"), '\0');
  c.compression = FirstChar(rows.Get(r, "compression"), '\0');
  if (!rows.IsNull(r, "statistics"))
    c.statistics = static_cast<int>(ToInt(rows.Get(r, "statistics")));
  c.options = TextArray(rows, r, "options");
  if (c.identity != '\0') {
    c.identity_sequence = rows.Get(r, "identity_sequence");
    c.identity_options = SeqOptions(rows, r, "seq");
    c.identity_state =
        SeqState(rows, r, "seq_last_value", "seq_is_called", c.identity_options.start);
  }
  return c;
}

// Foreign tables are Tables with a server (model/table.h), appended after the others.
Status Extraction::ForeignTables() {
  Result<Rows> rows = RunCatalogQuery(session, "foreign_tables.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table t;
    t.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    t.owner = rows->Get(r, "owner");
    t.comment = rows->Get(r, "comment");
    t.foreign_server = rows->Get(r, "server");
    t.foreign_options = TextArray(*rows, r, "options");
    t.partition_parent = OptName(*rows, r, "parent_schema", "parent_name");
    t.partition_bound = rows->Get(r, "partition_bound");
    t.inherits = Parents(*rows, r);
    table_by_oid[rows->Get(r, "oid")] = catalog.tables.size();
    catalog.tables.push_back(std::move(t));
  }
  return Status::Ok();
}

Status Extraction::ForeignColumns() {
  Result<Rows> rows = RunCatalogQuery(session, "foreign_columns.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    if (t == nullptr) continue;
    t->columns.push_back(ColumnRow(*rows, r));
    t->columns.back().foreign_options = TextArray(*rows, r, "foreign_options");
  }
  return Status::Ok();
}

// Marks the tables some other table (or foreign table) INHERITS from. Foreign tables follow the
// others in catalog.tables: the planner orders tables by their parents, never by position.
void Extraction::FinishTables() {
  std::set<QualifiedName> parents;
  for (const Table& child : catalog.tables)
    parents.insert(child.inherits.begin(), child.inherits.end());
  for (Table& t : catalog.tables) t.has_inheritance_children = parents.count(t.name) > 0;
}

Status Extraction::Columns() {
  Result<Rows> rows = RunCatalogQuery(session, "columns.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (Table* t = TableFor(*rows, r)) t->columns.push_back(ColumnRow(*rows, r));
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
    Index index{rows->Get(r, "name"),
                rows->Get(r, "definition"),
                OptName(*rows, r, "parent_schema", "parent_name"),
                rows->Get(r, "comment"),
                {}};
    if (Table* t = TableFor(*rows, r)) {
      t->indexes.push_back(std::move(index));
    } else if (View* v = ByOid(view_by_oid, catalog.views, rows->Get(r, "table_oid"))) {
      v->indexes.push_back(std::move(index));
    }
  }
  return Status::Ok();
}

Status Extraction::IndexStatistics() {
  Result<Rows> rows = RunCatalogQuery(session, "index_statistics.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    std::vector<Index>* indexes = nullptr;
    if (Table* t = TableFor(*rows, r)) {
      indexes = &t->indexes;
    } else if (View* v = ByOid(view_by_oid, catalog.views, rows->Get(r, "table_oid"))) {
      indexes = &v->indexes;
    }
    const std::string& name = rows->Get(r, "name");
    auto it = indexes == nullptr ? std::vector<Index>::iterator{}
                                 : std::find_if(indexes->begin(), indexes->end(),
                                                [&](const Index& i) { return i.name == name; });
    if (indexes == nullptr || it == indexes->end()) continue;
    it->column_statistics.emplace_back(static_cast<int>(ToInt(rows->Get(r, "column_number"))),
                                       static_cast<int>(ToInt(rows->Get(r, "statistics"))));
  }
  return Status::Ok();
}

Status Extraction::Policies() {
  Result<Rows> rows = RunCatalogQuery(session, "policies.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    if (t == nullptr) continue;
    Policy p;
    p.name = rows->Get(r, "name");
    p.command = PolicyCommand(rows->Get(r, "command"));
    p.permissive = IsTrue(rows->Get(r, "permissive"));
    for (const auto& role : nlohmann::json::parse(rows->Get(r, "roles"))) {
      p.roles.push_back(role.is_null() ? "" : role.get<std::string>());
    }
    p.using_expr = rows->Get(r, "using_expr");
    p.check_expr = rows->Get(r, "check_expr");
    p.comment = rows->Get(r, "comment");
    t->policies.push_back(std::move(p));
  }
  return Status::Ok();
}

Status Extraction::Statistics() {
  Result<Rows> rows = RunCatalogQuery(session, "statistics.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Table* t = TableFor(*rows, r);
    View* v = ByOid(view_by_oid, catalog.views, rows->Get(r, "table_oid"));
    if (t == nullptr && v == nullptr) continue;
    ExtendedStatistics s;
    s.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    s.owner = rows->Get(r, "owner");
    s.definition = rows->Get(r, "definition");
    if (!rows->IsNull(r, "statistics")) {
      s.statistics = static_cast<int>(ToInt(rows->Get(r, "statistics")));
    }
    s.comment = rows->Get(r, "comment");
    (t != nullptr ? t->statistics : v->statistics).push_back(std::move(s));
  }
  return Status::Ok();
}

Status Extraction::TextSearch() {
  Result<Rows> rows = RunCatalogQuery(session, "text_search.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    QualifiedName name{rows->Get(r, "schema"), rows->Get(r, "name")};
    QualifiedName source{rows->Get(r, "source_schema"), rows->Get(r, "source_name")};
    if (rows->Get(r, "kind") == "dictionary") {
      catalog.ts_dictionaries.push_back(
          {name, rows->Get(r, "owner"), source, rows->Get(r, "options"), rows->Get(r, "comment")});
      continue;
    }
    TextSearchConfiguration c{name, rows->Get(r, "owner"), source, {}, rows->Get(r, "comment")};
    if (!rows->IsNull(r, "mappings")) {
      for (const auto& m : nlohmann::json::parse(rows->Get(r, "mappings"))) {
        std::string token = m.at("token").get<std::string>();
        if (c.mappings.empty() || c.mappings.back().token != token)
          c.mappings.push_back({token, {}});
        c.mappings.back().dictionaries.push_back(
            {m.at("schema").get<std::string>(), m.at("name").get<std::string>()});
      }
    }
    catalog.ts_configurations.push_back(std::move(c));
  }
  return Status::Ok();
}

Status Extraction::Roles() {
  Result<Rows> rows = RunCatalogQuery(session, "roles.sql", {});
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Role role;
    role.name = rows->Get(r, "name");
    role.superuser = IsTrue(rows->Get(r, "superuser"));
    role.inherit = IsTrue(rows->Get(r, "inherit"));
    role.create_role = IsTrue(rows->Get(r, "create_role"));
    role.create_db = IsTrue(rows->Get(r, "create_db"));
    role.can_login = IsTrue(rows->Get(r, "can_login"));
    role.replication = IsTrue(rows->Get(r, "replication"));
    role.bypass_rls = IsTrue(rows->Get(r, "bypass_rls"));
    role.connection_limit = static_cast<int>(ToInt(rows->Get(r, "connection_limit")));
    role.valid_until = rows->Get(r, "valid_until");
    role.comment = rows->Get(r, "comment");
    catalog.roles.push_back(std::move(role));
  }
  return Status::Ok();
}

Status Extraction::RoleSettings() {
  Result<Rows> rows = RunCatalogQuery(session, "role_settings.sql", {});
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& setting = rows->Get(r, "setting");
    size_t eq = setting.find('=');
    auto role = std::find_if(catalog.roles.begin(), catalog.roles.end(),
                             [&](const Role& x) { return x.name == rows->Get(r, "role"); });
    if (role == catalog.roles.end() || eq == std::string::npos) continue;
    role->settings.push_back(
        {IsTrue(rows->Get(r, "in_database")), setting.substr(0, eq), setting.substr(eq + 1)});
  }
  return Status::Ok();
}

Status Extraction::Memberships() {
  Result<Rows> rows = RunCatalogQuery(session, "memberships.sql", {});
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    catalog.memberships.push_back({rows->Get(r, "role"), rows->Get(r, "member"),
                                   rows->Get(r, "grantor"), IsTrue(rows->Get(r, "admin_option"))});
  }
  return Status::Ok();
}

Status Extraction::Acls() {
  Result<Rows> rows = RunCatalogQuery(session, "acls.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    ObjectRef object = AclObject(*rows, r);
    if (catalog.acls.empty() || catalog.acls.back().object != object) {
      catalog.acls.push_back({object, rows->Get(r, "owner"), {}});
    }
    if (rows->IsNull(r, "grantor")) continue;  // every privilege revoked
    AddPrivilege(*rows, r, rows->Get(r, "grantor"), &catalog.acls.back().items);
  }
  return Status::Ok();
}

// Reads default_acls.sql, or global_default_acls.sql (whose rules have no schema and which takes
// no parameter), into `all`.
Status Extraction::DefaultAcls(const std::string& file, std::vector<DefaultAcl>* all) {
  bool global = file == "global_default_acls.sql";
  Result<Rows> rows = RunCatalogQuery(session, file, global ? decltype(params){} : params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    DefaultAcl rule{
        rows->Get(r, "role"), rows->Get(r, "schema"), DefaultAclOn(rows->Get(r, "objtype")), {}};
    if (all->empty() || all->back().role != rule.role || all->back().schema != rule.schema ||
        all->back().on != rule.on) {
      all->push_back(std::move(rule));
    }
    if (rows->IsNull(r, "privilege")) continue;
    AddPrivilege(*rows, r, all->back().role, &all->back().items);
  }
  return Status::Ok();
}

std::optional<std::string> OptText(const Rows& rows, size_t r, const char* col) {
  if (rows.IsNull(r, col)) return std::nullopt;
  return rows.Get(r, col);
}

Routine::Kind RoutineKind(const std::string& code) {
  if (code == "p") return Routine::Kind::kProcedure;
  if (code == "a") return Routine::Kind::kAggregate;
  return Routine::Kind::kFunction;  // 'f' and 'w' (window)
}

AggregateSpec Aggregate(const Rows& rows, size_t r) {
  AggregateSpec a;
  a.kind = FirstChar(rows.Get(r, "agg_kind"), 'n');
  a.arguments = rows.Get(r, "agg_arguments");
  a.sfunc = rows.Get(r, "agg_sfunc");
  a.stype = rows.Get(r, "agg_stype");
  a.sspace = ToInt(rows.Get(r, "agg_sspace"));
  a.finalfunc = rows.Get(r, "agg_finalfunc");
  a.finalfunc_extra = IsTrue(rows.Get(r, "agg_finalfunc_extra"));
  a.finalfunc_modify = FirstChar(rows.Get(r, "agg_finalfunc_modify"), 'r');
  a.combinefunc = rows.Get(r, "agg_combinefunc");
  a.serialfunc = rows.Get(r, "agg_serialfunc");
  a.deserialfunc = rows.Get(r, "agg_deserialfunc");
  a.initcond = OptText(rows, r, "agg_initcond");
  a.msfunc = rows.Get(r, "agg_msfunc");
  a.minvfunc = rows.Get(r, "agg_minvfunc");
  a.mstype = rows.Get(r, "agg_mstype");
  a.msspace = ToInt(rows.Get(r, "agg_msspace"));
  a.mfinalfunc = rows.Get(r, "agg_mfinalfunc");
  a.mfinalfunc_extra = IsTrue(rows.Get(r, "agg_mfinalfunc_extra"));
  a.mfinalfunc_modify = FirstChar(rows.Get(r, "agg_mfinalfunc_modify"), 'r');
  a.minitcond = OptText(rows, r, "agg_minitcond");
  a.sortop = rows.Get(r, "agg_sortop");
  a.parallel = FirstChar(rows.Get(r, "parallel"), 'u');
  return a;
}

Status Extraction::Routines() {
  Result<Rows> rows = RunCatalogQuery(session, "routines.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Routine f;
    f.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    f.identity_args = rows->Get(r, "identity_args");
    f.kind = RoutineKind(rows->Get(r, "kind"));
    f.owner = rows->Get(r, "owner");
    f.comment = rows->Get(r, "comment");
    f.language = rows->Get(r, "language");
    f.definition = rows->Get(r, "definition");
    if (f.kind == Routine::Kind::kAggregate) f.aggregate = Aggregate(*rows, r);
    routine_by_oid[rows->Get(r, "oid")] = catalog.routines.size();
    catalog.routines.push_back(std::move(f));
  }
  return Status::Ok();
}

// Reads the views.sql "options" JSON ([[name, value], ...]) into `v`.
void ViewOptions(const std::string& json, View* v) {
  if (json.empty()) return;
  for (const auto& pair : nlohmann::json::parse(json)) {
    std::string name = pair.at(0).get<std::string>(), value = pair.at(1).get<std::string>();
    if (name == "check_option") {
      v->check_option = value;
    } else {
      v->options.emplace_back(std::move(name), std::move(value));
    }
  }
}

std::string JsonText(const nlohmann::json& object, const char* key) {
  const auto& v = object.at(key);
  return v.is_null() ? "" : v.get<std::string>();
}

std::vector<ViewColumn> ViewColumns(const std::string& json) {
  std::vector<ViewColumn> out;
  if (json.empty()) return out;
  for (const auto& c : nlohmann::json::parse(json)) {
    ViewColumn column;
    column.name = JsonText(c, "name");
    column.comment = JsonText(c, "comment");
    column.default_expr = JsonText(c, "default");
    out.push_back(std::move(column));
  }
  return out;
}

Status Extraction::Views() {
  Result<Rows> rows = RunCatalogQuery(session, "views.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    View v;
    v.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    v.materialized = rows->Get(r, "kind") == "m";
    v.owner = rows->Get(r, "owner");
    v.comment = rows->Get(r, "comment");
    v.definition = rows->Get(r, "definition");
    v.populated = IsTrue(rows->Get(r, "populated"));
    ViewOptions(rows->Get(r, "options"), &v);
    v.columns = ViewColumns(rows->Get(r, "columns"));
    view_by_oid[rows->Get(r, "oid")] = catalog.views.size();
    catalog.views.push_back(std::move(v));
  }
  return Status::Ok();
}

// Reads one matview_properties.sql column ({name, storage, compression, statistics, options})
// into the view's column of that name.
void MatviewColumn(const nlohmann::json& c, View* v) {
  std::string name = JsonText(c, "name");
  auto it = std::find_if(v->columns.begin(), v->columns.end(),
                         [&](const ViewColumn& x) { return x.name == name; });
  if (it == v->columns.end()) return;
  it->storage = FirstChar(JsonText(c, "storage"), '\0');
  it->compression = FirstChar(JsonText(c, "compression"), '\0');
  if (!c.at("statistics").is_null()) it->statistics = c.at("statistics").get<int>();
  if (!c.at("options").is_null()) it->options = c.at("options").get<std::vector<std::string>>();
}

Status Extraction::MatviewProperties() {
  Result<Rows> rows = RunCatalogQuery(session, "matview_properties.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    View* v = ByOid(view_by_oid, catalog.views, rows->Get(r, "view_oid"));
    if (v == nullptr) continue;
    v->access_method = rows->Get(r, "access_method");
    v->cluster_index = rows->Get(r, "cluster_index");
    if (rows->IsNull(r, "columns")) continue;
    for (const auto& c : nlohmann::json::parse(rows->Get(r, "columns"))) MatviewColumn(c, v);
  }
  return Status::Ok();
}

Status Extraction::Triggers() {
  Result<Rows> rows = RunCatalogQuery(session, "triggers.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Trigger t;
    t.relation = {rows->Get(r, "schema"), rows->Get(r, "relation")};
    t.name = rows->Get(r, "name");
    t.definition = rows->Get(r, "definition");
    t.enabled = FirstChar(rows->Get(r, "enabled"), 'O');
    t.comment = rows->Get(r, "comment");
    t.clone = IsTrue(rows->Get(r, "clone"));
    trigger_by_oid[rows->Get(r, "oid")] = catalog.triggers.size();
    catalog.triggers.push_back(std::move(t));
  }
  return Status::Ok();
}

Status Extraction::Rules() {
  Result<Rows> rows = RunCatalogQuery(session, "rules.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Rule rule;
    rule.relation = {rows->Get(r, "schema"), rows->Get(r, "relation")};
    rule.name = rows->Get(r, "name");
    rule.definition = rows->Get(r, "definition");
    rule.enabled = FirstChar(rows->Get(r, "enabled"), 'O');
    rule.comment = rows->Get(r, "comment");
    rule_by_oid[rows->Get(r, "oid")] = catalog.rules.size();
    catalog.rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

std::optional<DependencyKind> RefKind(const std::string& kind) {
  if (kind == "table") return DependencyKind::kTable;
  if (kind == "view") return DependencyKind::kView;
  if (kind == "matview") return DependencyKind::kMaterializedView;
  if (kind == "routine") return DependencyKind::kRoutine;
  if (kind == "type") return DependencyKind::kType;
  return std::nullopt;
}

// Records that the object (`catalog`, `oid`) of dependencies.sql needs `ref` first.
void Extraction::AddDependency(const std::string& cat, const std::string& oid,
                               const DependencyRef& ref) {
  bool routine = ref.kind == DependencyKind::kRoutine;
  if (cat == "pg_class") {
    if (Table* t = ByOid(table_by_oid, catalog.tables, oid); t != nullptr) {
      if (routine) t->routines.push_back(ref);
      if (ref.kind == DependencyKind::kType) t->types.push_back(ref.name);
    } else if (View* v = ByOid(view_by_oid, catalog.views, oid)) {
      v->depends_on.push_back(ref);
    }
  } else if (cat == "pg_proc") {
    if (Routine* f = ByOid(routine_by_oid, catalog.routines, oid)) f->depends_on.push_back(ref);
  } else if (cat == "pg_type") {
    if (UserType* t = ByOid(type_by_oid, catalog.types, oid); t != nullptr && routine) {
      t->routines.push_back(ref);
    }
  } else if (cat == "pg_trigger") {
    if (Trigger* t = ByOid(trigger_by_oid, catalog.triggers, oid)) t->depends_on.push_back(ref);
  } else if (cat == "pg_rewrite") {
    if (Rule* r = ByOid(rule_by_oid, catalog.rules, oid)) r->depends_on.push_back(ref);
  }
}

// Adds the rows of dependencies.sql or a query of its shape; extensions collects those rows'
// extensions (name -> schema).
Status Extraction::DependencyRows(const std::string& file,
                                  std::map<std::string, std::string>* extensions) {
  Result<Rows> rows = RunCatalogQuery(session, file, params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& kind = rows->Get(r, "ref_kind");
    if (kind == "extension") {
      (*extensions)[rows->Get(r, "ref_name")] = rows->Get(r, "ref_schema");
      continue;
    }
    std::optional<DependencyKind> k = RefKind(kind);
    if (!k) continue;
    DependencyRef ref{
        *k, {rows->Get(r, "ref_schema"), rows->Get(r, "ref_name")}, rows->Get(r, "ref_args")};
    AddDependency(rows->Get(r, "dependent_catalog"), rows->Get(r, "dependent_oid"), ref);
  }
  return Status::Ok();
}

Status Extraction::Dependencies() {
  std::map<std::string, std::string> extensions;  // name -> schema
  Status s = DependencyRows("dependencies.sql", &extensions);
  if (s.ok()) s = DependencyRows("foreign_dependencies.sql", &extensions);
  if (!s.ok()) return s;
  Result<Rows> rows = RunCatalogQuery(session, "tenant_extensions.sql", params);
  if (!rows.ok()) return rows.status();
  std::map<std::string, std::string> versions;  // name -> version, of those in tenant schemas
  for (size_t r = 0; r < rows->size(); ++r) {
    extensions[rows->Get(r, "name")] = rows->Get(r, "schema");
    versions[rows->Get(r, "name")] = rows->Get(r, "version");
  }
  for (const auto& [name, schema] : extensions) {
    catalog.extensions.push_back({name, schema, versions[name]});
  }
  return Status::Ok();
}

Status Extraction::NotMoved() {
  Result<Rows> rows = RunCatalogQuery(session, "not_moved.sql", params);
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    catalog.not_moved.push_back({rows->Get(r, "kind"), rows->Get(r, "name")});
  }
  return Status::Ok();
}

std::vector<ExternalObject> ExternalObjectRows(const Rows& rows) {
  std::vector<ExternalObject> out;
  for (size_t r = 0; r < rows.size(); ++r) {
    out.push_back(
        {rows.Get(r, "kind"), rows.Get(r, "schema"), rows.Get(r, "name"), rows.Get(r, "used_by")});
  }
  return out;
}

Status Extraction::ExternalObjects() {
  Result<Rows> rows = RunCatalogQuery(session, "external_objects.sql", params);
  if (!rows.ok()) return rows.status();
  catalog.external_objects = ExternalObjectRows(*rows);
  return Status::Ok();
}

Status Extraction::ServerExtensions() {
  Result<Rows> rows = RunCatalogQuery(session, "server_extensions.sql", {});
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    catalog.server_extensions[rows->Get(r, "name")] = {IsTrue(rows->Get(r, "available")),
                                                       rows->Get(r, "schema")};
  }
  return Status::Ok();
}

}  // namespace

static Result<Catalog> ExtractPostgresRows(Session& session, const ServerInfo& info,
                                           const std::vector<std::string>& schemas);

Result<ServerInfo> DetectPostgres(Session& session, const std::string& version) {
  Result<Rows> rows = RunCatalogQuery(session, "server.sql", {});
  if (!rows.ok()) return rows.status();
  ServerInfo info;
  info.version = version;
  info.version_num = static_cast<int>(ToInt(rows->Get(0, "version_num")));
  info.current_user = rows->Get(0, "current_user");
  info.database = rows->Get(0, "database");
  info.superuser = IsTrue(rows->Get(0, "superuser"));
  info.can_read_passwords = IsTrue(rows->Get(0, "can_read_passwords"));
  info.dialect = Dialect::kPostgres;
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

Result<std::vector<ExternalObject>> MissingExternalObjects(
    Session& session, const std::vector<ExternalObject>& wanted) {
  if (wanted.empty()) return std::vector<ExternalObject>{};
  nlohmann::json list = nlohmann::json::array();
  for (const ExternalObject& o : wanted) {
    list.push_back({{"kind", o.kind},
                    {"schema", o.schema.empty() ? nlohmann::json() : nlohmann::json(o.schema)},
                    {"name", o.name},
                    {"used_by", o.used_by}});
  }
  Result<Rows> rows = RunCatalogQuery(session, "external_missing.sql", {list.dump()});
  if (!rows.ok()) return rows.status().WithContext("checking the target for what the tenant uses");
  return ExternalObjectRows(*rows);
}

Result<Catalog> ExtractPostgres(Session& session, const std::vector<std::string>& schemas) {
  Result<ServerInfo> info = DetectServer(session);
  if (!info.ok()) return info.status();
  return ExtractPostgres(session, *info, schemas);
}

Result<Catalog> ExtractPostgres(Session& session, const ServerInfo& info,
                                const std::vector<std::string>& schemas) {
  // Numbers are parsed with std::stoll, which throws on values it cannot hold; no exception
  // leaves this module.
  try {
    return ExtractPostgresRows(session, info, schemas);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected value in the catalog: ") + e.what());
  }
}

Result<std::map<std::string, Secret>> ReadPasswordVerifiers(Session& session,
                                                            const std::vector<std::string>& roles) {
  Result<Rows> rows =
      RunCatalogQuery(session, "role_passwords.sql", {nlohmann::json(roles).dump()});
  if (!rows.ok()) return rows.status();
  std::map<std::string, Secret> out;
  for (size_t r = 0; r < rows->size(); ++r) {
    out.emplace(rows->Get(r, "name"), Secret(rows->Get(r, "verifier")));
  }
  return out;
}

static Result<Catalog> ExtractPostgresRows(Session& session, const ServerInfo& info,
                                           const std::vector<std::string>& schemas) {
  Extraction x{session, {nlohmann::json(schemas).dump()}, {}, {}, {}, {}, {}, {}, {}};
  x.catalog.server = info;
  Status s = x.Schemas(schemas);
  if (s.ok()) s = x.Roles();
  if (s.ok()) s = x.Types();
  if (s.ok()) s = x.EnumLabels();
  if (s.ok()) s = x.DomainConstraints();
  if (s.ok()) s = x.TypeAttributes();
  if (s.ok()) s = x.TypeDependencies();
  if (s.ok()) s = x.Sequences();
  if (s.ok()) s = x.Tables();
  if (s.ok()) s = x.ForeignTables();
  if (s.ok()) x.FinishTables();
  if (s.ok()) s = x.Columns();
  if (s.ok()) s = x.ForeignColumns();
  if (s.ok()) s = x.Constraints();
  if (s.ok()) s = x.Routines();
  if (s.ok()) s = x.Views();
  if (s.ok()) s = x.MatviewProperties();
  if (s.ok()) s = x.Indexes();  // of tables and materialized views
  if (s.ok()) s = x.IndexStatistics();
  if (s.ok()) s = x.Policies();
  if (s.ok()) s = x.Statistics();
  if (s.ok()) s = x.TextSearch();
  if (s.ok()) s = ExtractOperators(session, x.params, &x.catalog);
  if (s.ok()) s = x.RoleSettings();
  if (s.ok()) s = x.Memberships();
  if (s.ok()) s = x.Acls();
  if (s.ok()) s = x.DefaultAcls("default_acls.sql", &x.catalog.default_acls);
  if (s.ok()) s = x.DefaultAcls("global_default_acls.sql", &x.catalog.global_default_acls);
  if (s.ok()) s = x.Triggers();
  if (s.ok()) s = x.Rules();
  if (s.ok()) s = x.Dependencies();  // after every object it attaches to
  if (s.ok()) s = x.ServerExtensions();
  if (s.ok()) s = x.NotMoved();
  if (s.ok()) s = x.ExternalObjects();
  if (!s.ok()) return s;
  return std::move(x.catalog);
}

}  // namespace tenantshift
