#include "commands/plan_output.h"

#include <fmt/format.h>

#include <map>
#include <vector>

namespace tenantshift {
namespace {

using Json = nlohmann::json;

const char* KindName(StepKind k) {
  return k == StepKind::kCopyData ? "copy" : k == StepKind::kValidate ? "validate" : "sql";
}

Json StepJson(const Step& s) {
  std::vector<int> deps;
  for (int d : s.deps) deps.push_back(d + 1);
  const bool skipped = s.state == StepState::kSkipped;
  const bool on_table = s.kind != StepKind::kTargetSql;
  return Json{{"id", s.id + 1},
              {"key", s.key},
              {"phase", s.phase},
              {"kind", KindName(s.kind)},
              {"description", s.description},
              {"schema", on_table ? s.table.schema : ""},
              {"table", on_table ? s.table.name : ""},
              {"depends_on", deps},
              {"state", skipped ? "skipped" : "planned"},
              {"skip_reason", s.skip_reason},
              {"sql", skipped ? "" : s.sql}};
}

Json PrincipalsJson(const std::vector<Principal>& principals) {
  Json out = Json::array();
  for (const Principal& p : principals) {
    out.push_back(Json{{"name", p.name},
                       {"reasons", p.reasons},
                       {"more_reasons", p.more_reasons},
                       {"why", p.Explain()}});
  }
  return out;
}

// A DOT double-quoted string's contents: quotes and backslashes escaped, line breaks as \n.
std::string DotText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Json PlanJson(const PlanHeader& header, const PlannedMigration& pm, int exit_code) {
  Json steps = Json::array();
  for (int id : pm.plan.TopologicalOrder()) steps.push_back(StepJson(pm.plan.step(id)));
  Json manual = Json::array();
  for (const ManualStep& m : pm.manual_steps) {
    manual.push_back(
        Json{{"what", m.what}, {"why", m.why}, {"sql", m.sql}, {"security", m.security}});
  }
  return Json{{"schemas", header.schemas},
              {"source", header.source},
              {"target", header.target},
              {"steps", steps},
              {"principals", PrincipalsJson(pm.principals.principals)},
              {"left_out", PrincipalsJson(pm.principals.left_out)},
              {"manual_steps", manual},
              {"warnings", pm.warnings},
              {"conflicts", pm.conflicts},
              {"errors", Json{{"source", pm.source_errors}, {"target", pm.target_errors}}},
              {"exit_code", exit_code}};
}

std::string PlanDot(const PlannedMigration& pm) {
  const std::vector<int> order = pm.plan.TopologicalOrder();
  std::vector<std::string> phases;  // in the order they first occur
  std::map<std::string, std::vector<int>> by_phase;
  for (int id : order) {
    const std::string& phase = pm.plan.step(id).phase;
    if (by_phase.find(phase) == by_phase.end()) phases.push_back(phase);
    by_phase[phase].push_back(id);
  }
  std::string out =
      "digraph plan {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n  compound=true;\n";
  for (size_t c = 0; c < phases.size(); ++c) {
    out += fmt::format("  subgraph cluster_{} {{\n    label=\"{}\";\n", c, DotText(phases[c]));
    for (int id : by_phase[phases[c]]) {
      const Step& s = pm.plan.step(id);
      out += fmt::format("    s{} [label=\"{}: {}\"{}];\n", id + 1, id + 1, DotText(s.description),
                         s.state == StepState::kSkipped ? ", style=dashed" : "");
    }
    out += "  }\n";
  }
  for (int id : order) {
    for (int d : pm.plan.step(id).deps) out += fmt::format("  s{} -> s{};\n", d + 1, id + 1);
  }
  return out + "}\n";
}

}  // namespace tenantshift
