#include "plan/access_planner.h"

#include <fmt/format.h>

#include <algorithm>

#include "ddl/postgres/pg_access_renderer.h"

namespace tenantshift {
namespace {

// Adds each grantee of `items` (name and kind) to `out` unless it is there already.
void AddGrantees(const std::vector<AclItem>& items, std::vector<AclItem>* out) {
  for (const AclItem& i : items) {
    auto same = [&](const AclItem& x) {
      return x.grantee == i.grantee && x.grantee_kind == i.grantee_kind;
    };
    if (std::find_if(out->begin(), out->end(), same) == out->end()) {
      out->push_back({i.grantee, "", {}, i.grantee_kind});
    }
  }
}

std::vector<AclItem> GranteesOf(const std::vector<AclItem>& items) {
  std::vector<AclItem> out;
  AddGrantees(items, &out);
  return out;
}

// The built-in ACL of an object (what a NULL ACL means), spelled with ALL: the owner holds
// everything, PUBLIC also uses types and runs functions; columns have no privileges.
std::vector<AclItem> BuiltInItems(const ObjectRef& o, const std::string& owner) {
  if (!o.column.empty()) return {};
  std::vector<AclItem> items;
  if (o.kind == ObjectKind::kType || o.kind == ObjectKind::kFunction ||
      o.kind == ObjectKind::kProcedure) {
    items.push_back({"", owner, {{"ALL", false}}});
  }
  items.push_back({owner, owner, {{"ALL", false}}});
  return items;
}

const char* DefaultAclOnName(DefaultAcl::On on) {
  switch (on) {
    case DefaultAcl::On::kTables:
      return "tables";
    case DefaultAcl::On::kSequences:
      return "sequences";
    case DefaultAcl::On::kFunctions:
      return "functions";
    case DefaultAcl::On::kTypes:
      return "types";
    case DefaultAcl::On::kSchemas:
      return "schemas";
    case DefaultAcl::On::kProcedures:
      return "procedures";
  }
  return "objects";
}

std::vector<std::string> Without(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

}  // namespace

AccessPlanner::AccessPlanner(const Catalog& source, const Catalog& target,
                             const PlanOptions& options, PlannedMigration* out)
    : src_(source),
      dst_(target),
      options_(options),
      out_(out),
      ddl_(RendererFor(target.server.dialect)) {}

int AccessPlanner::AddSql(const std::string& phase, const std::string& description,
                          const std::string& sql, std::vector<int> deps,
                          const std::string& secret_sql) {
  Step s;
  s.kind = StepKind::kTargetSql;
  s.phase = phase;
  s.description = description;
  s.sql = sql;
  s.secret_sql = secret_sql;
  s.deps = std::move(deps);
  return out_->plan.Add(std::move(s));
}

std::string AccessPlanner::TargetRole(const std::string& source_role) const {
  return source_role == src_.server.current_user ? dst_.server.current_user : source_role;
}

bool AccessPlanner::Available(const std::string& role) const {
  if (role == src_.server.current_user || out_->principals.Find(role) != nullptr) return true;
  return IsSystemRole(role, src_.server.dialect) && dst_.FindRole(role) != nullptr;
}

// ---------------------------------------------------------------------------------------------
// Roles and memberships
// ---------------------------------------------------------------------------------------------

std::vector<int> AccessPlanner::AddRoles() {
  out_->principals = SelectPrincipals(src_, options_.principals);
  for (const Principal& p : out_->principals.principals) {
    if (const Role* role = src_.FindRole(p.name)) AddRole(*role);
  }
  for (const RoleMembership& m : src_.memberships) AddMembership(m);
  return role_steps_;
}

void AccessPlanner::AddRole(const Role& role) {
  bool superuser = role.superuser && options_.allow_superuser;
  std::string rest = ddl_.RoleComment(role);
  for (const RoleSetting& s : role.settings) {
    rest += ddl_.AlterRoleSet(role.name, s, dst_.server.database);
  }
  auto password = options_.passwords.find(role.name);
  bool has_password = password != options_.passwords.end();
  const std::string masked = pgddl::kMaskedPassword;
  std::string sql = ddl_.CreateRole(role, superuser, has_password ? &masked : nullptr) + rest;
  std::string secret =
      has_password ? ddl_.CreateRole(role, superuser, &password->second.Reveal()) + rest : "";
  int id = AddSql("roles", "create role " + role.name, sql, {}, secret);
  role_step_[role.name] = id;
  role_steps_.push_back(id);
  if (const Role* existing = dst_.FindRole(role.name)) {
    out_->plan.Skip(id, "exists on the target; left as it is");
    ReportDifferences(role, superuser, *existing);
    return;
  }
  if (role.superuser && !superuser) {
    out_->warnings.push_back("role " + role.name +
                             " is a superuser on the source; it is created without SUPERUSER "
                             "(--allow-superuser keeps it)");
  }
  if (superuser && !has_password && dst_.server.dialect != Dialect::kPostgres) {
    out_->conflicts.push_back("user " + role.name +
                              " is kept a superuser (--allow-superuser) but gets no password: "
                              "Redshift refuses PASSWORD DISABLE for a superuser; use --passwords "
                              "random");
  }
}

void AccessPlanner::ReportDifferences(const Role& want, bool superuser, const Role& have) {
  std::vector<std::string> a = ddl_.RoleAttributes(want, superuser);
  std::vector<std::string> b = ddl_.RoleAttributes(have, have.superuser);
  std::vector<std::string> diffs;
  if (a != b) {
    diffs.push_back(fmt::format("source {}, target {}", fmt::join(Without(a, b), " "),
                                fmt::join(Without(b, a), " ")));
  }
  auto settings = [&](const Role& r) {
    std::vector<std::string> out;
    for (const RoleSetting& s : r.settings) out.push_back(ddl_.AlterRoleSet(r.name, s, ""));
    return out;
  };
  if (settings(want) != settings(have)) diffs.push_back("its settings differ");
  if (want.comment != have.comment) diffs.push_back("its comment differs");
  if (diffs.empty()) return;
  out_->warnings.push_back(
      fmt::format("role {} exists on the target and differs ({}); it was "
                  "left as it is",
                  want.name, fmt::join(diffs, "; ")));
}

void AccessPlanner::AddMembership(const RoleMembership& m) {
  const PrincipalSelection& sel = out_->principals;
  if (sel.Find(m.member) == nullptr) return;  // not a membership of the tenant
  bool predefined = IsSystemRole(m.role, src_.server.dialect) && dst_.FindRole(m.role);
  if (sel.Find(m.role) == nullptr && !predefined) {
    out_->warnings.push_back("membership of " + m.member + " in " + m.role +
                             " is not migrated: " + m.role + " does not move");
    return;
  }
  RoleMembership want = m;
  std::string grantor = TargetRole(m.grantor);
  bool keep_grantor = dst_.server.superuser && grantor != dst_.server.current_user &&
                      !m.grantor.empty() && Available(m.grantor);
  want.grantor = keep_grantor ? grantor : "";
  std::vector<int> deps;
  for (const std::string& r : {m.role, m.member}) {
    if (auto it = role_step_.find(r); it != role_step_.end()) deps.push_back(it->second);
  }
  int id = AddSql("memberships", "grant role " + m.role + " to " + m.member,
                  ddl_.GrantMembership(want), deps);
  role_steps_.push_back(id);
  for (const RoleMembership& have : dst_.memberships) {
    if (have.role != m.role || have.member != m.member) continue;
    out_->plan.Skip(id, "already on target");
    if (have.admin_option != m.admin_option) {
      out_->warnings.push_back("membership of " + m.member + " in " + m.role +
                               " differs on the target (ADMIN OPTION); it was left as it is");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Row-level security
// ---------------------------------------------------------------------------------------------

void AccessPlanner::AddRowSecurity(const std::vector<int>& after) {
  for (const Table& t : src_.tables) {
    Table mapped = t;
    for (Policy& p : mapped.policies) {
      for (std::string& r : p.roles) {
        if (!r.empty() && !Available(r)) {
          out_->conflicts.push_back("policy " + p.name + " on " + t.name.Display() +
                                    " names role " + r + ", which does not move");
        }
        if (!r.empty()) r = TargetRole(r);
      }
    }
    std::string sql = ddl_.RowSecurity(mapped);
    const Table* existing = dst_.FindTable(t.name);
    std::string have = existing ? ddl_.RowSecurity(*existing) : "";
    if (sql.empty() && have.empty()) continue;
    int id = AddSql("row security", "row-level security of " + t.name.Display(), sql,
                    DepsOf(after, ObjectRef{ObjectKind::kTable, t.name, "", ""}));
    row_security_step_[t.name] = id;
    if (have == sql) {
      out_->plan.Skip(id, "already on target");
    } else if (!have.empty() && options_.on_existing == OnExisting::kSkip) {
      out_->plan.Skip(id, "differs on target; left as it is (--on-existing skip)");
      out_->warnings.push_back("row-level security of " + t.name.Display() +
                               " differs on the target and was left as it is");
    } else if (!have.empty()) {
      out_->conflicts.push_back("row-level security of " + t.name.Display() +
                                " already exists on the target with different policies");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Privileges
// ---------------------------------------------------------------------------------------------

void AccessPlanner::IndexCatalogs() {
  for (const ObjectAcl& a : src_.acls) src_acls_[a.object] = &a;
  for (const ObjectAcl& a : dst_.acls) dst_acls_[a.object] = &a;
  for (const Table& t : src_.tables) {
    for (const Column& c : t.columns) {
      if (c.identity != '\0') identity_sequences_[{t.name.schema, c.identity_sequence}] = &t;
    }
  }
}

const ObjectAcl* AccessPlanner::SourceAcl(const ObjectRef& o) const {
  auto it = src_acls_.find(o);
  return it == src_acls_.end() ? nullptr : it->second;
}

const ObjectAcl* AccessPlanner::TargetAcl(const ObjectRef& o) const {
  auto it = dst_acls_.find(o);
  return it == dst_acls_.end() ? nullptr : it->second;
}

bool AccessPlanner::Migrated(const ObjectRef& o) const {
  switch (o.kind) {
    case ObjectKind::kSchema:
      return src_.FindSchema(o.name.schema) != nullptr;
    case ObjectKind::kTable:
      return src_.FindTable(o.name) != nullptr;
    case ObjectKind::kSequence:
      return src_.FindSequence(o.name) != nullptr || identity_sequences_.count(o.name) > 0;
    case ObjectKind::kType:
      return src_.FindType(o.name) != nullptr;
    case ObjectKind::kView:
    case ObjectKind::kMaterializedView: {
      const View* v = src_.FindView(o.name);
      return v != nullptr && v->materialized == (o.kind == ObjectKind::kMaterializedView);
    }
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
      return src_.FindRoutine(o.name, o.arguments) != nullptr;
    case ObjectKind::kDatabase:
      return false;  // database privileges are not a tenant's on PostgreSQL
  }
  return false;
}

std::string AccessPlanner::TargetOwner(const ObjectRef& o) const {
  std::string owner;
  if (const ObjectAcl* acl = SourceAcl(o)) {
    owner = acl->owner;
  } else if (o.kind == ObjectKind::kSchema) {
    owner = src_.FindSchema(o.name.schema)->owner;
  } else if (o.kind == ObjectKind::kTable) {
    owner = src_.FindTable(o.name)->owner;
  } else if (o.kind == ObjectKind::kType) {
    owner = src_.FindType(o.name)->owner;
  } else if (o.kind == ObjectKind::kView || o.kind == ObjectKind::kMaterializedView) {
    if (const View* v = src_.FindView(o.name)) owner = v->owner;
  } else if (o.kind == ObjectKind::kFunction || o.kind == ObjectKind::kProcedure) {
    if (const Routine* r = src_.FindRoutine(o.name, o.arguments)) owner = r->owner;
  } else if (const Sequence* seq = src_.FindSequence(o.name)) {
    owner = seq->owner;
  } else if (auto it = identity_sequences_.find(o.name); it != identity_sequences_.end()) {
    owner = it->second->owner;  // an identity sequence belongs to its table's owner
  }
  return Available(owner) ? TargetRole(owner) : dst_.server.current_user;
}

std::vector<AclItem> AccessPlanner::MapItems(const std::string& what,
                                             const std::vector<AclItem>& items,
                                             const std::string& owner) {
  std::vector<AclItem> out;
  for (const AclItem& item : items) {
    if (!item.grantee.empty() && !Available(item.grantee)) {
      dropped_[item.grantee].insert(what);
      continue;
    }
    AclItem m{item.grantee.empty() ? "" : TargetRole(item.grantee),
              TargetRole(item.grantor),
              {},
              item.grantee_kind};
    if (!dst_.server.superuser || !Available(item.grantor)) m.grantor = owner;
    for (const Privilege& p : item.privileges) {
      if (ddl_.IsKnownPrivilege(p.name)) m.privileges.push_back(p);
    }
    auto same = std::find_if(out.begin(), out.end(), [&](const AclItem& x) {
      return x.grantee == m.grantee && x.grantor == m.grantor && x.grantee_kind == m.grantee_kind;
    });
    if (same == out.end()) {
      out.push_back(std::move(m));
    } else {
      same->privileges.insert(same->privileges.end(), m.privileges.begin(), m.privileges.end());
    }
  }
  return out;
}

std::string AccessPlanner::GrantAs(const ObjectRef& o, const AclItem& item,
                                   const std::string& owner) {
  if (item.grantor == owner) return ddl_.Grant(o, item);
  return ddl_.SetRole(item.grantor) + ddl_.Grant(o, item) + ddl_.ResetRole();
}

void AccessPlanner::AddObjectPrivileges(const ObjectRef& o, std::vector<int> deps) {
  const ObjectAcl* want = SourceAcl(o);
  const ObjectAcl* have = TargetAcl(o);
  if (want == nullptr && have == nullptr) return;
  std::string owner = TargetOwner(o);
  std::vector<AclItem> items =
      want ? MapItems(o.Display(), want->items, owner) : BuiltInItems(o, owner);
  std::vector<AclItem> reset = {{"", "", {}}, {owner, "", {}}};
  if (have != nullptr) AddGrantees(have->items, &reset);
  std::string sql = ddl_.RevokeAll(o, reset);
  for (const AclItem& item : items) sql += GrantAs(o, item, owner);
  int id = AddSql("privileges", "privileges on " + o.Display(), sql, std::move(deps));
  if (o.kind == ObjectKind::kSchema) schema_priv_step_[o.name.schema] = id;
  if (o.kind == ObjectKind::kTable && o.column.empty()) relation_priv_step_[o.name] = id;
  if (have != nullptr && want != nullptr && have->items == items) {
    out_->plan.Skip(id, "already on target");
  }
}

void AccessPlanner::AddPrivileges(const std::vector<int>& after) {
  IndexCatalogs();
  // Sorted by ObjectRef: schemas first, and each relation before its columns.
  std::set<ObjectRef> objects;
  std::map<ObjectKind, int> not_migrated;
  for (const ObjectAcl& a : src_.acls) {
    if (Migrated(a.object)) {
      objects.insert(a.object);
    } else if (a.object.column.empty()) {
      ++not_migrated[a.object.kind];
    }
  }
  for (const ObjectAcl& a : dst_.acls) {
    if (Migrated(a.object)) objects.insert(a.object);
  }
  for (const ObjectRef& o : objects) {
    std::vector<int> deps = DepsOf(after, o);
    // A grantor acting as itself needs USAGE on the schema; a table-level REVOKE also clears
    // the columns, so columns come after their table.
    if (auto it = schema_priv_step_.find(o.name.schema); it != schema_priv_step_.end()) {
      deps.push_back(it->second);
    }
    if (auto it = relation_priv_step_.find(o.name);
        !o.column.empty() && it != relation_priv_step_.end()) {
      deps.push_back(it->second);
    }
    if (auto it = row_security_step_.find(o.name); it != row_security_step_.end()) {
      deps.push_back(it->second);
    }
    AddObjectPrivileges(o, std::move(deps));
  }
  for (const auto& [kind, n] : not_migrated) {
    out_->warnings.push_back(
        fmt::format("privileges on {} {}(s) are not migrated: this version "
                    "does not migrate {} objects",
                    n, ObjectKindName(kind), ObjectKindName(kind)));
  }
}

namespace {

// True when `a` and `b` hold the same items in any order: PostgreSQL keeps a default ACL sorted
// its own way (by grantee oid), not in the order the grants ran.
bool SameItemsAnyOrder(const std::vector<AclItem>& a, std::vector<AclItem> b) {
  if (a.size() != b.size()) return false;
  for (const AclItem& item : a) {
    auto it = std::find(b.begin(), b.end(), item);
    if (it == b.end()) return false;
    b.erase(it);
  }
  return true;
}

}  // namespace

AccessPlanner::CreatedBy AccessPlanner::DefaultAclDeps() const {
  CreatedBy out;
  auto add = [&](std::initializer_list<DefaultAcl::On> ons, ObjectKind kind,
                 const QualifiedName& name, const std::string& arguments) {
    std::vector<int> deps = DepsOf({}, ObjectRef{kind, name, arguments, ""});
    for (DefaultAcl::On on : ons) {
      std::vector<int>& into = out[{name.schema, on}];
      into.insert(into.end(), deps.begin(), deps.end());
    }
  };
  // ON TABLES covers views and materialized views; functions' rules cover procedures
  // (PostgreSQL's ROUTINES):
  // https://www.postgresql.org/docs/current/sql-alterdefaultprivileges.html
  for (const Table& t : src_.tables) add({DefaultAcl::On::kTables}, ObjectKind::kTable, t.name, "");
  for (const View& v : src_.views) {
    add({DefaultAcl::On::kTables},
        v.materialized ? ObjectKind::kMaterializedView : ObjectKind::kView, v.name, "");
  }
  for (const Sequence& q : src_.sequences) {
    add({DefaultAcl::On::kSequences}, ObjectKind::kSequence, q.name, "");
  }
  for (const Routine& r : src_.routines) {
    ObjectKind kind =
        r.kind == Routine::Kind::kProcedure ? ObjectKind::kProcedure : ObjectKind::kFunction;
    add({DefaultAcl::On::kFunctions, DefaultAcl::On::kProcedures}, kind, r.name, r.identity_args);
  }
  for (const UserType& t : src_.types) add({DefaultAcl::On::kTypes}, ObjectKind::kType, t.name, "");
  for (auto& [key, deps] : out) {
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
  }
  return out;
}

namespace {

// `after` and the creation steps of what a default-privilege rule on `on` in `schema` (empty:
// a database-wide rule, every schema) would apply to.
std::vector<int> RuleDeps(const std::vector<int>& after, const AccessPlanner::CreatedBy& created_by,
                          const std::string& schema, DefaultAcl::On on) {
  std::vector<int> deps = after;
  for (const auto& [where, created] : created_by) {
    if (where.second != on || (!schema.empty() && where.first != schema)) continue;
    deps.insert(deps.end(), created.begin(), created.end());
  }
  return deps;
}

}  // namespace

void AccessPlanner::AddDefaultPrivileges(const std::vector<int>& after,
                                         const CreatedBy& created_by) {
  using Key = std::tuple<std::string, std::string, DefaultAcl::On>;
  std::map<Key, std::pair<const DefaultAcl*, const DefaultAcl*>> rules;
  for (const DefaultAcl& d : src_.default_acls) {
    if (!Available(d.role)) {
      out_->warnings.push_back("default privileges of " + d.role + " in schema " + d.schema +
                               " are not migrated: " + d.role + " does not move");
      continue;
    }
    rules[{TargetRole(d.role), d.schema, d.on}].first = &d;
  }
  for (const DefaultAcl& d : dst_.default_acls) rules[{d.role, d.schema, d.on}].second = &d;
  for (const auto& [key, pair] : rules) {
    const auto& [role, schema, on] = key;
    DefaultAcl rule{role, schema, on, {}};
    std::string what = fmt::format("default privileges of {} on {} in schema {}", role,
                                   DefaultAclOnName(on), schema);
    if (pair.first) rule.items = MapItems(what, pair.first->items, role);
    for (AclItem& item : rule.items) item.grantor = role;
    std::string sql;
    if (pair.second) sql = ddl_.RevokeAllDefault(rule, GranteesOf(pair.second->items));
    for (const AclItem& item : rule.items) sql += ddl_.GrantDefault(rule, item);
    // The rule needs its schema even where no object of its kind is there yet.
    std::vector<int> in_schema =
        schema.empty() ? after
                       : DepsOf(after, ObjectRef{ObjectKind::kSchema, {schema, ""}, "", ""});
    int id = AddSql("default privileges", what, sql, RuleDeps(in_schema, created_by, schema, on));
    if (pair.second && SameItemsAnyOrder(pair.second->items, rule.items)) {
      out_->plan.Skip(id, "already on target");
    } else if (sql.empty()) {
      out_->plan.Skip(id, "nothing to grant");
    }
  }
}

// Database-wide default privileges of the tenant's principals: their whole ACL replaces the
// built-in default, so the target's is cleared (from the role itself, PUBLIC and whoever the
// target's rule names) and the source's items are granted again. They reach every schema of the
// target database, so they are set only with --global-default-privileges; otherwise each one
// the target lacks is a manual step.
void AccessPlanner::AddGlobalDefaultPrivileges(const std::vector<int>& after,
                                               const CreatedBy& created_by) {
  using Key = std::pair<std::string, DefaultAcl::On>;
  std::map<Key, const DefaultAcl*> have;
  for (const DefaultAcl& d : dst_.global_default_acls) have[{d.role, d.on}] = &d;
  for (const DefaultAcl& d : src_.global_default_acls) {
    if (out_->principals.Find(d.role) == nullptr) continue;  // not a tenant role
    std::string role = TargetRole(d.role);
    std::string what =
        fmt::format("database-wide default privileges of {} on {}", role, DefaultAclOnName(d.on));
    DefaultAcl rule{role, "", d.on, MapItems(what, d.items, role)};
    for (AclItem& item : rule.items) item.grantor = role;
    auto it = have.find({role, d.on});
    const DefaultAcl* existing = it == have.end() ? nullptr : it->second;
    std::vector<AclItem> revoke = GranteesOf({AclItem{role, "", {}}, AclItem{"", "", {}}});
    if (existing != nullptr) AddGrantees(existing->items, &revoke);
    std::string sql = ddl_.RevokeAllDefault(rule, revoke);
    for (const AclItem& item : rule.items) sql += ddl_.GrantDefault(rule, item);
    bool same = existing != nullptr && SameItemsAnyOrder(existing->items, rule.items);
    if (!options_.global_default_privileges) {
      if (same) continue;
      out_->manual_steps.push_back(
          {what,
           "database-wide default privileges apply to every schema of the target database, not "
           "only the tenant's: tenantshift sets them only with --global-default-privileges",
           sql});
      ++out_->not_moved;
      continue;
    }
    int id = AddSql("default privileges", what, sql, RuleDeps(after, created_by, "", d.on));
    if (same) out_->plan.Skip(id, "already on target");
  }
}

void AccessPlanner::WarnDropped() {
  for (const auto& [role, objects] : dropped_) {
    out_->warnings.push_back(
        fmt::format("privileges of {} on {} object(s) (e.g. {}) are not migrated: {} does not move",
                    role, objects.size(), *objects.begin(), role));
  }
}

std::vector<int> AccessPlanner::DepsOf(const std::vector<int>& after, ObjectRef o) const {
  std::vector<int> deps = after;
  o.column.clear();
  if (object_deps_) {
    for (int d : object_deps_(o)) {
      if (d >= 0) deps.push_back(d);
    }
  }
  return deps;
}

void AccessPlanner::AddAccess(const std::vector<int>& after,
                              std::function<std::vector<int>(const ObjectRef&)> object_deps) {
  object_deps_ = std::move(object_deps);
  AddRowSecurity(after);
  AddPrivileges(after);
  // What default privileges wait for, read once and only when the tenant has any.
  const CreatedBy created_by = src_.default_acls.empty() && src_.global_default_acls.empty()
                                   ? CreatedBy{}
                                   : DefaultAclDeps();
  AddDefaultPrivileges(after, created_by);
  AddGlobalDefaultPrivileges(after, created_by);
  WarnDropped();
}

}  // namespace tenantshift
