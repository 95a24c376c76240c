// Issue 18, part 2: foreign tables, materialized-view properties, index column statistics,
// extensions installed in a tenant schema and a tenant role's database-wide default privileges
// are planned (BuildPlan), each step after only what it needs.
#include <gtest/gtest.h>

#include <algorithm>

#include "plan/planner.h"
#include "plan/redshift_target.h"
#include "testing/plan_queries.h"

namespace tenantshift {
namespace {

// Schema acme owned by acme_owner, with a table, a foreign table on server "remote; srv", a
// view reading the foreign table, and a populated materialized view over the table with an
// index (with a column statistics target), CLUSTER ON that index and extended statistics.
Catalog Source() {
  Catalog c;
  c.server.current_user = "postgres";
  c.roles = {{"postgres"}, {"acme_owner"}};
  c.schemas = {{"acme", "acme_owner", ""}};
  Table t;
  t.name = {"acme", "orders"};
  t.owner = "acme_owner";
  t.columns = {{"id", "integer"}};
  Table ft;
  ft.name = {"acme", "Remote; \"r\""};
  ft.owner = "acme_owner";
  ft.foreign_server = "remote; srv";
  ft.foreign_options = {"table_name=orders"};
  ft.columns = {{"id", "integer", true}};
  ft.columns[0].foreign_options = {"column_name=order_id"};
  c.tables = {t, ft};
  View reads_remote;
  reads_remote.name = {"acme", "remote_view"};
  reads_remote.owner = "acme_owner";
  reads_remote.definition = " SELECT id FROM acme.\"Remote; \"\"r\"\"\"";
  reads_remote.depends_on = {{DependencyKind::kTable, ft.name, ""}};
  View mv;
  mv.name = {"acme", "mv"};
  mv.materialized = true;
  mv.owner = "acme_owner";
  mv.definition = " SELECT id FROM acme.orders";
  mv.depends_on = {{DependencyKind::kTable, t.name, ""}};
  mv.access_method = "heap2";
  mv.columns = {{"id"}};
  mv.columns[0].statistics = 300;
  Index idx{"mv_expr", "CREATE INDEX mv_expr ON acme.mv USING btree ((id + 1))"};
  idx.column_statistics = {{1, 400}};
  mv.indexes = {idx};
  mv.cluster_index = "mv_expr";
  ExtendedStatistics stats{{"acme", "mv_stats"},
                           "acme_owner",
                           "CREATE STATISTICS acme.mv_stats ON id, (id + 1) FROM acme.mv"};
  mv.statistics = {stats};
  c.views = {reads_remote, mv};
  return c;
}

Catalog Target() {
  Catalog c;
  c.server.current_user = "postgres";
  c.roles = {{"postgres"}, {"acme_owner"}};
  c.all_schemas = {"public"};
  return c;
}

bool HasStep(const Plan& plan, const std::string& description) {
  return std::any_of(plan.steps().begin(), plan.steps().end(),
                     [&](const Step& s) { return s.description == description; });
}

TEST(Issue18KindsTest, AForeignTableIsCreatedWithItsServerButNeverCopiedAnalyzedOrValidated) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  const Plan& p = pm.plan;
  const Step& create = p.step(FindStep(p, "create table acme.Remote; \"r\""));
  EXPECT_EQ(create.sql,
            "CREATE FOREIGN TABLE \"acme\".\"Remote; \"\"r\"\"\" (\n"
            "    \"id\" integer OPTIONS (\"column_name\" 'order_id') NOT NULL\n"
            ") SERVER \"remote; srv\" OPTIONS (\"table_name\" 'orders');\n");
  EXPECT_FALSE(HasStep(p, "copy data acme.Remote; \"r\""));
  EXPECT_FALSE(HasStep(p, "analyze acme.Remote; \"r\""));
  EXPECT_FALSE(HasStep(p, "validate acme.Remote; \"r\""));
  EXPECT_TRUE(HasStep(p, "copy data acme.orders"));  // the plain table still is
  // The view reading it waits for its creation, not for the other table.
  int view = FindStep(p, "create view acme.remote_view");
  EXPECT_TRUE(DependsOn(p, view, create.id));
  EXPECT_FALSE(DependsOn(p, view, FindStep(p, "copy data acme.orders")));
  EXPECT_NE(p.step(FindStep(p, "set owner of acme.Remote; \"r\"")).sql.find("OWNER TO"),
            std::string::npos);
  EXPECT_TRUE(pm.manual_steps.empty());
}

TEST(Issue18KindsTest, AMaterializedViewKeepsItsPropertiesAndItsStatisticsWaitOnlyForIt) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  const Plan& p = pm.plan;
  const Step& create = p.step(FindStep(p, "create materialized view acme.mv"));
  EXPECT_EQ(create.sql,
            "CREATE MATERIALIZED VIEW \"acme\".\"mv\" USING \"heap2\" AS\n"
            " SELECT id FROM acme.orders\n  WITH NO DATA;\n"
            "ALTER MATERIALIZED VIEW \"acme\".\"mv\" ALTER COLUMN \"id\" SET STATISTICS 300;\n");
  const Step& refresh = p.step(FindStep(p, "refresh materialized view acme.mv"));
  EXPECT_EQ(refresh.sql,
            "REFRESH MATERIALIZED VIEW \"acme\".\"mv\";\n"
            "CREATE INDEX mv_expr ON acme.mv USING btree ((id + 1));\n"
            "ALTER INDEX \"acme\".\"mv_expr\" ALTER COLUMN 1 SET STATISTICS 400;\n"
            "ALTER TABLE ONLY \"acme\".\"mv\" CLUSTER ON \"mv_expr\";\n");
  const Step& stats = p.step(FindStep(p, "create statistics acme.mv_stats"));
  EXPECT_EQ(stats.sql,
            "CREATE STATISTICS acme.mv_stats ON id, (id + 1) FROM acme.mv;\n"
            "ALTER STATISTICS \"acme\".\"mv_stats\" OWNER TO \"acme_owner\";\n");
  EXPECT_TRUE(DependsOn(p, stats.id, create.id));
  EXPECT_FALSE(DependsOn(p, stats.id, FindStep(p, "create view acme.remote_view")));
  EXPECT_FALSE(DependsOn(p, stats.id, FindStep(p, "create table acme.Remote; \"r\"")));
}

TEST(Issue18KindsTest, ASecondRunOnAnIdenticalTargetSkipsTheseSteps) {
  Catalog dst = Source();
  dst.all_schemas = {"acme", "public"};
  dst.views[1].populated = true;
  PlannedMigration pm = BuildPlan(Source(), dst, {});
  for (const char* d : {"create table acme.Remote; \"r\"", "create materialized view acme.mv",
                        "refresh materialized view acme.mv", "create statistics acme.mv_stats"}) {
    EXPECT_EQ(pm.plan.step(FindStep(pm.plan, d)).state, StepState::kSkipped) << d;
  }
  dst.views[1].indexes[0].column_statistics = {{1, 100}};  // differs: not skipped
  pm = BuildPlan(Source(), dst, {});
  EXPECT_NE(pm.plan.step(FindStep(pm.plan, "refresh materialized view acme.mv")).state,
            StepState::kSkipped);
}

TEST(Issue18KindsTest, ATableIndexGetsItsColumnStatisticsTarget) {
  Catalog src = Source();
  Index idx{"orders_expr", "CREATE INDEX orders_expr ON acme.orders USING btree ((id * 2))"};
  idx.column_statistics = {{1, 250}};
  src.tables[0].indexes = {idx};
  PlannedMigration pm = BuildPlan(src, Target(), {});
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create index orders_expr on acme.orders")).sql,
            "CREATE INDEX orders_expr ON acme.orders USING btree ((id * 2));\n"
            "ALTER INDEX \"acme\".\"orders_expr\" ALTER COLUMN 1 SET STATISTICS 250;\n");
}

TEST(Issue18KindsTest, AnExtensionInATenantSchemaIsCreatedThereAtItsVersionOrRefused) {
  Catalog src = Source();
  src.extensions = {{"hstore", "acme", "1.8"}};
  Catalog dst = Target();
  dst.server_extensions = {{"hstore", {true, ""}}};
  PlannedMigration pm = BuildPlan(src, dst, {});
  const Step& ext = pm.plan.step(FindStep(pm.plan, "create extension hstore"));
  EXPECT_EQ(ext.sql,
            "CREATE EXTENSION IF NOT EXISTS \"hstore\" WITH SCHEMA \"acme\" VERSION '1.8';\n");
  EXPECT_TRUE(DependsOn(pm.plan, ext.id, FindStep(pm.plan, "create schema acme")));
  EXPECT_TRUE(pm.target_errors.empty());
  EXPECT_TRUE(pm.manual_steps.empty());
  dst.server_extensions["hstore"].schema = "acme";  // a second run: already there
  pm = BuildPlan(src, dst, {});
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create extension hstore")).state, StepState::kSkipped);
  dst.server_extensions.clear();  // the target cannot install it: refused, naming it
  pm = BuildPlan(src, dst, {});
  ASSERT_EQ(pm.target_errors.size(), 1u);
  EXPECT_NE(pm.target_errors[0].find("extension \"hstore\""), std::string::npos);
  EXPECT_NE(pm.target_errors[0].find("not available on the target"), std::string::npos);
}

// acme_owner's database-wide rule: PUBLIC may not run its new functions, readers (a tenant role:
// it may use the schema) may.
Catalog WithGlobalDefaults() {
  Catalog c = Source();
  c.roles.push_back({"readers"});
  c.roles.push_back({"someone_else"});
  c.acls = {{{ObjectKind::kSchema, {"acme", ""}},
             "acme_owner",
             {{"readers", "acme_owner", {{"USAGE", false}}}}}};
  c.global_default_acls = {{"acme_owner",
                            "",
                            DefaultAcl::On::kFunctions,
                            {{"acme_owner", "acme_owner", {{"EXECUTE", false}}},
                             {"readers", "acme_owner", {{"EXECUTE", false}}}}},
                           // Not a tenant role: never planned, never listed.
                           {"someone_else", "", DefaultAcl::On::kTables, {}}};
  return c;
}

TEST(Issue18KindsTest, GlobalDefaultPrivilegesAreAManualStepUnlessOptedIn) {
  Catalog dst = Target();
  dst.roles.push_back({"readers"});
  PlannedMigration pm = BuildPlan(WithGlobalDefaults(), dst, {});
  ASSERT_EQ(pm.manual_steps.size(), 1u);
  const ManualStep& m = pm.manual_steps[0];
  EXPECT_EQ(m.what, "database-wide default privileges of acme_owner on functions");
  EXPECT_NE(m.why.find("--global-default-privileges"), std::string::npos);
  EXPECT_NE(m.sql.find("GRANT EXECUTE ON FUNCTIONS TO \"readers\""), std::string::npos);
  EXPECT_EQ(pm.not_moved, 1u);
  EXPECT_FALSE(HasStep(pm.plan, "database-wide default privileges of acme_owner on functions"));

  PlanOptions opt;
  opt.global_default_privileges = true;
  pm = BuildPlan(WithGlobalDefaults(), Target(), opt);  // readers is created first
  EXPECT_TRUE(pm.manual_steps.empty());
  const Step& s = pm.plan.step(
      FindStep(pm.plan, "database-wide default privileges of acme_owner on functions"));
  EXPECT_EQ(s.sql,
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"acme_owner\" REVOKE ALL ON FUNCTIONS FROM "
            "\"acme_owner\", PUBLIC;\n"
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"acme_owner\" GRANT EXECUTE ON FUNCTIONS TO "
            "\"acme_owner\";\n"
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"acme_owner\" GRANT EXECUTE ON FUNCTIONS TO "
            "\"readers\";\n");
  EXPECT_TRUE(DependsOn(pm.plan, s.id, FindStep(pm.plan, "create role readers")));
  EXPECT_FALSE(HasStep(pm.plan, "database-wide default privileges of someone_else on tables"));
}

TEST(Issue18KindsTest, GlobalDefaultPrivilegesInAnotherOrderAreAlreadyOnTheTarget) {
  Catalog dst = Target();
  dst.roles.push_back({"readers"});
  dst.global_default_acls = {WithGlobalDefaults().global_default_acls[0]};
  std::swap(dst.global_default_acls[0].items[0], dst.global_default_acls[0].items[1]);
  PlanOptions opt;
  opt.global_default_privileges = true;
  PlannedMigration pm = BuildPlan(WithGlobalDefaults(), dst, opt);
  EXPECT_EQ(
      pm.plan.step(FindStep(pm.plan, "database-wide default privileges of acme_owner on functions"))
          .state,
      StepState::kSkipped);
  // Without the option nothing is listed either: the target already has them.
  EXPECT_TRUE(BuildPlan(WithGlobalDefaults(), dst, {}).manual_steps.empty());
}

// Redshift has no foreign tables: for a Redshift target one is a manual step, never a table.
TEST(Issue18KindsTest, AForeignTableIsAManualStepForARedshiftTarget) {
  Catalog src = Source();
  src.acls = {{{ObjectKind::kTable, src.tables[1].name}, "acme_owner", {}}};
  ServerInfo redshift;
  redshift.dialect = Dialect::kRedshift;
  RedshiftAdaptation a = AdaptForRedshift(src, redshift);
  ASSERT_EQ(a.manual_steps.size(), 1u);
  EXPECT_EQ(a.manual_steps[0].what, "foreign table acme.Remote; \"r\"");
  EXPECT_EQ(a.source.tables.size(), 1u);
  EXPECT_EQ(a.source.FindTable(src.tables[1].name), nullptr);
  EXPECT_TRUE(a.source.acls.empty());
}

}  // namespace
}  // namespace tenantshift
