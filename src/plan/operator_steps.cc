// The planner's phases for operators, operator families and classes, conversions, and text
// search parsers and templates (PostgreSQL only), as pg_dump orders them: each after the
// functions, types and operators it uses, and before the tables, indexes, views and routines
// that use it.
#include <fmt/format.h>

#include <algorithm>

#include "ddl/postgres/pg_operator_renderer.h"
#include "ddl/quote.h"
#include "plan/plan_builder.h"

namespace tenantshift {
namespace {

// Why a parser, template, operator family or class is a manual step on a target whose session
// is not a superuser (PostgreSQL creates these for superusers only).
std::string NeedsSuperuser(const std::string& statement, const std::string& user) {
  return fmt::format(
      "{} needs a superuser on the target, and the target session (role \"{}\") is not one: "
      "a superuser must create it by hand (the statement follows)",
      statement, user);
}

// The element of `items` whose identity is `identity`, or null: operators, families and classes
// are told apart by identity (argument types, access method), not by name alone.
template <typename T>
const T* FindByIdentity(const std::vector<T>& items, const std::string& identity) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& x) { return x.identity == identity; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string PlanBuilder::OwnerOnTarget(const std::string& source_role) const {
  return access_.Available(source_role) ? access_.TargetRole(source_role) : std::string();
}

int PlanBuilder::AddOperatorStep(const OperatorStepSpec& o) {
  if (!o.superuser_statement.empty() && !dst_.server.superuser) {
    if (o.existing && *o.existing == o.sql) return -1;  // already on the target: nothing to do
    out_.manual_steps.push_back(
        {o.what, NeedsSuperuser(o.superuser_statement, dst_.server.current_user), o.sql});
    ++out_.not_moved;
    return -1;
  }
  std::vector<int> deps = role_steps_;
  deps.insert(deps.end(), schema_steps_.begin(), schema_steps_.end());
  for (const DependencyRef& r : o.links->routines) {
    if (auto it = object_step_.find(r); it != object_step_.end()) deps.push_back(it->second);
  }
  for (const QualifiedName& t : o.links->types) {
    if (auto it = type_step_.find(t); it != type_step_.end()) deps.push_back(it->second);
  }
  auto add = [&](const std::string& kind, const std::vector<std::string>& identities) {
    for (const std::string& id : identities) {
      auto it = operator_step_.find(kind + id);
      if (it != operator_step_.end()) deps.push_back(it->second);
    }
  };
  add("operator ", o.links->operators);
  add("operator family ", o.links->families);
  std::sort(deps.begin(), deps.end());
  deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
  int id = AddSql(o.phase, "create " + o.what, o.sql, std::move(deps));
  AlreadyThere(id, o.what, o.sql, o.existing, o.drop);
  operator_step_[o.what] = id;
  for (const DependencyRef& user : o.links->used_by) operator_users_[user].push_back(id);
  for (const QualifiedName& index : o.links->used_by_indexes) {
    operator_indexes_[index].push_back(id);
  }
  return id;
}

// Parsers and templates have no owner and need a superuser on the target.
void PlanBuilder::AddTextSearchParsersAndTemplates() {
  if (IsRedshift(dst_.server.dialect)) return;
  for (const TextSearchParser& p : src_.operator_objects.ts_parsers) {
    const TextSearchParser* e = FindNamed(dst_.operator_objects.ts_parsers, p.name);
    int id = AddOperatorStep({"types", "text search parser " + p.name.Display(),
                              pgddl::CreateTextSearchParser(p),
                              e ? std::optional(pgddl::CreateTextSearchParser(*e)) : std::nullopt,
                              "DROP TEXT SEARCH PARSER IF EXISTS " + QuoteName(p.name) + ";\n",
                              &p.links, "CREATE TEXT SEARCH PARSER"});
    if (id >= 0) ts_parser_step_[p.name] = id;
  }
  for (const TextSearchTemplate& t : src_.operator_objects.ts_templates) {
    const TextSearchTemplate* e = FindNamed(dst_.operator_objects.ts_templates, t.name);
    int id = AddOperatorStep({"types", "text search template " + t.name.Display(),
                              pgddl::CreateTextSearchTemplate(t),
                              e ? std::optional(pgddl::CreateTextSearchTemplate(*e)) : std::nullopt,
                              "DROP TEXT SEARCH TEMPLATE IF EXISTS " + QuoteName(t.name) + ";\n",
                              &t.links, "CREATE TEXT SEARCH TEMPLATE"});
    if (id >= 0) ts_template_step_[t.name] = id;
  }
}

// Conversions, operators (each after the tenant operators it names as commutator or negator
// that come before it: the first one creates the other as a shell, which the second fills in),
// then families (with their loose members) and the classes in them. Families and classes need a
// superuser on the target.
void PlanBuilder::AddOperators() {
  if (IsRedshift(dst_.server.dialect)) return;
  for (const Conversion& c : src_.operator_objects.conversions) {
    const Conversion* e = FindNamed(dst_.operator_objects.conversions, c.name);
    AddOperatorStep({"operators", "conversion " + c.name.Display(),
                     pgddl::CreateConversion(c, OwnerOnTarget(c.owner)),
                     e ? std::optional(pgddl::CreateConversion(*e, e->owner)) : std::nullopt,
                     "DROP CONVERSION IF EXISTS " + QuoteName(c.name) + ";\n", &c.links, ""});
  }
  for (const Operator& op : src_.operator_objects.operators) {
    const Operator* e = FindByIdentity(dst_.operator_objects.operators, op.identity);
    AddOperatorStep(
        {"operators", "operator " + op.identity, pgddl::CreateOperator(op, OwnerOnTarget(op.owner)),
         e ? std::optional(pgddl::CreateOperator(*e, e->owner)) : std::nullopt,
         "DROP OPERATOR IF EXISTS " + pgddl::OperatorSignature(op) + ";\n", &op.links, ""});
  }
  for (const OperatorFamily& f : src_.operator_objects.families) {
    const OperatorFamily* e = FindByIdentity(dst_.operator_objects.families, f.identity);
    AddOperatorStep({"operators", "operator family " + f.identity,
                     pgddl::CreateOperatorFamily(f, OwnerOnTarget(f.owner)),
                     e ? std::optional(pgddl::CreateOperatorFamily(*e, e->owner)) : std::nullopt,
                     fmt::format("DROP OPERATOR FAMILY IF EXISTS {} USING {};\n", QuoteName(f.name),
                                 QuoteIdent(f.method)),
                     &f.links, "CREATE OPERATOR FAMILY"});
  }
  for (const OperatorClass& c : src_.operator_objects.classes) {
    const OperatorClass* e = FindByIdentity(dst_.operator_objects.classes, c.identity);
    AddOperatorStep({"operators", "operator class " + c.identity,
                     pgddl::CreateOperatorClass(c, OwnerOnTarget(c.owner)),
                     e ? std::optional(pgddl::CreateOperatorClass(*e, e->owner)) : std::nullopt,
                     fmt::format("DROP OPERATOR CLASS IF EXISTS {} USING {};\n", QuoteName(c.name),
                                 QuoteIdent(c.method)),
                     &c.links, "CREATE OPERATOR CLASS"});
  }
}

// The tenant routines that operators, families, classes and conversions call are created with
// the early routines, before these.
void PlanBuilder::AddOperatorRoutines(std::vector<DependencyRef>* todo) const {
  auto add = [todo](const OperatorLinks& l) {
    todo->insert(todo->end(), l.routines.begin(), l.routines.end());
  };
  for (const Operator& o : src_.operator_objects.operators) add(o.links);
  for (const OperatorFamily& f : src_.operator_objects.families) add(f.links);
  for (const OperatorClass& c : src_.operator_objects.classes) add(c.links);
  for (const Conversion& c : src_.operator_objects.conversions) add(c.links);
}

std::vector<int> PlanBuilder::OperatorStepsFor(const DependencyRef& user) const {
  auto it = operator_users_.find(user);
  return it == operator_users_.end() ? std::vector<int>() : it->second;
}

std::vector<int> PlanBuilder::OperatorStepsForIndex(const QualifiedName& index) const {
  auto it = operator_indexes_.find(index);
  return it == operator_indexes_.end() ? std::vector<int>() : it->second;
}

}  // namespace tenantshift
