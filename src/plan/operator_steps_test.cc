// Issue 18: operators, operator families and classes, conversions, text search parsers and
// templates are planned after what they use, before what uses them, and nothing else waits for
// them; families, classes, parsers and templates are manual steps when the target session is not
// a superuser.
#include <gtest/gtest.h>

#include "plan/planner.h"
#include "testing/plan_queries.h"

namespace tenantshift {
namespace {

DependencyRef Fn(const std::string& name) {
  return {DependencyKind::kRoutine, {"acme", name}, "a integer, b integer"};
}

Routine Function(const std::string& name) {
  Routine r;
  r.name = {"acme", name};
  r.identity_args = "a integer, b integer";
  r.owner = "acme_owner";
  r.definition =
      "CREATE OR REPLACE FUNCTION acme." + name +
      "(a integer, b integer)\n RETURNS boolean\n LANGUAGE sql\nAS $f$ SELECT a = b $f$\n";
  return r;
}

Catalog BaseCatalog(bool superuser) {
  Catalog c;
  c.roles = {{"postgres"}, {"acme_owner"}};
  c.server.current_user = "postgres";
  c.server.superuser = superuser;
  c.all_schemas = {"public"};
  return c;
}

// Two tables (an index on orders uses the operator class), a view that uses the operator, the
// functions they call, a family with the class, a conversion, a text search template and a
// dictionary on it.
Catalog Source() {
  Catalog c = BaseCatalog(true);
  c.schemas = {{"acme", "acme_owner", ""}};
  Table customers;
  customers.name = {"acme", "customers"};
  customers.owner = "acme_owner";
  customers.columns = {{"id", "integer", true}};
  Table orders = customers;
  orders.name = {"acme", "orders"};
  orders.indexes = {{"orders_rev", "CREATE INDEX orders_rev ON acme.orders (id acme.rev_ops)"}};
  c.tables = {customers, orders};
  c.routines = {Function("same"), Function("differ"), Function("rev_cmp")};
  View v;
  v.name = {"acme", "v"};
  v.owner = "acme_owner";
  v.definition = " SELECT 1 === 1 AS one";
  c.views = {v};

  Operator differ;
  differ.name = {"acme", "!=="};
  differ.identity = "acme.!==(integer,integer)";
  differ.owner = "acme_owner";
  differ.function = "acme.differ";
  differ.left_type = differ.right_type = "integer";
  differ.negator = "acme.===";
  differ.links.routines = {Fn("differ")};
  differ.links.operators = {"acme.===(integer,integer)"};
  Operator same = differ;
  same.name = {"acme", "==="};
  same.identity = "acme.===(integer,integer)";
  same.function = "acme.same";
  same.negator = "acme.!==";
  same.links.routines = {Fn("same")};
  same.links.operators = {"acme.!==(integer,integer)"};
  same.links.used_by = {{DependencyKind::kView, {"acme", "v"}, ""}};
  c.operator_objects.operators = {differ, same};

  OperatorFamily fam;
  fam.name = {"acme", "rev_ops"};
  fam.identity = "acme.rev_ops USING btree";
  fam.method = "btree";
  fam.owner = "acme_owner";
  c.operator_objects.families = {fam};
  OperatorClass cls;
  cls.name = {"acme", "rev_ops"};
  cls.identity = "acme.rev_ops USING btree";
  cls.method = "btree";
  cls.type = "integer";
  cls.family = fam.name;
  cls.owner = "acme_owner";
  cls.members = {{true, 3, "acme.===(integer,integer)", "", "", ""},
                 {false, 1, "acme.rev_cmp(integer,integer)", "integer", "integer", ""}};
  cls.links.routines = {Fn("rev_cmp")};
  cls.links.operators = {same.identity};
  cls.links.families = {fam.identity};
  cls.links.used_by_indexes = {{"acme", "orders_rev"}};
  // A class and its family share an identity; the class's step is what its users wait for.
  c.operator_objects.classes = {cls};

  Conversion conv;
  conv.name = {"acme", "latin"};
  conv.identity = "acme.latin";
  conv.from_encoding = "LATIN1";
  conv.to_encoding = "UTF8";
  conv.function = "iso8859_1_to_utf8";
  conv.owner = "acme_owner";
  c.operator_objects.conversions = {conv};

  TextSearchTemplate tmpl;
  tmpl.name = {"acme", "tmpl"};
  tmpl.identity = "acme.tmpl";
  tmpl.init = "dsimple_init";
  tmpl.lexize = "dsimple_lexize";
  c.operator_objects.ts_templates = {tmpl};
  c.ts_dictionaries = {{{"acme", "dict"}, "acme_owner", tmpl.name, "", ""}};
  return c;
}

TEST(OperatorStepsTest, EachAfterWhatItUsesAndBeforeWhatUsesIt) {
  PlannedMigration pm = BuildPlan(Source(), BaseCatalog(true), {});
  const Plan& p = pm.plan;
  EXPECT_TRUE(pm.source_errors.empty());
  EXPECT_TRUE(pm.manual_steps.empty());
  int same_fn = FindStep(p, "create function acme.same(a integer, b integer)");
  int cmp_fn = FindStep(p, "create function acme.rev_cmp(a integer, b integer)");
  int differ = FindStep(p, "create operator acme.!==(integer,integer)");
  int same = FindStep(p, "create operator acme.===(integer,integer)");
  int fam = FindStep(p, "create operator family acme.rev_ops USING btree");
  int cls = FindStep(p, "create operator class acme.rev_ops USING btree");
  int conv = FindStep(p, "create conversion acme.latin");
  int index = FindStep(p, "create index orders_rev on acme.orders");
  int view = FindStep(p, "create view acme.v");
  int customers = FindStep(p, "create table acme.customers");
  EXPECT_TRUE(DependsOn(p, same, same_fn));
  // The negator pair: the first creates the second as a shell, which the second fills in.
  EXPECT_TRUE(DependsOn(p, same, differ));
  EXPECT_FALSE(DependsOn(p, differ, same));
  EXPECT_TRUE(DependsOn(p, cls, fam));
  EXPECT_TRUE(DependsOn(p, cls, same));
  EXPECT_TRUE(DependsOn(p, cls, cmp_fn));
  EXPECT_TRUE(DependsOn(p, index, cls));
  EXPECT_TRUE(DependsOn(p, view, same));
  // A failure blocks only its dependants.
  EXPECT_FALSE(DependsOn(p, index, conv));
  EXPECT_FALSE(DependsOn(p, view, cls));
  EXPECT_FALSE(DependsOn(p, customers, same));
  EXPECT_FALSE(DependsOn(p, customers, cls));
  EXPECT_NE(p.step(cls).sql.find("FAMILY \"acme\".\"rev_ops\" AS"), std::string::npos);
  EXPECT_NE(p.step(same).sql.find("OWNER TO \"acme_owner\""), std::string::npos);
  int tmpl = FindStep(p, "create text search template acme.tmpl");
  EXPECT_TRUE(DependsOn(p, FindStep(p, "create text search dictionary acme.dict"), tmpl));
}

TEST(OperatorStepsTest, IdenticalTargetRunsNoneAgain) {
  Catalog target = Source();
  PlannedMigration pm = BuildPlan(Source(), target, {});
  for (const char* d :
       {"create operator acme.!==(integer,integer)", "create operator acme.===(integer,integer)",
        "create operator family acme.rev_ops USING btree",
        "create operator class acme.rev_ops USING btree", "create conversion acme.latin",
        "create text search template acme.tmpl"}) {
    EXPECT_EQ(pm.plan.step(FindStep(pm.plan, d)).state, StepState::kSkipped) << d;
  }
  EXPECT_TRUE(pm.conflicts.empty());
}

// The target session is no superuser: what PostgreSQL lets only superusers create is a manual
// step that says so, with its statement; the rest is moved.
TEST(OperatorStepsTest, WithoutSuperuserOnTargetFamiliesClassesAndTemplatesAreManualSteps) {
  Catalog target = BaseCatalog(false);
  target.server.current_user = "mover";
  PlannedMigration pm = BuildPlan(Source(), target, {});
  std::vector<std::string> what;
  for (const ManualStep& m : pm.manual_steps) {
    what.push_back(m.what);
    EXPECT_NE(m.why.find("needs a superuser on the target, and the target session (role "
                         "\"mover\") is not one"),
              std::string::npos)
        << m.why;
    EXPECT_EQ(m.sql.rfind("CREATE ", 0), 0u) << m.sql;
  }
  EXPECT_EQ(what, (std::vector<std::string>{"text search template acme.tmpl",
                                            "operator family acme.rev_ops USING btree",
                                            "operator class acme.rev_ops USING btree"}));
  EXPECT_EQ(pm.not_moved, 3u);
  EXPECT_EQ(pm.manual_steps[0].why,
            "CREATE TEXT SEARCH TEMPLATE needs a superuser on the target, and the target session "
            "(role \"mover\") is not one: a superuser must create it by hand (the statement "
            "follows)");
  for (const Step& s : pm.plan.steps()) {
    EXPECT_EQ(s.description.find("create operator class"), std::string::npos);
    EXPECT_EQ(s.description.find("create text search template"), std::string::npos);
  }
  FindStep(pm.plan, "create operator acme.===(integer,integer)");
  FindStep(pm.plan, "create conversion acme.latin");
  // Already there (created by hand): nothing left to do.
  Catalog done = Source();
  done.server.superuser = false;
  done.server.current_user = "mover";
  EXPECT_TRUE(BuildPlan(Source(), done, {}).manual_steps.empty());
}

}  // namespace
}  // namespace tenantshift
