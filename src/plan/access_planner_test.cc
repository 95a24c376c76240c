// The principal and privilege steps of BuildPlan (plan/access_planner.h).
#include "plan/access_planner.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "testing/plan_queries.h"

namespace tenantshift {
namespace {

Role Login(const std::string& name) {
  Role r{name};
  r.can_login = true;
  return r;
}

// acme: schema and table owned by acme_owner; readers may SELECT; writer holds INSERT WITH
// GRANT OPTION and passed it on to etl; analyst reads one column; a default privilege rule.
Catalog Source() {
  Catalog c;
  c.server.current_user = "postgres";
  c.server.database = "src_db";
  c.server.superuser = true;
  Role dba{"dba"};
  dba.superuser = true;
  c.roles = {{"postgres"}, {"acme_owner"},   {"readers"}, Login("writer"),
             Login("etl"), Login("analyst"), dba};
  c.roles[4].settings = {{false, "search_path", "acme, public"}, {true, "work_mem", "8MB"}};
  c.memberships = {{"readers", "analyst", "postgres", true}, {"dba", "writer", "postgres", false}};
  c.schemas = {{"acme", "acme_owner", ""}};
  Table t;
  t.name = {"acme", "orders"};
  t.owner = "acme_owner";
  t.columns = {{"id", "integer"}, {"total", "numeric"}};
  c.tables = {t};
  ObjectRef orders{ObjectKind::kTable, {"acme", "orders"}};
  c.acls = {
      {{ObjectKind::kSchema, {"acme", ""}},
       "acme_owner",
       {{"acme_owner", "acme_owner", {{"USAGE", false}, {"CREATE", false}}},
        {"readers", "acme_owner", {{"USAGE", false}}},
        {"writer", "acme_owner", {{"USAGE", false}}}}},
      {orders,
       "acme_owner",
       {{"acme_owner", "acme_owner", {{"SELECT", false}}},
        {"readers", "acme_owner", {{"SELECT", false}}},
        {"writer", "acme_owner", {{"INSERT", true}}},
        {"etl", "writer", {{"INSERT", false}}}}},
      {{ObjectKind::kTable, {"acme", "orders"}, "", "total"},
       "acme_owner",
       {{"analyst", "acme_owner", {{"SELECT", false}}}}},
  };
  c.default_acls = {{"acme_owner",
                     "acme",
                     DefaultAcl::On::kTables,
                     {{"readers", "acme_owner", {{"SELECT", false}}}}}};
  return c;
}

Catalog Target() {
  Catalog c;
  c.server.current_user = "postgres";
  c.server.database = "dst_db";
  c.server.superuser = true;
  c.roles = {{"postgres"}};
  return c;
}

const Step& Named(const Plan& plan, const std::string& description) {
  for (const Step& s : plan.steps()) {
    if (s.description == description) return s;
  }
  ADD_FAILURE() << "no step " << description;
  static Step none;
  return none;
}

bool Has(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

TEST(AccessPlannerTest, RolesFirstPrivilegesAfterOwnersDefaultPrivilegesLast) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(pm.conflicts.empty());
  int owner = Named(p, "create role acme_owner").id;
  int member = Named(p, "grant role readers to analyst").id;
  int owners = Named(p, "set owners").id;
  int schema = Named(p, "privileges on schema acme").id;
  int table = Named(p, "privileges on table acme.orders").id;
  int column = Named(p, "privileges on column acme.orders.total").id;
  int defaults = Named(p, "default privileges of acme_owner on tables in schema acme").id;
  EXPECT_TRUE(DependsOn(p, member, Named(p, "create role analyst").id));
  int orders_owner = Named(p, "set owner of acme.orders").id;
  EXPECT_TRUE(DependsOn(p, owners, owner));
  EXPECT_TRUE(DependsOn(p, orders_owner, Named(p, "copy data acme.orders").id));
  EXPECT_TRUE(DependsOn(p, table, orders_owner));
  // The owners of everything but tables do not wait for any table's data.
  EXPECT_FALSE(DependsOn(p, owners, Named(p, "copy data acme.orders").id));
  EXPECT_TRUE(DependsOn(p, table, member));
  EXPECT_TRUE(DependsOn(p, table, schema));  // a grantor needs USAGE on the schema
  EXPECT_TRUE(DependsOn(p, column, table));  // table-level REVOKE clears columns
  // Default privileges wait for the objects they would apply to, not for any grant: a default
  // ACL changes no existing object (issue 14).
  EXPECT_TRUE(DependsOn(p, defaults, Named(p, "create table acme.orders").id));
  EXPECT_TRUE(DependsOn(p, defaults, owner));
  for (int id : {schema, table, column}) EXPECT_FALSE(DependsOn(p, defaults, id));
  std::vector<int> order = p.TopologicalOrder();
  EXPECT_LT(
      std::find(order.begin(), order.end(), owner) - order.begin(),
      std::find(order.begin(), order.end(), Named(p, "create schema acme").id) - order.begin());
}

// A rule on a kind the schema holds nothing of yet still waits for the schema itself.
TEST(AccessPlannerTest, DefaultPrivilegesWaitForTheirSchemaEvenWithoutObjectsOfTheirKind) {
  Catalog src = Source();
  src.default_acls.push_back({"acme_owner",
                              "acme",
                              DefaultAcl::On::kFunctions,
                              {{"readers", "acme_owner", {{"EXECUTE", false}}}}});
  PlannedMigration pm = BuildPlan(src, Target(), {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(DependsOn(p,
                        Named(p, "default privileges of acme_owner on functions in schema acme").id,
                        Named(p, "create schema acme").id));
}

TEST(AccessPlannerTest, AFailedGrantDoesNotBlockDefaultPrivileges) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  Plan& p = pm.plan;
  const int grant = Named(p, "privileges on table acme.orders").id;
  const int defaults = Named(p, "default privileges of acme_owner on tables in schema acme").id;
  // Run everything; the table's grants fail.
  for (std::vector<int> ready = p.FindWork(1000); !ready.empty(); ready = p.FindWork(1000)) {
    for (int id : ready) p.StepFinished(id, id != grant);
  }
  EXPECT_EQ(p.step(grant).state, StepState::kFailed);
  EXPECT_EQ(p.step(defaults).state, StepState::kSucceeded);
  EXPECT_EQ(p.step(Named(p, "privileges on column acme.orders.total").id).state,
            StepState::kBlocked);
}

TEST(AccessPlannerTest, PrivilegesAreResetThenReplayedInOrderWithTheirGrantor) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  EXPECT_EQ(Named(pm.plan, "privileges on table acme.orders").sql,
            "REVOKE ALL ON TABLE \"acme\".\"orders\" FROM PUBLIC, \"acme_owner\" CASCADE;\n"
            "GRANT SELECT ON TABLE \"acme\".\"orders\" TO \"acme_owner\";\n"
            "GRANT SELECT ON TABLE \"acme\".\"orders\" TO \"readers\";\n"
            "GRANT INSERT ON TABLE \"acme\".\"orders\" TO \"writer\" WITH GRANT OPTION;\n"
            "SET LOCAL ROLE \"writer\";\n"
            "GRANT INSERT ON TABLE \"acme\".\"orders\" TO \"etl\";\n"
            "RESET ROLE;\n");
  EXPECT_EQ(Named(pm.plan, "default privileges of acme_owner on tables in schema acme").sql,
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"acme_owner\" IN SCHEMA \"acme\" GRANT SELECT ON "
            "TABLES TO \"readers\";\n");
}

TEST(AccessPlannerTest, WithoutSuperuserOnTheTargetTheOwnerGrants) {
  Catalog target = Target();
  target.server.superuser = false;
  PlannedMigration pm = BuildPlan(Source(), target, {});
  EXPECT_EQ(Named(pm.plan, "privileges on table acme.orders").sql.find("SET LOCAL ROLE"),
            std::string::npos);
}

TEST(AccessPlannerTest, SuperuserNeedsAllowSuperuser) {
  PlannedMigration pm = BuildPlan(Source(), Target(), {});
  EXPECT_NE(Named(pm.plan, "create role dba").sql.find("NOSUPERUSER"), std::string::npos);
  EXPECT_TRUE(Has(pm.warnings, "role dba is a superuser on the source"));
  PlanOptions allow;
  allow.allow_superuser = true;
  pm = BuildPlan(Source(), Target(), allow);
  EXPECT_NE(Named(pm.plan, "create role dba").sql.find(" SUPERUSER "), std::string::npos);
  EXPECT_FALSE(Has(pm.warnings, "superuser"));
}

TEST(AccessPlannerTest, PasswordsOnlyInSecretSql) {
  PlanOptions o;
  o.passwords["writer"] = Secret("SCRAM-SHA-256$4096:salt$key:server");
  PlannedMigration pm = BuildPlan(Source(), Target(), o);
  const Step& writer = Named(pm.plan, "create role writer");
  EXPECT_NE(writer.sql.find("PASSWORD '********'"), std::string::npos);
  EXPECT_EQ(writer.sql.find("SCRAM"), std::string::npos);
  EXPECT_NE(writer.secret_sql.find("PASSWORD 'SCRAM-SHA-256$4096:salt$key:server'"),
            std::string::npos);
  EXPECT_EQ(RenderPlanSql(pm.plan).find("SCRAM"), std::string::npos);
  const Step& etl = Named(pm.plan, "create role etl");
  EXPECT_EQ(etl.sql.find("PASSWORD"), std::string::npos);
  EXPECT_TRUE(etl.secret_sql.empty());
}

TEST(AccessPlannerTest, SettingsUseTheTargetDatabase) {
  const std::string& sql = Named(BuildPlan(Source(), Target(), {}).plan, "create role etl").sql;
  EXPECT_NE(sql.find("ALTER ROLE \"etl\" SET \"search_path\" TO 'acme', 'public';"),
            std::string::npos);
  EXPECT_NE(sql.find("ALTER ROLE \"etl\" IN DATABASE \"dst_db\" SET \"work_mem\" TO '8MB';"),
            std::string::npos);
}

TEST(AccessPlannerTest, ExistingRolesAreLeftAsTheyAreAndDifferencesReported) {
  Catalog target = Target();
  Role writer = Login("writer");
  writer.connection_limit = 3;
  target.roles.push_back(writer);
  target.roles.push_back({"acme_owner"});
  PlannedMigration pm = BuildPlan(Source(), target, {});
  EXPECT_EQ(Named(pm.plan, "create role writer").state, StepState::kSkipped);
  EXPECT_EQ(Named(pm.plan, "create role acme_owner").state, StepState::kSkipped);
  EXPECT_TRUE(Has(pm.warnings,
                  "role writer exists on the target and differs (source "
                  "CONNECTION LIMIT -1, target CONNECTION LIMIT 3)"));
  EXPECT_FALSE(Has(pm.warnings, "role acme_owner"));
  std::vector<std::string> create = RolesToCreate(Source(), target, {});
  EXPECT_EQ(std::find(create.begin(), create.end(), "writer"), create.end());
  EXPECT_NE(std::find(create.begin(), create.end(), "etl"), create.end());
}

TEST(AccessPlannerTest, RerunOnAnIdenticalTargetSkipsEveryAccessStep) {
  Catalog target = Source();
  target.server.database = "dst_db";
  PlannedMigration pm = BuildPlan(Source(), target, {});
  for (const Step& s : pm.plan.steps()) {
    if (s.phase == "roles" || s.phase == "memberships" || s.phase == "privileges" ||
        s.phase == "default privileges" || s.phase == "owners") {
      EXPECT_EQ(s.state, StepState::kSkipped) << s.description;
    }
  }
}

TEST(AccessPlannerTest, TargetOnlyGrantsAreRevoked) {
  Catalog target = Source();
  target.acls[1].items.push_back({"intruder", "acme_owner", {{"DELETE", false}}});
  PlannedMigration pm = BuildPlan(Source(), target, {});
  const Step& s = Named(pm.plan, "privileges on table acme.orders");
  EXPECT_NE(s.state, StepState::kSkipped);
  EXPECT_NE(s.sql.find("FROM PUBLIC, \"acme_owner\", \"readers\", \"writer\", \"etl\", "
                       "\"intruder\" CASCADE"),
            std::string::npos);
}

TEST(AccessPlannerTest, ExcludedGranteeLosesItsGrantsWithAWarning) {
  PlanOptions o;
  o.principals.exclude = {"etl"};
  PlannedMigration pm = BuildPlan(Source(), Target(), o);
  EXPECT_EQ(Named(pm.plan, "privileges on table acme.orders").sql.find("\"etl\""),
            std::string::npos);
  EXPECT_TRUE(Has(pm.warnings, "privileges of etl on 1 object(s)"));
}

TEST(AccessPlannerTest, PolicyNamingARoleThatDoesNotMoveIsAConflict) {
  Catalog src = Source();
  src.tables[0].row_security = true;
  src.tables[0].policies = {{"p", "SELECT", true, {"etl"}, "true", ""}};
  PlannedMigration pm = BuildPlan(src, Target(), {});
  EXPECT_TRUE(pm.conflicts.empty());
  EXPECT_NE(Named(pm.plan, "row-level security of acme.orders").sql.find("TO \"etl\""),
            std::string::npos);
  PlanOptions o;
  o.principals.exclude = {"etl"};
  pm = BuildPlan(src, Target(), o);
  EXPECT_TRUE(Has(pm.conflicts, "policy p on acme.orders names role etl"));
}

TEST(AccessPlannerTest, ObjectsOwnedByTheConnectingRoleMapToTheTargets) {
  Catalog src = Source();
  src.tables[0].owner = "postgres";
  src.acls[1].owner = "postgres";
  for (AclItem& i : src.acls[1].items) {
    if (i.grantor == "acme_owner") i.grantor = "postgres";
  }
  Catalog target = Target();
  target.server.current_user = "admin";
  PlannedMigration pm = BuildPlan(src, target, {});
  EXPECT_EQ(Named(pm.plan, "set owners").sql.find("\"orders\" OWNER"), std::string::npos);
  const std::string& sql = Named(pm.plan, "privileges on table acme.orders").sql;
  EXPECT_NE(sql.find("FROM PUBLIC, \"admin\" CASCADE"), std::string::npos);
  EXPECT_EQ(sql.find("postgres"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift

namespace tenantshift {
namespace {

// Issue 18: default-privilege steps ran again on every migrate, because the target lists the
// same grants in another order (PostgreSQL sorts them by grantee oid).
TEST(AccessPlannerTest, DefaultPrivilegesInAnotherOrderAreAlreadyOnTheTarget) {
  Catalog src = Source();
  src.default_acls[0].items.push_back({"writer", "acme_owner", {{"INSERT", false}}});
  Catalog dst = Target();
  dst.roles = src.roles;
  dst.default_acls = src.default_acls;
  std::swap(dst.default_acls[0].items[0], dst.default_acls[0].items[1]);
  PlannedMigration pm = BuildPlan(src, dst, {});
  const Step& s = Named(pm.plan, "default privileges of acme_owner on tables in schema acme");
  EXPECT_EQ(s.state, StepState::kSkipped);
  dst.default_acls[0].items.pop_back();  // a grant missing: not the same
  pm = BuildPlan(src, dst, {});
  EXPECT_NE(Named(pm.plan, "default privileges of acme_owner on tables in schema acme").state,
            StepState::kSkipped);
}

}  // namespace
}  // namespace tenantshift
