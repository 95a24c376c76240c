// QualifiedName: the schema-qualified name of a catalog object, as stored in the catalog
// (unquoted, case preserved). Value type.
#pragma once

#include <compare>
#include <string>

namespace tenantshift {

struct QualifiedName {
  std::string schema;
  std::string name;

  auto operator<=>(const QualifiedName&) const = default;
  // "schema.name" for humans (unquoted; never use this in SQL).
  std::string Display() const { return schema + "." + name; }
};

}  // namespace tenantshift
