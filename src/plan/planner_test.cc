#include "plan/planner.h"

#include <gtest/gtest.h>

#include <algorithm>

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

int Find(const Plan& plan, const std::string& description) {
  for (const Step& s : plan.steps()) {
    if (s.description == description) return s.id;
  }
  ADD_FAILURE() << "no step " << description;
  return -1;
}

// True when `before` is a (transitive) dependency of `after`.
bool DependsOn(const Plan& plan, int after, int before) {
  for (int d : plan.step(after).deps) {
    if (d == before || DependsOn(plan, d, before)) return true;
  }
  return false;
}

TEST(PlannerTest, OrdersSchemaTablesDataConstraintsForeignKeysValidation) {
  Catalog target;
  target.roles = {{"postgres"}, {"acme_owner"}};
  target.server.current_user = "postgres";
  PlannedMigration pm = BuildPlan(TwoTables(), target, {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(pm.conflicts.empty());
  int schema = Find(p, "create schema acme");
  int orders = Find(p, "create table acme.orders");
  int data = Find(p, "copy data acme.orders");
  int cdata = Find(p, "copy data acme.customers");
  int pk = Find(p, "add constraint customers_pkey on acme.customers");
  int fk = Find(p, "add foreign key orders_customer_fkey on acme.orders");
  int idx = Find(p, "create index orders_customer_idx on acme.orders");
  int owners = Find(p, "set owners");
  int validate = Find(p, "validate acme.orders");
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

TEST(PlannerTest, IdenticalTargetSkipsEveryDdlStep) {
  PlannedMigration pm = BuildPlan(TwoTables(), TwoTables(), {});
  EXPECT_TRUE(pm.conflicts.empty());
  for (const Step& s : pm.plan.steps()) {
    if (s.kind != StepKind::kTargetSql || s.phase == "analyze" || s.phase == "sequence values") {
      continue;
    }
    EXPECT_EQ(s.state, StepState::kSkipped) << s.description;
  }
  EXPECT_TRUE(pm.plan.step(Find(pm.plan, "copy data acme.orders")).table_preexisting);
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
  EXPECT_EQ(pm.plan.step(Find(pm.plan, "create table acme.orders")).state, StepState::kSkipped);
  EXPECT_FALSE(pm.warnings.empty());
}

TEST(PlannerTest, ExcludedOwnerRoleIsAWarningNotAStatement) {
  Catalog target;
  target.roles = {{"postgres"}};
  target.server.current_user = "postgres";
  PlanOptions options;
  options.principals.exclude = {"acme_*"};
  PlannedMigration pm = BuildPlan(TwoTables(), target, options);
  EXPECT_EQ(pm.plan.step(Find(pm.plan, "set owners")).state, StepState::kSkipped);
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
  EXPECT_TRUE(DependsOn(p, Find(p, "create table acme.a_part"), Find(p, "create table acme.m")));
  int ci = Find(p, "create index a_part_d_idx on acme.a_part");
  EXPECT_TRUE(DependsOn(p, ci, Find(p, "create index m_d_idx on acme.m")));
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
  const Step& owners = pm.plan.step(Find(pm.plan, "set owners"));
  EXPECT_EQ(owners.sql.find("ALTER SEQUENCE"), std::string::npos) << owners.sql;
  EXPECT_NE(owners.sql.find("ALTER TABLE \"acme\".\"orders\" OWNER"), std::string::npos);
}

}  // namespace
}  // namespace tenantshift
