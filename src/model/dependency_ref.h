// DependencyRef: names one catalog object that another one depends on (a table, view, materialized
// view, routine or type), as the dependency graph of the planner sees it. Value type.
#pragma once

#include <compare>
#include <string>

#include "model/object_name.h"

namespace tenantshift {

enum class DependencyKind { kType, kTable, kView, kMaterializedView, kRoutine };

struct DependencyRef {
  DependencyKind kind = DependencyKind::kTable;
  QualifiedName name;
  // kRoutine: the identity arguments as the server prints them ("p numeric, currency text"),
  // which tell overloads apart; empty for every other kind.
  std::string args;

  auto operator<=>(const DependencyRef&) const = default;
  // "view acme.v", "routine acme.f(p numeric)": for people, never for SQL.
  std::string Display() const {
    switch (kind) {
      case DependencyKind::kType:
        return "type " + name.Display();
      case DependencyKind::kTable:
        return "table " + name.Display();
      case DependencyKind::kView:
        return "view " + name.Display();
      case DependencyKind::kMaterializedView:
        return "materialized view " + name.Display();
      case DependencyKind::kRoutine:
        return "routine " + name.Display() + "(" + args + ")";
    }
    return name.Display();
  }
};

}  // namespace tenantshift
