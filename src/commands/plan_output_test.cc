#include "commands/plan_output.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

using Json = nlohmann::json;

const char kHostile[] = "Bill\"ing; $(touch pwned) ü";

int Add(PlannedMigration* pm, StepKind kind, std::string phase, std::string description,
        std::vector<int> deps, std::string sql = "") {
  Step s;
  s.kind = kind;
  s.phase = std::move(phase);
  s.description = std::move(description);
  s.deps = std::move(deps);
  s.sql = std::move(sql);
  if (kind != StepKind::kTargetSql) s.table = {kHostile, "t\nu"};
  return pm->plan.Add(std::move(s));
}

// A small plan with the parts `plan` shows: a skipped step, a secret, a copy, a validation.
PlannedMigration SmallPlan() {
  PlannedMigration pm;
  Step role;
  role.phase = "roles";
  role.description = "create role app";
  role.sql = "CREATE ROLE app LOGIN PASSWORD '********';\n";
  role.secret_sql = "CREATE ROLE app LOGIN PASSWORD 'SCRAM-SHA-256$4096:secret';\n";
  int r = pm.plan.Add(std::move(role));
  int s = Add(&pm, StepKind::kTargetSql, "schemas", std::string("create schema ") + kHostile, {r},
              "CREATE SCHEMA \"Bill\"\"ing; $(touch pwned) ü\";\n");
  int t = Add(&pm, StepKind::kTargetSql, "tables", "create table t", {s}, "CREATE TABLE t ();\n");
  int c = Add(&pm, StepKind::kCopyData, "data", "copy t", {t}, "-- COPY\n");
  Add(&pm, StepKind::kValidate, "validate", "validate t", {c}, "-- compare\n");
  pm.plan.Skip(s, "already on target");
  Principal p;
  p.name = "app";
  p.reasons = {"owns table t"};
  pm.principals.principals = {p};
  pm.manual_steps = {{"create operator ===", "not moved", "CREATE OPERATOR === (...);", false}};
  pm.warnings = {"a warning"};
  pm.conflicts = {"a conflict"};
  return pm;
}

int CountStepLines(const std::string& text) {
  int n = 0;
  for (size_t pos = text.find("-- step "); pos != std::string::npos;
       pos = text.find("-- step ", pos + 1))
    ++n;
  return n;
}

TEST(PlanJson, ParsesAndHasAsManyStepsAsTheTextPlan) {
  PlannedMigration pm = SmallPlan();
  const std::string text = PlanJson({{"acme"}, "src", "dst"}, pm, 8).dump(2);
  Json j = Json::parse(text);
  ASSERT_TRUE(j["steps"].is_array());
  EXPECT_EQ(static_cast<int>(j["steps"].size()), CountStepLines(RenderPlanSql(pm.plan)));
  EXPECT_EQ(j["steps"].size(), 5u);
  EXPECT_EQ(j["exit_code"], 8);
  EXPECT_EQ(j["principals"][0]["name"], "app");
  EXPECT_EQ(j["principals"][0]["why"], "owns table t");
  EXPECT_EQ(j["manual_steps"][0]["what"], "create operator ===");
  EXPECT_EQ(j["conflicts"][0], "a conflict");
  EXPECT_EQ(j["warnings"][0], "a warning");
}

TEST(PlanJson, StepsCarryNumbersDependenciesSqlAndTablesAsTheTextPlanDoes) {
  PlannedMigration pm = SmallPlan();
  Json steps = PlanJson({}, pm, 0)["steps"];
  EXPECT_EQ(steps[0]["id"], 1);
  EXPECT_EQ(steps[0]["sql"], "CREATE ROLE app LOGIN PASSWORD '********';\n");
  EXPECT_EQ(steps[1]["state"], "skipped");
  EXPECT_EQ(steps[1]["skip_reason"], "already on target");
  EXPECT_EQ(steps[1]["sql"], "") << "a skipped step runs nothing";
  EXPECT_EQ(steps[2]["depends_on"], Json::array({2}));
  EXPECT_EQ(steps[3]["kind"], "copy");
  EXPECT_EQ(steps[3]["schema"], kHostile);
  EXPECT_EQ(steps[3]["table"], "t\nu");
  EXPECT_EQ(steps[4]["kind"], "validate");
  EXPECT_EQ(steps[2]["table"], "") << "SQL steps name no table";
}

TEST(PlanJson, NeverHoldsTheSecretSql) {
  const std::string text = PlanJson({}, SmallPlan(), 0).dump();
  EXPECT_EQ(text.find("SCRAM-SHA-256"), std::string::npos);
  EXPECT_EQ(text.find("secret"), std::string::npos);
}

TEST(PlanDot, ClustersStepsByPhaseAndDrawsEveryDependency) {
  const std::string dot = PlanDot(SmallPlan());
  EXPECT_EQ(dot.rfind("digraph plan {\n", 0), 0u);
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
  for (const char* phase : {"roles", "schemas", "tables", "data", "validate"}) {
    EXPECT_NE(dot.find(std::string("label=\"") + phase + "\""), std::string::npos) << phase;
  }
  for (const char* edge : {"s1 -> s2;", "s2 -> s3;", "s3 -> s4;", "s4 -> s5;"}) {
    EXPECT_NE(dot.find(edge), std::string::npos) << edge;
  }
  EXPECT_NE(dot.find("s2 [label=\"2: create schema Bill\\\"ing; $(touch pwned) ü\", style=dashed]"),
            std::string::npos)
      << dot;
}

}  // namespace
}  // namespace tenantshift
