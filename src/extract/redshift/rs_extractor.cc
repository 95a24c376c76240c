// Maps the rows of the Redshift catalog queries (sql/*.sql) onto the catalog model. The
// queries return every non-system object; the tenant is picked here, so each query stays a
// plain statement that can be pasted into a Redshift query editor.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "ddl/quote.h"
#include "extract/extractor.h"
#include "extract/redshift/rs_catalog_text.h"
#include "extract/redshift/rs_unmoved.h"

namespace tenantshift {
namespace {

// Booleans as the server prints them; the SVV views' samples also print True/False.
bool IsTrue(const std::string& v) { return v == "t" || v == "true" || v == "True"; }
// A char(1) flag: SVV_MV_INFO documents autorefresh as "t", but its sample output prints 1 and 0
// (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_MV_INFO.html), so both mean true.
bool IsFlag(const std::string& v) { return IsTrue(v) || v == "1"; }
int64_t ToInt(const std::string& v) { return v.empty() ? 0 : std::stoll(v); }
bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The query file for `name` on `dialect`: Serverless refuses the STV/SVL views some of them
// read ("System monitoring (provisioned only)":
// https://docs.aws.amazon.com/redshift/latest/dg/c_intro_system_views.html), and has SVV
// replacements for those. rs_serverless_queries_test.cc checks every query Serverless runs.
std::string QueryFile(Dialect dialect, const std::string& name) {
  static const std::set<std::string> kProvisionedOnly = {"user_info", "mv_info", "mv_dependencies"};
  bool serverless = dialect == Dialect::kRedshiftServerless && kProvisionedOnly.count(name) > 0;
  return "redshift/" + name + (serverless ? "_serverless" : "") + ".sql";
}

// rdsdb, users created at IAM login, and internal pseudo-users are not the tenant's.
bool IsSystemUser(const std::string& name, const std::string& sysid) {
  return sysid == "1" || name == "rdsdb" || StartsWith(name, "IAM:") || StartsWith(name, "IAMR:") ||
         (name.size() > 11 && name.compare(name.size() - 11, 11, "_pseudouser") == 0);
}
bool IsSystemRole(const std::string& name) { return StartsWith(name, "sys:"); }

// The materialized view whose backing table is `table` (mv_tbl__<view>__<n>), or "".
std::string BackedView(const std::string& table) {
  static const std::string kPrefix = "mv_tbl__";
  if (table.rfind(kPrefix, 0) != 0) return "";
  size_t end = table.rfind("__");
  if (end <= kPrefix.size()) return "";
  return table.substr(kPrefix.size(), end - kPrefix.size());
}

void AddRef(std::vector<DependencyRef>* refs, const DependencyRef& ref) {
  if (std::find(refs->begin(), refs->end(), ref) == refs->end()) refs->push_back(ref);
}

// pg_default_acl.defaclobjtype (r, f, p) or svv_default_privileges.object_type.
DefaultAcl::On DefaultAclOn(const std::string& objtype) {
  if (objtype == "f" || objtype == "FUNCTION") return DefaultAcl::On::kFunctions;
  if (objtype == "p" || objtype == "PROCEDURE") return DefaultAcl::On::kProcedures;
  return DefaultAcl::On::kTables;
}

// The item of `items` for `grantee` of `kind`, added (granted by `grantor`) when missing.
AclItem* ItemFor(std::vector<AclItem>* items, const std::string& grantee, GranteeKind kind,
                 const std::string& grantor) {
  auto it = std::find_if(items->begin(), items->end(), [&](const AclItem& i) {
    return i.grantee == grantee && i.grantee_kind == kind;
  });
  if (it == items->end()) it = items->insert(items->end(), {grantee, grantor, {}, kind});
  return &*it;
}

void AddPrivilege(AclItem* item, const Privilege& p) {
  auto same = [&](const Privilege& q) { return q.name == p.name; };
  if (std::none_of(item->privileges.begin(), item->privileges.end(), same)) {
    item->privileges.push_back(p);
  }
}

// What a table's layout is made of, gathered from several queries before it is decided.
struct TableLayout {
  std::string dist_style;            // pg_class.reldiststyle
  std::string effective_dist_style;  // pg_class_info.releffectivediststyle
  std::string info_diststyle;        // svv_table_info.diststyle ("" when it has no row)
  std::string info_sortkey1;
  std::string info_encoded;
  std::string distkey;                                // the column with attisdistkey
  std::vector<std::pair<int64_t, std::string>> sort;  // attsortkeyord, column
};

Distribution DistributionOf(const TableLayout& l) {
  // 9: AUTO (RU's mapping); 10, 11, 12: AUTO(ALL), AUTO(EVEN), AUTO(KEY) (pg_class_info).
  static const std::set<std::string> kAutoCodes = {"9", "10", "11", "12"};
  if (StartsWith(l.info_diststyle, "AUTO(") || kAutoCodes.count(l.dist_style) > 0 ||
      kAutoCodes.count(l.effective_dist_style) > 0) {
    return {Distribution::Style::kAuto, ""};
  }
  if (l.dist_style == "0") return {Distribution::Style::kEven, ""};
  if (l.dist_style == "1") return {Distribution::Style::kKey, l.distkey};
  if (l.dist_style == "8") return {Distribution::Style::kAll, ""};
  return {};
}

SortKey SortKeyOf(TableLayout l) {
  if (StartsWith(l.info_sortkey1, "AUTO(")) return {SortKey::Style::kAuto, {}};
  if (l.sort.empty()) return {};
  bool interleaved =
      std::any_of(l.sort.begin(), l.sort.end(), [](const auto& s) { return s.first < 0; });
  std::sort(l.sort.begin(), l.sort.end(),
            [](const auto& a, const auto& b) { return std::abs(a.first) < std::abs(b.first); });
  SortKey key{interleaved ? SortKey::Style::kInterleaved : SortKey::Style::kCompound, {}};
  for (const auto& s : l.sort) key.columns.push_back(s.second);
  return key;
}

Column ColumnOf(const Rows& rows, size_t r) {
  Column c;
  c.name = rows.Get(r, "name");
  c.type = rows.Get(r, "type");
  c.not_null = IsTrue(rows.Get(r, "not_null"));
  c.default_expr = rows.Get(r, "default_expr");
  c.comment = rows.Get(r, "comment");
  c.encoding = rows.Get(r, "encoding") == "none" ? "raw" : rows.Get(r, "encoding");
  c.binary_safe = false;  // Redshift has no COPY BINARY
  if (std::optional<IdentitySpec> id = ParseIdentityDefault(c.default_expr)) {
    c.identity = id->kind;
    c.identity_options.data_type = c.type;
    c.identity_options.start = id->seed;
    c.identity_options.increment = id->step;
    c.default_expr.clear();
  }
  return c;
}

struct RsExtraction {
  Session& session;
  Dialect dialect;
  std::set<std::string> wanted;
  Catalog catalog;
  std::map<std::string, std::string> user_by_sysid;  // non-system users only
  std::vector<Table> tables;                         // tenant tables incl. mv_tbl__ ones
  std::vector<TableLayout> layouts;                  // parallel to `tables`
  std::map<std::string, size_t> table_by_oid;
  std::map<std::string, size_t> view_by_oid;

  Result<Rows> Run(const std::string& name) {
    return RunEmbeddedQuery(session, QueryFile(dialect, name));
  }
  bool InTenant(const std::string& schema) const { return wanted.count(schema) > 0; }
  Role* FindRole(const std::string& name, Role::Kind kind) {
    auto it = std::find_if(catalog.roles.begin(), catalog.roles.end(),
                           [&](const Role& r) { return r.name == name && r.kind == kind; });
    return it == catalog.roles.end() ? nullptr : &*it;
  }
  View* FindView(const QualifiedName& name) {
    auto it = std::find_if(catalog.views.begin(), catalog.views.end(),
                           [&](const View& v) { return v.name == name; });
    return it == catalog.views.end() ? nullptr : &*it;
  }

  Status Users();
  Status UserInfo();
  Status Groups();
  Status Roles();
  Status RoleGrants();
  Status SystemPrivileges();
  Status Schemas();
  Status Tables();
  Status TableInfo();
  Status Views();
  Status Columns();
  Status Collations();
  Status Constraints();
  Status MvInfo();
  Status ViewDependencies();
  Status MvDependencies();
  void FinishLayouts();
  Status Routines();
  Status Acls();
  Status RolePrivileges();
  Status DefaultAcls();
  Status RoleDefaultPrivileges();
  bool TenantRule(const std::string& role, const std::string& schema,
                  const std::set<std::string>& principals);

  std::optional<ObjectKind> RelationKind(const QualifiedName& name) const;
  std::string OwnerOf(const ObjectRef& object) const;
  std::set<std::string> TenantPrincipals() const;
};

Status RsExtraction::Users() {
  Result<Rows> rows = Run("users");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Role u;
    u.name = rows->Get(r, "name");
    if (IsSystemUser(u.name, rows->Get(r, "sysid"))) continue;
    u.kind = Role::Kind::kUser;
    u.superuser = IsTrue(rows->Get(r, "superuser"));
    u.create_db = IsTrue(rows->Get(r, "create_db"));
    u.can_login = true;
    const std::string& limit = rows->Get(r, "connection_limit");
    u.connection_limit =
        limit.empty() || limit == "UNLIMITED" ? -1 : static_cast<int>(ToInt(limit));
    const std::string& until = rows->Get(r, "valid_until");
    u.valid_until = until == "infinity" ? "" : until;
    Result<std::vector<std::string>> config = ParseArrayText(rows->Get(r, "config"));
    if (!config.ok()) return config.status().WithContext("settings of user " + u.name);
    for (const std::string& setting : *config) {
      size_t eq = setting.find('=');
      if (eq != std::string::npos) {
        u.settings.push_back({false, setting.substr(0, eq), setting.substr(eq + 1)});
      }
    }
    user_by_sysid[rows->Get(r, "sysid")] = u.name;
    catalog.roles.push_back(std::move(u));
  }
  return Status::Ok();
}

Status RsExtraction::UserInfo() {
  Result<Rows> rows = Run("user_info");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (Role* u = FindRole(rows->Get(r, "name"), Role::Kind::kUser)) {
      u->syslog_access = rows->Get(r, "syslog_access");
      u->session_timeout = static_cast<int>(ToInt(rows->Get(r, "session_timeout")));
      u->external_id = rows->Get(r, "external_id");
    }
  }
  return Status::Ok();
}

Status RsExtraction::Groups() {
  Result<Rows> rows = Run("groups");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Role g;
    g.name = rows->Get(r, "name");
    if (StartsWith(g.name, "__")) continue;  // reserved for the system
    g.kind = Role::Kind::kGroup;
    Result<std::vector<std::string>> members = ParseArrayText(rows->Get(r, "members"));
    if (!members.ok()) return members.status().WithContext("members of group " + g.name);
    for (const std::string& sysid : *members) {
      auto user = user_by_sysid.find(sysid);
      if (user == user_by_sysid.end()) continue;  // a system user
      catalog.memberships.push_back(
          {g.name, user->second, "", false, Role::Kind::kGroup, Role::Kind::kUser});
    }
    catalog.roles.push_back(std::move(g));
  }
  return Status::Ok();
}

// Every role, the system-defined sys:* ones too: they exist on every Redshift and are granted
// like any role ("GRANT ROLE sys:dba TO user1", r_GRANT-examples.html; the five are listed at
// https://docs.aws.amazon.com/redshift/latest/dg/r_roles-default.html). The planner never
// creates them (plan/principals.h: IsSystemRole) but moves memberships in them. ds:* roles
// belong to datashares ("You can safely ignore them") and are left out.
Status RsExtraction::Roles() {
  Result<Rows> rows = Run("roles");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    Role role;
    role.name = rows->Get(r, "name");
    if (StartsWith(role.name, "ds:")) continue;
    role.kind = Role::Kind::kRole;
    role.external_id = rows->Get(r, "external_id");
    catalog.roles.push_back(std::move(role));
  }
  return Status::Ok();
}

Status RsExtraction::RoleGrants() {
  Result<Rows> to_roles = Run("role_grants");
  if (!to_roles.ok()) return to_roles.status();
  for (size_t r = 0; r < to_roles->size(); ++r) {
    const std::string& role = to_roles->Get(r, "role");
    const std::string& member = to_roles->Get(r, "member");
    if (FindRole(role, Role::Kind::kRole) && FindRole(member, Role::Kind::kRole)) {
      catalog.memberships.push_back(
          {role, member, "", false, Role::Kind::kRole, Role::Kind::kRole});
    }
  }
  Result<Rows> to_users = Run("user_grants");
  if (!to_users.ok()) return to_users.status();
  for (size_t r = 0; r < to_users->size(); ++r) {
    const std::string& role = to_users->Get(r, "role");
    const std::string& member = to_users->Get(r, "member");
    if (FindRole(role, Role::Kind::kRole) && FindRole(member, Role::Kind::kUser)) {
      catalog.memberships.push_back({role, member, "", IsTrue(to_users->Get(r, "admin_option")),
                                     Role::Kind::kRole, Role::Kind::kUser});
    }
  }
  return Status::Ok();
}

Status RsExtraction::SystemPrivileges() {
  Result<Rows> rows = Run("system_privileges");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (rows->Get(r, "identity_type") != "role") continue;
    if (Role* role = FindRole(rows->Get(r, "identity_name"), Role::Kind::kRole)) {
      role->system_privileges.push_back(rows->Get(r, "privilege"));
    }
  }
  for (Role& role : catalog.roles) {
    std::sort(role.system_privileges.begin(), role.system_privileges.end());
  }
  return Status::Ok();
}

Status RsExtraction::Schemas() {
  Result<Rows> rows = Run("schemas");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& name = rows->Get(r, "name");
    catalog.all_schemas.insert(name);
    if (!InTenant(name)) continue;
    if (IsTrue(rows->Get(r, "external"))) {
      catalog.unmoved.push_back(
          {"external schema " + name,
           "an external (Spectrum, federated or datashare) schema names an outside catalog and "
           "an IAM role; recreate it with CREATE EXTERNAL SCHEMA on the target "
           "(https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html)",
           "", false});
      continue;
    }
    catalog.schemas.push_back({name, rows->Get(r, "owner"), rows->Get(r, "comment")});
  }
  Result<Rows> quotas = Run("schema_quotas");
  if (!quotas.ok()) return quotas.status();
  for (size_t r = 0; r < quotas->size(); ++r) {
    for (Schema& s : catalog.schemas) {
      if (s.name == quotas->Get(r, "schema") && !quotas->IsNull(r, "quota_mb")) {
        s.quota_mb = ToInt(quotas->Get(r, "quota_mb"));
      }
    }
  }
  return Status::Ok();
}

Status RsExtraction::Tables() {
  Result<Rows> rows = Run("tables");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema"))) continue;
    Table t;
    t.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    t.owner = rows->Get(r, "owner");
    t.comment = rows->Get(r, "comment");
    t.backup = IsTrue(rows->Get(r, "backup"));
    TableLayout layout;
    layout.dist_style = rows->Get(r, "dist_style");
    layout.effective_dist_style = rows->Get(r, "effective_dist_style");
    table_by_oid[rows->Get(r, "oid")] = tables.size();
    tables.push_back(std::move(t));
    layouts.push_back(std::move(layout));
  }
  return Status::Ok();
}

Status RsExtraction::TableInfo() {
  Result<Rows> rows = Run("table_info");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    auto it = table_by_oid.find(rows->Get(r, "oid"));
    if (it == table_by_oid.end()) continue;
    TableLayout& l = layouts[it->second];
    l.info_diststyle = rows->Get(r, "diststyle");
    l.info_sortkey1 = rows->Get(r, "sortkey1");
    l.info_encoded = rows->Get(r, "encoded");
    tables[it->second].estimated_rows = ToInt(rows->Get(r, "estimated_rows"));
    tables[it->second].estimated_bytes = ToInt(rows->Get(r, "size_mb")) * 1024 * 1024;
  }
  return Status::Ok();
}

Status RsExtraction::Views() {
  Result<Rows> rows = Run("views");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema"))) continue;
    View v;
    v.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    v.owner = rows->Get(r, "owner");
    v.comment = rows->Get(r, "comment");
    ViewText text = SplitViewDefinition(rows->Get(r, "definition"));
    v.definition = std::move(text.query);
    v.column_list = std::move(text.column_list);
    v.materialized = text.materialized;
    // Only a late-binding view has no columns in pg_attribute (RU's test: relnatts = 0).
    v.late_binding =
        text.late_binding || (!text.materialized && rows->Get(r, "column_count") == "0");
    view_by_oid[rows->Get(r, "oid")] = catalog.views.size();
    catalog.views.push_back(std::move(v));
  }
  return Status::Ok();
}

Status RsExtraction::Columns() {
  Result<Rows> rows = Run("columns");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& oid = rows->Get(r, "relation_oid");
    if (auto v = view_by_oid.find(oid); v != view_by_oid.end()) {
      catalog.views[v->second].columns.push_back(
          {rows->Get(r, "name"), rows->Get(r, "comment"), ""});
      continue;
    }
    auto t = table_by_oid.find(oid);
    if (t == table_by_oid.end()) continue;
    Column c = ColumnOf(*rows, r);
    TableLayout& l = layouts[t->second];
    if (IsTrue(rows->Get(r, "distkey"))) l.distkey = c.name;
    if (int64_t pos = ToInt(rows->Get(r, "sortkey_position")); pos != 0) {
      l.sort.emplace_back(pos, c.name);
    }
    tables[t->second].columns.push_back(std::move(c));
  }
  return Status::Ok();
}

Status RsExtraction::Collations() {
  Result<Rows> rows = Run("column_collations");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    QualifiedName table{rows->Get(r, "schema"), rows->Get(r, "name")};
    for (Table& t : tables) {
      if (t.name != table) continue;
      for (Column& c : t.columns) {
        if (c.name == rows->Get(r, "column_name")) c.collation = rows->Get(r, "collation");
      }
    }
  }
  return Status::Ok();
}

Constraint::Kind ConstraintKind(const std::string& code) {
  if (code == "p") return Constraint::Kind::kPrimaryKey;
  if (code == "u") return Constraint::Kind::kUnique;
  return Constraint::Kind::kForeignKey;
}

Status RsExtraction::Constraints() {
  Result<Rows> rows = Run("constraints");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    auto t = table_by_oid.find(rows->Get(r, "table_oid"));
    if (t == table_by_oid.end()) continue;
    Constraint c;
    c.name = rows->Get(r, "name");
    c.kind = ConstraintKind(rows->Get(r, "kind"));
    c.definition = rows->Get(r, "definition");
    if (!rows->IsNull(r, "ref_table")) {
      c.references = QualifiedName{rows->Get(r, "ref_schema"), rows->Get(r, "ref_table")};
    }
    tables[t->second].constraints.push_back(std::move(c));
  }
  return Status::Ok();
}

Status RsExtraction::MvInfo() {
  Result<Rows> rows = Run("mv_info");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (View* v = FindView({rows->Get(r, "schema"), rows->Get(r, "name")})) {
      v->materialized = true;
      v->auto_refresh = IsFlag(rows->Get(r, "auto_refresh"));
    }
  }
  return Status::Ok();
}

Status RsExtraction::ViewDependencies() {
  Result<Rows> rows = Run("view_dependencies");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    auto it = view_by_oid.find(rows->Get(r, "view_oid"));
    if (it == view_by_oid.end()) continue;
    View& v = catalog.views[it->second];
    QualifiedName ref{rows->Get(r, "ref_schema"), rows->Get(r, "ref_name")};
    DependencyKind kind = DependencyKind::kTable;
    if (std::string mv = BackedView(ref.name); !mv.empty()) {
      ref.name = mv;
      kind = DependencyKind::kMaterializedView;
    } else if (rows->Get(r, "ref_kind") == "v") {
      View* target = FindView(ref);
      kind = target != nullptr && target->materialized ? DependencyKind::kMaterializedView
                                                       : DependencyKind::kView;
    }
    if (ref != v.name) AddRef(&v.depends_on, {kind, ref, ""});
  }
  return Status::Ok();
}

Status RsExtraction::MvDependencies() {
  Result<Rows> rows = Run("mv_dependencies");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (View* v = FindView({rows->Get(r, "schema"), rows->Get(r, "name")})) {
      AddRef(&v->depends_on, {DependencyKind::kMaterializedView,
                              {rows->Get(r, "ref_schema"), rows->Get(r, "ref_name")},
                              ""});
    }
  }
  return Status::Ok();
}

// Decides every table's layout, hands the mv_tbl__ tables' layouts to their materialized
// views, and keeps the other tables.
void RsExtraction::FinishLayouts() {
  for (size_t i = 0; i < tables.size(); ++i) {
    Table& t = tables[i];
    const TableLayout& l = layouts[i];
    t.distribution = DistributionOf(l);
    t.sort_key = SortKeyOf(l);
    // SVV_TABLE_INFO "doesn't return any information for empty tables"
    // (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html): with no row,
    // whether the table is ENCODE AUTO is unknown, and the per-column encodings pg_attribute
    // holds would turn ENCODE AUTO off on the target ("If you specify compression encoding for
    // any column in the table, the table is no longer set to ENCODE AUTO", r_CREATE_TABLE_NEW).
    // ENCODE AUTO is the default, so an empty table gets it.
    t.encode_auto =
        l.info_encoded.empty() || l.info_encoded.find("AUTO(ENCODE)") != std::string::npos;
    if (t.encode_auto) {
      for (Column& c : t.columns) c.encoding.clear();
    }
    std::string mv = BackedView(t.name.name);
    if (mv.empty()) {
      catalog.tables.push_back(std::move(t));
    } else if (View* v = FindView({t.name.schema, mv})) {
      v->distribution = t.distribution;
      v->sort_key = t.sort_key;
      v->backup = t.backup;  // CREATE MATERIALIZED VIEW ... BACKUP { YES | NO }
    }
  }
  table_by_oid.clear();  // indexes into `tables`, which is spent
}

// "a integer, b INOUT character varying, c OUT bigint": Redshift's CREATE PROCEDURE order
// (name, mode, type), from the catalog's parallel arrays.
Result<std::string> ArgumentList(const Rows& rows, size_t r,
                                 const std::map<std::string, std::string>& type_names) {
  std::vector<std::string> oids;
  if (!rows.IsNull(r, "all_arg_types")) {
    Result<std::vector<std::string>> all = ParseArrayText(rows.Get(r, "all_arg_types"));
    if (!all.ok()) return all.status();
    oids = std::move(*all);
  } else {
    const std::string& vec = rows.Get(r, "arg_types");  // oidvector: "23 1043"
    for (size_t i = 0; i < vec.size();) {
      size_t end = std::min(vec.find(' ', i), vec.size());
      if (end > i) oids.push_back(vec.substr(i, end - i));
      i = end + 1;
    }
  }
  Result<std::vector<std::string>> modes = ParseArrayText(rows.Get(r, "arg_modes"));
  Result<std::vector<std::string>> names = ParseArrayText(rows.Get(r, "arg_names"));
  if (!modes.ok()) return modes.status();
  if (!names.ok()) return names.status();
  std::string out;
  for (size_t i = 0; i < oids.size(); ++i) {
    auto type = type_names.find(oids[i]);
    if (type == type_names.end()) return Status::Internal("unknown argument type oid " + oids[i]);
    std::string mode = i < modes->size() ? (*modes)[i] : "i";
    if (!out.empty()) out += ", ";
    if (i < names->size() && !(*names)[i].empty()) out += QuoteIdent((*names)[i]) + " ";
    if (mode == "o") out += "OUT ";
    if (mode == "b") out += "INOUT ";
    out += type->second;
  }
  return out;
}

Result<RoutineParts> PartsOf(const Rows& rows, size_t r, bool procedure,
                             const std::map<std::string, std::string>& type_names) {
  RoutineParts p;
  Result<std::string> args = ArgumentList(rows, r, type_names);
  if (!args.ok()) return args.status();
  p.arguments = std::move(*args);
  p.returns = procedure ? "" : rows.Get(r, "returns");
  const std::string& volatility = rows.Get(r, "volatility");
  p.volatility = volatility.empty() ? 'v' : volatility[0];
  p.security_definer = IsTrue(rows.Get(r, "security_definer"));
  // SET clauses and NONATOMIC stay unknown: no documented catalog column holds them (routines.sql).
  p.body = rows.Get(r, "body");
  return p;
}

Status RsExtraction::Routines() {
  Result<Rows> types = Run("types");
  if (!types.ok()) return types.status();
  std::map<std::string, std::string> type_names;
  for (size_t r = 0; r < types->size(); ++r) {
    type_names[types->Get(r, "oid")] = types->Get(r, "name");
  }
  Result<Rows> rows = Run("routines");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    if (!InTenant(rows->Get(r, "schema")) || rows->Get(r, "owner") == "rdsdb") continue;
    Routine f;
    f.name = {rows->Get(r, "schema"), rows->Get(r, "name")};
    f.identity_args = rows->Get(r, "identity_args");
    f.kind = rows->Get(r, "kind") == "p" ? Routine::Kind::kProcedure : Routine::Kind::kFunction;
    f.owner = rows->Get(r, "owner");
    f.comment = rows->Get(r, "comment");
    f.language = rows->Get(r, "language");
    Result<RoutineParts> parts = PartsOf(*rows, r, f.kind == Routine::Kind::kProcedure, type_names);
    if (!parts.ok()) return parts.status().WithContext("routine " + f.name.Display());
    f.parts = std::move(*parts);
    catalog.routines.push_back(std::move(f));
  }
  return Status::Ok();
}

std::optional<ObjectKind> RsExtraction::RelationKind(const QualifiedName& name) const {
  if (catalog.FindTable(name) != nullptr) return ObjectKind::kTable;
  if (const View* v = catalog.FindView(name)) {
    return v->materialized ? ObjectKind::kMaterializedView : ObjectKind::kView;
  }
  return std::nullopt;
}

// The routine `name`(`args`); when the arguments are spelled differently (the SVV privilege
// views print them their own way) and `name` has a single overload, that one.
const Routine* FindRoutineLoosely(const Catalog& catalog, const QualifiedName& name,
                                  const std::string& args) {
  if (const Routine* f = catalog.FindRoutine(name, args)) return f;
  const Routine* only = nullptr;
  for (const Routine& f : catalog.routines) {
    if (f.name != name) continue;
    if (only != nullptr) return nullptr;
    only = &f;
  }
  return only;
}

// Drops the items granted to system users (rdsdb holds privileges on the database itself),
// which are not the tenant's and exist on every target, and to dropped users, which the
// server prints as their numeric id.
std::vector<AclItem> WithoutSystemGrantees(const Catalog& catalog, std::vector<AclItem> items) {
  auto unwanted = [&](const AclItem& i) {
    if (i.grantee_kind != GranteeKind::kPlain || i.grantee.empty()) return false;
    bool numeric = std::all_of(i.grantee.begin(), i.grantee.end(),
                               [](char c) { return c >= '0' && c <= '9'; });
    return IsSystemUser(i.grantee, "") || (numeric && catalog.FindRole(i.grantee) == nullptr);
  };
  items.erase(std::remove_if(items.begin(), items.end(), unwanted), items.end());
  return items;
}

// The object an acls.sql or role_privileges.sql row names, when it belongs to the tenant.
std::optional<ObjectRef> AclObjectOf(const RsExtraction& x, const Rows& rows, size_t r) {
  ObjectRef o;
  const std::string& kind = rows.Get(r, "kind");
  o.name = {rows.Get(r, "schema"), rows.Get(r, "name")};
  o.column = rows.Get(r, "column_name");
  if (kind == "database") {
    o.kind = ObjectKind::kDatabase;
    return o;
  }
  if (!x.InTenant(o.name.schema)) return std::nullopt;
  if (kind == "schema") {
    o.kind = ObjectKind::kSchema;
    o.name.name.clear();
    return o;
  }
  if (kind == "function" || kind == "procedure" || kind == "routine") {
    const Routine* f = FindRoutineLoosely(x.catalog, o.name, rows.Get(r, "arguments"));
    if (f == nullptr) return std::nullopt;
    o.kind = f->kind == Routine::Kind::kProcedure ? ObjectKind::kProcedure : ObjectKind::kFunction;
    o.arguments = f->identity_args;
    return o;
  }
  std::optional<ObjectKind> relation = x.RelationKind(o.name);  // table, view, column
  if (!relation) return std::nullopt;                           // e.g. an mv_tbl__ table
  o.kind = *relation;
  return o;
}

Status RsExtraction::Acls() {
  Result<Rows> rows = Run("acls");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    std::optional<ObjectRef> object = AclObjectOf(*this, *rows, r);
    if (!object) continue;
    Result<std::vector<AclItem>> items = ParseAcl(rows->Get(r, "acl"));
    if (!items.ok()) return items.status().WithContext("privileges of " + object->Display());
    catalog.acls.push_back(
        {*object, rows->Get(r, "owner"), WithoutSystemGrantees(catalog, std::move(*items))});
  }
  return Status::Ok();
}

std::string RsExtraction::OwnerOf(const ObjectRef& o) const {
  if (o.kind == ObjectKind::kSchema) {
    const Schema* s = catalog.FindSchema(o.name.schema);
    return s ? s->owner : "";
  }
  if (const Table* t = catalog.FindTable(o.name)) return t->owner;
  if (const View* v = catalog.FindView(o.name)) return v->owner;
  if (const Routine* f = catalog.FindRoutine(o.name, o.arguments)) return f->owner;
  return "";
}

// Adds one privilege a role holds (the SVV views name no grantor: the owner granted it).
Status RsExtraction::RolePrivileges() {
  Result<Rows> rows = Run("role_privileges");
  if (!rows.ok()) return rows.status();
  for (size_t r = 0; r < rows->size(); ++r) {
    std::optional<ObjectRef> object = AclObjectOf(*this, *rows, r);
    const std::string& role = rows->Get(r, "grantee");
    if (!object || IsSystemRole(role)) continue;
    auto acl = std::find_if(catalog.acls.begin(), catalog.acls.end(),
                            [&](const ObjectAcl& a) { return a.object == *object; });
    if (acl == catalog.acls.end()) {
      acl = catalog.acls.insert(catalog.acls.end(), {*object, OwnerOf(*object), {}});
    }
    AddPrivilege(ItemFor(&acl->items, role, GranteeKind::kRole, acl->owner),
                 {rows->Get(r, "privilege"), IsTrue(rows->Get(r, "grantable"))});
  }
  return Status::Ok();
}

// Owners of tenant objects and grantees of their privileges: whose database-wide default
// privileges belong to the tenant.
std::set<std::string> RsExtraction::TenantPrincipals() const {
  std::set<std::string> out;
  for (const Schema& s : catalog.schemas) out.insert(s.owner);
  for (const Table& t : catalog.tables) out.insert(t.owner);
  for (const View& v : catalog.views) out.insert(v.owner);
  for (const Routine& f : catalog.routines) out.insert(f.owner);
  for (const ObjectAcl& a : catalog.acls) {
    if (a.object.kind == ObjectKind::kDatabase) continue;
    for (const AclItem& i : a.items) out.insert(i.grantee);
  }
  return out;
}

// A default-privilege rule of `role` in `schema` ("" database-wide) is the tenant's when the
// schema is, or, database-wide, when the role is one of the tenant's principals.
bool RsExtraction::TenantRule(const std::string& role, const std::string& schema,
                              const std::set<std::string>& principals) {
  if (FindRole(role, Role::Kind::kUser) == nullptr) return false;  // FOR USER: users only
  return schema.empty() ? principals.count(role) > 0 : InTenant(schema);
}

Status RsExtraction::DefaultAcls() {
  Result<Rows> rows = Run("default_acls");
  if (!rows.ok()) return rows.status();
  std::set<std::string> principals = TenantPrincipals();
  for (size_t r = 0; r < rows->size(); ++r) {
    DefaultAcl rule;
    rule.role = rows->Get(r, "role");
    rule.schema = rows->Get(r, "schema");
    if (!TenantRule(rule.role, rule.schema, principals)) continue;
    rule.on = DefaultAclOn(rows->Get(r, "objtype"));
    Result<std::vector<AclItem>> items = ParseAcl(rows->Get(r, "acl"));
    if (!items.ok()) {
      return items.status().WithContext("default privileges of " + rule.role + " in schema \"" +
                                        rule.schema + "\"");
    }
    rule.items = WithoutSystemGrantees(catalog, std::move(*items));
    catalog.default_acls.push_back(std::move(rule));
  }
  return Status::Ok();
}

// Adds the default privileges granted to roles, which svv_default_privileges lists.
Status RsExtraction::RoleDefaultPrivileges() {
  Result<Rows> rows = Run("role_default_privileges");
  if (!rows.ok()) return rows.status();
  std::set<std::string> principals = TenantPrincipals();
  for (size_t r = 0; r < rows->size(); ++r) {
    const std::string& role = rows->Get(r, "role");
    const std::string& schema = rows->Get(r, "schema");
    const std::string& grantee = rows->Get(r, "grantee");
    if (!TenantRule(role, schema, principals) || IsSystemRole(grantee)) continue;
    DefaultAcl::On on = DefaultAclOn(rows->Get(r, "object_type"));
    std::vector<DefaultAcl>& all = catalog.default_acls;
    auto rule = std::find_if(all.begin(), all.end(), [&](const DefaultAcl& d) {
      return d.role == role && d.schema == schema && d.on == on;
    });
    if (rule == all.end()) rule = all.insert(all.end(), {role, schema, on, {}});
    AddPrivilege(ItemFor(&rule->items, grantee, GranteeKind::kRole, role),
                 {rows->Get(r, "privilege"), false});
  }
  return Status::Ok();
}

Result<Catalog> ExtractRedshiftRows(Session& session, const ServerInfo& info,
                                    const std::vector<std::string>& schemas) {
  RsExtraction x{session, info.dialect, {schemas.begin(), schemas.end()}, {}, {}, {}, {}, {}, {}};
  x.catalog.server = info;
  Status s = x.Users();
  if (s.ok()) s = x.UserInfo();
  if (s.ok()) s = x.Groups();
  if (s.ok()) s = x.Roles();
  if (s.ok()) s = x.RoleGrants();
  if (s.ok()) s = x.SystemPrivileges();
  if (s.ok()) s = x.Schemas();
  if (s.ok()) s = x.Tables();
  if (s.ok()) s = x.TableInfo();
  if (s.ok()) s = x.Views();
  if (s.ok()) s = x.Columns();  // of tables and views
  if (s.ok()) s = x.Collations();
  if (s.ok()) s = x.Constraints();
  if (s.ok()) s = x.MvInfo();
  if (s.ok()) s = x.ViewDependencies();  // after MvInfo: which views are materialized
  if (s.ok()) s = x.MvDependencies();
  if (s.ok()) x.FinishLayouts();
  if (s.ok()) s = x.Routines();
  if (s.ok()) s = x.Acls();  // after every object they name
  if (s.ok()) s = x.RolePrivileges();
  if (s.ok()) s = x.DefaultAcls();  // after the ACLs: who the tenant's principals are
  if (s.ok()) s = x.RoleDefaultPrivileges();
  if (s.ok()) {
    s = ExtractRedshiftUnmoved([&x](const std::string& name) { return x.Run(name); },
                               {x.wanted, x.TenantPrincipals()}, &x.catalog.unmoved);
  }
  if (!s.ok()) return s;
  return std::move(x.catalog);
}

}  // namespace

Result<Catalog> ExtractRedshift(Session& session, const ServerInfo& info,
                                const std::vector<std::string>& schemas) {
  // std::stoll throws on values it cannot hold; no exception leaves this module.
  try {
    return ExtractRedshiftRows(session, info, schemas);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected value in the Redshift catalog: ") + e.what());
  }
}

}  // namespace tenantshift
