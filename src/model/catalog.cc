#include "model/catalog.h"

#include <utility>

namespace tenantshift {

const Schema* Catalog::FindSchema(const std::string& name) const {
  return indexes.schemas.Find(schemas, name, [](const Schema& s) { return s.name; });
}
const Table* Catalog::FindTable(const QualifiedName& name) const {
  return indexes.tables.Find(tables, name, [](const Table& t) { return t.name; });
}
const UserType* Catalog::FindType(const QualifiedName& name) const {
  return indexes.types.Find(types, name, [](const UserType& t) { return t.name; });
}
const Sequence* Catalog::FindSequence(const QualifiedName& name) const {
  return indexes.sequences.Find(sequences, name, [](const Sequence& s) { return s.name; });
}
const Routine* Catalog::FindRoutine(const QualifiedName& name,
                                    const std::string& identity_args) const {
  return indexes.routines.Find(routines, std::make_pair(name, identity_args), [](const Routine& r) {
    return std::make_pair(r.name, r.identity_args);
  });
}
const View* Catalog::FindView(const QualifiedName& name) const {
  return indexes.views.Find(views, name, [](const View& v) { return v.name; });
}
const Trigger* Catalog::FindTrigger(const QualifiedName& relation, const std::string& name) const {
  return indexes.triggers.Find(triggers, std::make_pair(relation, name),
                               [](const Trigger& t) { return std::make_pair(t.relation, t.name); });
}
const Rule* Catalog::FindRule(const QualifiedName& relation, const std::string& name) const {
  return indexes.rules.Find(rules, std::make_pair(relation, name),
                            [](const Rule& r) { return std::make_pair(r.relation, r.name); });
}

bool Catalog::Contains(const DependencyRef& ref) const {
  switch (ref.kind) {
    case DependencyKind::kType:
      return FindType(ref.name) != nullptr;
    case DependencyKind::kTable:
      return FindTable(ref.name) != nullptr;
    case DependencyKind::kView:
    case DependencyKind::kMaterializedView: {
      const View* v = FindView(ref.name);
      return v != nullptr && v->ref().kind == ref.kind;
    }
    case DependencyKind::kRoutine:
      return FindRoutine(ref.name, ref.args) != nullptr;
  }
  return false;
}

const Role* Catalog::FindRole(const std::string& name) const {
  return indexes.roles.Find(roles, name, [](const Role& r) { return r.name; });
}
const ObjectAcl* Catalog::FindAcl(const ObjectRef& object) const {
  return indexes.acls.Find(acls, object, [](const ObjectAcl& a) { return a.object; });
}

}  // namespace tenantshift

namespace tenantshift {

std::string ExternalObject::Display() const {
  return kind + " " + (schema.empty() ? name : schema + "." + name);
}

}  // namespace tenantshift
