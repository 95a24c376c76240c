// Trigger and Rule: attached to a table or view of a tenant schema. Value types.
#pragma once

#include <string>
#include <vector>

#include "model/dependency_ref.h"

namespace tenantshift {

struct Trigger {
  QualifiedName relation;  // the table or view it is on
  std::string name;
  // pg_get_triggerdef(): "CREATE [CONSTRAINT] TRIGGER ... ON schema.table ... EXECUTE FUNCTION
  // schema.f(args)", without a semicolon; WHEN clause included.
  std::string definition;
  char enabled = 'O';  // tgenabled: 'O' enabled, 'D' disabled, 'R' replica only, 'A' always
  std::string comment;
  std::vector<DependencyRef> depends_on;  // its function and relations, from pg_depend
  // A partition's clone of its partitioned parent's trigger (same name), listed only when its
  // enabled state differs from the parent's: only that state is set, once the parent's trigger
  // (which creates the clone) exists. `definition` is then for people only.
  bool clone = false;

  bool operator==(const Trigger&) const = default;
};

struct Rule {
  QualifiedName relation;  // the table or view it is on
  std::string name;
  std::string definition;  // pg_get_ruledef() without its semicolon
  char enabled = 'O';      // ev_enabled: 'O' enabled, 'D' disabled, 'R' replica only, 'A' always
  std::string comment;
  std::vector<DependencyRef> depends_on;  // relations and routines its actions use

  bool operator==(const Rule&) const = default;
};

}  // namespace tenantshift
