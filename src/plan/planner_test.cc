#include "plan/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "testing/plan_queries.h"

namespace tenantshift {
namespace {

Catalog TwoTables() {
  Catalog c;
  c.roles = {{"postgres"}, {"acme_owner"}};
  c.server.current_user = "postgres";
  c.schemas = {{"acme", "acme_owner", ""}};
  Table customers;
  customers.name = {"acme", "customers"};
  customers.owner = "acme_owner";
  customers.columns = {{"id", "integer", true}};
  customers.constraints = {{"customers_pkey", Constraint::Kind::kPrimaryKey, "PRIMARY KEY (id)"}};
  customers.estimated_bytes = 10;
  Table orders;
  orders.name = {"acme", "orders"};
  orders.owner = "acme_owner";
  orders.columns = {{"id", "integer", true}, {"customer", "integer"}};
  Constraint fk{"orders_customer_fkey", Constraint::Kind::kForeignKey,
                "FOREIGN KEY (customer) REFERENCES acme.customers(id)"};
  fk.references = QualifiedName{"acme", "customers"};
  orders.constraints = {fk};
  orders.indexes = {{"orders_customer_idx",
                     "CREATE INDEX orders_customer_idx ON acme.orders USING btree (customer)"}};
  orders.estimated_bytes = 1000;
  c.tables = {customers, orders};
  return c;
}

TEST(PlannerTest, OrdersSchemaTablesDataConstraintsForeignKeysValidation) {
  Catalog target;
  target.roles = {{"postgres"}, {"acme_owner"}};
  target.server.current_user = "postgres";
  PlannedMigration pm = BuildPlan(TwoTables(), target, {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(pm.conflicts.empty());
  int schema = FindStep(p, "create schema acme");
  int orders = FindStep(p, "create table acme.orders");
  int data = FindStep(p, "copy data acme.orders");
  int cdata = FindStep(p, "copy data acme.customers");
  int pk = FindStep(p, "add constraint customers_pkey on acme.customers");
  int fk = FindStep(p, "add foreign key orders_customer_fkey on acme.orders");
  int idx = FindStep(p, "create index orders_customer_idx on acme.orders");
  int owners = FindStep(p, "set owner of acme.orders");
  int validate = FindStep(p, "validate acme.orders");
  EXPECT_TRUE(DependsOn(p, orders, schema));
  EXPECT_TRUE(DependsOn(p, data, orders));
  EXPECT_TRUE(DependsOn(p, pk, cdata));
  EXPECT_TRUE(DependsOn(p, idx, data));
  EXPECT_TRUE(DependsOn(p, fk, pk));
  EXPECT_TRUE(DependsOn(p, fk, data));
  EXPECT_TRUE(DependsOn(p, owners, fk));
  EXPECT_TRUE(DependsOn(p, validate, data));
  EXPECT_GT(p.step(data).priority, p.step(cdata).priority);  // larger table first
  EXPECT_NE(p.step(owners).sql.find("ALTER TABLE \"acme\".\"orders\" OWNER TO \"acme_owner\""),
            std::string::npos);
}

// Issue 14: ALTER ... OWNER locks each object until commit, so the owners of many objects are
// set in parts of at most 500 statements, and what waits for "set owners" waits for every part.
TEST(PlannerTest, OwnersOfManyObjectsAreSetInBoundedParts) {
  Catalog src = TwoTables();
  for (int i = 0; i < 1201; ++i) {
    View v;
    v.name = {"acme", std::string("v").append(std::to_string(i))};
    v.owner = "acme_owner";
    v.definition = " SELECT 1 AS one;";
    src.views.push_back(v);
  }
  Catalog target;
  target.roles = {{"postgres"}, {"acme_owner"}};
  target.server.current_user = "postgres";
  PlannedMigration pm = BuildPlan(src, target, {});
  const Plan& p = pm.plan;
  int part1 = FindStep(p, "set owners (part 1 of 3)");
  int part2 = FindStep(p, "set owners (part 2 of 3)");
  int last = FindStep(p, "set owners");
  ASSERT_GE(part1, 0);
  ASSERT_GE(part2, 0);
  int statements = 0;
  for (int id : {part1, part2, last}) {
    const std::string& sql = p.step(id).sql;
    int n = 0;
    for (size_t at = sql.find(" OWNER TO "); at != std::string::npos;
         at = sql.find(" OWNER TO ", at + 1)) {
      ++n;
    }
    EXPECT_LE(n, 500) << p.step(id).description;
    statements += n;
  }
  EXPECT_EQ(statements, 1202);  // the schema and every view, each once
  EXPECT_TRUE(DependsOn(p, last, part1));
  EXPECT_TRUE(DependsOn(p, last, part2));
  EXPECT_FALSE(DependsOn(p, part2, part1));  // the parts themselves run side by side
}

TEST(PlannerTest, IdenticalTargetSkipsEveryDdlStep) {
  PlannedMigration pm = BuildPlan(TwoTables(), TwoTables(), {});
  EXPECT_TRUE(pm.conflicts.empty());
  for (const Step& s : pm.plan.steps()) {
    if (s.kind != StepKind::kTargetSql || s.phase == "analyze" || s.phase == "sequence values") {
      continue;
    }
    EXPECT_EQ(s.state, StepState::kSkipped) << s.description;
  }
  EXPECT_TRUE(pm.plan.step(FindStep(pm.plan, "copy data acme.orders")).table_preexisting);
}

TEST(PlannerTest, DifferentTargetObjectIsAConflictUnlessSkipped) {
  Catalog target = TwoTables();
  target.tables[1].columns[1].type = "text";
  PlannedMigration pm = BuildPlan(TwoTables(), target, {});
  ASSERT_EQ(pm.conflicts.size(), 1u);
  EXPECT_NE(pm.conflicts[0].find("acme.orders"), std::string::npos);

  PlanOptions skip;
  skip.on_existing = OnExisting::kSkip;
  pm = BuildPlan(TwoTables(), target, skip);
  EXPECT_TRUE(pm.conflicts.empty());
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create table acme.orders")).state, StepState::kSkipped);
  EXPECT_FALSE(pm.warnings.empty());
}

TEST(PlannerTest, ExcludedOwnerRoleIsAWarningNotAStatement) {
  Catalog target;
  target.roles = {{"postgres"}};
  target.server.current_user = "postgres";
  PlanOptions options;
  options.principals.exclude = {"acme_*"};
  PlannedMigration pm = BuildPlan(TwoTables(), target, options);
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "set owners")).state, StepState::kSkipped);
  EXPECT_FALSE(pm.warnings.empty());
  EXPECT_NE(pm.warnings[0].find("acme_owner"), std::string::npos);
}

TEST(PlannerTest, PartitionsFollowTheirParentAndAttachIndexes) {
  Catalog src;
  src.schemas = {{"acme", "postgres", ""}};
  Table parent;
  parent.name = {"acme", "m"};
  parent.partition_key = "RANGE (d)";
  parent.indexes = {{"m_d_idx", "CREATE INDEX m_d_idx ON ONLY acme.m USING btree (d)"}};
  Table part;
  part.name = {"acme", "a_part"};  // sorts before its parent
  part.partition_parent = QualifiedName{"acme", "m"};
  part.partition_bound = "DEFAULT";
  Index child{"a_part_d_idx", "CREATE INDEX a_part_d_idx ON acme.a_part USING btree (d)"};
  child.parent_index = QualifiedName{"acme", "m_d_idx"};
  part.indexes = {child};
  src.tables = {part, parent};
  PlannedMigration pm = BuildPlan(src, Catalog{}, {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(
      DependsOn(p, FindStep(p, "create table acme.a_part"), FindStep(p, "create table acme.m")));
  int ci = FindStep(p, "create index a_part_d_idx on acme.a_part");
  EXPECT_TRUE(DependsOn(p, ci, FindStep(p, "create index m_d_idx on acme.m")));
  EXPECT_NE(p.step(ci).sql.find("ALTER INDEX \"acme\".\"m_d_idx\" ATTACH PARTITION "
                                "\"acme\".\"a_part_d_idx\""),
            std::string::npos);
  for (const Step& s : p.steps()) {
    EXPECT_NE(s.description, "copy data acme.m");  // a partitioned parent holds no rows
  }
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

TEST(PlannerTest, ForeignKeyOutsideTheTenantIsAWarning) {
  Catalog src = TwoTables();
  src.tables[1].constraints[0].references = QualifiedName{"other", "customers"};
  PlannedMigration pm = BuildPlan(src, Catalog{}, {});
  bool warned = false;
  for (const std::string& w : pm.warnings) {
    warned = warned || w.find("other.customers") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Regression (found by the ledger test): PostgreSQL refuses ALTER SEQUENCE ... OWNER TO for a
// sequence owned by a column; the table's owner change carries it.
TEST(PlannerTest, SequencesOwnedByAColumnFollowTheirTablesOwner) {
  Catalog src = TwoTables();
  Sequence seq;
  seq.name = {"acme", "orders_id_seq"};
  seq.owner = "acme_owner";
  seq.owned_by_table = QualifiedName{"acme", "orders"};
  seq.owned_by_column = "id";
  src.sequences = {seq};
  Catalog target;
  target.roles = {{"postgres"}, {"acme_owner"}};
  PlannedMigration pm = BuildPlan(src, target, {});
  const Step& owners = pm.plan.step(FindStep(pm.plan, "set owners"));
  EXPECT_EQ(owners.sql.find("ALTER SEQUENCE"), std::string::npos) << owners.sql;
  const Step& table_owner = pm.plan.step(FindStep(pm.plan, "set owner of acme.orders"));
  EXPECT_EQ(table_owner.sql.find("ALTER SEQUENCE"), std::string::npos) << table_owner.sql;
  EXPECT_NE(table_owner.sql.find("ALTER TABLE \"acme\".\"orders\" OWNER"), std::string::npos);
}

DependencyRef TableRef(const std::string& name) {
  return {DependencyKind::kTable, {"acme", name}, ""};
}
DependencyRef ViewRef(const std::string& name) {
  return {DependencyKind::kView, {"acme", name}, ""};
}
DependencyRef MvRef(const std::string& name) {
  return {DependencyKind::kMaterializedView, {"acme", name}, ""};
}
DependencyRef FnRef(const std::string& name, const std::string& args = "") {
  return {DependencyKind::kRoutine, {"acme", name}, args};
}

Routine Function(const std::string& name, const std::string& args = "") {
  Routine r;
  r.name = {"acme", name};
  r.identity_args = args;
  r.owner = "acme_owner";
  r.definition = "CREATE OR REPLACE FUNCTION acme." + name + "(" + args +
                 ")\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT 1 $function$\n";
  return r;
}

View MakeView(const std::string& name, std::vector<DependencyRef> reads,
              bool materialized = false) {
  View v;
  v.name = {"acme", name};
  v.materialized = materialized;
  v.owner = "acme_owner";
  v.definition = " SELECT 1 AS one";
  v.depends_on = std::move(reads);
  return v;
}

// TwoTables plus: a default on orders calling acme.next_id(), which needs acme.base_id();
// a trigger function; views a_summary -> z_base -> orders (alphabetical order is wrong); an MV
// over a view over an MV (mv_a_top -> v_over_mv -> mv_z_daily -> orders); an MV WITH NO DATA
// with an index; a disabled trigger on orders; a rule on customers.
Catalog Programmable() {
  Catalog c = TwoTables();
  c.tables[1].routines = {FnRef("next_id")};
  Routine next_id = Function("next_id");
  next_id.depends_on = {FnRef("base_id")};
  Routine touch = Function("touch");
  c.routines = {Function("base_id"), next_id, touch};
  View none = MakeView("mv_none", {TableRef("orders")}, true);
  none.populated = false;
  none.indexes = {{"mv_none_idx", "CREATE INDEX mv_none_idx ON acme.mv_none USING btree (one)"}};
  c.views = {MakeView("a_summary", {ViewRef("z_base"), FnRef("touch")}),
             MakeView("mv_a_top", {ViewRef("v_over_mv")}, true),
             MakeView("mv_z_daily", {TableRef("orders")}, true),
             none,
             MakeView("v_over_mv", {MvRef("mv_z_daily")}),
             MakeView("z_base", {TableRef("orders")})};
  Trigger trg{{"acme", "orders"},
              "orders_touch",
              "CREATE TRIGGER orders_touch BEFORE INSERT ON acme.orders FOR EACH ROW EXECUTE "
              "FUNCTION acme.touch()",
              'D'};
  trg.depends_on = {FnRef("touch"), TableRef("orders")};
  c.triggers = {trg};
  c.rules = {{{"acme", "customers"},
              "no_delete",
              "CREATE RULE no_delete AS ON DELETE TO acme.customers DO INSTEAD NOTHING"}};
  c.extensions = {{"citext", "public"}};
  c.server_extensions = {{"citext", {true, "public"}}};
  return c;
}

Catalog EmptyTarget() {
  Catalog t;
  t.roles = {{"postgres"}, {"acme_owner"}};
  t.server_extensions = {{"citext", {true, ""}}, {"plpgsql", {true, "pg_catalog"}}};
  t.all_schemas = {"public"};
  return t;
}

TEST(PlannerTest, RoutinesThatTablesNeedComeFirstInDependencyOrder) {
  PlannedMigration pm = BuildPlan(Programmable(), EmptyTarget(), {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(pm.source_errors.empty());
  EXPECT_TRUE(pm.target_errors.empty());
  int base = FindStep(p, "create function acme.base_id()");
  int next = FindStep(p, "create function acme.next_id()");
  int orders = FindStep(p, "create table acme.orders");
  int customers = FindStep(p, "create table acme.customers");
  EXPECT_TRUE(DependsOn(p, next, base));
  EXPECT_TRUE(DependsOn(p, orders, next));
  // Only the routines a table uses (issue 18: one failure blocks only what depends on it).
  EXPECT_FALSE(DependsOn(p, customers, next));
  EXPECT_TRUE(DependsOn(p, next, FindStep(p, "create extension citext")));
  EXPECT_EQ(p.step(next).sql.rfind("SET LOCAL check_function_bodies = off;\nCREATE FUNCTION ", 0),
            0u);
  // A routine no table needs is not in that phase.
  EXPECT_FALSE(DependsOn(p, orders, FindStep(p, "create function acme.touch()")));
}

TEST(PlannerTest, ViewsFollowTheirDependenciesNotTheirNames) {
  PlannedMigration pm = BuildPlan(Programmable(), EmptyTarget(), {});
  const Plan& p = pm.plan;
  int a = FindStep(p, "create view acme.a_summary");
  int z = FindStep(p, "create view acme.z_base");
  EXPECT_TRUE(DependsOn(p, a, z));
  EXPECT_TRUE(DependsOn(p, a, FindStep(p, "create function acme.touch()")));
  EXPECT_TRUE(DependsOn(p, z, FindStep(p, "copy data acme.orders")));
  std::vector<int> order = p.TopologicalOrder();
  EXPECT_LT(std::find(order.begin(), order.end(), z), std::find(order.begin(), order.end(), a));
}

TEST(PlannerTest, MaterializedViewsAreRefreshedInDependencyOrderAfterTheData) {
  PlannedMigration pm = BuildPlan(Programmable(), EmptyTarget(), {});
  const Plan& p = pm.plan;
  int daily = FindStep(p, "create materialized view acme.mv_z_daily");
  int over = FindStep(p, "create view acme.v_over_mv");
  int top = FindStep(p, "create materialized view acme.mv_a_top");
  int refresh_daily = FindStep(p, "refresh materialized view acme.mv_z_daily");
  int refresh_top = FindStep(p, "refresh materialized view acme.mv_a_top");
  EXPECT_TRUE(DependsOn(p, over, daily));
  EXPECT_TRUE(DependsOn(p, top, over));
  EXPECT_TRUE(DependsOn(p, refresh_top, refresh_daily));
  EXPECT_TRUE(DependsOn(p, refresh_daily, FindStep(p, "copy data acme.orders")));
  EXPECT_TRUE(DependsOn(p, refresh_top, FindStep(p, "copy data acme.orders")));
  // Only its base relations: not the other tables, views or routines.
  EXPECT_FALSE(DependsOn(p, refresh_daily, FindStep(p, "copy data acme.customers")));
  EXPECT_FALSE(DependsOn(p, refresh_daily, FindStep(p, "create view acme.a_summary")));
  EXPECT_NE(p.step(daily).sql.find("WITH NO DATA"), std::string::npos);
  EXPECT_EQ(p.step(refresh_top).sql, "REFRESH MATERIALIZED VIEW \"acme\".\"mv_a_top\";\n");
  // WITH NO DATA on the source: never refreshed, its index comes with it.
  for (const Step& s : p.steps())
    EXPECT_NE(s.description, "refresh materialized view acme.mv_none");
  EXPECT_NE(p.step(FindStep(p, "create materialized view acme.mv_none")).sql.find("mv_none_idx"),
            std::string::npos);
}

TEST(PlannerTest, TriggersAndRulesComeAfterTheirTablesDataAndFunction) {
  PlannedMigration pm = BuildPlan(Programmable(), EmptyTarget(), {});
  const Plan& p = pm.plan;
  int trg = FindStep(p, "create trigger orders_touch on acme.orders");
  EXPECT_TRUE(DependsOn(p, trg, FindStep(p, "copy data acme.orders")));
  EXPECT_TRUE(DependsOn(p, trg, FindStep(p, "create function acme.touch()")));
  // Not the other tables' data nor the refreshes (issue 18).
  EXPECT_FALSE(DependsOn(p, trg, FindStep(p, "copy data acme.customers")));
  EXPECT_FALSE(DependsOn(p, trg, FindStep(p, "refresh materialized view acme.mv_a_top")));
  EXPECT_NE(p.step(trg).sql.find("DISABLE TRIGGER \"orders_touch\""), std::string::npos);
  int rule = FindStep(p, "create rule no_delete on acme.customers");
  EXPECT_TRUE(DependsOn(p, rule, FindStep(p, "copy data acme.customers")));
  int owners = FindStep(p, "set owners");
  EXPECT_TRUE(DependsOn(p, owners, trg));
  EXPECT_NE(p.step(owners).sql.find("ALTER FUNCTION \"acme\".\"touch\"() OWNER TO"),
            std::string::npos);
  EXPECT_NE(p.step(owners).sql.find("ALTER MATERIALIZED VIEW \"acme\".\"mv_a_top\" OWNER TO"),
            std::string::npos);
}

TEST(PlannerTest, ADependencyCycleIsReportedWithItsObjects) {
  Catalog src = Programmable();
  src.views.push_back(MakeView("loop_a", {ViewRef("loop_b")}));
  src.views.push_back(MakeView("loop_b", {ViewRef("loop_a")}));
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  ASSERT_EQ(pm.source_errors.size(), 1u);
  EXPECT_NE(pm.source_errors[0].find("view acme.loop_a -> view acme.loop_b -> view acme.loop_a"),
            std::string::npos)
      << pm.source_errors[0];
  FindStep(pm.plan, "create view acme.a_summary");  // the rest is still planned
}

TEST(PlannerTest, ARoutineTablesNeedCannotNeedATable) {
  Catalog src = Programmable();
  src.routines[0].depends_on = {TableRef("customers")};  // base_id
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  ASSERT_EQ(pm.source_errors.size(), 1u);
  EXPECT_NE(pm.source_errors[0].find("function acme.base_id() is needed before the tables"),
            std::string::npos);
  EXPECT_NE(pm.source_errors[0].find("table acme.customers"), std::string::npos);
}

TEST(PlannerTest, ExtensionsAreCreatedUnlessPresentAndMissingOnesAreErrors) {
  Catalog dst = EmptyTarget();
  PlannedMigration pm = BuildPlan(Programmable(), dst, {});
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create extension citext")).state, StepState::kWaiting);
  dst.server_extensions["citext"].schema = "public";
  pm = BuildPlan(Programmable(), dst, {});
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create extension citext")).state, StepState::kSkipped);
  EXPECT_TRUE(pm.target_errors.empty());
  dst.server_extensions.erase("citext");
  pm = BuildPlan(Programmable(), dst, {});
  ASSERT_EQ(pm.target_errors.size(), 1u);
  EXPECT_NE(pm.target_errors[0].find("extension \"citext\""), std::string::npos);
  EXPECT_NE(pm.target_errors[0].find("not available on the target"), std::string::npos);
  dst.server_extensions["citext"] = {true, "extensions"};
  pm = BuildPlan(Programmable(), dst, {});
  ASSERT_EQ(pm.target_errors.size(), 1u);
  EXPECT_NE(pm.target_errors[0].find("schema \"extensions\""), std::string::npos);
}

TEST(PlannerTest, RerunOnAnIdenticalTargetSkipsEveryProgrammableStep) {
  Catalog dst = Programmable();
  dst.views[2].populated = true;  // mv_z_daily as the first run left it
  PlannedMigration pm = BuildPlan(Programmable(), dst, {});
  EXPECT_TRUE(pm.conflicts.empty());
  EXPECT_TRUE(pm.source_errors.empty());
  EXPECT_TRUE(pm.target_errors.empty());
  for (const Step& s : pm.plan.steps()) {
    if (s.kind != StepKind::kTargetSql || s.phase == "analyze" || s.phase == "sequence values") {
      continue;
    }
    EXPECT_EQ(s.state, StepState::kSkipped) << s.description;
  }
}

TEST(PlannerTest, AnUnpopulatedTargetMaterializedViewIsRefreshedOnRerun) {
  Catalog dst = Programmable();
  dst.views[1].populated = false;  // mv_a_top: created, refresh not done yet
  PlannedMigration pm = BuildPlan(Programmable(), dst, {});
  EXPECT_TRUE(pm.conflicts.empty());
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "create materialized view acme.mv_a_top")).state,
            StepState::kSkipped);
  EXPECT_EQ(pm.plan.step(FindStep(pm.plan, "refresh materialized view acme.mv_a_top")).state,
            StepState::kWaiting);
}

TEST(PlannerTest, DifferentProgrammableObjectsOnTheTargetAreConflicts) {
  Catalog dst = Programmable();
  dst.views[0].definition = " SELECT 2 AS two";
  dst.routines[2].definition += "-- changed";
  dst.triggers[0].enabled = 'O';
  PlannedMigration pm = BuildPlan(Programmable(), dst, {});
  ASSERT_EQ(pm.conflicts.size(), 3u);
  std::string all = pm.conflicts[0] + pm.conflicts[1] + pm.conflicts[2];
  EXPECT_NE(all.find("function acme.touch()"), std::string::npos);
  EXPECT_NE(all.find("view acme.a_summary"), std::string::npos);
  EXPECT_NE(all.find("trigger orders_touch on acme.orders"), std::string::npos);
}

TEST(PlannerTest, ReferencesOutsideTheTenantAreWarnings) {
  Catalog src = Programmable();
  src.views[0].depends_on.push_back({DependencyKind::kTable, {"other", "customers"}, ""});
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  bool warned = false;
  for (const std::string& w : pm.warnings) {
    warned = warned || (w.find("view acme.a_summary uses table other.customers, outside the "
                               "tenant") != std::string::npos);
  }
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

TEST(PlannerTest, ReplaceDropsTheTargetsObjectFirstAndMayReplaceRows) {
  Catalog target = TwoTables();
  target.tables[1].columns[1].type = "text";
  PlanOptions replace;
  replace.on_existing = OnExisting::kReplace;
  PlannedMigration pm = BuildPlan(TwoTables(), target, replace);
  EXPECT_TRUE(pm.conflicts.empty());
  const Step& create = pm.plan.step(FindStep(pm.plan, "create table acme.orders"));
  EXPECT_NE(create.state, StepState::kSkipped);
  EXPECT_EQ(create.sql.rfind("DROP TABLE IF EXISTS \"acme\".\"orders\";\nCREATE TABLE", 0), 0u)
      << create.sql;
  EXPECT_TRUE(pm.plan.step(FindStep(pm.plan, "copy data acme.orders")).replace_rows);
  bool warned = false;
  for (const std::string& w : pm.warnings)
    warned = warned || w.find("dropped") != std::string::npos;
  EXPECT_TRUE(warned);
  // Without replace, the data step never overwrites rows.
  EXPECT_FALSE(BuildPlan(TwoTables(), TwoTables(), {})
                   .plan.step(FindStep(pm.plan, "copy data acme.orders"))
                   .replace_rows);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// One failed table holds back only its own steps: the other table still gets its owner.
TEST(PlannerTest, AFailedTableBlocksOnlyItsOwnOwnerStep) {
  Catalog target;
  target.roles = {{"postgres"}, {"acme_owner"}};
  target.server.current_user = "postgres";
  Catalog src = TwoTables();
  src.server.current_user = "postgres";
  PlannedMigration pm = BuildPlan(src, target, {});
  Plan& plan = pm.plan;
  int failing = FindStep(plan, "copy data acme.orders");
  for (std::vector<int> work = plan.FindWork(100); !work.empty(); work = plan.FindWork(100)) {
    for (int id : work) plan.StepFinished(id, id != failing);
  }
  EXPECT_EQ(plan.step(FindStep(plan, "set owner of acme.orders")).state, StepState::kBlocked);
  EXPECT_EQ(plan.step(FindStep(plan, "set owner of acme.customers")).state, StepState::kSucceeded);
  EXPECT_EQ(plan.step(FindStep(plan, "set owners")).state, StepState::kSucceeded);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Runs `plan` to the end as if every step but `failing` succeeded.
void RunFailing(Plan* plan, int failing) {
  for (std::vector<int> work = plan->FindWork(100); !work.empty(); work = plan->FindWork(100)) {
    for (int id : work) plan->StepFinished(id, id != failing);
  }
}

// Issue 18: a failed type step blocked every table.
TEST(PlannerTest, AFailedTypeBlocksOnlyTheTablesThatUseIt) {
  Catalog src = TwoTables();
  UserType mood;
  mood.name = {"acme", "mood"};
  mood.enum_labels = {"happy"};
  UserType unused = mood;
  unused.name = {"acme", "unused"};
  src.types = {mood, unused};
  src.tables[1].columns.push_back({"mood", "acme.mood"});
  src.tables[1].types = {{"acme", "mood"}};
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  Plan& p = pm.plan;
  int orders = FindStep(p, "create table acme.orders");
  int customers = FindStep(p, "create table acme.customers");
  EXPECT_TRUE(DependsOn(p, orders, FindStep(p, "create type acme.mood")));
  EXPECT_FALSE(DependsOn(p, customers, FindStep(p, "create type acme.mood")));
  EXPECT_FALSE(DependsOn(p, orders, FindStep(p, "create type acme.unused")));
  RunFailing(&p, FindStep(p, "create type acme.mood"));
  EXPECT_EQ(p.step(orders).state, StepState::kBlocked);
  EXPECT_EQ(p.step(FindStep(p, "copy data acme.orders")).state, StepState::kBlocked);
  EXPECT_EQ(p.step(customers).state, StepState::kSucceeded);
  EXPECT_EQ(p.step(FindStep(p, "copy data acme.customers")).state, StepState::kSucceeded);
  EXPECT_EQ(p.step(FindStep(p, "create type acme.unused")).state, StepState::kSucceeded);
}

// Issue 18: one failed table blocked every trigger and every materialized view refresh.
TEST(PlannerTest, AFailedTableLeavesUnrelatedTriggersAndRefreshesRunnable) {
  Catalog src = Programmable();
  Trigger audit{{"acme", "customers"},
                "customers_touch",
                "CREATE TRIGGER customers_touch BEFORE INSERT ON acme.customers FOR EACH ROW "
                "EXECUTE FUNCTION acme.touch()"};
  audit.depends_on = {FnRef("touch"), TableRef("customers")};
  src.triggers.push_back(audit);
  src.views.push_back(MakeView("mv_customers", {TableRef("customers")}, true));
  // An MV calling a routine may read any table through it: it waits for all the data.
  src.views.push_back(MakeView("mv_calls", {TableRef("customers"), FnRef("touch")}, true));
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  Plan& p = pm.plan;
  RunFailing(&p, FindStep(p, "copy data acme.orders"));
  auto state = [&](const std::string& d) { return p.step(FindStep(p, d)).state; };
  EXPECT_EQ(state("create trigger customers_touch on acme.customers"), StepState::kSucceeded);
  EXPECT_EQ(state("create rule no_delete on acme.customers"), StepState::kSucceeded);
  EXPECT_EQ(state("refresh materialized view acme.mv_customers"), StepState::kSucceeded);
  EXPECT_EQ(state("create trigger orders_touch on acme.orders"), StepState::kBlocked);
  EXPECT_EQ(state("refresh materialized view acme.mv_z_daily"), StepState::kBlocked);
  EXPECT_EQ(state("refresh materialized view acme.mv_a_top"), StepState::kBlocked);
  EXPECT_EQ(state("refresh materialized view acme.mv_calls"), StepState::kBlocked);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Issue 18: an INHERITS child comes after its parent, and what reads the parent (here a view)
// waits for the children's rows too; a partition's trigger clone state follows the trigger.
TEST(PlannerTest, InheritanceChildrenFollowTheirParentAndCloneStatesTheirTrigger) {
  Catalog src = TwoTables();
  Table child;
  child.name = {"acme", "a_child"};  // sorts before its parent
  child.owner = "acme_owner";
  child.inherits = {{"acme", "customers"}};
  src.tables.push_back(child);
  src.views.push_back(MakeView("v_customers", {TableRef("customers")}));
  Table events;
  events.name = {"acme", "events"};
  events.partition_key = "RANGE (at)";
  Table manual;
  manual.name = {"acme", "events_manual"};
  manual.partition_parent = events.name;
  manual.partition_bound = "DEFAULT";
  src.tables.push_back(events);
  src.tables.push_back(manual);
  Trigger trg{events.name, "stamp", "CREATE TRIGGER stamp BEFORE INSERT ON acme.events ...", 'O'};
  Trigger clone{manual.name, "stamp", "CREATE TRIGGER stamp ...", 'D'};
  clone.clone = true;
  src.triggers = {clone, trg};  // the clone listed first
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  const Plan& p = pm.plan;
  int parent = FindStep(p, "create table acme.customers");
  EXPECT_TRUE(DependsOn(p, FindStep(p, "create table acme.a_child"), parent));
  EXPECT_TRUE(DependsOn(p, FindStep(p, "create view acme.v_customers"),
                        FindStep(p, "copy data acme.a_child")));
  int state = FindStep(p, "set the enabled state of trigger stamp on acme.events_manual");
  EXPECT_TRUE(DependsOn(p, state, FindStep(p, "create trigger stamp on acme.events")));
  EXPECT_EQ(p.step(state).sql,
            "ALTER TABLE \"acme\".\"events_manual\" DISABLE TRIGGER \"stamp\";\n");
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Issue 18: operators, text search objects, storage parameters ... were dropped with exit 0 and
// no word. Each is now a manual step naming its kind and name; an extension the plan creates is
// not one.
TEST(PlannerTest, ObjectsTenantshiftDoesNotMoveAreManualSteps) {
  Catalog src = Programmable();
  src.not_moved = {{"operator", "acme.===(integer, integer)"},
                   {"text search template", "acme.tmpl"}};
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  ASSERT_EQ(pm.manual_steps.size(), 2u);
  EXPECT_EQ(pm.not_moved, 2u);
  EXPECT_EQ(pm.manual_steps[0].what, "operator acme.===(integer, integer)");
  EXPECT_NE(pm.manual_steps[0].why.find("does not move"), std::string::npos);
  EXPECT_EQ(pm.manual_steps[1].what, "text search template acme.tmpl");
  EXPECT_EQ(BuildPlan(Programmable(), EmptyTarget(), {}).not_moved, 0u);
}

// Issue 18, preflight: each type, collation, access method or foreign server the tenant uses
// from outside its schemas and the target lacks is an error naming it and its user, so migrate
// refuses before any change (exit 4); with nothing missing there is no error.
TEST(PlannerTest, WhatTheTargetLacksFromOutsideTheTenantIsAnErrorNamingEachObject) {
  Catalog dst = EmptyTarget();
  dst.missing_external = {{"access method", "", "my am", "acme.t"},
                          {"collation", "public", "de\"x", "acme.t.c"},
                          {"foreign server", "", "srv", "acme.remote"},
                          {"type", "public", "pair", "acme.f(public.pair)"}};
  PlannedMigration pm = BuildPlan(Programmable(), dst, {});
  ASSERT_EQ(pm.target_errors.size(), 4u);
  EXPECT_NE(pm.target_errors[0].find("access method my am is used by acme.t but does not exist "
                                     "on the target"),
            std::string::npos)
      << pm.target_errors[0];
  EXPECT_NE(pm.target_errors[1].find("collation public.de\"x is used by acme.t.c"),
            std::string::npos);
  EXPECT_NE(pm.target_errors[2].find("foreign server srv is used by acme.remote"),
            std::string::npos);
  EXPECT_NE(pm.target_errors[3].find("type public.pair is used by acme.f(public.pair)"),
            std::string::npos);
  EXPECT_TRUE(BuildPlan(Programmable(), EmptyTarget(), {}).target_errors.empty());
}

// Issue 18, item 4: a Redshift source's unmoved objects are manual steps on a PostgreSQL target
// too (they were listed only when the target was Redshift).
TEST(PlannerTest, UnmovedObjectsOfTheSourceAreManualStepsOnAPostgresTarget) {
  Catalog src = Programmable();
  src.unmoved = {{"ML model acme.m", "train it again", "", false},
                 {"RLS policy p on acme.t", "not moved", "CREATE RLS POLICY ...", true}};
  PlannedMigration pm = BuildPlan(src, EmptyTarget(), {});
  ASSERT_EQ(pm.manual_steps.size(), 2u);
  EXPECT_EQ(pm.manual_steps[0].what, "ML model acme.m");
  EXPECT_FALSE(pm.manual_steps[0].security);
  EXPECT_EQ(pm.manual_steps[1].what, "RLS policy p on acme.t");
  EXPECT_EQ(pm.manual_steps[1].sql, "CREATE RLS POLICY ...");
  EXPECT_TRUE(pm.manual_steps[1].security);
}

}  // namespace
}  // namespace tenantshift
