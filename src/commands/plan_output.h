// What `plan` prints besides its default SQL text (RunPlan): the plan as JSON for scripts and
// reviewers who diff plans, and as a Graphviz graph of the step dependencies for people.
// Neither holds a secret: steps carry Step::sql (PASSWORD '********'), never Step::secret_sql.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "plan/planner.h"

namespace tenantshift {

// Where the plan is going, as `plan` prints it in its header.
struct PlanHeader {
  std::vector<std::string> schemas;
  std::string source, target;  // endpoints without passwords
};

// {"schemas", "source", "target",
//  "steps": [{"id", "key", "phase", "kind": "sql"|"copy"|"validate", "description", "schema",
//             "table", "depends_on": [ids], "state": "planned"|"skipped", "skip_reason", "sql"}],
//  "principals": [{"name", "reasons", "more_reasons", "why"}], "left_out": [same],
//  "manual_steps": [{"what", "why", "sql", "security"}], "warnings", "conflicts",
//  "errors": {"source": [...], "target": [...]}, "exit_code"}.
// Steps are in the text plan's order (Plan::TopologicalOrder) and "id" is the number the text
// plan prints ("-- step 7: ..."): the step's id + 1. `exit_code` is what `plan` exits with.
nlohmann::json PlanJson(const PlanHeader& header, const PlannedMigration& pm, int exit_code);

// A Graphviz digraph: one node per step (its number and description), one cluster per phase in
// the order phases first occur, an edge from each dependency to its dependent. Skipped steps
// are drawn dashed. Names are escaped for DOT quoted strings.
std::string PlanDot(const PlannedMigration& pm);

}  // namespace tenantshift
