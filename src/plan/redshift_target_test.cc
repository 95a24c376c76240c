// Plans for Redshift targets: dependency order (redshift-catalog.md §1.1), what Serverless cannot
// hold converted with a warning naming the object, Python UDFs as manual steps. Expected SQL
// fragments are written by hand from the Redshift syntax.
#include "plan/redshift_target.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "extract/extractor.h"
#include "extract/redshift/rs_data_facts.h"
#include "plan/planner.h"
#include "testing/catalog_fixture.h"
#include "testing/plan_queries.h"

namespace tenantshift {
namespace {

Role Principal(const std::string& name, Role::Kind kind) {
  Role r;
  r.name = name;
  r.kind = kind;
  r.can_login = kind == Role::Kind::kUser;
  r.syslog_access = kind == Role::Kind::kUser ? "RESTRICTED" : "";
  return r;
}

Column Int(const std::string& name) {
  Column c;
  c.name = name;
  c.type = "integer";
  c.encoding = "az64";
  return c;
}

View Mv(const std::string& name, const std::string& definition, DependencyRef reads) {
  View v;
  v.name = {"acme", name};
  v.materialized = true;
  v.owner = "owner_u";
  v.definition = definition;
  v.depends_on = {reads};
  return v;
}

Routine Function(const std::string& name, const std::string& language) {
  Routine f;
  f.name = {"acme", name};
  f.identity_args = "integer";
  f.language = language;
  f.owner = "owner_u";
  f.parts.arguments = "integer";
  f.parts.returns = "integer";
  f.parts.body = language == "sql" ? " SELECT $1 " : "\n    return a + 1\n";
  if (language != "sql") f.parts.arguments = "a integer";
  return f;
}

// A Redshift tenant: users, a group, roles nested two deep, an identity table with an
// interleaved sort key, an AUTO table, a late-binding view, a materialized view over another,
// SQL and Python UDFs, a procedure, column grants and default privileges.
Catalog Tenant() {
  Catalog c;
  c.server.dialect = Dialect::kRedshift;
  c.server.current_user = "admin";
  c.server.database = "dev";
  c.roles = {Principal("admin", Role::Kind::kUser), Principal("owner_u", Role::Kind::kUser),
             Principal("bob", Role::Kind::kUser),   Principal("analysts", Role::Kind::kGroup),
             Principal("base", Role::Kind::kRole),  Principal("mid", Role::Kind::kRole)};
  c.roles[4].system_privileges = {"CREATE TABLE"};
  c.memberships = {{"analysts", "bob", "", false, Role::Kind::kGroup, Role::Kind::kUser},
                   {"base", "mid", "", false, Role::Kind::kRole, Role::Kind::kRole},
                   {"mid", "bob", "", false, Role::Kind::kRole, Role::Kind::kUser}};
  c.schemas = {{"acme", "owner_u", "", 500}};
  Table orders;
  orders.name = {"acme", "orders"};
  orders.owner = "owner_u";
  Column id = Int("id");
  id.identity = 'a';
  id.identity_options.start = 1;
  id.identity_options.increment = 1;
  id.not_null = true;
  orders.columns = {id, Int("amount")};
  orders.constraints = {{"orders_pkey", Constraint::Kind::kPrimaryKey, "PRIMARY KEY (id)"}};
  orders.distribution = {Distribution::Style::kKey, "id"};
  orders.sort_key = {SortKey::Style::kInterleaved, {"id", "amount"}};
  Table events;
  events.name = {"acme", "events"};
  events.owner = "owner_u";
  events.columns = {Int("id")};
  events.columns[0].encoding.clear();
  events.encode_auto = true;
  events.distribution.style = Distribution::Style::kAuto;
  events.sort_key.style = SortKey::Style::kAuto;
  c.tables = {events, orders};
  View lb;
  lb.name = {"acme", "recent"};
  lb.owner = "owner_u";
  lb.late_binding = true;
  lb.definition = "SELECT id FROM acme.orders";
  DependencyRef orders_ref{DependencyKind::kTable, {"acme", "orders"}, ""};
  c.views = {lb, Mv("mv_base", "SELECT id, amount FROM acme.orders", orders_ref),
             Mv("mv_top", "SELECT sum(amount) AS total FROM acme.mv_base",
                {DependencyKind::kMaterializedView, {"acme", "mv_base"}, ""})};
  Routine proc = Function("p", "plpgsql");
  proc.kind = Routine::Kind::kProcedure;
  proc.parts.arguments = "\"x\" INOUT integer";
  proc.parts.returns.clear();
  proc.parts.security_definer = true;
  c.routines = {Function("add", "sql"), proc, Function("py", "plpythonu")};
  ObjectRef orders_obj{ObjectKind::kTable, {"acme", "orders"}, "", ""};
  ObjectRef amount{ObjectKind::kTable, {"acme", "orders"}, "", "amount"};
  ObjectRef py{ObjectKind::kFunction, {"acme", "py"}, "integer", ""};
  c.acls = {
      {orders_obj, "owner_u", {{"analysts", "owner_u", {{"SELECT", false}}, GranteeKind::kGroup}}},
      {amount, "owner_u", {{"bob", "owner_u", {{"UPDATE", false}}}}},
      {py, "owner_u", {{"mid", "owner_u", {{"EXECUTE", false}}, GranteeKind::kRole}}}};
  c.default_acls = {
      {"owner_u", "", DefaultAcl::On::kTables, {{"bob", "owner_u", {{"SELECT", false}}}}},
      {"owner_u",
       "acme",
       DefaultAcl::On::kProcedures,
       {{"mid", "owner_u", {{"EXECUTE", false}}, GranteeKind::kRole}}}};
  return c;
}

Catalog Target(Dialect dialect) {
  Catalog t;
  t.server.dialect = dialect;
  t.server.current_user = "admin";
  t.server.database = "dev";
  t.server.superuser = true;
  t.roles = {Principal("admin", Role::Kind::kUser)};
  return t;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool AnyWarning(const PlannedMigration& pm, const std::string& part) {
  return std::any_of(pm.warnings.begin(), pm.warnings.end(),
                     [&](const std::string& w) { return Has(w, part); });
}

TEST(RedshiftPlanTest, StepsFollowTheRecreateOrder) {
  PlannedMigration pm = BuildPlan(Tenant(), Target(Dialect::kRedshift), {});
  const Plan& p = pm.plan;
  ASSERT_TRUE(pm.conflicts.empty());
  ASSERT_TRUE(pm.source_errors.empty());
  int bob = FindStep(p, "create role bob");
  int group = FindStep(p, "create role analysts");
  int in_group = FindStep(p, "grant role analysts to bob");
  int base = FindStep(p, "create role base");
  int mid = FindStep(p, "create role mid");
  int nested = FindStep(p, "grant role base to mid");
  int to_user = FindStep(p, "grant role mid to bob");
  int schema = FindStep(p, "create schema acme");
  int orders = FindStep(p, "create table acme.orders");
  int data = FindStep(p, "copy data acme.orders");
  int pk = FindStep(p, "add constraint orders_pkey on acme.orders");
  int add = FindStep(p, "create function acme.add(integer)");
  int proc = FindStep(p, "create procedure acme.p(integer)");
  int late = FindStep(p, "create view acme.recent");
  int mv_base = FindStep(p, "create materialized view acme.mv_base");
  int mv_top = FindStep(p, "create materialized view acme.mv_top");
  int refresh_top = FindStep(p, "refresh materialized view acme.mv_top");
  int owner = FindStep(p, "set owner of acme.orders");
  int grants = FindStep(p, "privileges on table acme.orders");
  int column = FindStep(p, "privileges on column acme.orders.amount");
  EXPECT_TRUE(DependsOn(p, in_group, bob));
  EXPECT_TRUE(DependsOn(p, in_group, group));
  EXPECT_TRUE(DependsOn(p, nested, base));
  EXPECT_TRUE(DependsOn(p, nested, mid));
  EXPECT_TRUE(DependsOn(p, to_user, mid));
  EXPECT_TRUE(DependsOn(p, orders, schema));
  EXPECT_TRUE(DependsOn(p, data, orders));
  EXPECT_TRUE(DependsOn(p, pk, data));
  EXPECT_TRUE(DependsOn(p, mv_base, data));
  EXPECT_TRUE(DependsOn(p, mv_top, mv_base));  // an MV over an MV after its base
  EXPECT_TRUE(DependsOn(p, refresh_top, FindStep(p, "refresh materialized view acme.mv_base")));
  EXPECT_TRUE(DependsOn(p, owner, pk));
  EXPECT_TRUE(DependsOn(p, grants, owner));
  EXPECT_TRUE(DependsOn(p, grants, in_group));
  EXPECT_TRUE(DependsOn(p, column, grants));
  // Default privileges come after the objects they would apply to (issue 14), never after a
  // grant: a default ACL changes no existing object, so a failed grant blocks none.
  int on_tables = FindStep(p, "default privileges of owner_u on tables in schema ");
  for (int other : {orders, owner, late, mv_top}) EXPECT_TRUE(DependsOn(p, on_tables, other));
  int on_procedures = FindStep(p, "default privileges of owner_u on procedures in schema acme");
  for (int other : {add, proc}) EXPECT_TRUE(DependsOn(p, on_procedures, other));
  int rules = 0;
  for (const Step& s : p.steps()) {
    if (s.phase != "default privileges") continue;
    ++rules;
    EXPECT_FALSE(DependsOn(p, s.id, grants)) << s.description;
    EXPECT_FALSE(DependsOn(p, s.id, column)) << s.description;
    EXPECT_TRUE(DependsOn(p, s.id, bob)) << s.description;
  }
  EXPECT_EQ(rules, 2);
}

TEST(RedshiftPlanTest, StepsCarryRedshiftSql) {
  PlannedMigration pm = BuildPlan(Tenant(), Target(Dialect::kRedshift), {});
  const Plan& p = pm.plan;
  EXPECT_EQ(p.step(FindStep(p, "create role bob")).sql,
            "CREATE USER \"bob\" PASSWORD DISABLE NOCREATEDB NOCREATEUSER SYSLOG ACCESS RESTRICTED "
            "CONNECTION LIMIT UNLIMITED;\n");
  EXPECT_EQ(p.step(FindStep(p, "create role analysts")).sql, "CREATE GROUP \"analysts\";\n");
  EXPECT_EQ(p.step(FindStep(p, "create role base")).sql,
            "CREATE ROLE \"base\";\nGRANT CREATE TABLE TO ROLE \"base\";\n");
  EXPECT_EQ(p.step(FindStep(p, "grant role analysts to bob")).sql,
            "ALTER GROUP \"analysts\" ADD USER \"bob\";\n");
  EXPECT_EQ(p.step(FindStep(p, "create schema acme")).sql,
            "CREATE SCHEMA \"acme\" QUOTA 500 MB;\n");
  EXPECT_TRUE(
      Has(p.step(FindStep(p, "set owners")).sql, "ALTER SCHEMA \"acme\" OWNER TO \"owner_u\";\n"));
  EXPECT_TRUE(Has(p.step(FindStep(p, "create table acme.orders")).sql,
                  "INTERLEAVED SORTKEY (\"id\", \"amount\");\n"));
  EXPECT_EQ(p.step(FindStep(p, "create function acme.add(integer)")).sql,
            "CREATE FUNCTION \"acme\".\"add\"(integer)\nRETURNS integer\nVOLATILE\n"
            "AS $$ SELECT $1 $$\nLANGUAGE sql;\n");
  EXPECT_EQ(p.step(FindStep(p, "privileges on table acme.orders")).sql,
            "REVOKE ALL ON TABLE \"acme\".\"orders\" FROM PUBLIC, \"owner_u\";\n"
            "GRANT SELECT ON TABLE \"acme\".\"orders\" TO GROUP \"analysts\";\n");
  EXPECT_EQ(p.step(FindStep(p, "default privileges of owner_u on tables in schema ")).sql,
            "ALTER DEFAULT PRIVILEGES FOR USER \"owner_u\" GRANT SELECT ON TABLES TO \"bob\";\n");
  EXPECT_FALSE(AnyWarning(pm, "INTERLEAVED"));  // provisioned keeps interleaved keys
  for (const Step& s : p.steps()) {
    EXPECT_FALSE(Has(s.sql, "setval")) << s.description;  // Redshift has no sequences
  }
}

TEST(RedshiftPlanTest, ServerlessMakesInterleavedKeysCompoundWithAWarning) {
  PlannedMigration pm = BuildPlan(Tenant(), Target(Dialect::kRedshiftServerless), {});
  const Plan& p = pm.plan;
  std::string sql = p.step(FindStep(p, "create table acme.orders")).sql;
  EXPECT_TRUE(Has(sql, "COMPOUND SORTKEY (\"id\", \"amount\");\n")) << sql;
  EXPECT_FALSE(Has(sql, "INTERLEAVED"));
  EXPECT_TRUE(AnyWarning(pm, "table acme.orders has an INTERLEAVED sort key (id, amount)"));
  EXPECT_TRUE(AnyWarning(pm, "Serverless"));
}

TEST(RedshiftPlanTest, PythonUdfsBecomeManualStepsWithTheirSource) {
  for (Dialect d : {Dialect::kRedshift, Dialect::kRedshiftServerless}) {
    PlannedMigration pm = BuildPlan(Tenant(), Target(d), {});
    for (const Step& s : pm.plan.steps()) {
      EXPECT_FALSE(Has(s.description, "acme.py")) << s.description;
      EXPECT_FALSE(Has(s.sql, "plpythonu")) << s.description;
    }
    ASSERT_EQ(pm.manual_steps.size(), 1u);
    const ManualStep& m = pm.manual_steps[0];
    EXPECT_EQ(m.what, "create function acme.py(integer)");
    EXPECT_TRUE(Has(m.why, "Python"));
    EXPECT_EQ(m.sql,
              "CREATE FUNCTION \"acme\".\"py\"(a integer)\nRETURNS integer\nVOLATILE\n"
              "AS $$\n    return a + 1\n$$\nLANGUAGE plpythonu;\n"
              "ALTER FUNCTION \"acme\".\"py\"(integer) OWNER TO \"owner_u\";\n"
              "GRANT EXECUTE ON FUNCTION \"acme\".\"py\"(integer) TO ROLE \"mid\";\n");
    EXPECT_FALSE(AnyWarning(pm, "privileges on 1 function"));  // its grants are in the step
  }
}

TEST(RedshiftPlanTest, OtherConversionsAreWarnedAboutEach) {
  Catalog src = Tenant();
  src.schemas[0].comment = "tenant";
  src.roles[4].system_privileges.push_back("DO ANYTHING");
  src.views[1].sort_key = {SortKey::Style::kInterleaved, {"id"}};
  src.acls[0].items[0].privileges[0].grantable = true;  // a group cannot hold GRANT OPTION
  RedshiftAdaptation a = AdaptForRedshift(src, Target(Dialect::kRedshift).server);
  EXPECT_TRUE(a.source.schemas[0].comment.empty());
  EXPECT_EQ(a.source.views[1].sort_key.style, SortKey::Style::kCompound);
  EXPECT_EQ(a.source.roles[4].system_privileges, std::vector<std::string>{"CREATE TABLE"});
  EXPECT_FALSE(a.source.acls[0].items[0].privileges[0].grantable);
  std::string all;
  for (const std::string& w : a.warnings) all += w + "\n";
  EXPECT_TRUE(Has(all, "comment on schema acme")) << all;
  EXPECT_TRUE(Has(all, "materialized view acme.mv_base has an INTERLEAVED")) << all;
  EXPECT_TRUE(Has(all,
                  "role base holds system privilege(s) this version does not know (DO "
                  "ANYTHING)"))
      << all;
  EXPECT_TRUE(Has(all, "privileges of analysts on table acme.orders")) << all;
}

// D8: "You can't disable a superuser's password"
// (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html).
TEST(RedshiftPlanTest, ASuperuserWithoutPasswordIsAConflict) {
  Catalog src = Tenant();
  src.roles[2].superuser = true;  // bob
  PlanOptions keep;
  keep.allow_superuser = true;
  PlannedMigration pm = BuildPlan(src, Target(Dialect::kRedshift), keep);
  ASSERT_EQ(pm.conflicts.size(), 1u);
  EXPECT_TRUE(Has(pm.conflicts[0], "user bob is kept a superuser")) << pm.conflicts[0];
  keep.passwords["bob"] = Secret("md5abc");
  pm = BuildPlan(src, Target(Dialect::kRedshift), keep);
  EXPECT_TRUE(pm.conflicts.empty());
  int bob = FindStep(pm.plan, "create role bob");
  EXPECT_TRUE(Has(pm.plan.step(bob).sql, "PASSWORD '********' NOCREATEDB CREATEUSER"));
  EXPECT_TRUE(Has(pm.plan.step(bob).secret_sql, "PASSWORD 'md5abc' NOCREATEDB CREATEUSER"));
  EXPECT_FALSE(Has(pm.plan.step(bob).sql, "md5abc"));
}

// Issue 12, item 2: what the extractor could not recreate becomes a manual step (security ones
// flagged); Lambda UDFs (a language CREATE FUNCTION does not write) too, with their grants.
TEST(RedshiftPlanTest, UnmovedObjectsAndLambdaUdfsBecomeManualSteps) {
  Catalog src = Tenant();
  src.unmoved.push_back(
      {"RLS policy p on acme.orders for PUBLIC", "not moved", "ATTACH ...", true});
  src.unmoved.push_back({"ML model acme.m", "train again", "", false});
  Routine lambda = src.routines[0];
  lambda.name.name = "f_lambda";
  lambda.language = "exfunc";
  src.routines.push_back(lambda);
  PlannedMigration pm = BuildPlan(src, Target(Dialect::kRedshiftServerless), {});
  std::vector<std::string> what;
  for (const ManualStep& m : pm.manual_steps) what.push_back(m.what + (m.security ? " !" : ""));
  EXPECT_EQ(what, (std::vector<std::string>{"RLS policy p on acme.orders for PUBLIC !",
                                            "ML model acme.m", "create function acme.py(integer)",
                                            "create function acme.f_lambda(integer)"}));
  for (const Step& s : pm.plan.steps()) EXPECT_FALSE(Has(s.sql, "f_lambda")) << s.description;
}

// D9: ALTER DEFAULT PRIVILEGES ... ON TABLES has no ALTER
// (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_DEFAULT_PRIVILEGES.html).
TEST(RedshiftPlanTest, DefaultPrivilegesTheGrammarLacksAreWarnedAbout) {
  Catalog src = Tenant();
  src.default_acls.push_back(
      {"owner_u", "acme", DefaultAcl::On::kTables, {{"bob", "owner_u", {{"ALTER", false}}}}});
  RedshiftAdaptation a = AdaptForRedshift(src, Target(Dialect::kRedshift).server);
  std::string all;
  for (const std::string& w : a.warnings) all += w + "\n";
  EXPECT_TRUE(Has(all, "default privileges of owner_u in schema acme for bob: ALTER cannot be"))
      << all;
}

TEST(RedshiftPlanTest, PostgresTargetsAreNotAdapted) {
  Catalog src = Tenant();
  src.server.dialect = Dialect::kPostgres;
  PlannedMigration pm = BuildPlan(src, Target(Dialect::kPostgres), {});
  EXPECT_TRUE(pm.manual_steps.empty());
  EXPECT_FALSE(AnyWarning(pm, "INTERLEAVED"));
}

// D10 and R8 as a recorded session: the tenant of tests/fixtures/redshift, its data-facts
// probe answered by tests/fixtures/redshift_data_facts/probe.json (constructed values, the
// test's choice: highest orders.id 1042 with IDENTITY(1, 1); ref_code 100..605 with
// GENERATED BY DEFAULT AS IDENTITY(100, 5); largest payload 151 bytes). `json_bytes`, when
// given, replaces orders.payload's answer.
PlannedMigration RecordedRedshiftPlan(std::optional<std::string> json_bytes = std::nullopt,
                                      bool orders_empty = false) {
  Result<std::unique_ptr<FakeSession>> session = LoadRedshiftFixture("redshift");
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return {};
  Result<Catalog> source = ExtractCatalog(**session, {"acme"});
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return {};
  Rows rows = LoadFixtureRows(std::string(TENANTSHIFT_SOURCE_DIR) +
                              "/tests/fixtures/redshift_data_facts/probe.json");
  if (json_bytes) rows.rows[2][5] = *json_bytes;
  if (orders_empty) rows.rows[1][3] = rows.rows[1][4] = std::nullopt;
  (*session)->AddResult(RedshiftDataFactsSql(*source), rows);
  Status s = ReadRedshiftDataFacts(**session, &*source);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return BuildPlan(*source, Target(Dialect::kRedshiftServerless), {});
}

TEST(RedshiftIdentitySeedTest, TablesContinueWhereTheSourceEnded) {
  PlannedMigration pm = RecordedRedshiftPlan();
  std::string orders = pm.plan.step(FindStep(pm.plan, "create table acme.orders")).sql;
  EXPECT_TRUE(Has(orders, "\"id\" bigint IDENTITY(1043, 1) ENCODE az64 NOT NULL")) << orders;
  std::string customers = pm.plan.step(FindStep(pm.plan, "create table acme.customers")).sql;
  EXPECT_TRUE(Has(customers, "GENERATED BY DEFAULT AS IDENTITY(610, 5)")) << customers;
  EXPECT_TRUE(AnyWarning(pm,
                         "identity column acme.orders.id: created with IDENTITY(1043, 1) instead "
                         "of the source's seed 1, because the source's highest value is 1042"));
  EXPECT_TRUE(AnyWarning(pm,
                         "identity column acme.customers.ref_code: created with IDENTITY(610, "
                         "5) instead of the source's seed 100"));
  EXPECT_TRUE(pm.source_errors.empty());
}

TEST(RedshiftIdentitySeedTest, AnEmptySourceTableKeepsItsSeed) {
  PlannedMigration pm = RecordedRedshiftPlan(std::nullopt, /*orders_empty=*/true);
  std::string orders = pm.plan.step(FindStep(pm.plan, "create table acme.orders")).sql;
  EXPECT_TRUE(Has(orders, "IDENTITY(1, 1)")) << orders;
  EXPECT_FALSE(AnyWarning(pm, "identity column acme.orders.id"));
}

TEST(RedshiftIdentitySeedTest, SeedIsOneStepPastTheHighWaterMarkInTheStepsDirection) {
  Column c;
  c.identity = 'a';
  c.identity_options.start = 1;
  c.identity_options.increment = 1;
  EXPECT_EQ(ContinuedIdentitySeed(c), 1);  // no rows read
  c.identity_state = {41, true};
  EXPECT_EQ(ContinuedIdentitySeed(c), 42);
  c.identity_options.start = 100;  // copied values all below the seed: keep it
  EXPECT_EQ(ContinuedIdentitySeed(c), 100);
  c.identity_options = {"bigint", -1, -10};  // counting down from -1 by 10; lowest copied -41
  c.identity_state = {-41, true};
  EXPECT_EQ(ContinuedIdentitySeed(c), -51);
  c.identity_options = {"bigint", 1, 1};
  c.identity_state = {INT64_MAX, true};
  EXPECT_EQ(ContinuedIdentitySeed(c), std::nullopt);
}

// A rerun (resume) after more rows arrived on the source must not make the table created by
// the first run a conflict: a table already on the target keeps its seed, with a warning when
// the copied values reach it.
TEST(RedshiftIdentitySeedTest, ATableAlreadyOnTheTargetKeepsItsSeed) {
  Table src;
  src.name = {"acme", "t"};
  Column id;
  id.name = "id";
  id.type = "bigint";
  id.identity = 'a';
  id.identity_state = {1050, true};  // the source grew past the first run's 1042
  src.columns = {id};
  Table dst = src;
  dst.columns[0].identity_options.start = 1043;  // created by the first run
  dst.columns[0].identity_state = {};
  Catalog source, target = Target(Dialect::kRedshift);
  source.tables = {src};
  target.tables = {dst};
  RedshiftAdaptation a = AdaptForRedshift(source, target.server, &target);
  EXPECT_EQ(a.source.tables[0].columns[0].identity_options.start, 1043);
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_TRUE(Has(a.warnings[0],
                  "identity column acme.t.id: the target's table already exists "
                  "with seed 1043, and the source reached 1050"))
      << a.warnings[0];
  target.tables[0].columns[0].identity_options.start = 2000;  // past the copied values
  a = AdaptForRedshift(source, target.server, &target);
  EXPECT_EQ(a.source.tables[0].columns[0].identity_options.start, 2000);
  EXPECT_TRUE(a.warnings.empty());
  a = AdaptForRedshift(source, target.server);  // not on the target: continue past 1050
  EXPECT_EQ(a.source.tables[0].columns[0].identity_options.start, 1051);
}

// R8: COPY reads no row over 4 MB (copy-parameters-data-source.html).
TEST(RedshiftSuperSizeTest, AValueOverCopysRowLimitIsRefusedBeforeAnyChange) {
  PlannedMigration pm = RecordedRedshiftPlan("4194305");
  ASSERT_EQ(pm.source_errors.size(), 1u);
  EXPECT_TRUE(Has(pm.source_errors[0],
                  "table acme.orders column payload holds a SUPER value of "
                  "4194305 bytes"))
      << pm.source_errors[0];
}

TEST(RedshiftSuperSizeTest, AValueOverHalfTheLimitIsWarnedAbout) {
  PlannedMigration pm = RecordedRedshiftPlan("4194304");
  EXPECT_TRUE(pm.source_errors.empty());
  EXPECT_TRUE(AnyWarning(pm, "table acme.orders column payload holds a SUPER value of 4194304"));
  PlannedMigration small = RecordedRedshiftPlan();
  EXPECT_FALSE(AnyWarning(small, "SUPER value of"));
}

TEST(ManualStepsTextTest, EveryLineOfTheSqlStaysAComment) {
  EXPECT_EQ(ManualStepsText(
                {{"create function a.f\nDROP x()", "why\r", "CREATE x\n$$\rDROP TABLE t;\n"}}),
            "-- manual step: create function a.f DROP x(): why \n"
            "--   CREATE x\n"
            "--   $$\n"
            "--   DROP TABLE t;\n");
}

TEST(RenderPlanSqlTest, ANameWithALineBreakCannotEndTheStepComment) {
  Catalog src = Tenant();
  src.tables[0].name.name = "ev\nDROP TABLE x; --";
  PlannedMigration pm = BuildPlan(src, Target(Dialect::kRedshift), {});
  std::string text = RenderPlanSql(pm.plan);
  // The line break stays inside the quoted name in SQL, and never follows "-- step".
  EXPECT_NE(text.find(": create table acme.ev DROP TABLE x; -- [tables]\nCREATE TABLE "
                      "\"acme\".\"ev\nDROP TABLE x; --\" ("),
            std::string::npos)
      << text.substr(0, 1500);
  EXPECT_EQ(text.find("create table acme.ev\n"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
