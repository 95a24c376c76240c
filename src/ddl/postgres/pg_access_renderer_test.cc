// Golden SQL for roles, memberships, settings, privileges, default privileges and row-level
// security, written by hand.
#include "ddl/postgres/pg_access_renderer.h"

#include <gtest/gtest.h>

namespace tenantshift::pgddl {
namespace {

Role App() {
  Role r;
  r.name = "Ta \"App\" ü";
  r.can_login = true;
  r.connection_limit = 7;
  r.valid_until = "2099-12-31 23:00:00+00";
  r.comment = "it's an app";
  return r;
}

TEST(PgAccessRendererTest, CreateRoleSpellsOutEveryAttribute) {
  EXPECT_EQ(CreateRole(App(), false, nullptr),
            "CREATE ROLE \"Ta \"\"App\"\" ü\" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB "
            "LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 7 VALID UNTIL "
            "'2099-12-31 23:00:00+00';\n");
  Role admin;
  admin.name = "dba";
  admin.superuser = true;
  admin.inherit = false;
  admin.create_role = admin.create_db = admin.replication = admin.bypass_rls = true;
  EXPECT_EQ(CreateRole(admin, true, nullptr),
            "CREATE ROLE \"dba\" WITH SUPERUSER NOINHERIT CREATEROLE CREATEDB NOLOGIN "
            "REPLICATION BYPASSRLS CONNECTION LIMIT -1;\n");
  EXPECT_NE(CreateRole(admin, false, nullptr).find("NOSUPERUSER"), std::string::npos);
}

TEST(PgAccessRendererTest, PasswordIsALiteral) {
  std::string verifier = "md5'x";
  EXPECT_EQ(CreateRole(Role{"u"}, false, &verifier),
            "CREATE ROLE \"u\" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN "
            "NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1 PASSWORD 'md5''x';\n");
  std::string masked = kMaskedPassword;
  EXPECT_NE(CreateRole(Role{"u"}, false, &masked).find("PASSWORD '********';"), std::string::npos);
}

TEST(PgAccessRendererTest, CommentAndMembership) {
  EXPECT_EQ(RoleComment(App()), "COMMENT ON ROLE \"Ta \"\"App\"\" ü\" IS 'it''s an app';\n");
  EXPECT_EQ(RoleComment(Role{"x"}), "");
  EXPECT_EQ(GrantMembership({"Readers \"R\"", "app", "", true}),
            "GRANT \"Readers \"\"R\"\"\" TO \"app\" WITH ADMIN OPTION;\n");
  EXPECT_EQ(GrantMembership({"readers", "app", "dba", false}),
            "GRANT \"readers\" TO \"app\" GRANTED BY \"dba\";\n");
}

TEST(PgAccessRendererTest, ListSettingsKeepEveryElement) {
  // The reference system cut "search_path=a, public" at the comma; every element must survive,
  // including quoted ones with commas and quotes inside.
  RoleSetting path{false, "search_path", "tenant_a, \"$user\", \"we, \"\"x\"\"\", public"};
  EXPECT_EQ(AlterRoleSet("app", path, "db"),
            "ALTER ROLE \"app\" SET \"search_path\" TO 'tenant_a', '$user', 'we, \"x\"', "
            "'public';\n");
  RoleSetting timeout{true, "statement_timeout", "5min"};
  EXPECT_EQ(AlterRoleSet("app", timeout, "my db"),
            "ALTER ROLE \"app\" IN DATABASE \"my db\" SET \"statement_timeout\" TO '5min';\n");
  RoleSetting custom{false, "app.note", "a, 'b'"};
  EXPECT_EQ(AlterRoleSet("app", custom, "db"),
            "ALTER ROLE \"app\" SET \"app.note\" TO 'a, ''b''';\n");
}

TEST(PgAccessRendererTest, GrantsSplitByGrantOption) {
  ObjectRef table{ObjectKind::kTable, {"acme", "orders"}};
  AclItem writer{"w r", "owner", {{"INSERT", true}, {"SELECT", false}, {"UPDATE", true}}};
  EXPECT_EQ(Grant(table, writer),
            "GRANT SELECT ON TABLE \"acme\".\"orders\" TO \"w r\";\n"
            "GRANT INSERT, UPDATE ON TABLE \"acme\".\"orders\" TO \"w r\" WITH GRANT OPTION;\n");
  EXPECT_EQ(Grant(table, {"", "owner", {{"SELECT", false}}}),
            "GRANT SELECT ON TABLE \"acme\".\"orders\" TO PUBLIC;\n");
  // A privilege name the renderer does not know never reaches SQL.
  EXPECT_EQ(Grant(table, {"x", "owner", {{"SELECT; DROP", false}}}), "");
}

TEST(PgAccessRendererTest, ColumnAndOtherObjectKinds) {
  ObjectRef column{ObjectKind::kTable, {"acme", "orders"}, "", "total \"net\""};
  EXPECT_EQ(Grant(column, {"a", "o", {{"SELECT", false}, {"UPDATE", false}}}),
            "GRANT SELECT (\"total \"\"net\"\"\"), UPDATE (\"total \"\"net\"\"\") ON TABLE "
            "\"acme\".\"orders\" TO \"a\";\n");
  EXPECT_EQ(RevokeAll(column, {"", "o"}),
            "REVOKE ALL (\"total \"\"net\"\"\") ON TABLE \"acme\".\"orders\" FROM PUBLIC, \"o\" "
            "CASCADE;\n");
  EXPECT_EQ(RevokeAll({ObjectKind::kSchema, {"acme", ""}}, {""}),
            "REVOKE ALL ON SCHEMA \"acme\" FROM PUBLIC CASCADE;\n");
  EXPECT_EQ(RevokeAll({ObjectKind::kSequence, {"acme", "s"}}, {"o"}),
            "REVOKE ALL ON SEQUENCE \"acme\".\"s\" FROM \"o\" CASCADE;\n");
  EXPECT_EQ(RevokeAll({ObjectKind::kType, {"acme", "mood"}}, {""}),
            "REVOKE ALL ON TYPE \"acme\".\"mood\" FROM PUBLIC CASCADE;\n");
  // The revoked PUBLIC EXECUTE of a function, for when functions are migrated.
  EXPECT_EQ(RevokeAll({ObjectKind::kFunction, {"acme", "f"}, "integer, text"}, {""}),
            "REVOKE ALL ON FUNCTION \"acme\".\"f\"(integer, text) FROM PUBLIC CASCADE;\n");
  EXPECT_EQ(Grant({ObjectKind::kProcedure, {"acme", "p"}}, {"a", "o", {{"EXECUTE", false}}}),
            "GRANT EXECUTE ON PROCEDURE \"acme\".\"p\"() TO \"a\";\n");
  EXPECT_EQ(Grant({ObjectKind::kView, {"acme", "v"}}, {"a", "o", {{"SELECT", false}}}),
            "GRANT SELECT ON TABLE \"acme\".\"v\" TO \"a\";\n");
}

TEST(PgAccessRendererTest, SetRoleForAnotherGrantor) {
  EXPECT_EQ(SetRole("ta \"w\""), "SET LOCAL ROLE \"ta \"\"w\"\"\";\n");
  EXPECT_EQ(ResetRole(), "RESET ROLE;\n");
}

TEST(PgAccessRendererTest, DefaultPrivileges) {
  DefaultAcl rule{"owner", "acme", DefaultAcl::On::kTables, {}};
  EXPECT_EQ(GrantDefault(rule, {"r", "owner", {{"SELECT", false}}}),
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"acme\" GRANT SELECT ON "
            "TABLES TO \"r\";\n");
  rule.on = DefaultAcl::On::kSequences;
  EXPECT_EQ(GrantDefault(rule, {"w", "owner", {{"USAGE", true}}}),
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"acme\" GRANT USAGE ON "
            "SEQUENCES TO \"w\" WITH GRANT OPTION;\n");
  rule.on = DefaultAcl::On::kFunctions;
  EXPECT_EQ(RevokeAllDefault(rule, {"", "x"}),
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"acme\" REVOKE ALL ON "
            "FUNCTIONS FROM PUBLIC, \"x\";\n");
}

TEST(PgAccessRendererTest, RowLevelSecurity) {
  Table t;
  t.name = {"acme", "customers"};
  EXPECT_EQ(RowSecurity(t), "");
  t.row_security = t.force_row_security = true;
  t.policies = {{"Writers' rows", "ALL", false, {"w", ""}, "true", "(id > 0)"},
                {"own", "SELECT", true, {}, "(owner = CURRENT_USER)", ""}};
  EXPECT_EQ(RowSecurity(t),
            "ALTER TABLE \"acme\".\"customers\" ENABLE ROW LEVEL SECURITY;\n"
            "ALTER TABLE \"acme\".\"customers\" FORCE ROW LEVEL SECURITY;\n"
            "CREATE POLICY \"Writers' rows\" ON \"acme\".\"customers\" AS RESTRICTIVE FOR ALL TO "
            "\"w\", PUBLIC USING (true) WITH CHECK ((id > 0));\n"
            "CREATE POLICY \"own\" ON \"acme\".\"customers\" AS PERMISSIVE FOR SELECT USING "
            "((owner = CURRENT_USER));\n");
}

// Issue 18: a policy's comment follows its CREATE POLICY.
TEST(PgAccessRendererTest, PolicyCommentFollowsThePolicy) {
  Policy p;
  p.name = "own; rows";
  p.using_expr = "(n > 0)";
  p.comment = "policy; it's";
  EXPECT_EQ(
      CreatePolicy({"kinds", "t"}, p),
      "CREATE POLICY \"own; rows\" ON \"kinds\".\"t\" AS PERMISSIVE FOR ALL USING ((n > 0));\n"
      "COMMENT ON POLICY \"own; rows\" ON \"kinds\".\"t\" IS 'policy; it''s';\n");
}

// Issue 18: a database-wide rule (no schema) has no IN SCHEMA.
TEST(PgAccessRendererTest, DatabaseWideDefaultPrivilegesHaveNoSchema) {
  DefaultAcl rule{"Owner; x", "", DefaultAcl::On::kFunctions, {}};
  EXPECT_EQ(
      GrantDefault(rule, {"r", "Owner; x", {{"EXECUTE", false}}}),
      "ALTER DEFAULT PRIVILEGES FOR ROLE \"Owner; x\" GRANT EXECUTE ON FUNCTIONS TO \"r\";\n");
  EXPECT_EQ(RevokeAllDefault(rule, {"Owner; x", ""}),
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"Owner; x\" REVOKE ALL ON FUNCTIONS FROM "
            "\"Owner; x\", PUBLIC;\n");
}

}  // namespace
}  // namespace tenantshift::pgddl
