#include "model/privilege.h"

namespace tenantshift {

const char* ObjectKindName(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kSchema:
      return "schema";
    case ObjectKind::kTable:
      return "table";
    case ObjectKind::kView:
      return "view";
    case ObjectKind::kMaterializedView:
      return "materialized view";
    case ObjectKind::kSequence:
      return "sequence";
    case ObjectKind::kType:
      return "type";
    case ObjectKind::kFunction:
      return "function";
    case ObjectKind::kProcedure:
      return "procedure";
    case ObjectKind::kDatabase:
      return "database";
  }
  return "object";
}

std::string ObjectRef::Display() const {
  if (kind == ObjectKind::kSchema) return std::string("schema ") + name.schema;
  if (kind == ObjectKind::kDatabase) return std::string("database ") + name.schema;
  if (!column.empty()) return "column " + name.Display() + "." + column;
  std::string out = std::string(ObjectKindName(kind)) + " " + name.Display();
  if (kind == ObjectKind::kFunction || kind == ObjectKind::kProcedure) out += "(" + arguments + ")";
  return out;
}

}  // namespace tenantshift
