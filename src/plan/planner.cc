#include "plan/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ddl/postgres/pg_renderer.h"
#include "ddl/quote.h"
#include "plan/plan_builder.h"
#include "plan/redshift_target.h"

namespace tenantshift {
namespace {

// What a table's creation step renders, and so what a target table is compared with.
std::string TableDefinition(const DdlRenderer& ddl, const Table& t) {
  return ddl.CreateTable(t) + ddl.TableComments(t);
}

const Constraint* FindConstraint(const Table* table, const std::string& name) {
  return table == nullptr ? nullptr : FindNamed(table->constraints, name);
}

const Index* FindIndex(const Table* table, const std::string& name) {
  return table == nullptr ? nullptr : FindNamed(table->indexes, name);
}

}  // namespace

int PlanBuilder::AddSql(const std::string& phase, const std::string& description, std::string sql,
                        std::vector<int> deps, int64_t priority) {
  Step s;
  s.kind = StepKind::kTargetSql;
  s.phase = phase;
  s.description = description;
  s.sql = std::move(sql);
  s.deps = std::move(deps);
  s.priority = priority;
  return out_.plan.Add(std::move(s));
}

bool PlanBuilder::AlreadyThere(int step, const std::string& what, const std::string& wanted,
                               const std::optional<std::string>& existing,
                               const std::string& drop) {
  if (!existing) return false;
  if (*existing == wanted) {
    out_.plan.Skip(step, "already on target");
    return true;
  }
  if (options_.on_existing == OnExisting::kSkip) {
    out_.plan.Skip(step, "differs on target; left as it is (--on-existing skip)");
    out_.warnings.push_back(what + " differs on the target and was left as it is");
    return true;
  }
  if (options_.on_existing == OnExisting::kReplace && !drop.empty()) {
    Step& s = out_.plan.mutable_step(step);
    s.sql = drop + s.sql;
    out_.warnings.push_back(what +
                            " differs on the target: it is dropped and created again "
                            "(--on-existing replace)");
    return false;
  }
  out_.conflicts.push_back(what + " already exists on the target with a different definition" +
                           (options_.on_existing == OnExisting::kReplace
                                ? " and cannot be replaced automatically"
                                : ""));
  return false;
}

void PlanBuilder::AddSchemas() {
  for (const Schema& s : src_.schemas) {
    const Schema* existing = dst_.FindSchema(s.name);
    // Created without AUTHORIZATION: the owners step sets owners once the roles exist.
    Schema bare = s;
    bare.owner.clear();
    std::string sql = existing ? "" : ddl_.CreateSchema(bare);
    if (!existing || existing->comment != s.comment) sql += ddl_.SchemaComment(s);
    int id = AddSql("schemas", "create schema " + s.name, sql, {});
    if (existing && sql.empty()) out_.plan.Skip(id, "already on target");
    schema_steps_.push_back(id);
    schema_step_[s.name] = id;
  }
}

void PlanBuilder::AddSequences() {
  for (const Sequence& s : src_.sequences) {
    std::string sql = ddl_.CreateSequence(s) + ddl_.SequenceComment(s);
    int id = AddSql("sequences", "create sequence " + s.name.Display(), sql, schema_steps_);
    const Sequence* existing = dst_.FindSequence(s.name);
    AlreadyThere(
        id, "sequence " + s.name.Display(), sql,
        existing ? std::optional(ddl_.CreateSequence(*existing) + ddl_.SequenceComment(*existing))
                 : std::nullopt,
        ddl_.DropSequence(s.name));
    seq_steps_.push_back(id);
    seq_step_[s.name] = id;
  }
}

// A table waits for the schemas, extensions and sequences, and for the types and routines its
// columns, defaults and CHECKs use; not for the others, so a failed type blocks only its users.
std::vector<int> PlanBuilder::TableCreationDeps(const Table& t) const {
  std::vector<int> deps = base_steps_;
  for (const QualifiedName& type : t.types) {
    if (auto it = type_step_.find(type); it != type_step_.end()) deps.push_back(it->second);
  }
  for (const DependencyRef& r : t.routines) {
    if (auto it = object_step_.find(r); it != object_step_.end()) deps.push_back(it->second);
  }
  std::vector<int> ops = OperatorStepsFor({DependencyKind::kTable, t.name, ""});
  deps.insert(deps.end(), ops.begin(), ops.end());
  std::sort(deps.begin(), deps.end());
  deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
  return deps;
}

void PlanBuilder::AddTables() {
  // Parents (partitioned or INHERITS) come before their children: the extractor lists tables by
  // name, so add in rounds until every table whose parents are planned has been added.
  std::vector<const Table*> pending;
  for (const Table& t : src_.tables) pending.push_back(&t);
  while (!pending.empty()) {
    std::vector<const Table*> later;
    for (const Table* t : pending) {
      std::vector<int> deps = TableCreationDeps(*t);
      std::vector<QualifiedName> parents = t->inherits;
      if (t->partition_parent) parents.push_back(*t->partition_parent);
      bool ready = true;
      for (const QualifiedName& p : parents) {
        if (src_.FindTable(p) == nullptr) {
          out_.warnings.push_back("table " + t->name.Display() + " inherits from " + p.Display() +
                                  ", outside the tenant: it will fail unless that table exists "
                                  "on the target");
          continue;
        }
        auto parent = table_step_.find(p);
        ready = ready && parent != table_step_.end();
        if (ready) deps.push_back(parent->second);
      }
      if (!ready) {
        later.push_back(t);
        continue;
      }
      std::string sql = TableDefinition(ddl_, *t);
      if (replaced_tables_.count(t->name)) {
        sql = std::string(t->foreign() ? "DROP FOREIGN TABLE" : "DROP TABLE") + " IF EXISTS " +
              QuoteName(t->name) + ";\n" + sql;
        out_.warnings.push_back("table " + t->name.Display() +
                                " differs on the target: it is dropped and created again, with "
                                "its rows (--on-existing replace)");
      }
      int id = AddSql("tables", "create table " + t->name.Display(), sql, deps);
      const Table* existing = dst_.FindTable(t->name);
      AlreadyThere(id, "table " + t->name.Display(), sql,
                   existing ? std::optional(TableDefinition(ddl_, *existing)) : std::nullopt);
      table_step_[t->name] = id;
    }
    if (later.size() == pending.size()) break;  // parent outside the tenant: cannot happen
    pending = std::move(later);
  }
  for (const Sequence& s : src_.sequences) {
    if (!s.owned_by_table || !table_step_.count(*s.owned_by_table)) continue;
    int id = AddSql("tables", "sequence " + s.name.Display() + " owned by its column",
                    ddl_.SequenceOwnedBy(s), {table_step_[*s.owned_by_table]});
    const Sequence* existing = dst_.FindSequence(s.name);
    if (existing && existing->owned_by_table == s.owned_by_table &&
        existing->owned_by_column == s.owned_by_column) {
      out_.plan.Skip(id, "already on target");
    }
  }
}

void PlanBuilder::AddData() {
  for (const Table& t : src_.tables) {
    if (!t.has_storage() || !table_step_.count(t.name)) continue;
    Step s;
    s.kind = StepKind::kCopyData;
    s.phase = "data";
    s.description = "copy data " + t.name.Display();
    s.table = t.name;
    s.table_preexisting = dst_.FindTable(t.name) != nullptr;
    s.replace_rows = options_.on_existing == OnExisting::kReplace;
    s.sql = ddl_.DataStepSql(t);
    s.priority = t.estimated_bytes;
    s.deps = {table_step_[t.name]};
    int id = out_.plan.Add(std::move(s));
    data_step_[t.name] = id;
    all_data_.push_back(id);
  }
}

void PlanBuilder::AddConstraint(const Table& t, const Constraint& c) {
  using Kind = Constraint::Kind;
  if (!pgddl::IsPostDataConstraint(c) || c.kind == Kind::kForeignKey) return;
  if (c.kind == Kind::kCheck && !c.local) return;  // inherited from the parent
  std::vector<int> deps = {table_step_[t.name]};
  if (data_step_.count(t.name)) deps.push_back(data_step_[t.name]);
  if (c.kind == Kind::kCheck && t.has_inheritance_children) {
    deps = TableSteps(t.name);  // it reaches the children: they and their rows come first
  }
  std::vector<int> ops = OperatorStepsForIndex({t.name.schema, c.index_name});  // its opclasses
  deps.insert(deps.end(), ops.begin(), ops.end());
  std::string sql = ddl_.AddConstraint(t, c) + ddl_.ConstraintComment(t.name, c);
  const Constraint* parent = nullptr;
  if (!c.parent_constraint.empty() && t.partition_parent) {
    auto it = constraint_step_.find({*t.partition_parent, c.parent_constraint});
    parent = FindConstraint(src_.FindTable(*t.partition_parent), c.parent_constraint);
    if (it == constraint_step_.end()) parent = nullptr;
    if (parent != nullptr) {
      deps.push_back(it->second);
      sql += ddl_.AttachIndex({t.partition_parent->schema, parent->index_name},
                              {t.name.schema, c.index_name});
    }
  }
  int id = AddSql("constraints", "add constraint " + c.name + " on " + t.name.Display(), sql, deps,
                  t.estimated_bytes);
  const Table* existing = dst_.FindTable(t.name);
  std::optional<std::string> have;
  if (const Constraint* ec = FindConstraint(existing, c.name)) {
    have = ddl_.AddConstraint(*existing, *ec) + ddl_.ConstraintComment(t.name, *ec);
  }
  if (have && parent != nullptr) {
    have = *have + ddl_.AttachIndex({t.partition_parent->schema, parent->index_name},
                                    {t.name.schema, c.index_name});
  }
  AlreadyThere(id, "constraint " + c.name + " on " + t.name.Display(), sql, have,
               ddl_.DropConstraint(t.name, c.name));
  constraint_step_[{t.name, c.name}] = id;
  structure_steps_[t.name].push_back(id);
  if (c.kind != Kind::kCheck) unique_steps_[t.name].push_back(id);
  all_structure_.push_back(id);
}

void PlanBuilder::AddIndex(const Table& t, const Index& index) {
  std::vector<int> deps = OperatorStepsForIndex({t.name.schema, index.name});  // its opclasses
  deps.push_back(table_step_[t.name]);
  if (data_step_.count(t.name)) deps.push_back(data_step_[t.name]);
  std::string sql = IndexSql(t.name, index);
  if (index.parent_index && index_step_.count(*index.parent_index)) {
    deps.push_back(index_step_[*index.parent_index]);
    sql += ddl_.AttachIndex(*index.parent_index, {t.name.schema, index.name});
  }
  int id = AddSql("indexes", "create index " + index.name + " on " + t.name.Display(), sql, deps,
                  t.estimated_bytes);
  std::optional<std::string> have;
  if (const Index* ei = FindIndex(dst_.FindTable(t.name), index.name)) {
    have = IndexSql(t.name, *ei);
    if (ei->parent_index && index_step_.count(*ei->parent_index)) {
      have = *have + ddl_.AttachIndex(*ei->parent_index, {t.name.schema, ei->name});
    }
  }
  AlreadyThere(id, "index " + index.name + " on " + t.name.Display(), sql, have,
               ddl_.DropIndex({t.name.schema, index.name}));
  index_step_[{t.name.schema, index.name}] = id;
  structure_steps_[t.name].push_back(id);
  all_structure_.push_back(id);
}

// What an index's creation runs: CREATE INDEX, its column statistics targets (PostgreSQL) and
// its comment.
std::string PlanBuilder::IndexSql(const QualifiedName& relation, const Index& index) const {
  std::string targets =
      IsRedshift(dst_.server.dialect) ? "" : pgddl::IndexStatistics(relation, index);
  return ddl_.CreateIndex(index) + targets + ddl_.IndexComment(relation, index);
}

void PlanBuilder::AddConstraintsAndIndexes() {
  // Tables are visited parents first (the order of table_step_ ids) so partition constraints
  // and indexes can attach to their parent's.
  std::vector<const Table*> order;
  for (const Table& t : src_.tables) {
    if (table_step_.count(t.name)) order.push_back(&t);
  }
  std::sort(order.begin(), order.end(), [&](const Table* a, const Table* b) {
    return table_step_[a->name] < table_step_[b->name];
  });
  for (const Table* t : order) {
    for (const Constraint& c : t->constraints) AddConstraint(*t, c);
    for (const Index& i : t->indexes) AddIndex(*t, i);
    if (!t->cluster_index.empty()) AddClusterOn(*t);
    for (const ExtendedStatistics& s : t->statistics) AddStatistics(*t, s);
  }
}

// CREATE STATISTICS after the table's rows (PostgreSQL only: the Redshift extractor finds none),
// owned as on the source once the owner role exists.
void PlanBuilder::AddStatistics(const Table& t, const ExtendedStatistics& s) {
  std::vector<int> deps = {table_step_[t.name]};
  if (data_step_.count(t.name)) deps.push_back(data_step_[t.name]);
  const Table* e = dst_.FindTable(t.name);
  AddStatisticsStep(s, std::move(deps), e ? FindNamed(e->statistics, s.name) : nullptr);
}

// One CREATE STATISTICS step after `deps` and the roles; `existing` is the target's object of
// that name, or null.
void PlanBuilder::AddStatisticsStep(const ExtendedStatistics& s, std::vector<int> deps,
                                    const ExtendedStatistics* existing) {
  if (IsRedshift(dst_.server.dialect)) return;
  deps.insert(deps.begin(), role_steps_.begin(), role_steps_.end());
  std::string owner = access_.Available(s.owner) ? access_.TargetRole(s.owner) : "";
  std::string sql = pgddl::CreateStatistics(s, owner);
  int id = AddSql("indexes", "create statistics " + s.name.Display(), sql, std::move(deps));
  std::optional<std::string> have;
  if (existing != nullptr) have = pgddl::CreateStatistics(*existing, existing->owner);
  AlreadyThere(id, "statistics " + s.name.Display(), sql, have,
               "DROP STATISTICS IF EXISTS " + QuoteName(s.name) + ";\n");
}

// CLUSTER ON, once the table's indexes and constraints exist (the index may be either's).
void PlanBuilder::AddClusterOn(const Table& t) {
  std::vector<int> deps = {table_step_[t.name]};
  const std::vector<int>& structure = structure_steps_[t.name];
  deps.insert(deps.end(), structure.begin(), structure.end());
  std::string sql = ddl_.ClusterOn(t.name, t.cluster_index);
  if (sql.empty()) return;  // the target's dialect has no CLUSTER ON
  int id = AddSql("indexes", "cluster " + t.name.Display() + " on " + t.cluster_index, sql, deps);
  const Table* existing = dst_.FindTable(t.name);
  if (existing != nullptr && existing->cluster_index == t.cluster_index) {
    out_.plan.Skip(id, "already on target");
  }
}

void PlanBuilder::AddForeignKeys() {
  for (const Table& t : src_.tables) {
    if (!table_step_.count(t.name)) continue;
    for (const Constraint& c : t.constraints) {
      if (c.kind != Constraint::Kind::kForeignKey || !c.parent_constraint.empty()) continue;
      std::vector<int> deps = TableSteps(t.name);
      if (c.references && !table_step_.count(*c.references)) {
        out_.warnings.push_back("foreign key " + c.name + " on " + t.name.Display() +
                                " references " + c.references->Display() +
                                ", outside the tenant: it will fail unless that table exists on "
                                "the target");
      }
      if (c.references) {
        std::vector<int> ref = TableSteps(*c.references);
        deps.insert(deps.end(), ref.begin(), ref.end());
      }
      std::string sql = ddl_.AddConstraint(t, c) + ddl_.ConstraintComment(t.name, c);
      int id = AddSql("foreign keys", "add foreign key " + c.name + " on " + t.name.Display(), sql,
                      deps);
      const Table* existing = dst_.FindTable(t.name);
      std::optional<std::string> have;
      if (const Constraint* ec = FindConstraint(existing, c.name)) {
        have = ddl_.AddConstraint(*existing, *ec) + ddl_.ConstraintComment(t.name, *ec);
      }
      AlreadyThere(id, "foreign key " + c.name + " on " + t.name.Display(), sql, have,
                   ddl_.DropConstraint(t.name, c.name));
      structure_steps_[t.name].push_back(id);
      all_structure_.push_back(id);
    }
  }
}

// The steps after which a table is complete: its data and its PK/UNIQUE constraints. For a
// partitioned table or an INHERITS parent, those of every child below it too (reading the
// parent reads theirs).
std::vector<int> PlanBuilder::TableSteps(const QualifiedName& table) const {
  std::vector<int> out;
  if (auto it = table_step_.find(table); it != table_step_.end()) out.push_back(it->second);
  if (auto it = data_step_.find(table); it != data_step_.end()) out.push_back(it->second);
  if (auto it = unique_steps_.find(table); it != unique_steps_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  for (const QualifiedName& child : Children(table)) {
    std::vector<int> sub = TableSteps(child);
    out.insert(out.end(), sub.begin(), sub.end());
  }
  return out;
}

const std::vector<QualifiedName>& PlanBuilder::Children(const QualifiedName& table) const {
  if (!children_) {  // one pass over the tables instead of one per lookup (issue 14)
    children_.emplace();
    for (const Table& t : src_.tables) {
      if (t.partition_parent) (*children_)[*t.partition_parent].push_back(t.name);
      for (const QualifiedName& parent : t.inherits) {
        if (parent != t.partition_parent) (*children_)[parent].push_back(t.name);
      }
    }
  }
  static const std::vector<QualifiedName> kNone;
  auto it = children_->find(table);
  return it == children_->end() ? kNone : it->second;
}

// Owners are set per table, after that table is complete (its data, constraints and indexes:
// ALTER ... OWNER locks it), so one failed table holds back only its own; everything else
// gets its owner in one step once it exists.
namespace {

// The owner changes of everything but tables, in parts of at most kStatements statements, so
// that no transaction locks more than that many objects (ALTER ... OWNER locks each one until
// commit; the shared lock table is max_locks_per_transaction x max_connections entries).
struct OwnerParts {
  static constexpr int kStatements = 500;
  std::vector<std::string> parts{std::string()};
  int in_last = 0;

  void operator+=(const std::string& sql) {
    if (sql.empty()) return;
    if (in_last == kStatements) {
      parts.emplace_back();
      in_last = 0;
    }
    parts.back() += sql;
    ++in_last;
  }
};

}  // namespace

void PlanBuilder::AddOwners() {
  OwnerParts common;
  auto owner = [&](const std::string& what, const std::string& want,
                   const std::optional<std::string>& have, auto object, auto render) {
    if (want.empty()) return std::string();
    if (!access_.Available(want)) {
      out_.warnings.push_back("owner role \"" + want + "\" of " + what +
                              " does not move to the target; object left owned by " +
                              dst_.server.current_user);
      return std::string();
    }
    object.owner = access_.TargetRole(want);
    if (have && *have == object.owner) return std::string();
    if (!have && object.owner == dst_.server.current_user) return std::string();  // we create it
    return std::string(render(object));
  };
  for (const Schema& s : src_.schemas) {
    const Schema* e = dst_.FindSchema(s.name);
    common += owner("schema " + s.name, s.owner, e ? std::optional(e->owner) : std::nullopt, s,
                    [this](const auto& x) { return ddl_.SchemaOwner(x); });
  }
  for (const UserType& t : src_.types) {
    const UserType* e = dst_.FindType(t.name);
    common += owner("type " + t.name.Display(), t.owner, e ? std::optional(e->owner) : std::nullopt,
                    t, [this](const auto& x) { return ddl_.TypeOwner(x); });
  }
  for (const Sequence& q : src_.sequences) {
    // A sequence owned by a column always has its table's owner, and follows it: PostgreSQL
    // refuses to change it on its own.
    if (q.owned_by_table) continue;
    const Sequence* e = dst_.FindSequence(q.name);
    common +=
        owner("sequence " + q.name.Display(), q.owner, e ? std::optional(e->owner) : std::nullopt,
              q, [this](const auto& x) { return ddl_.SequenceOwner(x); });
  }
  for (const Routine& r : src_.routines) {
    const Routine* e = dst_.FindRoutine(r.name, r.identity_args);
    common += owner("routine " + r.name.Display() + "(" + r.identity_args + ")", r.owner,
                    e ? std::optional(e->owner) : std::nullopt, r,
                    [this](const Routine& x) { return ddl_.RoutineOwner(x); });
  }
  for (const View& v : src_.views) {
    const View* e = dst_.FindView(v.name);
    common += owner("view " + v.name.Display(), v.owner, e ? std::optional(e->owner) : std::nullopt,
                    v, [this](const View& x) { return ddl_.ViewOwner(x); });
  }
  std::vector<int> deps = role_steps_;
  for (const std::vector<int>* v :
       {&schema_steps_, &type_steps_, &seq_steps_, &late_steps_, &refresh_steps_, &hook_steps_}) {
    deps.insert(deps.end(), v->begin(), v->end());
  }
  for (const auto& [ref, id] : object_step_) deps.push_back(id);
  // Every part but the last runs on its own; the last ("set owners", what grants wait for)
  // waits for them too.
  const size_t n = common.parts.size();
  std::vector<int> last = deps;
  for (size_t i = 0; i + 1 < n; ++i) {
    last.push_back(AddSql("owners", fmt::format("set owners (part {} of {})", i + 1, n),
                          common.parts[i], deps));
  }
  common_owner_step_ = AddSql("owners", "set owners", common.parts.back(), last);
  if (n == 1 && common.parts.back().empty()) {
    out_.plan.Skip(common_owner_step_, "owners already as on the source");
  }
  for (const Table& t : src_.tables) {
    if (!table_step_.count(t.name)) continue;
    const Table* e = dst_.FindTable(t.name);
    std::string sql =
        owner("table " + t.name.Display(), t.owner, e ? std::optional(e->owner) : std::nullopt, t,
              [this](const auto& x) { return ddl_.TableOwner(x); });
    std::vector<int> tdeps = role_steps_;
    for (int d : TableSteps(t.name)) tdeps.push_back(d);
    // Also after its triggers and rules: creating them rewrites the table's pg_class row too.
    for (const auto* m : {&structure_steps_, &relation_hook_steps_}) {
      if (auto st = m->find(t.name); st != m->end()) {
        tdeps.insert(tdeps.end(), st->second.begin(), st->second.end());
      }
    }
    int id = AddSql("owners", "set owner of " + t.name.Display(), sql, tdeps);
    for (const Column& c : t.columns) {
      if (c.identity != '\0') identity_table_[{t.name.schema, c.identity_sequence}] = t.name;
    }
    if (sql.empty()) out_.plan.Skip(id, "owner already as on the source");
    table_owner_step_[t.name] = id;
  }
}

// What a privilege on `o` waits for: the object's creation and its owner step (the grantor
// acts as the owner).
std::vector<int> PlanBuilder::AccessDeps(const ObjectRef& o) const {
  std::vector<int> deps = {common_owner_step_};
  auto add = [&](const auto& map, const auto& key) {
    if (auto it = map.find(key); it != map.end()) deps.push_back(it->second);
  };
  switch (o.kind) {
    case ObjectKind::kSchema:
      add(schema_step_, o.name.schema);
      break;
    case ObjectKind::kTable:
      add(table_step_, o.name);
      add(table_owner_step_, o.name);
      break;
    case ObjectKind::kSequence:
      add(seq_step_, o.name);
      if (auto it = identity_table_.find(o.name); it != identity_table_.end()) {
        add(table_step_, it->second);  // an identity sequence comes with its table
        add(table_owner_step_, it->second);
      }
      break;
    case ObjectKind::kType:
      add(type_step_, o.name);
      break;
    case ObjectKind::kView:
      add(object_step_, DependencyRef{DependencyKind::kView, o.name, ""});
      break;
    case ObjectKind::kMaterializedView:
      add(object_step_, DependencyRef{DependencyKind::kMaterializedView, o.name, ""});
      break;
    case ObjectKind::kFunction:
    case ObjectKind::kProcedure:
      add(object_step_, DependencyRef{DependencyKind::kRoutine, o.name, o.arguments});
      break;
    case ObjectKind::kDatabase:
      break;  // exists before the run
  }
  return deps;
}

// Sequence values are set after the data that used them: a table's identity sequences and the
// sequences it owns once its rows are in, free-standing sequences once created. One failed
// table thus holds back only its own sequences.
void PlanBuilder::AddSequenceValues() {
  std::map<QualifiedName, std::string> per_table;
  std::string loose;
  for (const Sequence& s : src_.sequences) {
    bool owned = s.owned_by_table && table_step_.count(*s.owned_by_table);
    (owned ? per_table[*s.owned_by_table] : loose) += ddl_.SetSequenceValue(s.name, s.state);
  }
  for (const Table& t : src_.tables) {
    if (!table_step_.count(t.name) || t.partition_parent)
      continue;  // partitions share the parent's
    for (const Column& c : t.columns) {
      // Redshift identity columns have no sequence: their counter is not set from outside.
      if (c.identity == '\0' || c.identity_sequence.empty()) continue;
      per_table[t.name] +=
          ddl_.SetSequenceValue({t.name.schema, c.identity_sequence}, c.identity_state);
    }
  }
  for (const auto& [table, sql] : per_table) {
    AddSql("sequence values", "set sequence values of " + table.Display(), sql, TableSteps(table));
  }
  if (!loose.empty()) AddSql("sequence values", "set sequence values", loose, seq_steps_);
}

void PlanBuilder::AddAnalyzeAndValidate() {
  for (const Table& t : src_.tables) {
    if (!table_step_.count(t.name)) continue;
    std::vector<int> deps = TableSteps(t.name);
    auto st = structure_steps_.find(t.name);
    if (st != structure_steps_.end()) deps.insert(deps.end(), st->second.begin(), st->second.end());
    // ANALYZE of a foreign table reads the remote rows through its server: left to the user.
    if (t.foreign()) continue;
    AddSql("analyze", "analyze " + t.name.Display(), "ANALYZE " + QuoteName(t.name) + ";\n", deps,
           t.estimated_bytes);
    if (!options_.validate || !data_step_.count(t.name)) continue;
    Step v;
    v.kind = StepKind::kValidate;
    v.phase = "validate";
    v.description = "validate " + t.name.Display();
    v.table = t.name;
    v.priority = t.estimated_bytes;
    // After the table's indexes and constraints: their builds lock the table, and a check
    // waiting for them would hold a worker idle.
    v.deps = {data_step_[t.name]};
    if (st != structure_steps_.end())
      v.deps.insert(v.deps.end(), st->second.begin(), st->second.end());
    v.sql = "-- row count and checksum of " + QuoteName(t.name) + " on both sides\n";
    out_.plan.Add(std::move(v));
  }
}

// Objects of kinds tenantshift does not move become manual steps, each named, so none is
// dropped silently.
void PlanBuilder::AddNotMoved() {
  for (const NotMovedObject& o : src_.not_moved) {
    std::string why =
        "tenantshift does not move this kind of object or property yet: create it on the "
        "target by hand (pg_dump --schema-only shows its definition)";
    out_.manual_steps.push_back({o.kind + " " + o.name, why, ""});
    ++out_.not_moved;
  }
  // What a Redshift source's extractor could not recreate (Catalog::unmoved); for a Redshift
  // target AdaptForRedshift has listed these already.
  if (!IsRedshift(dst_.server.dialect)) {
    for (const Unmoved& u : src_.unmoved) {
      out_.manual_steps.push_back({u.what, u.why, u.sql, u.security});
    }
  }
}

// Preflight: what tenant objects use from outside the tenant and tenantshift does not create
// must be on the target already; each one missing there is an error, so nothing starts.
void PlanBuilder::CheckExternalObjects() {
  for (const ExternalObject& o : dst_.missing_external) {
    out_.target_errors.push_back(fmt::format(
        "{} is used by {} but does not exist on the target, and tenantshift does not create it "
        "(it is outside the tenant's schemas): create it on the target first",
        o.Display(), o.used_by));
  }
}

PlannedMigration PlanBuilder::Build() {
  role_steps_ = access_.AddRoles();
  AddSchemas();
  AddExtensions();
  AddNotMoved();
  CheckExternalObjects();
  AddSequences();
  AddTextSearchParsersAndTemplates();
  AddTextSearch();
  AddTypesAndEarlyRoutines();
  AddOperators();
  AddTables();
  AddData();
  AddConstraintsAndIndexes();
  AddForeignKeys();
  AddLateObjects();
  AddTriggersAndRules();
  AddOwners();
  access_.AddAccess(role_steps_, [this](const ObjectRef& o) { return AccessDeps(o); });
  AddSequenceValues();
  AddAnalyzeAndValidate();
  return std::move(out_);
}

namespace {

// --on-existing replace: the target's tables that differ from the source's (and their
// partitions, which go with them), and the target catalog as it will be once they are dropped.
std::set<QualifiedName> TablesToReplace(const Catalog& source, const Catalog& target) {
  const DdlRenderer& ddl = RendererFor(target.server.dialect);
  std::set<QualifiedName> out;
  for (const Table& t : source.tables) {
    const Table* e = target.FindTable(t.name);
    if (e != nullptr && TableDefinition(ddl, *e) != TableDefinition(ddl, t)) out.insert(t.name);
  }
  for (size_t added = 1; added > 0;) {
    added = 0;
    for (const Table& e : target.tables) {
      if (e.partition_parent && out.count(*e.partition_parent) && !out.count(e.name)) {
        added += out.insert(e.name).second ? 1 : 0;
      }
    }
  }
  return out;
}

Catalog WithoutTables(Catalog c, const std::set<QualifiedName>& gone) {
  std::erase_if(c.tables, [&](const Table& t) { return gone.count(t.name) > 0; });
  std::erase_if(c.acls, [&](const ObjectAcl& a) {
    return a.object.kind == ObjectKind::kTable && gone.count(a.object.name) > 0;
  });
  std::erase_if(c.triggers, [&](const Trigger& t) { return gone.count(t.relation) > 0; });
  std::erase_if(c.rules, [&](const Rule& r) { return gone.count(r.relation) > 0; });
  return c;
}

PlannedMigration BuildPlanAsIs(const Catalog& source, const Catalog& target,
                               const PlanOptions& options) {
  if (options.on_existing != OnExisting::kReplace) {
    return PlanBuilder(source, target, options).Build();
  }
  std::set<QualifiedName> replaced = TablesToReplace(source, target);
  Catalog pruned = WithoutTables(target, replaced);
  PlanBuilder builder(source, pruned, options);
  builder.ReplaceTables(replaced);
  return builder.Build();
}

}  // namespace

PlannedMigration BuildPlan(const Catalog& source, const Catalog& target,
                           const PlanOptions& options) {
  if (target.server.dialect == Dialect::kPostgres) return BuildPlanAsIs(source, target, options);
  // Redshift: first convert what the target cannot hold, each conversion reported.
  RedshiftAdaptation a = AdaptForRedshift(source, target.server, &target);
  PlannedMigration pm = BuildPlanAsIs(a.source, target, options);
  pm.warnings.insert(pm.warnings.begin(), a.warnings.begin(), a.warnings.end());
  pm.manual_steps.insert(pm.manual_steps.begin(), a.manual_steps.begin(), a.manual_steps.end());
  pm.source_errors.insert(pm.source_errors.end(), a.errors.begin(), a.errors.end());
  return pm;
}

std::vector<std::string> RolesToCreate(const Catalog& source, const Catalog& target,
                                       const PlanOptions& options) {
  std::vector<std::string> out;
  for (const Principal& p : SelectPrincipals(source, options.principals).principals) {
    if (target.FindRole(p.name) == nullptr) out.push_back(p.name);
  }
  return out;
}

std::string RenderPlanSql(const Plan& plan) {
  // Reserved up front: grown by doubling, the text of a 10,000-table plan would take twice its
  // size at the moment the whole plan is also in memory.
  size_t size = 0;
  for (const Step& s : plan.steps()) {
    size += s.description.size() + s.phase.size() + s.skip_reason.size() + s.sql.size() + 48;
  }
  std::string out;
  out.reserve(size);
  for (int id : plan.TopologicalOrder()) {
    const Step& s = plan.step(id);
    // Names in descriptions may hold line breaks: they must not end the comment.
    out += fmt::format("-- step {}: {} [{}]", id + 1, CommentText(s.description), s.phase);
    if (s.state == StepState::kSkipped) {
      out += " -- skipped: " + CommentText(s.skip_reason) + "\n";
      continue;
    }
    out += "\n" + s.sql;
  }
  return out;
}

}  // namespace tenantshift
