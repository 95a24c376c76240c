// Golden tests of the Redshift renderer. Every expected statement is written by hand from the
// Redshift Database Developer Guide's syntax (shared/reference/redshift-catalog.md §3-§14).
#include "ddl/redshift/redshift_ddl.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ddl/ddl_renderer.h"

namespace tenantshift {
namespace {

// A name with every hostile character class: quote, semicolon, $(...), space, slash, non-ASCII.
const char* kHostile = "a\"b; $(rm -rf /) é";
const char* kHostileQuoted = "\"a\"\"b; $(rm -rf /) é\"";

class RedshiftDdlTest : public ::testing::TestWithParam<Dialect> {
 protected:
  const DdlRenderer& ddl() const { return RendererFor(GetParam()); }
};

// Provisioned and Serverless render the same statements; what Serverless cannot hold is
// converted before rendering (plan/redshift_target_test.cc).
INSTANTIATE_TEST_SUITE_P(Targets, RedshiftDdlTest,
                         ::testing::Values(Dialect::kRedshift, Dialect::kRedshiftServerless));

Role User(const std::string& name) {
  Role r;
  r.name = name;
  r.kind = Role::Kind::kUser;
  r.can_login = true;
  return r;
}

TEST_P(RedshiftDdlTest, CreateUserWithEveryAttribute) {
  Role u = User(kHostile);
  u.create_db = true;
  u.syslog_access = "UNRESTRICTED";
  u.valid_until = "2030-01-01 00:00:00+00";
  u.connection_limit = 5;
  u.session_timeout = 3600;
  EXPECT_EQ(ddl().CreateRole(u, false, nullptr),
            std::string("CREATE USER ") + kHostileQuoted +
                " PASSWORD DISABLE CREATEDB NOCREATEUSER SYSLOG ACCESS UNRESTRICTED VALID UNTIL "
                "'2030-01-01 00:00:00+00' CONNECTION LIMIT 5 SESSION TIMEOUT 3600;\n");
}

TEST_P(RedshiftDdlTest, CreateUserPasswordAndDefaults) {
  Role u = User("bob");
  u.syslog_access = "restricted";
  const std::string password = "md5'x";
  EXPECT_EQ(ddl().CreateRole(u, /*superuser=*/true, &password),
            "CREATE USER \"bob\" PASSWORD 'md5''x' NOCREATEDB CREATEUSER SYSLOG ACCESS RESTRICTED "
            "CONNECTION LIMIT UNLIMITED;\n");
}

TEST_P(RedshiftDdlTest, UserSettingsKeepListsAndQuotes) {
  EXPECT_EQ(
      ddl().AlterRoleSet("bob", {false, "search_path", "acme, \"my schema\", \"$user\""}, "dev"),
      "ALTER USER \"bob\" SET search_path TO 'acme', 'my schema', '$user';\n");
  EXPECT_EQ(ddl().AlterRoleSet(kHostile, {false, "TimeZone", "Europe/Paris"}, "dev"),
            std::string("ALTER USER ") + kHostileQuoted + " SET TimeZone TO 'Europe/Paris';\n");
  EXPECT_EQ(ddl().AlterRoleSet("bob", {false, "x; DROP", "it's"}, "dev"),
            "ALTER USER \"bob\" SET \"x; DROP\" TO 'it''s';\n");
}

TEST_P(RedshiftDdlTest, GroupsAndMembership) {
  Role g;
  g.name = kHostile;
  g.kind = Role::Kind::kGroup;
  EXPECT_EQ(ddl().CreateRole(g, false, nullptr),
            std::string("CREATE GROUP ") + kHostileQuoted + ";\n");
  RoleMembership m{kHostile, "bob", "", false, Role::Kind::kGroup, Role::Kind::kUser};
  EXPECT_EQ(ddl().GrantMembership(m),
            std::string("ALTER GROUP ") + kHostileQuoted + " ADD USER \"bob\";\n");
}

TEST_P(RedshiftDdlTest, RolesNestedTwoDeepAndSystemPrivileges) {
  Role r;
  r.name = "base";
  r.kind = Role::Kind::kRole;
  r.system_privileges = {"ACCESS SYSTEM TABLE", "CREATE TABLE", "DROP ALL; --"};
  // The unknown privilege cannot be written as a keyword; plan/redshift_target warns about it.
  EXPECT_EQ(ddl().CreateRole(r, false, nullptr),
            "CREATE ROLE \"base\";\n"
            "GRANT ACCESS SYSTEM TABLE TO ROLE \"base\";\n"
            "GRANT CREATE TABLE TO ROLE \"base\";\n");
  EXPECT_EQ(ddl().GrantMembership({"base", "mid", "", false, Role::Kind::kRole, Role::Kind::kRole}),
            "GRANT ROLE \"base\" TO ROLE \"mid\";\n");
  EXPECT_EQ(ddl().GrantMembership({"mid", "bob", "", true, Role::Kind::kRole, Role::Kind::kUser}),
            "GRANT ROLE \"mid\" TO \"bob\" WITH ADMIN OPTION;\n");
}

TEST_P(RedshiftDdlTest, SchemaWithOwnerAndQuota) {
  EXPECT_EQ(
      ddl().CreateSchema({kHostile, "o", "", 2048}),
      std::string("CREATE SCHEMA ") + kHostileQuoted + " AUTHORIZATION \"o\" QUOTA 2048 MB;\n");
  EXPECT_EQ(ddl().CreateSchema({"acme", "", "", -1}), "CREATE SCHEMA \"acme\";\n");
  EXPECT_EQ(ddl().SchemaOwner({"acme", "o", "", -1}), "ALTER SCHEMA \"acme\" OWNER TO \"o\";\n");
}

Column Col(const std::string& name, const std::string& type, const std::string& encoding) {
  Column c;
  c.name = name;
  c.type = type;
  c.encoding = encoding;
  return c;
}

TEST_P(RedshiftDdlTest, TableWithIdentityEncodingsKeysAndBackup) {
  Table t;
  t.name = {"acme", kHostile};
  t.backup = false;
  t.distribution = {Distribution::Style::kKey, "id"};
  t.sort_key = {SortKey::Style::kCompound, {"created", "id"}};
  Column id = Col("id", "bigint", "az64");
  id.identity = 'a';
  id.identity_options.start = 1;
  id.identity_options.increment = 1;
  id.not_null = true;
  Column code = Col("code", "bigint", "AZ64");
  code.identity = 'd';
  code.identity_options.start = 100;
  code.identity_options.increment = 10;
  code.not_null = true;
  Column name = Col("na\"me", "character varying(100)", "lzo");
  name.default_expr = "'x'::character varying";
  name.collation = "case_insensitive";
  t.columns = {id, code, name, Col("created", "timestamp without time zone", "raw")};
  EXPECT_EQ(
      ddl().CreateTable(t),
      std::string("CREATE TABLE \"acme\".") + kHostileQuoted +
          " (\n"
          "    \"id\" bigint IDENTITY(1, 1) ENCODE az64 NOT NULL,\n"
          "    \"code\" bigint GENERATED BY DEFAULT AS IDENTITY(100, 10) ENCODE az64 NOT NULL,\n"
          "    \"na\"\"me\" character varying(100) DEFAULT 'x'::character varying ENCODE lzo "
          "COLLATE CASE_INSENSITIVE,\n"
          "    \"created\" timestamp without time zone ENCODE raw\n"
          ")\n"
          "BACKUP NO\n"
          "DISTSTYLE KEY\n"
          "DISTKEY (\"id\")\n"
          "COMPOUND SORTKEY (\"created\", \"id\");\n");
}

TEST_P(RedshiftDdlTest, AutoTable) {
  Table t;
  t.name = {"acme", "events"};
  t.distribution.style = Distribution::Style::kAuto;
  t.sort_key.style = SortKey::Style::kAuto;
  t.encode_auto = true;
  t.columns = {Col("id", "integer", "")};
  EXPECT_EQ(ddl().CreateTable(t),
            "CREATE TABLE \"acme\".\"events\" (\n"
            "    \"id\" integer\n"
            ")\n"
            "DISTSTYLE AUTO\n"
            "SORTKEY AUTO\n"
            "ENCODE AUTO;\n");
}

TEST_P(RedshiftDdlTest, InterleavedTableAsTheModelSaysIt) {
  Table t;
  t.name = {"acme", "wide"};
  t.distribution.style = Distribution::Style::kEven;
  t.sort_key = {SortKey::Style::kInterleaved, {"a", "b c"}};
  t.columns = {Col("a", "integer", "az64"), Col("b c", "date", "az64")};
  EXPECT_EQ(ddl().CreateTable(t),
            "CREATE TABLE \"acme\".\"wide\" (\n"
            "    \"a\" integer ENCODE az64,\n"
            "    \"b c\" date ENCODE az64\n"
            ")\n"
            "DISTSTYLE EVEN\n"
            "INTERLEAVED SORTKEY (\"a\", \"b c\");\n");
  t.distribution.style = Distribution::Style::kAll;
  t.sort_key.style = SortKey::Style::kNone;
  EXPECT_EQ(ddl().CreateTable(t),
            "CREATE TABLE \"acme\".\"wide\" (\n"
            "    \"a\" integer ENCODE az64,\n"
            "    \"b c\" date ENCODE az64\n"
            ")\n"
            "DISTSTYLE ALL;\n");
}

TEST_P(RedshiftDdlTest, TableCommentsConstraintsAndOwner) {
  Table t;
  t.name = {"acme", "t"};
  t.owner = kHostile;
  t.comment = "it's";
  Column c = Col("c", "integer", "");
  c.comment = "col";
  t.columns = {c};
  EXPECT_EQ(ddl().TableComments(t),
            "COMMENT ON TABLE \"acme\".\"t\" IS 'it''s';\n"
            "COMMENT ON COLUMN \"acme\".\"t\".\"c\" IS 'col';\n");
  EXPECT_EQ(ddl().AddConstraint(t, {"t_pkey", Constraint::Kind::kPrimaryKey, "PRIMARY KEY (c)"}),
            "ALTER TABLE \"acme\".\"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (c);\n");
  EXPECT_EQ(ddl().TableOwner(t),
            std::string("ALTER TABLE \"acme\".\"t\" OWNER TO ") + kHostileQuoted + ";\n");
}

View MakeView(const std::string& name, const std::string& definition) {
  View v;
  v.name = {"acme", name};
  v.definition = definition;
  return v;
}

TEST_P(RedshiftDdlTest, ViewsLateBindingAndOwner) {
  View v = MakeView("v", "SELECT 1 AS one");
  EXPECT_EQ(ddl().CreateView(v), "CREATE VIEW \"acme\".\"v\" AS\nSELECT 1 AS one;\n");
  View lb = MakeView(kHostile, "SELECT id FROM acme.t");
  lb.late_binding = true;
  lb.owner = std::string(1, 'o');  // not = "o": GCC 12 -O3 -Wrestrict false positive
  // fmt rather than a chain of +: GCC 12's -Wrestrict false positive at -O3 (PR105329).
  EXPECT_EQ(ddl().CreateView(lb),
            fmt::format("CREATE VIEW \"acme\".{} AS\nSELECT id FROM acme.t\nWITH NO SCHEMA "
                        "BINDING;\n",
                        kHostileQuoted));
  EXPECT_EQ(ddl().ViewOwner(lb),
            std::string("ALTER TABLE \"acme\".") + kHostileQuoted + " OWNER TO \"o\";\n");
}

TEST_P(RedshiftDdlTest, MaterializedViews) {
  View mv = MakeView("mv", "SELECT c, count(*) AS n FROM acme.t GROUP BY c");
  mv.materialized = true;
  mv.distribution = {Distribution::Style::kKey, "c"};
  mv.sort_key = {SortKey::Style::kCompound, {"c", "n"}};
  mv.auto_refresh = true;
  mv.backup = false;
  mv.comment = "m";
  EXPECT_EQ(ddl().CreateView(mv),
            "CREATE MATERIALIZED VIEW \"acme\".\"mv\"\n"
            "BACKUP NO\n"
            "DISTSTYLE KEY\n"
            "DISTKEY (\"c\")\n"
            "SORTKEY (\"c\", \"n\")\n"
            "AUTO REFRESH YES\n"
            "AS\n"
            "SELECT c, count(*) AS n FROM acme.t GROUP BY c;\n");
  EXPECT_EQ(ddl().ViewComments(mv), "COMMENT ON VIEW \"acme\".\"mv\" IS 'm';\n");
  EXPECT_EQ(ddl().RefreshMaterializedView(mv), "REFRESH MATERIALIZED VIEW \"acme\".\"mv\";\n");
  View plain = MakeView("mv2", "SELECT n FROM acme.mv");
  plain.materialized = true;
  plain.distribution.style = Distribution::Style::kAuto;  // the default: not written
  EXPECT_EQ(ddl().CreateView(plain),
            "CREATE MATERIALIZED VIEW \"acme\".\"mv2\"\nAS\nSELECT n FROM acme.mv;\n");
}

Routine SqlFunction() {
  Routine f;
  f.name = {"acme", "add"};
  f.identity_args = "integer, integer";
  f.language = "sql";
  f.owner = "o";
  f.parts.arguments = "integer, integer";
  f.parts.returns = "integer";
  f.parts.volatility = 'i';
  f.parts.body = " SELECT $1 + $2 ";
  return f;
}

TEST_P(RedshiftDdlTest, SqlFunction) {
  Routine f = SqlFunction();
  EXPECT_EQ(ddl().CreateRoutine(f),
            "CREATE FUNCTION \"acme\".\"add\"(integer, integer)\n"
            "RETURNS integer\n"
            "IMMUTABLE\n"
            "AS $$ SELECT $1 + $2 $$\n"
            "LANGUAGE sql;\n");
  EXPECT_EQ(ddl().RoutineOwner(f),
            "ALTER FUNCTION \"acme\".\"add\"(integer, integer) OWNER TO \"o\";\n");
  EXPECT_EQ(ddl().NoFunctionBodyChecks(), "");
  // A body holding $$ gets a tag it does not hold.
  f.parts.body = " SELECT '$$' || '$ts$' ";
  f.parts.volatility = 's';
  EXPECT_EQ(ddl().CreateRoutine(f),
            "CREATE FUNCTION \"acme\".\"add\"(integer, integer)\n"
            "RETURNS integer\n"
            "STABLE\n"
            "AS $ts1$ SELECT '$$' || '$ts$' $ts1$\n"
            "LANGUAGE sql;\n");
}

TEST_P(RedshiftDdlTest, ProcedureWithModesSecurityNonatomicAndSet) {
  Routine p;
  p.kind = Routine::Kind::kProcedure;
  p.name = {"acme", kHostile};
  p.identity_args = "integer, character varying";
  p.language = "plpgsql";
  // Redshift's order: name, mode, type.
  p.parts.arguments = "\"a\" integer, \"b\" INOUT character varying(10), \"c\" OUT integer";
  p.parts.security_definer = true;
  p.parts.nonatomic = true;
  p.parts.config = {{"search_path", "acme, \"$user\""}, {"datestyle", "ISO, MDY"}};
  p.parts.body = "\nBEGIN\n  b := b || 'x';\n  c := a;\nEND;\n";
  EXPECT_EQ(ddl().CreateRoutine(p),
            std::string("CREATE PROCEDURE \"acme\".") + kHostileQuoted +
                "(\"a\" integer, \"b\" INOUT character varying(10), \"c\" OUT integer)\n"
                "NONATOMIC\n"
                "AS $$\nBEGIN\n  b := b || 'x';\n  c := a;\nEND;\n$$\n"
                "LANGUAGE plpgsql\n"
                "SECURITY DEFINER\n"
                "SET search_path TO 'acme', '$user'\n"
                "SET datestyle TO 'ISO, MDY';\n");
  p.owner = "o";
  EXPECT_EQ(ddl().RoutineOwner(p), std::string("ALTER PROCEDURE \"acme\".") + kHostileQuoted +
                                       "(integer, character varying) OWNER TO \"o\";\n");
}

TEST_P(RedshiftDdlTest, GrantsToUsersGroupsRolesAndPublic) {
  ObjectRef t{ObjectKind::kTable, {"acme", "t"}, "", ""};
  EXPECT_EQ(ddl().Grant(t, {"bob", "o", {{"SELECT", false}, {"UPDATE", true}, {"RULE", false}}}),
            "GRANT SELECT ON TABLE \"acme\".\"t\" TO \"bob\";\n"
            "GRANT UPDATE ON TABLE \"acme\".\"t\" TO \"bob\" WITH GRANT OPTION;\n");
  EXPECT_EQ(
      ddl().Grant(t, {kHostile, "o", {{"SELECT", false}, {"INSERT", true}}, GranteeKind::kGroup}),
      std::string("GRANT SELECT, INSERT ON TABLE \"acme\".\"t\" TO GROUP ") + kHostileQuoted +
          ";\n");
  EXPECT_EQ(ddl().Grant(t, {"r", "o", {{"DELETE", false}, {"DROP", false}}, GranteeKind::kRole}),
            "GRANT DELETE, DROP ON TABLE \"acme\".\"t\" TO ROLE \"r\";\n");
  EXPECT_EQ(ddl().Grant(t, {"", "o", {{"SELECT", false}}}),
            "GRANT SELECT ON TABLE \"acme\".\"t\" TO PUBLIC;\n");
  EXPECT_EQ(ddl().RevokeAll(t, {{"", "", {}}, {"bob", "", {}}, {"g", "", {}, GranteeKind::kGroup}}),
            "REVOKE ALL ON TABLE \"acme\".\"t\" FROM PUBLIC, \"bob\", GROUP \"g\";\n");
}

TEST_P(RedshiftDdlTest, ColumnSchemaRoutineAndDatabaseGrants) {
  ObjectRef col{ObjectKind::kTable, {"acme", "t"}, "", "sec ret"};
  EXPECT_EQ(
      ddl().Grant(col, {"bob", "o", {{"SELECT", false}, {"UPDATE", false}}}),
      "GRANT SELECT (\"sec ret\"), UPDATE (\"sec ret\") ON TABLE \"acme\".\"t\" TO \"bob\";\n");
  EXPECT_EQ(ddl().RevokeAll(col, {{"bob", "", {}}}),
            "REVOKE ALL (\"sec ret\") ON TABLE \"acme\".\"t\" FROM \"bob\";\n");
  ObjectRef schema{ObjectKind::kSchema, {"acme", ""}, "", ""};
  EXPECT_EQ(
      ddl().Grant(schema, {"r", "o", {{"USAGE", false}, {"CREATE", false}}, GranteeKind::kRole}),
      "GRANT USAGE, CREATE ON SCHEMA \"acme\" TO ROLE \"r\";\n");
  ObjectRef fn{ObjectKind::kFunction, {"acme", "add"}, "integer, integer", ""};
  EXPECT_EQ(ddl().Grant(fn, {"g", "o", {{"EXECUTE", false}}, GranteeKind::kGroup}),
            "GRANT EXECUTE ON FUNCTION \"acme\".\"add\"(integer, integer) TO GROUP \"g\";\n");
  ObjectRef proc{ObjectKind::kProcedure, {"acme", "p"}, "integer", ""};
  EXPECT_EQ(ddl().Grant(proc, {"bob", "o", {{"EXECUTE", true}}}),
            "GRANT EXECUTE ON PROCEDURE \"acme\".\"p\"(integer) TO \"bob\" WITH GRANT OPTION;\n");
  ObjectRef db{ObjectKind::kDatabase, {"dev", ""}, "", ""};
  EXPECT_EQ(ddl().Grant(db, {"bob", "o", {{"CREATE", false}, {"TEMPORARY", false}}}),
            "GRANT CREATE, TEMPORARY ON DATABASE \"dev\" TO \"bob\";\n");
}

TEST_P(RedshiftDdlTest, DefaultPrivilegesDatabaseWideAndPerSchema) {
  DefaultAcl wide{"o", "", DefaultAcl::On::kTables, {}};
  EXPECT_EQ(ddl().GrantDefault(wide, {"bob", "o", {{"SELECT", false}, {"DELETE", true}}}),
            "ALTER DEFAULT PRIVILEGES FOR USER \"o\" GRANT SELECT ON TABLES TO \"bob\";\n"
            "ALTER DEFAULT PRIVILEGES FOR USER \"o\" GRANT DELETE ON TABLES TO \"bob\" WITH GRANT "
            "OPTION;\n");
  DefaultAcl fns{kHostile, "acme", DefaultAcl::On::kFunctions, {}};
  EXPECT_EQ(ddl().GrantDefault(fns, {"g", kHostile, {{"EXECUTE", false}}, GranteeKind::kGroup}),
            std::string("ALTER DEFAULT PRIVILEGES FOR USER ") + kHostileQuoted +
                " IN SCHEMA \"acme\" GRANT EXECUTE ON FUNCTIONS TO GROUP \"g\";\n");
  DefaultAcl procs{"o", "acme", DefaultAcl::On::kProcedures, {}};
  EXPECT_EQ(ddl().GrantDefault(procs, {"r", "o", {{"EXECUTE", false}}, GranteeKind::kRole}),
            "ALTER DEFAULT PRIVILEGES FOR USER \"o\" IN SCHEMA \"acme\" GRANT EXECUTE ON "
            "PROCEDURES TO ROLE \"r\";\n");
  EXPECT_EQ(ddl().RevokeAllDefault(procs, {{"", "", {}}, {"r", "", {}, GranteeKind::kRole}}),
            "ALTER DEFAULT PRIVILEGES FOR USER \"o\" IN SCHEMA \"acme\" REVOKE ALL ON PROCEDURES "
            "FROM PUBLIC, ROLE \"r\";\n");
}

TEST_P(RedshiftDdlTest, ActingAsTheGrantor) {
  EXPECT_EQ(ddl().SetRole(kHostile),
            std::string("SET SESSION AUTHORIZATION ") + kHostileQuoted + ";\n");
  EXPECT_EQ(ddl().ResetRole(), "RESET SESSION AUTHORIZATION;\n");
}

TEST(RedshiftDdlDispatchTest, EachDialectHasItsRenderer) {
  Schema s{"acme", "o", "", 10};
  EXPECT_EQ(RendererFor(Dialect::kPostgres).CreateSchema(s), "CREATE SCHEMA \"acme\";\n");
  EXPECT_EQ(RendererFor(Dialect::kRedshift).CreateSchema(s),
            "CREATE SCHEMA \"acme\" AUTHORIZATION \"o\" QUOTA 10 MB;\n");
  EXPECT_FALSE(dynamic_cast<const RedshiftDdl&>(RendererFor(Dialect::kRedshift)).serverless());
  EXPECT_TRUE(
      dynamic_cast<const RedshiftDdl&>(RendererFor(Dialect::kRedshiftServerless)).serverless());
}

TEST(DollarQuoteTest, NeverAQuoteTheBodyHolds) {
  EXPECT_EQ(DollarQuote("SELECT 1"), "$$");
  EXPECT_EQ(DollarQuote("SELECT '$'||'$$'"), "$ts$");
  EXPECT_EQ(DollarQuote("x $"), "$ts$");  // a body ending in $ would merge with the closing $$
  EXPECT_EQ(DollarQuote("$$ $ts$ $ts1$"), "$ts2$");
}

}  // namespace
}  // namespace tenantshift
