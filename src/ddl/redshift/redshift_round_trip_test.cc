// Round trip: the Redshift fixture tenant (tests/fixtures/redshift, rs-extract's hand-written
// catalog rows) is extracted, planned for an empty Redshift target, and the plan's SQL is read
// back by a model of what Redshift records (testing/redshift_ddl_reader.h). The catalog read
// back must equal the extracted one, object by object and field by field, except for what the
// DDL cannot carry, listed in Normalize() with the reason, and, on a Serverless target, the
// interleaved sort keys it converts (each checked to be warned about). Dropping any attribute in
// the renderer (an ENCODE, a sort key, SYSLOG ACCESS, a grant option, a SET of a procedure...)
// makes this test fail.
#include <gtest/gtest.h>

#include <algorithm>

#include "ddl/redshift/redshift_ddl.h"
#include "extract/extractor.h"
#include "plan/planner.h"
#include "testing/catalog_fixture.h"
#include "testing/redshift_ddl_reader.h"

namespace tenantshift {
namespace {

const char kProvisionedHost[] = "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com";
const char kServerlessHost[] = "acme-wg.123456789012.us-east-1.redshift-serverless.amazonaws.com";
const std::vector<std::string> kTenant = {"acme", "acme \"ops\"; ü", "acme_spectrum"};

Catalog Extracted(const std::string& host) {
  Result<std::unique_ptr<FakeSession>> session = LoadRedshiftFixture("redshift", host);
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  if (!session.ok()) return {};
  Result<Catalog> c = ExtractCatalog(**session, kTenant);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(*c) : Catalog{};
}

Catalog EmptyTarget(const Catalog& source, Dialect dialect) {
  Catalog t;
  t.server = source.server;
  t.server.dialect = dialect;
  t.server.superuser = true;
  for (const Role& r : source.roles) {
    if (r.name == source.server.current_user) t.roles.push_back(r);
  }
  return t;
}

// Every statement the plan runs, in order, then the manual steps' SQL (a person runs those).
std::string PlanSql(const PlannedMigration& pm) {
  std::string sql;
  for (int id : pm.plan.TopologicalOrder()) {
    const Step& s = pm.plan.step(id);
    if (s.kind == StepKind::kTargetSql) sql += s.sql;
  }
  // The manual steps that recreate a model object (Python UDFs); the others (policies, scoped
  // and ASSUMEROLE grants, ...) have no model counterpart to come back to.
  for (const ManualStep& m : pm.manual_steps) {
    if (m.what.rfind("create ", 0) == 0) sql += m.sql;
  }
  return sql;
}

template <typename T, typename Key>
void SortBy(std::vector<T>* v, Key key) {
  std::sort(v->begin(), v->end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

// What DDL cannot carry, on both sides: sizes, pg_depend edges, identity counters and the
// extractor's internal fields (not attributes of an object); comments on schemas and routines
// (Redshift's COMMENT ON has no such objects: the plan warns about each); view columns without
// comment (a view's columns come from its query); membership grantors (Redshift's GRANT ROLE
// has no GRANTED BY); privileges GRANT cannot give (RULE, TRIGGER); database privileges (not a
// tenant's: the plan warns); the order of privileges inside one ACL item (Redshift prints them
// in its own letter order, whatever order they were granted in).
void Normalize(Catalog* c) {
  for (Schema& s : c->schemas) s.comment.clear();
  for (Table& t : c->tables) {
    t.estimated_rows = t.estimated_bytes = 0;
    t.routines.clear();
    for (Column& col : t.columns) {
      col.identity_state = {};
      col.identity_sequence.clear();
      col.binary_safe = true;
      SequenceOptions seed_and_step;  // the rest is PostgreSQL's
      seed_and_step.start = col.identity_options.start;
      seed_and_step.increment = col.identity_options.increment;
      col.identity_options = seed_and_step;
    }
    for (Constraint& k : t.constraints) {
      k.references.reset();
      k.index_name.clear();
    }
  }
  for (View& v : c->views) {
    v.depends_on.clear();
    std::erase_if(v.columns, [](const ViewColumn& col) { return col.comment.empty(); });
  }
  for (Routine& r : c->routines) {
    r.depends_on.clear();
    r.comment.clear();
  }
  for (RoleMembership& m : c->memberships) m.grantor.clear();
  const RedshiftDdl& ddl = dynamic_cast<const RedshiftDdl&>(RendererFor(Dialect::kRedshift));
  std::erase_if(c->acls, [](const ObjectAcl& a) { return a.object.kind == ObjectKind::kDatabase; });
  for (ObjectAcl& a : c->acls) {
    for (AclItem& i : a.items) {
      std::erase_if(i.privileges,
                    [&](const Privilege& p) { return !ddl.IsKnownPrivilege(p.name); });
      SortBy(&i.privileges, [](const Privilege& p) { return std::tie(p.name, p.grantable); });
    }
  }
}

void Canonical(Catalog* c) {
  SortBy(&c->roles, [](const Role& r) { return r.name; });
  for (Role& r : c->roles) std::sort(r.system_privileges.begin(), r.system_privileges.end());
  SortBy(&c->memberships, [](const RoleMembership& m) { return std::tie(m.role, m.member); });
  SortBy(&c->schemas, [](const Schema& s) { return s.name; });
  SortBy(&c->tables, [](const Table& t) { return t.name; });
  for (Table& t : c->tables) SortBy(&t.constraints, [](const Constraint& k) { return k.name; });
  SortBy(&c->views, [](const View& v) { return v.name; });
  SortBy(&c->routines, [](const Routine& r) { return std::tie(r.name, r.identity_args); });
  SortBy(&c->acls, [](const ObjectAcl& a) { return a.object; });
  SortBy(&c->default_acls, [](const DefaultAcl& d) { return std::tie(d.role, d.schema, d.on); });
}

// Element-wise, so a failure names the object that differs.
template <typename T, typename Name>
void ExpectSame(const std::vector<T>& want, const std::vector<T>& got, Name name) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_TRUE(want[i] == got[i]) << "differs after the round trip: " << name(want[i]);
  }
}

struct Route {
  const char* source_host;
  Dialect target;
};

// Provisioned to provisioned, provisioned to Serverless (the tool's reason to exist), and
// Serverless to Serverless.
class RedshiftRoundTripTest : public ::testing::TestWithParam<Route> {
 protected:
  void SetUp() override {
    source_ = Extracted(GetParam().source_host);
    ASSERT_FALSE(source_.tables.empty());
    pm_ = BuildPlan(source_, EmptyTarget(source_, GetParam().target), {});
    ASSERT_TRUE(pm_.conflicts.empty());
    ASSERT_TRUE(pm_.source_errors.empty());
    sql_ = PlanSql(pm_);
    Status s = ReadRedshiftDdl(sql_, &read_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    // What should have come back: the tenant's principals and objects, normalized.
    want_ = source_;
    std::erase_if(want_.roles, [&](const Role& r) { return !pm_.principals.Find(r.name); });
    std::erase_if(want_.memberships, [&](const RoleMembership& m) {
      return !pm_.principals.Find(m.role) || !pm_.principals.Find(m.member);
    });
    // A Lambda UDF is a manual step without SQL (no documented catalog column holds its LAMBDA).
    std::erase_if(want_.routines, [](const Routine& r) { return r.language == "exfunc"; });
    if (GetParam().target == Dialect::kRedshiftServerless) ExpectCompoundOnServerless();
    Normalize(&want_);
    Normalize(&read_);
    Canonical(&want_);
    Canonical(&read_);
  }

  // Serverless keeps no interleaved sort keys: each such table comes back COMPOUND, and the plan
  // says so naming it.
  void ExpectCompoundOnServerless() {
    int converted = 0;
    for (Table& t : want_.tables) {
      if (t.sort_key.style != SortKey::Style::kInterleaved) continue;
      t.sort_key.style = SortKey::Style::kCompound;
      ++converted;
      std::string name = "table " + t.name.Display() + " has an INTERLEAVED sort key";
      EXPECT_TRUE(std::any_of(pm_.warnings.begin(), pm_.warnings.end(), [&](const std::string& w) {
        return w.find(name) != std::string::npos;
      })) << name;
    }
    EXPECT_GT(converted, 0);  // the fixture has one: this route must exercise the conversion
  }

  Catalog source_, want_, read_;
  PlannedMigration pm_;
  std::string sql_;
};

TEST_P(RedshiftRoundTripTest, RenderingIsStable) {
  EXPECT_EQ(PlanSql(BuildPlan(source_, EmptyTarget(source_, GetParam().target), {})), sql_);
}

TEST_P(RedshiftRoundTripTest, PrincipalsComeBack) {
  ASSERT_FALSE(want_.roles.empty());
  ExpectSame(want_.roles, read_.roles, [](const Role& r) { return "role " + r.name; });
  ExpectSame(want_.memberships, read_.memberships,
             [](const RoleMembership& m) { return m.member + " in " + m.role; });
}

TEST_P(RedshiftRoundTripTest, SchemasAndTablesComeBack) {
  ExpectSame(want_.schemas, read_.schemas, [](const Schema& s) { return "schema " + s.name; });
  ExpectSame(want_.tables, read_.tables,
             [](const Table& t) { return "table " + t.name.Display(); });
  for (size_t i = 0; i < std::min(want_.tables.size(), read_.tables.size()); ++i) {
    const Table &w = want_.tables[i], &r = read_.tables[i];
    ASSERT_EQ(w.columns.size(), r.columns.size()) << w.name.Display();
    for (size_t k = 0; k < w.columns.size(); ++k) {
      EXPECT_TRUE(w.columns[k] == r.columns[k]) << w.name.Display() << "." << w.columns[k].name;
    }
  }
}

TEST_P(RedshiftRoundTripTest, ViewsAndRoutinesComeBack) {
  ExpectSame(want_.views, read_.views, [](const View& v) { return "view " + v.name.Display(); });
  ASSERT_FALSE(want_.routines.empty());
  ExpectSame(want_.routines, read_.routines,
             [](const Routine& r) { return r.name.Display() + "(" + r.identity_args + ")"; });
}

TEST_P(RedshiftRoundTripTest, PrivilegesComeBack) {
  ASSERT_FALSE(want_.acls.empty());
  ExpectSame(want_.acls, read_.acls, [](const ObjectAcl& a) { return a.object.Display(); });
  ASSERT_FALSE(want_.default_acls.empty());
  ExpectSame(want_.default_acls, read_.default_acls, [](const DefaultAcl& d) {
    return "default privileges of " + d.role + " in " + d.schema;
  });
}

INSTANTIATE_TEST_SUITE_P(Routes, RedshiftRoundTripTest,
                         ::testing::Values(Route{kProvisionedHost, Dialect::kRedshift},
                                           Route{kProvisionedHost, Dialect::kRedshiftServerless},
                                           Route{kServerlessHost, Dialect::kRedshiftServerless}));

}  // namespace
}  // namespace tenantshift
