// The planner's phases for extensions, routines, views, materialized views, triggers and rules.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "ddl/postgres/pg_renderer.h"
#include "ddl/quote.h"
#include "plan/plan_builder.h"
#include "plan/topo_sort.h"

namespace tenantshift {
namespace {

std::string RoutineWord(const Routine& r) {
  std::string word = RendererFor(Dialect::kPostgres).RoutineKeyword(r);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

std::string RoutineDisplay(const Routine& r) {
  return RoutineWord(r) + " " + r.name.Display() + "(" + r.identity_args + ")";
}

std::string ViewDisplay(const View& v) {
  return (v.materialized ? "materialized view " : "view ") + v.name.Display();
}

std::string RoutineSql(const DdlRenderer& ddl, const Routine& r) {
  return ddl.CreateRoutine(r) + ddl.RoutineComment(r);
}

std::string ViewSql(const DdlRenderer& ddl, const View& v) {
  return ddl.CreateView(v) + ddl.ViewComments(v);
}

void SortUnique(std::vector<int>* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

std::vector<int> Concat(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Indexes in `nodes` of the refs each node's `refs_of(node)` lists, for TopoSort.
std::vector<std::vector<int>> Graph(
    const std::vector<DependencyRef>& nodes,
    const std::function<std::vector<DependencyRef>(const DependencyRef&)>& refs_of) {
  std::map<DependencyRef, int> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i]] = static_cast<int>(i);
  std::vector<std::vector<int>> graph(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const DependencyRef& ref : refs_of(nodes[i])) {
      auto it = index.find(ref);
      if (it != index.end()) graph[i].push_back(it->second);
    }
  }
  return graph;
}

}  // namespace

void PlanBuilder::AddRefDeps(const std::string& who, const std::vector<DependencyRef>& refs,
                             bool with_data, std::vector<int>* deps) {
  for (const DependencyRef& ref : refs) {
    if (ref.kind == DependencyKind::kTable && table_step_.count(ref.name)) {
      if (with_data) {
        std::vector<int> steps = TableSteps(ref.name);
        deps->insert(deps->end(), steps.begin(), steps.end());
      } else {
        deps->push_back(table_step_.at(ref.name));
      }
    } else if (auto it = object_step_.find(ref); it != object_step_.end()) {
      deps->push_back(it->second);
    } else if (!src_.Contains(ref)) {
      std::string w =
          src_.FindSchema(ref.name.schema) != nullptr
              ? fmt::format("{} uses {}, which tenantshift does not migrate", who, ref.Display())
              : fmt::format(
                    "{} uses {}, outside the tenant: it will fail unless that "
                    "exists on the target",
                    who, ref.Display());
      if (warned_.insert(w).second) out_.warnings.push_back(w);
    }
  }
}

void PlanBuilder::ReportCycle(const std::vector<DependencyRef>& nodes,
                              const std::vector<int>& cycle) {
  if (cycle.empty()) return;
  std::vector<std::string> names;
  for (int i : cycle) names.push_back(nodes[i].Display());
  names.push_back(names.front());
  out_.source_errors.push_back(fmt::format(
      "dependency cycle on the source: {} (each needs the next); these objects cannot be "
      "created in any order",
      fmt::join(names, " -> ")));
}

// --------------------------------------------------------------------------------------------
// Extensions
// --------------------------------------------------------------------------------------------

void PlanBuilder::CheckExtension(const Extension& ext, int step) {
  auto it = dst_.server_extensions.find(ext.name);
  bool installed = it != dst_.server_extensions.end() && !it->second.schema.empty();
  if (installed && it->second.schema == ext.schema) {
    out_.plan.Skip(step, "already on target");
  } else if (installed) {
    out_.target_errors.push_back(fmt::format(
        "extension \"{}\" is installed on the target in schema \"{}\", but the tenant's objects "
        "use it from schema \"{}\" as on the source",
        ext.name, it->second.schema, ext.schema));
  } else if (it == dst_.server_extensions.end() || !it->second.available) {
    out_.target_errors.push_back(fmt::format(
        "extension \"{}\" is needed by the tenant's objects or installed in a tenant schema but "
        "is not available on the target (not in pg_available_extensions): install it on the "
        "target server first",
        ext.name));
  } else if (!dst_.all_schemas.count(ext.schema) && src_.FindSchema(ext.schema) == nullptr) {
    out_.target_errors.push_back(fmt::format(
        "extension \"{}\" lives in schema \"{}\" on the source, which does not exist on the target",
        ext.name, ext.schema));
  }
}

void PlanBuilder::AddExtensions() {
  for (const Extension& ext : src_.extensions) {
    int id = AddSql("extensions", "create extension " + ext.name, ddl_.CreateExtension(ext),
                    schema_steps_);
    CheckExtension(ext, id);
    ext_steps_.push_back(id);
  }
}

// --------------------------------------------------------------------------------------------
// Types and the routines that tables and types need
// --------------------------------------------------------------------------------------------

// The tenant routines that column defaults, generated columns, CHECKs, index expressions and
// domains call, and every tenant routine those need in turn.
std::set<DependencyRef> PlanBuilder::EarlyRoutines() const {
  std::vector<DependencyRef> todo;
  for (const Table& t : src_.tables) todo.insert(todo.end(), t.routines.begin(), t.routines.end());
  for (const UserType& t : src_.types) {
    todo.insert(todo.end(), t.routines.begin(), t.routines.end());
  }
  AddOperatorRoutines(&todo);
  std::set<DependencyRef> early;
  while (!todo.empty()) {
    DependencyRef ref = todo.back();
    todo.pop_back();
    const Routine* r = src_.FindRoutine(ref.name, ref.args);
    if (r == nullptr || !early.insert(ref).second) continue;
    for (const DependencyRef& d : r->depends_on) {
      if (d.kind == DependencyKind::kRoutine) todo.push_back(d);
    }
  }
  return early;
}

void PlanBuilder::AddType(const UserType& t, std::vector<int> deps) {
  std::string sql = ddl_.CreateType(t) + ddl_.TypeComment(t);
  int id = AddSql("types", "create type " + t.name.Display(), sql, std::move(deps));
  const UserType* existing = dst_.FindType(t.name);
  AlreadyThere(id, "type " + t.name.Display(), sql,
               existing ? std::optional(ddl_.CreateType(*existing) + ddl_.TypeComment(*existing))
                        : std::nullopt,
               existing ? ddl_.DropType(*existing) : "");
  type_step_[t.name] = id;
  type_steps_.push_back(id);
  object_step_[{DependencyKind::kType, t.name, ""}] = id;
}

void PlanBuilder::AddRoutine(const Routine& r, std::vector<int> deps) {
  deps = Concat(std::move(deps), OperatorStepsFor(r.ref()));
  SortUnique(&deps);
  std::string sql = RoutineSql(ddl_, r);
  int id = AddSql("functions", "create " + RoutineDisplay(r), ddl_.NoFunctionBodyChecks() + sql,
                  std::move(deps));
  const Routine* existing = dst_.FindRoutine(r.name, r.identity_args);
  AlreadyThere(id, RoutineDisplay(r), sql,
               existing ? std::optional(RoutineSql(ddl_, *existing)) : std::nullopt,
               existing ? ddl_.DropRoutine(*existing) : "");
  object_step_[r.ref()] = id;
}

// A routine created before the tables cannot need a tenant table, view or materialized view.
void PlanBuilder::CheckEarlyRoutine(const Routine& r) {
  for (const DependencyRef& d : r.depends_on) {
    if (d.kind == DependencyKind::kType || d.kind == DependencyKind::kRoutine ||
        !src_.Contains(d)) {
      continue;
    }
    out_.source_errors.push_back(
        fmt::format("{} is needed before the tables are created (by a column default, CHECK, "
                    "index or domain) but needs {}, which can only be created after them",
                    RoutineDisplay(r), d.Display()));
  }
}

// Dictionaries first, then each configuration after the tenant dictionaries it maps, owned as
// on the source once the owner role exists (pg_dump's order: dictionaries, then configurations).
void PlanBuilder::AddTextSearch() {
  if (IsRedshift(dst_.server.dialect)) return;
  auto owner_of = [&](const std::string& role) {
    return access_.Available(role) ? access_.TargetRole(role) : std::string();
  };
  std::map<QualifiedName, int> dict_step;
  for (const TextSearchDictionary& d : src_.ts_dictionaries) {
    std::vector<int> deps = Concat(role_steps_, schema_steps_);
    if (auto it = ts_template_step_.find(d.template_name); it != ts_template_step_.end()) {
      deps.push_back(it->second);
    }
    std::string sql = pgddl::CreateTextSearchDictionary(d, owner_of(d.owner));
    int id = AddSql("types", "create text search dictionary " + d.name.Display(), sql, deps);
    std::optional<std::string> have;
    if (const TextSearchDictionary* e = FindNamed(dst_.ts_dictionaries, d.name)) {
      have = pgddl::CreateTextSearchDictionary(*e, e->owner);
    }
    AlreadyThere(id, "text search dictionary " + d.name.Display(), sql, have,
                 "DROP TEXT SEARCH DICTIONARY IF EXISTS " + QuoteName(d.name) + " CASCADE;\n");
    dict_step[d.name] = id;
    ts_steps_.push_back(id);
  }
  for (const TextSearchConfiguration& c : src_.ts_configurations) {
    std::vector<int> deps = Concat(role_steps_, schema_steps_);
    if (auto it = ts_parser_step_.find(c.parser); it != ts_parser_step_.end()) {
      deps.push_back(it->second);
    }
    for (const TextSearchMapping& m : c.mappings) {
      for (const QualifiedName& d : m.dictionaries) {
        if (auto it = dict_step.find(d); it != dict_step.end()) deps.push_back(it->second);
      }
    }
    SortUnique(&deps);
    std::string sql = pgddl::CreateTextSearchConfiguration(c, owner_of(c.owner));
    int id = AddSql("types", "create text search configuration " + c.name.Display(), sql, deps);
    std::optional<std::string> have;
    if (const TextSearchConfiguration* e = FindNamed(dst_.ts_configurations, c.name)) {
      have = pgddl::CreateTextSearchConfiguration(*e, e->owner);
    }
    AlreadyThere(id, "text search configuration " + c.name.Display(), sql, have,
                 "DROP TEXT SEARCH CONFIGURATION IF EXISTS " + QuoteName(c.name) + " CASCADE;\n");
    ts_steps_.push_back(id);
  }
}

void PlanBuilder::AddTypesAndEarlyRoutines() {
  std::set<DependencyRef> early = EarlyRoutines();
  std::vector<DependencyRef> nodes;
  for (const UserType& t : src_.types) nodes.push_back({DependencyKind::kType, t.name, ""});
  for (const Routine& r : src_.routines) {
    if (early.count(r.ref())) nodes.push_back(r.ref());
  }
  std::vector<std::vector<int>> graph = Graph(nodes, [&](const DependencyRef& n) {
    std::vector<DependencyRef> refs;
    if (const UserType* t = n.kind == DependencyKind::kType ? src_.FindType(n.name) : nullptr) {
      for (const QualifiedName& d : t->depends_on) refs.push_back({DependencyKind::kType, d, ""});
      refs.insert(refs.end(), t->routines.begin(), t->routines.end());
    } else if (const Routine* r = src_.FindRoutine(n.name, n.args)) {
      refs = r->depends_on;
    }
    return refs;
  });
  // Text search objects are in base_steps_: a function body, column default or index may name a
  // configuration by regconfig, which pg_depend does not always record.
  base_steps_ = Concat(Concat(Concat(schema_steps_, ext_steps_), seq_steps_), ts_steps_);
  TopoOrder order = TopoSort(graph);
  for (int i : order.order) {
    std::vector<int> deps = base_steps_;
    for (int d : graph[i]) deps.push_back(object_step_.at(nodes[d]));
    if (nodes[i].kind == DependencyKind::kType) {
      AddType(*src_.FindType(nodes[i].name), std::move(deps));
      continue;
    }
    const Routine& r = *src_.FindRoutine(nodes[i].name, nodes[i].args);
    CheckEarlyRoutine(r);
    AddRefDeps(RoutineDisplay(r), r.depends_on, false, &deps);
    AddRoutine(r, std::move(deps));
  }
  ReportCycle(nodes, order.cycle);
}

// --------------------------------------------------------------------------------------------
// Routines, views and materialized views after the data
// --------------------------------------------------------------------------------------------

// A materialized view's indexes (each with its column statistics targets and comment) and its
// CLUSTER ON.
std::string PlanBuilder::ViewIndexesSql(const View& v) const {
  std::string sql;
  for (const Index& i : v.indexes) sql += IndexSql(v.name, i);
  if (!v.cluster_index.empty()) sql += ddl_.ClusterOn(v.name, v.cluster_index);
  return sql;
}

// What the creation step of a view runs: a materialized view that stays empty gets its indexes
// at once (the others get them after their refresh).
std::string PlanBuilder::ViewStepSql(const View& v, bool refreshed) const {
  return ViewSql(ddl_, v) + (v.materialized && !refreshed ? ViewIndexesSql(v) : "");
}

void PlanBuilder::AddViewStatistics(const View& v) {
  const View* e = dst_.FindView(v.name);
  for (const ExtendedStatistics& s : v.statistics) {
    AddStatisticsStep(s, {object_step_.at(v.ref())},
                      e ? FindNamed(e->statistics, s.name) : nullptr);
  }
}

void PlanBuilder::AddView(const View& v, std::vector<int> deps) {
  deps = Concat(std::move(deps), OperatorStepsFor(v.ref()));
  for (const Index& i : v.indexes) {
    deps = Concat(std::move(deps), OperatorStepsForIndex({v.name.schema, i.name}));
  }
  SortUnique(&deps);
  bool refreshed = v.materialized && v.populated;
  std::string sql = ViewStepSql(v, refreshed);
  int id = AddSql(v.materialized ? "materialized views" : "views", "create " + ViewDisplay(v), sql,
                  std::move(deps));
  const View* existing = dst_.FindView(v.name);
  AlreadyThere(id, ViewDisplay(v), sql,
               existing ? std::optional(ViewStepSql(*existing, refreshed)) : std::nullopt,
               existing ? ddl_.DropView(*existing) : "");
  object_step_[v.ref()] = id;
}

void PlanBuilder::AddLateObjects() {
  std::set<DependencyRef> early = EarlyRoutines();
  std::vector<DependencyRef> nodes;  // routines, then views, then materialized views
  for (const Routine& r : src_.routines) {
    if (!early.count(r.ref())) nodes.push_back(r.ref());
  }
  for (bool materialized : {false, true}) {
    for (const View& v : src_.views) {
      if (v.materialized == materialized) nodes.push_back(v.ref());
    }
  }
  auto refs_of = [&](const DependencyRef& n) {
    if (n.kind == DependencyKind::kRoutine) return src_.FindRoutine(n.name, n.args)->depends_on;
    return src_.FindView(n.name)->depends_on;
  };
  std::vector<std::vector<int>> graph = Graph(nodes, refs_of);
  TopoOrder order = TopoSort(graph);
  for (int i : order.order) {
    // What it uses comes from its refs (pg_depend): a failed type or early routine blocks only
    // the objects that use it.
    std::vector<int> deps = base_steps_;
    for (int d : graph[i]) deps.push_back(object_step_.at(nodes[d]));
    if (nodes[i].kind == DependencyKind::kRoutine) {
      const Routine& r = *src_.FindRoutine(nodes[i].name, nodes[i].args);
      AddRefDeps(RoutineDisplay(r), r.depends_on, /*with_data=*/false, &deps);
      AddRoutine(r, std::move(deps));
    } else {
      // Views wait for the data of the tables they read: creating one takes a lock that a
      // table being loaded holds until its COPY commits.
      const View& v = *src_.FindView(nodes[i].name);
      AddRefDeps(ViewDisplay(v), v.depends_on, /*with_data=*/true, &deps);
      AddView(v, std::move(deps));
    }
    late_steps_.push_back(object_step_.at(nodes[i]));
  }
  ReportCycle(nodes, order.cycle);
  for (int i : order.order) {
    if (nodes[i].kind != DependencyKind::kMaterializedView) continue;
    AddRefresh(*src_.FindView(nodes[i].name));
    AddViewStatistics(*src_.FindView(nodes[i].name));
  }
}

// REFRESH and the indexes of one populated materialized view, after its creation, the data of
// the tables it reads and the refreshes of the materialized views it reads, directly or through
// views. A routine on the way may read any table (pg_depend does not say which): then it waits
// for every table's data and every routine and view, as a routine's body may need them.
void PlanBuilder::AddRefresh(const View& v) {
  if (!v.populated) return;
  std::vector<int> deps = {object_step_.at(v.ref())};
  std::set<DependencyRef> seen;
  std::vector<DependencyRef> todo = v.depends_on;
  bool reads_routine = false;
  while (!todo.empty()) {
    DependencyRef ref = todo.back();
    todo.pop_back();
    if (!seen.insert(ref).second) continue;
    reads_routine = reads_routine || ref.kind == DependencyKind::kRoutine;
    if (ref.kind == DependencyKind::kTable) deps = Concat(std::move(deps), TableSteps(ref.name));
    const View* read = src_.FindView(ref.name);
    if (read == nullptr || ref.kind == DependencyKind::kTable ||
        ref.kind == DependencyKind::kRoutine) {
      continue;
    }
    todo.insert(todo.end(), read->depends_on.begin(), read->depends_on.end());
    if (ref.kind != DependencyKind::kMaterializedView) continue;
    if (auto it = refresh_step_.find(ref.name); it != refresh_step_.end()) {
      deps.push_back(it->second);
    } else {
      out_.warnings.push_back(
          fmt::format("{} is populated on the source but reads {}, which will not be: it is left "
                      "unpopulated on the target",
                      ViewDisplay(v), ref.Display()));
      return;
    }
  }
  if (reads_routine) deps = Concat(Concat(std::move(deps), all_data_), late_steps_);
  SortUnique(&deps);
  std::string sql = ddl_.RefreshMaterializedView(v) + ViewIndexesSql(v);
  int id = AddSql("materialized views", "refresh " + ViewDisplay(v), sql, std::move(deps));
  refresh_step_[v.name] = id;
  refresh_steps_.push_back(id);
  const View* e = dst_.FindView(v.name);
  if (e == nullptr || (!e->populated && e->indexes.empty())) return;  // not done yet
  if (!e->materialized || ViewStepSql(*e, true) != ViewStepSql(v, true)) {
    out_.plan.Skip(id, "the materialized view differs on target");  // a conflict already
    return;
  }
  auto state = [this](const View& m) {
    return (m.populated ? "populated\n" : "not populated\n") + ViewIndexesSql(m);
  };
  AlreadyThere(id, ViewDisplay(v) + " (its data and indexes)", state(v), state(*e));
}

// --------------------------------------------------------------------------------------------
// Triggers and rules
// --------------------------------------------------------------------------------------------

// A trigger or rule waits for its relation to be complete (its data in: none fires during the
// load) and for what it uses (its function). Nothing else: one failed table leaves the triggers
// and rules of the others runnable.
int PlanBuilder::AddHook(const std::string& phase, const std::string& what,
                         const QualifiedName& relation, const std::vector<DependencyRef>& refs,
                         const std::string& sql, const std::optional<std::string>& existing,
                         const std::string& verb, std::vector<int> deps) {
  if (table_step_.count(relation)) {
    deps = Concat(std::move(deps), TableSteps(relation));
  } else if (const View* v = src_.FindView(relation); v && object_step_.count(v->ref())) {
    deps.push_back(object_step_.at(v->ref()));
  }
  AddRefDeps(what, refs, /*with_data=*/false, &deps);
  SortUnique(&deps);
  int id = AddSql(phase, verb + what, sql, std::move(deps));
  AlreadyThere(id, what, sql, existing);
  hook_steps_.push_back(id);
  relation_hook_steps_[relation].push_back(id);
  return id;
}

void PlanBuilder::AddTriggersAndRules() {
  std::map<std::pair<QualifiedName, std::string>, int> created;  // (relation, name) -> step
  for (const Trigger& t : src_.triggers) {
    if (t.clone) continue;
    const Trigger* e = dst_.FindTrigger(t.relation, t.name);
    created[{t.relation, t.name}] =
        AddHook("triggers", "trigger " + t.name + " on " + t.relation.Display(), t.relation,
                t.depends_on, ddl_.CreateTrigger(t),
                e ? std::optional(ddl_.CreateTrigger(*e)) : std::nullopt, "create ", {});
  }
  // A partition's clone with an enabled state of its own: after the trigger it is cloned from,
  // on the nearest partitioned ancestor that has it.
  for (const Trigger& t : src_.triggers) {
    if (!t.clone) continue;
    std::vector<int> deps;
    for (const Table* p = src_.FindTable(t.relation); p != nullptr && p->partition_parent;
         p = src_.FindTable(*p->partition_parent)) {
      if (auto it = created.find({*p->partition_parent, t.name}); it != created.end()) {
        deps.push_back(it->second);
        break;
      }
    }
    const Trigger* e = dst_.FindTrigger(t.relation, t.name);
    AddHook("triggers", "trigger " + t.name + " on " + t.relation.Display(), t.relation, {},
            ddl_.CreateTrigger(t), e ? std::optional(ddl_.CreateTrigger(*e)) : std::nullopt,
            "set the enabled state of ", std::move(deps));
  }
  for (const Rule& r : src_.rules) {
    const Rule* e = dst_.FindRule(r.relation, r.name);
    AddHook("rules", "rule " + r.name + " on " + r.relation.Display(), r.relation, r.depends_on,
            ddl_.CreateRule(r), e ? std::optional(ddl_.CreateRule(*e)) : std::nullopt, "create ",
            {});
  }
}

}  // namespace tenantshift
