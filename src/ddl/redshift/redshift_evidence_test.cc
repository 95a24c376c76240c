// The Redshift renderer against the AWS documentation's own grammar and examples (issue 12).
// Each test cites the page its expected text follows.
#include <gtest/gtest.h>

#include "ddl/ddl_renderer.h"
#include "ddl/quote.h"
#include "ddl/redshift/redshift_ddl.h"

namespace tenantshift {
namespace {

const DdlRenderer& Rs() { return RendererFor(Dialect::kRedshift); }

// QUOTE_LITERAL "Appropriately doubles any embedded single quotation marks and backslashes";
// its example: QUOTE_LITERAL('''CAT''') is '''CAT'''
// (https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_LITERAL.html). CREATE USER's
// example writes one backslash as '\\' (r_CREATE_USER.html, "slashpass").
TEST(RedshiftEvidenceTest, LiteralsDoubleQuotesAndBackslashes) {
  EXPECT_EQ(QuoteRedshiftLiteral("'CAT'"), "'''CAT'''");
  EXPECT_EQ(QuoteRedshiftLiteral("\\"), "'\\\\'");
}

// D6: a comment ending in a backslash used to leave the literal open ('...\').
TEST(RedshiftEvidenceTest, CommentsValidUntilPasswordsAndSettingsUseRedshiftLiterals) {
  View v;
  v.name = {"s", "v"};
  v.comment = "path C:\\temp\\";
  EXPECT_EQ(Rs().ViewComments(v), "COMMENT ON VIEW \"s\".\"v\" IS 'path C:\\\\temp\\\\';\n");
  Table t;
  t.name = {"s", "t"};
  t.comment = "a\\nb 'q'";
  t.columns.push_back({});
  t.columns[0].name = "c";
  t.columns[0].comment = "x\\";
  EXPECT_EQ(Rs().TableComments(t),
            "COMMENT ON TABLE \"s\".\"t\" IS 'a\\\\nb ''q''';\n"
            "COMMENT ON COLUMN \"s\".\"t\".\"c\" IS 'x\\\\';\n");
  Role u;
  u.name = "u";
  u.kind = Role::Kind::kUser;
  u.valid_until = "2030-01-01\\";
  const std::string password = "md5\\x";
  EXPECT_EQ(Rs().CreateRole(u, false, &password),
            "CREATE USER \"u\" PASSWORD 'md5\\\\x' NOCREATEDB NOCREATEUSER VALID UNTIL "
            "'2030-01-01\\\\' CONNECTION LIMIT UNLIMITED;\n");
  EXPECT_EQ(Rs().AlterRoleSet("u", {false, "search_path", "a\\b, c"}, "dev"),
            "ALTER USER \"u\" SET search_path TO 'a\\\\b', 'c';\n");
  EXPECT_EQ(Rs().AlterRoleSet("u", {false, "TimeZone", "x\\"}, "dev"),
            "ALTER USER \"u\" SET TimeZone TO 'x\\\\';\n");
}

// Hostile names in identifier positions: only the double quote is doubled; a backslash, a
// newline, $(...) and non-ASCII stay as they are inside the quotes. In literal positions the
// backslash is doubled as well.
TEST(RedshiftEvidenceTest, HostileNamesInIdentifierAndLiteralPositions) {
  const std::string hostile = "x\"\\$(id)\n\u00e9";
  const std::string quoted = "\"x\"\"\\$(id)\n\u00e9\"";
  View v;
  v.name = {hostile, hostile};
  v.comment = hostile;
  v.columns.push_back({hostile, hostile, ""});
  EXPECT_EQ(Rs().ViewComments(v), "COMMENT ON VIEW " + quoted + "." + quoted +
                                      " IS 'x\"\\\\$(id)\n\u00e9';\n"
                                      "COMMENT ON COLUMN " +
                                      quoted + "." + quoted + "." + quoted +
                                      " IS 'x\"\\\\$(id)\n\u00e9';\n");
  Role r;
  r.name = hostile;
  r.kind = Role::Kind::kRole;
  r.external_id = hostile;
  EXPECT_EQ(Rs().CreateRole(r, false, nullptr),
            "CREATE ROLE " + quoted + " EXTERNALID " + quoted + ";\n");
}

// CREATE ROLE sample_role1 EXTERNALID "ABC123" (r_CREATE_ROLE.html); CREATE USER myco_aad:bob
// EXTERNALID "ABC123" PASSWORD DISABLE, "The user must have their password disabled"
// (r_CREATE_USER.html). D15.
TEST(RedshiftEvidenceTest, ExternalIdsOfRolesAndUsers) {
  Role role;
  role.name = "sample_role1";
  role.kind = Role::Kind::kRole;
  role.external_id = "ABC123";
  EXPECT_EQ(Rs().CreateRole(role, false, nullptr),
            "CREATE ROLE \"sample_role1\" EXTERNALID \"ABC123\";\n");
  Role user;
  user.name = "myco_aad:bob";
  user.kind = Role::Kind::kUser;
  user.external_id = "ABC123";
  const std::string password = "random";
  EXPECT_EQ(Rs().CreateRole(user, false, &password),
            "CREATE USER \"myco_aad:bob\" PASSWORD DISABLE NOCREATEDB NOCREATEUSER CONNECTION "
            "LIMIT UNLIMITED EXTERNALID \"ABC123\";\n");
}

// ALTER DEFAULT PRIVILEGES ... GRANT { SELECT | INSERT | UPDATE | DELETE | DROP | REFERENCES |
// TRUNCATE } ON TABLES, { EXECUTE } ON FUNCTIONS / PROCEDURES: no ALTER (D9).
// https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_DEFAULT_PRIVILEGES.html
TEST(RedshiftEvidenceTest, DefaultPrivilegesOnlyWhatTheGrammarAccepts) {
  DefaultAcl tables{"owner", "s", DefaultAcl::On::kTables, {}};
  AclItem bob{"bob", "owner", {{"SELECT", false}, {"ALTER", false}, {"TRUNCATE", false}}};
  EXPECT_EQ(Rs().GrantDefault(tables, bob),
            "ALTER DEFAULT PRIVILEGES FOR USER \"owner\" IN SCHEMA \"s\" GRANT SELECT, TRUNCATE ON "
            "TABLES TO \"bob\";\n");
  DefaultAcl functions{"owner", "", DefaultAcl::On::kFunctions, {}};
  AclItem all{"bob", "owner", {{"EXECUTE", false}, {"ALTER", false}}};
  EXPECT_EQ(Rs().GrantDefault(functions, all),
            "ALTER DEFAULT PRIVILEGES FOR USER \"owner\" GRANT EXECUTE ON FUNCTIONS TO \"bob\";\n");
  EXPECT_FALSE(IsRedshiftDefaultPrivilege(DefaultAcl::On::kTables, "ALTER"));
  EXPECT_TRUE(IsRedshiftDefaultPrivilege(DefaultAcl::On::kProcedures, "EXECUTE"));
}

// GRANT ... ON TABLE accepts ALTER and TRUNCATE; ON SCHEMA accepts ALTER and DROP
// (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html): what D1's letters P and A
// (and D on schemas) become.
TEST(RedshiftEvidenceTest, TruncateAndAlterGrants) {
  ObjectRef table{ObjectKind::kTable, {"s1", "test_table"}, "", ""};
  AclItem bob{"bob", "alice", {{"TRUNCATE", false}}};
  EXPECT_EQ(Rs().Grant(table, bob), "GRANT TRUNCATE ON TABLE \"s1\".\"test_table\" TO \"bob\";\n");
  ObjectRef schema{ObjectKind::kSchema, {"s1", ""}, "", ""};
  AclItem carol{"carol", "alice", {{"ALTER", false}, {"DROP", false}}};
  EXPECT_EQ(Rs().Grant(schema, carol), "GRANT ALTER, DROP ON SCHEMA \"s1\" TO \"carol\";\n");
}

// CREATE [ OR REPLACE ] VIEW name [ ( column_name [, ...] ) ] AS query [ WITH NO SCHEMA
// BINDING ] (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html). R5.
TEST(RedshiftEvidenceTest, ViewColumnListIsKept) {
  View v;
  v.name = {"s", "v"};
  v.column_list = "(c1, c2)";
  v.definition = "select a, b from s.t";
  v.late_binding = true;
  EXPECT_EQ(Rs().CreateView(v),
            "CREATE VIEW \"s\".\"v\" (c1, c2) AS\nselect a, b from s.t\nWITH NO SCHEMA BINDING;\n");
}

}  // namespace
}  // namespace tenantshift
