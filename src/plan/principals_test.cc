#include "plan/principals.h"

#include <gtest/gtest.h>

namespace tenantshift {
namespace {

// A source with two tenants: acme (schema acme) and globex (schema globex, not extracted).
Catalog Source() {
  Catalog c;
  c.server.current_user = "admin";
  for (const char* r : {"admin", "acme_owner", "readers", "staff", "alice", "etl", "bob",
                        "globex_user", "auditor", "pg_monitor", "super"}) {
    c.roles.push_back(Role{r});
  }
  c.schemas = {{"acme", "acme_owner", ""}};
  Table t;
  t.name = {"acme", "orders"};
  t.owner = "admin";  // owned by the connecting role
  t.policies = {{"p", "SELECT", true, {"bob"}, "true", ""}};
  c.tables = {t};
  c.acls = {{{ObjectKind::kTable, {"acme", "orders"}},
             "admin",
             {{"readers", "admin", {{"SELECT", false}}},
              {"", "admin", {{"SELECT", false}}},  // PUBLIC: not a role
              {"pg_monitor", "admin", {{"SELECT", false}}}}}};
  c.default_acls = {{"acme_owner", "acme", DefaultAcl::On::kTables, {{"etl", "acme_owner", {}}}}};
  c.memberships = {
      {"readers", "staff", "admin", false},  // staff: member of a direct principal
      {"staff", "alice", "admin", false},    // alice: member of a member (group of groups)
      {"super", "readers", "admin", false},  // super: a parent of a principal
      {"globex_readers", "globex_user", "admin", false},  // another tenant: unrelated
      {"readers", "admin", "admin", false},               // the connecting role never moves
  };
  return c;
}

std::vector<std::string> Names(const std::vector<Principal>& ps) {
  std::vector<std::string> out;
  for (const Principal& p : ps) out.push_back(p.name);
  return out;
}

TEST(PrincipalsTest, ClosureOverOwnersGranteesDefaultsPoliciesMembersAndParents) {
  PrincipalSelection sel = SelectPrincipals(Source(), {});
  EXPECT_EQ(Names(sel.principals), (std::vector<std::string>{"acme_owner", "alice", "bob", "etl",
                                                             "readers", "staff", "super"}));
  EXPECT_EQ(sel.Find("alice")->reasons, (std::vector<std::string>{"member of staff"}));
  EXPECT_EQ(sel.Find("super")->reasons, (std::vector<std::string>{"has member readers"}));
  EXPECT_EQ(sel.Find("bob")->reasons[0], "named in policy p on acme.orders");
  EXPECT_EQ(sel.Find("globex_user"), nullptr);
}

TEST(PrincipalsTest, ConnectingAndSystemRolesAreLeftOutWithWhy) {
  PrincipalSelection sel = SelectPrincipals(Source(), {});
  EXPECT_EQ(Names(sel.left_out), (std::vector<std::string>{"admin", "pg_monitor"}));
  EXPECT_EQ(sel.left_out[0].reasons[0], "does not move: the role tenantshift connects as");
  EXPECT_EQ(sel.left_out[1].reasons[0], "does not move: a system role");
}

TEST(PrincipalsTest, IncludeAddsAndExcludeRemovesWithoutPassingThrough) {
  PrincipalOptions o;
  o.include = {"aud*"};
  o.exclude = {"staff"};
  PrincipalSelection sel = SelectPrincipals(Source(), o);
  EXPECT_NE(sel.Find("auditor"), nullptr);
  EXPECT_EQ(sel.Find("auditor")->reasons[0], "--include-users aud*");
  EXPECT_EQ(sel.Find("staff"), nullptr);
  EXPECT_EQ(sel.Find("alice"), nullptr);  // reached only through the excluded staff
  std::vector<std::string> left_out = Names(sel.left_out);
  EXPECT_NE(std::find(left_out.begin(), left_out.end(), "staff"), left_out.end());
}

TEST(PrincipalsTest, ManyReasonsAreCounted) {
  Catalog c = Source();
  for (int i = 0; i < 10; ++i) {
    c.acls.push_back({{ObjectKind::kTable, {"acme", "t" + std::to_string(i)}}, "acme_owner", {}});
  }
  PrincipalSelection sel = SelectPrincipals(c, {});
  const Principal* owner = sel.Find("acme_owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->reasons.size(), static_cast<size_t>(Principal::kMaxReasons));
  EXPECT_NE(owner->Explain().find("more)"), std::string::npos);
}

TEST(PrincipalsTest, SystemRolesPerDialect) {
  EXPECT_TRUE(IsSystemRole("pg_read_all_data", Dialect::kPostgres));
  EXPECT_FALSE(IsSystemRole("rdsdb", Dialect::kPostgres));
  EXPECT_TRUE(IsSystemRole("rdsdb", Dialect::kRedshift));
  EXPECT_TRUE(IsSystemRole("sys:superuser", Dialect::kRedshiftServerless));
  EXPECT_FALSE(IsSystemRole("acme_pg_user", Dialect::kRedshift));
}

}  // namespace
}  // namespace tenantshift
