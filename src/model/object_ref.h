// ObjectRef: names one catalog object that another one depends on (a table, view, materialized
// view, routine or type), as the dependency graph of the planner sees it. Value type.
#pragma once

#include <compare>
#include <string>

#include "model/object_name.h"

namespace tenantshift {

enum class ObjectKind { kType, kTable, kView, kMaterializedView, kRoutine };

struct ObjectRef {
  ObjectKind kind = ObjectKind::kTable;
  QualifiedName name;
  // kRoutine: the identity arguments as the server prints them ("p numeric, currency text"),
  // which tell overloads apart; empty for every other kind.
  std::string args;

  auto operator<=>(const ObjectRef&) const = default;
  // "view acme.v", "routine acme.f(p numeric)": for people, never for SQL.
  std::string Display() const {
    switch (kind) {
      case ObjectKind::kType:
        return "type " + name.Display();
      case ObjectKind::kTable:
        return "table " + name.Display();
      case ObjectKind::kView:
        return "view " + name.Display();
      case ObjectKind::kMaterializedView:
        return "materialized view " + name.Display();
      case ObjectKind::kRoutine:
        return "routine " + name.Display() + "(" + args + ")";
    }
    return name.Display();
  }
};

}  // namespace tenantshift
