#include "model/catalog.h"

#include <algorithm>

namespace tenantshift {
namespace {

template <typename T, typename Key, typename GetKey>
const T* FindIn(const std::vector<T>& items, const Key& key, GetKey get_key) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return get_key(item) == key; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const Schema* Catalog::FindSchema(const std::string& name) const {
  return FindIn(schemas, name, [](const Schema& s) { return s.name; });
}
const Table* Catalog::FindTable(const QualifiedName& name) const {
  return FindIn(tables, name, [](const Table& t) { return t.name; });
}
const UserType* Catalog::FindType(const QualifiedName& name) const {
  return FindIn(types, name, [](const UserType& t) { return t.name; });
}
const Sequence* Catalog::FindSequence(const QualifiedName& name) const {
  return FindIn(sequences, name, [](const Sequence& s) { return s.name; });
}

const Role* Catalog::FindRole(const std::string& name) const {
  return FindIn(roles, name, [](const Role& r) { return r.name; });
}
const ObjectAcl* Catalog::FindAcl(const ObjectRef& object) const {
  return FindIn(acls, object, [](const ObjectAcl& a) { return a.object; });
}

}  // namespace tenantshift
